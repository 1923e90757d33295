"""Where content packs are: the built-in folder, then each configured content path; and which
folder a pack name means, found without reading any pack (pack.py parses and validates them).

A command served from a cache keyed by the pack's files (`faq search` reads the parsed pack,
faq/search.py) needs only the folder: it loads the pack itself only when that cache is missing or
stale, so a broken pack is still reported, by the loader, exactly as before.
"""

from __future__ import annotations

from pathlib import Path


class PackFolder:
    """A pack's folder, found by its name, not read yet (a plain class: a NamedTuple costs a tenth of a ms
    to define, on the path of every search)."""

    __slots__ = ("builtin", "root")

    def __init__(self, root: Path, builtin: bool) -> None:
        self.root = root
        self.builtin = builtin  # shipped with supportcli (not from a content path)

    def __repr__(self) -> str:
        return f"PackFolder({self.root!r}, builtin={self.builtin!r})"


def _pack_dirs_under(folder: Path) -> list[Path]:
    if (folder / "pack.toml").is_file():
        return [folder]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (p / "pack.toml").is_file())


def discover_pack_dirs(content_paths: list[Path]) -> list[tuple[Path, bool]]:
    """Built-in packs first, then those under each configured content path."""
    from supportcli.core.paths import builtin_packs_dir

    found = [(p, True) for p in _pack_dirs_under(builtin_packs_dir())]
    for extra in content_paths:
        found.extend((p, False) for p in _pack_dirs_under(extra))
    return found


def pack_folder(pack_id: str, content_paths: list[Path]) -> PackFolder | None:
    """The folder named `pack_id` that holds a pack.toml: the last one found, so a content path
    overrides a built-in pack of the same name. None when no folder is named so (the pack may
    still be one whose folder is named otherwise: only reading the manifests can tell)."""
    named = [PackFolder(p, b) for p, b in discover_pack_dirs(content_paths) if p.name == pack_id]
    return named[-1] if named else None

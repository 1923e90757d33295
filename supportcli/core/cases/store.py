"""Cases on disk: one private folder per case under `AppPaths.cases_dir`.

    <cases_dir>/<id>/case.toml                 written once, last, when the case is created
    <cases_dir>/<id>/timeline/0001-sent.toml   one file per entry, never overwritten (append-only)
    <cases_dir>/<id>/draft/…                   copies of the draft files that were sent
    <cases_dir>/<id>/attachments/…             evidence, copied in
    <cases_dir>/<id>/bundles/…                 evidence bundles (zip), unless --output says elsewhere

Folders are 0700 and files 0600, written atomically (supportcli.core.storage). A damaged file is
reported with its path and reason; it never stops the other cases or entries from being read.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportcli.core.cases.model import (
    AttachmentRef,
    Case,
    Damaged,
    FormatProblem,
    TimelineEntry,
    parse_case,
    parse_entry,
)
from supportcli.core.errors import InputError, NotFoundError, StorageError, UsageError
from supportcli.core.gate import echoable
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths
from supportcli.core.storage import atomic_write, ensure_private_dir, exists

CASE_FILE = "case.toml"
TIMELINE_DIR = "timeline"
ATTACHMENTS_DIR = "attachments"
DRAFT_DIR = "draft"
BUNDLES_DIR = "bundles"
# Short ids without look-alike characters (no i, l, o, 0, 1), easy to read out and type.
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ID_LENGTH = 6
_ID_CHARS = re.compile(r"^[a-z0-9]{1,32}$")
_ENTRY_NAME = re.compile(r"^(\d{4,})-([a-z]+)\.toml$")
_MAX_NAME = 120
MAX_CASE_FILE_BYTES = 4 << 20  # an entry holds at most MAX_TEXT characters
# The system's random source, which `secrets.choice` draws from (importing `secrets` loaded hashlib
# on every listing and home screen: 2 ms).
secrets = random.SystemRandom()


@dataclass
class CaseListing:
    cases: list[Case]
    damaged: list[Damaged]


def _toml_dumps(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(data, multiline_strings=True)


def _read_toml(path: Path) -> dict[str, Any]:
    """The data of a TOML file; FormatProblem when it is not readable UTF-8 TOML (or too big, too deep)."""
    from supportcli.core.safeload import Unparsable, load_toml

    try:
        return load_toml(path, limit=MAX_CASE_FILE_BYTES)
    except OSError as exc:
        raise FormatProblem("(file)", "cases.expect.readable", reason=exc.strerror or type(exc).__name__) from exc
    except Unparsable as exc:
        if exc.key == "errors.file.not_utf8":
            raise FormatProblem("(file)", "cases.expect.utf8") from exc
        raise FormatProblem("(file)", "cases.expect.toml", reason=exc.render()) from exc


def safe_file_name(name: str, fallback: str = "attachment") -> str:
    """A file name that stays inside its folder: no separators, no control characters, no leading dot."""
    from supportcli.core.text import clean

    base = clean(name.replace("\\", "/").rsplit("/", 1)[-1], multiline=False).strip()
    base = re.sub(r"[\x00-\x1f/:*?\"<>|]", "_", base).lstrip(".").strip()
    if len(base) > _MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = stem[:_MAX_NAME - len(ext) - 1] + "." + ext if dot and 0 < len(ext) <= 10 else base[:_MAX_NAME]
    return base or fallback


def _numbered(name: str, n: int) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return f"{name}-{n}"
    return f"{stem}-{n}.{ext}"


class CaseStore:
    def __init__(self, paths: AppPaths) -> None:
        self.root = paths.cases_dir
        self.app_root = paths.data_dir  # no folder from here down may be a link (see core.storage)

    # ------------------------------------------------------------------ reading

    def folder(self, case_id: str) -> Path:
        if not _ID_CHARS.match(case_id):
            raise InputError("case_id", t("cases.id_invalid", value=echoable(case_id)))
        return self.root / case_id

    def ids(self) -> list[str]:
        """The names of the case folders (a folder is a case even if its files are damaged)."""
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageError("errors.storage", path=str(self.root), reason=exc.strerror or "") from exc
        return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False) and _ID_CHARS.match(e.name))

    def load(self, case_id: str) -> Case:
        """One case with its timeline. A damaged `case.toml` raises StorageError naming the file."""
        folder = self.folder(case_id)
        path = folder / CASE_FILE
        if not exists(path) and not exists(folder):
            raise NotFoundError("cases.not_found", id=case_id)
        try:
            case = parse_case(_read_toml(path), folder)
        except FormatProblem as exc:
            raise StorageError("cases.damaged_case", path=str(path), reason=exc.render()) from exc
        case.timeline, case.damaged = self._timeline(folder)
        return case

    def _entry_files(self, folder: Path) -> list[tuple[int, Path]]:
        timeline = folder / TIMELINE_DIR
        try:
            names = sorted(os.listdir(timeline))
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise StorageError("errors.storage", path=str(timeline), reason=exc.strerror or "") from exc
        found: list[tuple[int, Path]] = []
        for name in names:
            if name.startswith("."):
                continue  # a write in progress
            match = _ENTRY_NAME.match(name)
            found.append((int(match.group(1)) if match else 0, timeline / name))
        return found

    def _timeline(self, folder: Path) -> tuple[list[TimelineEntry], list[Damaged]]:
        entries: list[TimelineEntry] = []
        damaged: list[Damaged] = []
        for seq, path in self._entry_files(folder):
            try:
                if seq == 0:
                    raise FormatProblem("(file)", "cases.expect.entry_name")
                entry = parse_entry(_read_toml(path))
                if entry.seq != seq:
                    raise FormatProblem("seq", "cases.expect.seq", seq=seq)
            except FormatProblem as exc:
                damaged.append(Damaged(path, exc.render()))
                continue
            entries.append(entry)
        entries.sort(key=lambda e: e.seq)
        return entries, damaged

    def list(self) -> CaseListing:
        """Every readable case (newest first) and every case folder that could not be read."""
        from supportcli.core.cases.listing import IndexedCases

        cases: list[Case] = []
        damaged: list[Damaged] = []
        load = IndexedCases(self.root, self.load)  # through the folder's summary index
        for case_id in self.ids():
            try:
                case = load(case_id)
            except StorageError as exc:
                damaged.append(Damaged(self.root / case_id / CASE_FILE, str(exc.params.get("reason", exc.render()))))
                continue
            cases.append(case)
            damaged.extend(case.damaged)
        load.save()
        cases.sort(key=lambda c: (c.sent_on, c.created_at), reverse=True)
        return CaseListing(cases, damaged)

    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an id or an unambiguous prefix of one."""
        wanted = id_or_prefix.strip().lower()
        if not wanted or not _ID_CHARS.match(wanted):
            raise InputError("case_id", t("cases.id_invalid", value=echoable(id_or_prefix)))
        ids = self.ids()
        if wanted in ids:
            return wanted
        matches = [i for i in ids if i.startswith(wanted)]
        if not matches:
            raise NotFoundError("cases.not_found", id=echoable(wanted))
        if len(matches) > 1:
            raise UsageError("cases.ambiguous", id=echoable(wanted), matches=", ".join(matches))
        return matches[0]

    def get(self, id_or_prefix: str) -> Case:
        return self.load(self.resolve(id_or_prefix))

    def find_by_draft(self, draft_id: str) -> Case | None:
        for case in self.list().cases:
            if case.draft_id == draft_id:
                return case
        return None

    # ------------------------------------------------------------------ writing

    def create(
        self,
        build: Callable[[str, Path], Case],
        files: dict[str, tuple[str, bytes]],
        first_entry: Callable[[int], TimelineEntry],
    ) -> Case:
        """Make a new case folder, copy `files` (role -> (name, data)) into `draft/`, write the first
        entry, then `case.toml` last: a folder without it is an interrupted creation."""
        ensure_private_dir(self.root, root=self.app_root)
        folder = self._new_folder()
        try:
            names: dict[str, str] = {}
            for role, (name, data) in files.items():
                safe = safe_file_name(name, fallback=role)
                atomic_write(folder / DRAFT_DIR / safe, data, exclusive=True, root=self.app_root)
                names[role] = f"{DRAFT_DIR}/{safe}"
            case = build(folder.name, folder)
            case.draft_files = names
            entry = first_entry(1)
            self._write_entry(folder, entry)
            atomic_write(folder / CASE_FILE, _toml_dumps(case.to_toml()), exclusive=True, root=self.app_root)
        except BaseException:
            self.discard(folder.name)
            raise
        case.timeline = [entry]
        return case

    def discard(self, case_id: str) -> None:
        """Remove a case folder that was just created (used when creating it failed half-way)."""
        import shutil

        shutil.rmtree(self.folder(case_id), ignore_errors=True)

    def _new_folder(self) -> Path:
        for _ in range(100):
            case_id = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
            if any(other.startswith(case_id) or case_id.startswith(other) for other in self.ids()):
                continue  # keep every id usable as its own prefix
            folder = self.root / case_id
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                continue
            except OSError as exc:
                raise StorageError("errors.storage_dir", path=str(folder), reason=exc.strerror or "") from exc
            ensure_private_dir(folder, root=self.app_root)
            return folder
        raise StorageError("errors.storage_dir", path=str(self.root), reason="no free id")

    def _write_entry(self, folder: Path, entry: TimelineEntry) -> None:
        path = folder / TIMELINE_DIR / f"{entry.seq:04d}-{entry.kind}.toml"
        atomic_write(path, _toml_dumps(entry.to_toml()), exclusive=True, root=self.app_root)

    def append(self, case: Case, build: Callable[[int], TimelineEntry]) -> TimelineEntry:
        """Add the entry `build(seq)` with the next free number; an existing entry is never replaced."""
        for _ in range(20):
            seq = max((s for s, _ in self._entry_files(case.folder)), default=0) + 1
            entry = build(seq)
            try:
                self._write_entry(case.folder, entry)
            except StorageError as exc:
                if exc.key == "errors.exists":
                    continue  # someone else took this number meanwhile
                raise
            case.timeline.append(entry)
            return entry
        raise StorageError("errors.storage_write", path=str(case.folder / TIMELINE_DIR), reason="busy")

    def add_attachment(self, case: Case, name: str, data: bytes, *, unchecked: str = "") -> AttachmentRef:
        """Copy `data` into `attachments/` under a safe, unused name (it passed `gate.check_file`, or
        the user looked at what it could not read: `unchecked`)."""
        import hashlib

        base = safe_file_name(name)
        folder = case.folder / ATTACHMENTS_DIR
        for n in range(1, 1000):
            candidate = base if n == 1 else _numbered(base, n)
            if exists(folder / candidate):
                continue
            try:
                atomic_write(folder / candidate, data, exclusive=True, root=self.app_root)
            except StorageError as exc:
                if exc.key == "errors.exists":
                    continue
                raise
            return AttachmentRef(name=candidate, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                 unchecked=unchecked)
        raise StorageError("errors.exists", path=str(folder / base))

    def attachment_path(self, case: Case, ref: AttachmentRef) -> Path:
        return case.folder / ATTACHMENTS_DIR / safe_file_name(ref.name)

    def draft_file(self, case: Case, role: str) -> Path | None:
        rel = case.draft_files.get(role)
        if not rel:
            return None
        path = case.folder / DRAFT_DIR / safe_file_name(rel.rsplit("/", 1)[-1])
        return path if exists(path) else None

"""What every command receives: paths, settings, the chosen language and pack, the terminal."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from supportcli.core.config import Config, load_config
from supportcli.core.i18n import Lang
from supportcli.core.paths import AppPaths
from supportcli.term.terminal import Terminal

if TYPE_CHECKING:
    import typer

    from supportcli.core.pack import Pack


@dataclass
class AppContext:
    paths: AppPaths
    terminal: Terminal
    lang: Lang
    explicit_pack: Path | None = None
    _config: Config | None = field(default=None, repr=False)
    _pack: Pack | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.paths)
        return self._config

    def pack(self) -> Pack:
        """The content pack in use (loaded and validated once)."""
        if self._pack is None:
            from supportcli.core.pack import resolve_pack

            self._pack = resolve_pack(
                str(self.config.get("pack")), self.config.content_paths, self.explicit_pack
            )
        return self._pack

    @staticmethod
    def of(ctx: typer.Context) -> AppContext:
        root = ctx.find_root()
        obj = root.obj
        if not isinstance(obj, AppContext):  # pragma: no cover - main() always sets it
            raise RuntimeError("AppContext missing")
        return obj

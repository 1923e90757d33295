"""What every command receives: paths, the settings of this run, the content pack, the terminal.

The entry point builds one `AppContext`. The settings are resolved once (on first use: `supportcli
config path` must work even when the settings file is broken) into a frozen `Settings` value that
commands pass on to the core; the content pack is loaded once, when a command needs it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from supportcli.core.config import Config, load_config
from supportcli.core.i18n import Lang
from supportcli.core.pack_dirs import PackFolder, pack_folder
from supportcli.core.paths import AppPaths
from supportcli.core.settings import CommandLine, PackChoice, Settings, pack_choice, resolve_settings
from supportcli.term.terminal import Terminal

if TYPE_CHECKING:
    import typer

    from supportcli.core.pack import Pack


@dataclass
class AppContext:
    paths: AppPaths
    terminal: Terminal
    lang: Lang  # resolved first: it decides the language of the help screens too
    line: CommandLine = field(default_factory=CommandLine)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    pack_path: Path | None = None  # --pack PATH
    _config: Config | None = field(default=None, repr=False)
    _settings: Settings | None = field(default=None, repr=False)
    _pack: Pack | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        """The settings file (for `supportcli config`; everything else reads `settings`)."""
        if self._config is None:
            self._config = load_config(self.paths)
        return self._config

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = resolve_settings(
                self.config, self.line, environ=self.terminal.environ, now=self.started, lang=self.lang,
                pack_path=self.pack_path,
            )
        return self._settings

    def use_pack_folder(self, path: Path) -> None:
        """`--pack PATH`: the pack in that folder, for this run (before anything was resolved)."""
        self.pack_path = path
        self._settings = None
        self._pack = None

    @property
    def pack_choice(self) -> PackChoice:
        """Which pack to use (without resolving the other settings)."""
        return self._settings.pack if self._settings is not None else pack_choice(self.config, self.pack_path)

    def pack(self) -> Pack:
        """The content pack in use (loaded and validated once)."""
        if self._pack is None:
            from supportcli.core.pack import resolve_pack

            choice = self.pack_choice
            self._pack = resolve_pack(choice.name, list(choice.content_paths), choice.path)
        return self._pack

    def pack_or_folder(self) -> Pack | PackFolder:
        """The pack in use if it was loaded, else its folder when it can be found without reading any pack
        (for what is served from a cache keyed by the pack's files, which loads the pack only on a miss),
        else the pack, loaded."""
        if self._pack is not None:
            return self._pack
        choice = self.pack_choice
        if choice.path is not None:
            if (choice.path / "pack.toml").is_file():
                return PackFolder(choice.path, builtin=False)
        else:
            found = pack_folder(choice.name, list(choice.content_paths))
            if found is not None:
                return found
        return self.pack()

    def with_terminal(self, terminal: Terminal) -> AppContext:
        """The same run, talking through another terminal (e.g. prompts on stderr beside --json)."""
        return replace(self, terminal=terminal)

    @staticmethod
    def of(ctx: typer.Context) -> AppContext:
        root = ctx.find_root()
        obj = root.obj
        if not isinstance(obj, AppContext):  # pragma: no cover - main() always sets it
            raise RuntimeError("AppContext missing")
        return obj

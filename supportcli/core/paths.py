"""Every path the program uses, in one place, built on platformdirs.

Tests point these elsewhere with the XDG_* variables (platformdirs honours them on Linux) or by
constructing `AppPaths` directly. `SUPPORTCLI_CONFIG` names another settings file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "supportcli"
ENV_CONFIG = "SUPPORTCLI_CONFIG"  # the path of the settings file, instead of config_dir/config.toml

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def expand_user(path: Path | str) -> Path:
    """`~` and `~user` expanded as the shell does; a `~name` with no such user is kept as typed (the
    file is then simply not found), never a RuntimeError."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def content_root() -> Path:
    """The folder holding the shipped content: inside the wheel, or the source checkout's `content/`."""
    installed = _PACKAGE_DIR / "_content"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "content"


def messages_dir() -> Path:
    return content_root() / "messages"


def builtin_packs_dir() -> Path:
    return content_root()


def cache_root() -> Path:
    """The user cache folder: only what can be derived again (word indexes, parsed content files)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    state_dir: Path
    config_override: Path | None = None  # SUPPORTCLI_CONFIG

    @classmethod
    def default(cls, environ: Mapping[str, str] | None = None) -> AppPaths:
        import platformdirs

        env = os.environ if environ is None else environ
        override = env.get(ENV_CONFIG, "").strip()
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
            config_override=expand_user(override) if override else None,
        )

    @property
    def config_file(self) -> Path:
        return self.config_override or self.config_dir / "config.toml"

    @property
    def drafts_dir(self) -> Path:
        return self.data_dir / "drafts"

    @property
    def cases_dir(self) -> Path:
        return self.data_dir / "cases"

    @property
    def sessions_dir(self) -> Path:
        """Saved answers of interrupted troubleshooting sessions (for --resume): state, not data."""
        return self.state_dir / "sessions"

    @property
    def old_sessions_dir(self) -> Path:
        """Where earlier versions saved them (the data dir): still read, so no interrupted session is lost."""
        return self.data_dir / "sessions"

    @property
    def index_dir(self) -> Path:
        """The persistent FAQ index of imported help-center articles."""
        return self.data_dir / "index"

    @property
    def records_dir(self) -> Path:
        """The user's imported Reports exports (trades, ledgers, movements, orders, logins)."""
        return self.data_dir / "records"

    @property
    def records_db(self) -> Path:
        return self.records_dir / "records.sqlite3"

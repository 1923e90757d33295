"""Every path the program uses, in one place, built on platformdirs.

Tests point these elsewhere with the XDG_* variables (platformdirs honours them on Linux) or by
constructing `AppPaths` directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_NAME = "supportcli"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


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


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def drafts_dir(self) -> Path:
        return self.data_dir / "drafts"

    @property
    def cases_dir(self) -> Path:
        return self.data_dir / "cases"

    @property
    def sessions_dir(self) -> Path:
        """Saved answers of interrupted troubleshooting sessions (for --resume)."""
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

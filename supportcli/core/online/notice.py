"""The privacy notice shown the first time supportcli goes online, remembered in the data folder."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

NOTICE_FILE = "online-notice-shown"


def notice_due(data_dir: Path) -> bool:
    return not (data_dir / NOTICE_FILE).exists()


def remember_notice(data_dir: Path, now: dt.datetime) -> None:
    """Best effort: a read-only data folder shows the notice again next time, nothing worse."""
    from supportcli.core.errors import StorageError
    from supportcli.core.storage import atomic_write

    with contextlib.suppress(StorageError):
        atomic_write(data_dir / NOTICE_FILE, now.isoformat(timespec="seconds") + "\n")

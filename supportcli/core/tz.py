"""The system's time zone as an IANA name, and checks for names the user gives."""

from __future__ import annotations

import os
from pathlib import Path


def is_valid_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def system_timezone_name() -> str:
    """Best guess at the system zone: $TZ, /etc/localtime's link target, /etc/timezone; else UTC."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and is_valid_zone(tz):
        return tz
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
        marker = "zoneinfo/"
        if marker in target:
            name = target.split(marker, 1)[1]
            if is_valid_zone(name):
                return name
    except OSError:
        pass
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if is_valid_zone(name):
            return name
    except OSError:
        pass
    return "UTC"

"""Time zones: the system's zone as an IANA name, checks for names the user gives, and how a zone,
its UTC offset and a moment in it are written for the user."""

from __future__ import annotations

import datetime as dt
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


def zone_info(name: str) -> dt.tzinfo:
    """The zone `name`; UTC when there is no such zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def format_offset(offset: dt.timedelta | None) -> str:
    """`UTC+08:00`, `UTC-03:30`, `UTC+00:00`."""
    total = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone_label(zone: str) -> str:
    """How a zone is named to the user: "UTC" for its aliases (Etc/UTC, Zulu …), else the IANA name."""
    return "UTC" if zone.upper().removeprefix("ETC/") in ("UTC", "UCT", "GMT", "ZULU", "UNIVERSAL") else zone


def format_moment(aware: dt.datetime, zone: str) -> str:
    """`2026-11-20 14:05 Asia/Shanghai (UTC+08:00) = 2026-11-20 06:05 UTC`."""
    local = aware.astimezone(zone_info(zone))
    utc = aware.astimezone(dt.UTC)
    if not local.utcoffset() and zone_label(zone) == "UTC":
        return f"{utc:%Y-%m-%d %H:%M} UTC"
    return (
        f"{local:%Y-%m-%d %H:%M} {zone} ({format_offset(local.utcoffset())}) = {utc:%Y-%m-%d %H:%M} UTC"
    )


def today_in(zone: str, now: dt.datetime) -> dt.date:
    """The calendar day `now` falls on in `zone` (UTC when there is no such zone)."""
    return now.astimezone(zone_info(zone)).date()

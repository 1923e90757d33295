"""Times in drafts: date-time answers read back, and written in UTC and in the user's zone."""

from __future__ import annotations

import datetime as dt
import re

from supportcli.core.flows.model import AnswerValue

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_only(value: AnswerValue) -> dt.date | None:
    """The day of a date-time answer given as a date alone (`2026-11-16`: "a date alone is fine")."""
    if not isinstance(value, str) or not _DATE_ONLY.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_when(value: AnswerValue) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _clock(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")


def _offset(moment: dt.datetime) -> str:
    delta = moment.utcoffset() or dt.timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_utc(moment: dt.datetime) -> str:
    return f"{_clock(moment.astimezone(dt.UTC))} UTC"


def local_offset(moment: dt.datetime, timezone: str) -> dt.timedelta:
    from zoneinfo import ZoneInfo

    try:
        return moment.astimezone(ZoneInfo(timezone)).utcoffset() or dt.timedelta(0)
    except (ValueError, OSError, KeyError):
        return moment.utcoffset() or dt.timedelta(0)


def format_local(moment: dt.datetime, timezone: str) -> str:
    from zoneinfo import ZoneInfo

    try:
        local = moment.astimezone(ZoneInfo(timezone))
        zone = timezone
    except (ValueError, OSError, KeyError):
        local, zone = moment, ""
    label = f"{zone}, {_offset(local)}" if zone else _offset(local)
    return f"{_clock(local)} ({label})"


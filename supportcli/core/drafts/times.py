"""Times in drafts: date-time answers read back, and written in UTC and in the user's zone."""

from __future__ import annotations

import datetime as dt
import re

from supportcli.core.flows.model import AnswerValue
from supportcli.core.tz import format_offset, is_valid_zone, zone_info

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


def format_utc(moment: dt.datetime) -> str:
    return f"{_clock(moment.astimezone(dt.UTC))} UTC"


def _in_zone(moment: dt.datetime, timezone: str) -> tuple[dt.datetime, str]:
    """`moment` in `timezone` and the zone's name; as given, unnamed, when there is no such zone."""
    if is_valid_zone(timezone):
        return moment.astimezone(zone_info(timezone)), timezone
    return moment, ""


def local_offset(moment: dt.datetime, timezone: str) -> dt.timedelta:
    return _in_zone(moment, timezone)[0].utcoffset() or dt.timedelta(0)


def format_local(moment: dt.datetime, timezone: str) -> str:
    local, zone = _in_zone(moment, timezone)
    offset = format_offset(local.utcoffset())
    label = f"{zone}, {offset}" if zone else offset
    return f"{_clock(local)} ({label})"


"""The dates in an export: the six formats, and the moment each cell means.

The Reports tool writes `<format> HH:mm:ss` (plus `.SSS` with milliseconds) in the zone chosen in
its settings, and writes neither the format nor the zone into the file (which format a file uses
is worked out in `inference`).

A spreadsheet may have saved the file again with `/` or `.` between the fields or without the
seconds; those are read too. A cell ending in `UTC` (as `records` writes its own small CSVs)
carries its zone and is read as UTC whatever zone the file is read in.
"""

from __future__ import annotations

import datetime as dt
import re

FORMATS = ("DD-MM-YY", "DD-MM-YYYY", "MM-DD-YY", "MM-DD-YYYY", "YY-MM-DD", "YYYY-MM-DD")
UI_DEFAULT = "DD-MM-YY"  # what the Reports web tool starts with
MAX_CACHE = 50_000

_CELL = re.compile(
    r"\s*(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?"
    r"\s*(UTC|Z)?\s*"
)


class DateError(ValueError):
    """A cell that is not a date in the file's format; `reason` is a message key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalize_format(text: str) -> str | None:
    """`dd-mm-yy`, `DD/MM/YY`, `yyyy.mm.dd` → the format's name; None when it is not one of the six."""
    name = re.sub(r"[/.\s]", "-", text.strip().upper())
    return name if name in FORMATS else None


def date_fields(value: str) -> tuple[int, int, int, int, int] | None:
    """(first, second, third, digits of the first, digits of the third) of the date part."""
    m = _CELL.fullmatch(value)
    if m is None:
        return None
    a, b, c = m.group(1), m.group(3), m.group(4)
    return int(a), int(b), int(c), len(a), len(c)


def year_month_day(fmt: str, a: int, b: int, c: int, la: int, lc: int) -> tuple[int, int, int] | None:
    """Year, month, day for `fmt`, or None when the digits cannot be written in that format."""
    if fmt == "YYYY-MM-DD":
        return (a, b, c) if la == 4 and lc <= 2 else None
    if fmt.endswith("YYYY"):
        if la > 2 or lc != 4:
            return None
        return (c, b, a) if fmt.startswith("DD") else (c, a, b)
    if la > 2 or lc > 2:
        return None
    if fmt == "YY-MM-DD":
        return 2000 + a, b, c
    return (2000 + c, b, a) if fmt.startswith("DD") else (2000 + c, a, b)


def read_date(value: str, fmt: str) -> dt.date | None:
    """The calendar day `value` means in `fmt`, or None when it cannot mean one."""
    parts = date_fields(value)
    if parts is None:
        return None
    ymd = year_month_day(fmt, *parts)
    if ymd is None:
        return None
    try:
        return dt.date(*ymd)
    except ValueError:
        return None


class DateReader:
    """Turns cells written in one format and zone into UTC milliseconds since the epoch.

    The UTC instant of each local hour is worked out once and cached; an hour in which the zone's
    offset changes is worked out per cell. A local time that does not exist in the zone (inside
    the hour skipped when clocks go forward) cannot have been written by the Reports tool in that
    zone: it is refused, which usually means the zone given is not the one of the export. A time
    in the repeated hour when clocks go back is read as its first occurrence.
    """

    def __init__(self, fmt: str, zone: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(fmt)
        self.fmt = fmt
        self.zone_name = zone
        from zoneinfo import ZoneInfo

        self.zone: dt.tzinfo = dt.UTC if zone in ("UTC", "Etc/UTC") else ZoneInfo(zone)
        self._hours: dict[tuple[int, int, int, int], int | None] = {}

    def _hour_start(self, y: int, mo: int, d: int, h: int) -> int | None:
        """Epoch seconds of local y-mo-d h:00 when the whole hour has one offset; None otherwise."""
        key = (y, mo, d, h)
        if key in self._hours:
            return self._hours[key]
        if len(self._hours) >= MAX_CACHE:
            self._hours.clear()
        start = dt.datetime(y, mo, d, h, tzinfo=self.zone)
        end = start.replace(minute=59, second=59)
        value: int | None = None
        if start.utcoffset() == end.utcoffset() and _exists(start):
            value = int(start.timestamp())
        self._hours[key] = value
        return value

    def read(self, value: str) -> int:
        """UTC milliseconds; DateError("records.row.bad_date" / "records.row.no_such_time") otherwise."""
        m = _CELL.fullmatch(value)
        if m is None:
            raise DateError("records.row.bad_date")
        a, b, c = m.group(1), m.group(3), m.group(4)
        ymd = year_month_day(self.fmt, int(a), int(b), int(c), len(a), len(c))
        if ymd is None:
            raise DateError("records.row.bad_date")
        hour = int(m.group(5) or 0)
        minute = int(m.group(6) or 0)
        second = int(m.group(7) or 0)
        fraction = m.group(8) or ""
        millis = int((fraction + "000")[:3]) if fraction else 0
        y, mo, d = ymd
        try:
            if hour > 23 or minute > 59 or second > 59:
                raise ValueError
            dt.date(y, mo, d)
        except ValueError:
            raise DateError("records.row.bad_date") from None
        if m.group(9) is not None:  # written in UTC, whatever zone the file is read in
            base = int(dt.datetime(y, mo, d, hour, tzinfo=dt.UTC).timestamp())
        else:
            start = self._hour_start(y, mo, d, hour)
            if start is None:
                local = dt.datetime(y, mo, d, hour, minute, second, tzinfo=self.zone)
                if not _exists(local):
                    raise DateError("records.row.no_such_time")
                return int(local.timestamp()) * 1000 + millis
            base = start
        return (base + minute * 60 + second) * 1000 + millis


def _exists(aware: dt.datetime) -> bool:
    back = aware.astimezone(dt.UTC).astimezone(aware.tzinfo)
    return back.replace(tzinfo=None) == aware.replace(tzinfo=None)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def to_datetime(millis: int) -> dt.datetime:
    """The aware UTC datetime of `millis` (exact: no float on the way)."""
    return _EPOCH + dt.timedelta(milliseconds=millis)


def utc_text(millis: int) -> str:
    """`2023-11-14 22:13:20 UTC` (with `.123` when the export had milliseconds)."""
    moment = to_datetime(millis)
    text = f"{moment:%Y-%m-%d %H:%M:%S}"
    if millis % 1000:
        text += f".{millis % 1000:03d}"
    return text + " UTC"


def utc_iso(millis: int) -> str:
    """ISO 8601 with the offset: `2023-11-14T22:13:20+00:00`."""
    moment = to_datetime(millis)
    return moment.isoformat(timespec="milliseconds" if millis % 1000 else "seconds")

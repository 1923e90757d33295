"""Dates and times as people write them (`2026-11-20 14:05`, `昨天 15:30`, `yesterday 3pm`), in a zone."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

from supportcli.core.flows.fields.base import (
    FUTURE_TOLERANCE,
    FieldContext,
    NeedsClarification,
    Option,
    Parsed,
    one_line,
    reject,
)
from supportcli.core.i18n import t
from supportcli.core.tz import format_moment, format_offset, is_valid_zone, zone_info, zone_label

_DATE = r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<mo>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*[日号]?"
# Dates without a year: 11/20, 11-20, 11月20日 (month first; 20/11 is read as day/month), 20 Nov, Nov 20.
_DATE_NO_YEAR = r"(?P<mo>\d{1,2})\s*(?P<sep>[-/]|月)\s*(?P<d>\d{1,2})\s*[日号]?"
_DATE_DAY_NAME = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*(?P<mon>[A-Za-z]{3,9})\.?,?(?:\s*(?P<y>\d{4})\b)?,?"
_DATE_NAME_DAY = r"(?P<mon>[A-Za-z]{3,9})\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?\b,?(?:\s*(?P<y>\d{4})\b)?,?"
_TIME = (
    r"(?P<ampm_zh>上午|早上|凌晨|中午|下午|晚上)?\s*(?P<h>\d{1,2})\s*(?:[:：点时]\s*(?:(?P<mi>\d{1,2})|(?P<half>半))?\s*分?"
    r"(?:\s*[:：]\s*(?P<s>\d{1,2})(?:\.\d+)?\s*秒?)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
)
# Named zones are checked later: an unknown abbreviation (CST can mean China or Central US) is refused
# with its own reason, not mistaken for a badly written time.
_ZONE = (
    r"(?P<zone>Z|UTC|GMT|北京时间|[+-]\d{1,2}(?::?\d{2})?|(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?"
    r"|[A-Za-z]+/[A-Za-z_/+-]+|[A-Za-z]{3,5})?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)


@functools.cache
def _datetime_patterns() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """The absolute and relative date-time grammars (compiled on first use: start-up stays quick)."""
    absolute = tuple(
        re.compile(rf"^{date}(?:(?:\s*[T ]\s*|\s*)(?:at\s+)?(?:{_TIME}))?\s*{_ZONE}$", re.IGNORECASE)
        for date in (_DATE, _DATE_NO_YEAR, _DATE_DAY_NAME, _DATE_NAME_DAY)
    )
    relative = re.compile(
        rf"^(?P<rel>today|yesterday|今天|今日|昨天|昨日|前天|今早|今晚|昨晚|前晚)\s*(?:at\s*)?(?:{_TIME})?\s*{_ZONE}$",
        re.IGNORECASE,
    )
    return absolute, relative


_RELATIVE_DAYS = {
    "today": 0, "yesterday": 1, "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "今早": 0, "今晚": 0,
    "昨晚": 1, "前晚": 2,
}
# "昨晚 9 点" is nine in the evening; "今早 8 点" eight in the morning.
_RELATIVE_PART_OF_DAY = {"今早": "早上", "今晚": "晚上", "昨晚": "晚上", "前晚": "晚上"}


def _month_number(name: str | None) -> int | None:
    """1–12 for an English month name or abbreviation (Nov, Sept, November), else None."""
    if name is None:
        return None
    lowered = name.lower()
    for number, full in enumerate(_MONTH_NAMES, start=1):
        if (len(lowered) >= 3 and full.startswith(lowered)) or (lowered == "sept" and number == 9):
            return number
    return None


def _match_date(text: str) -> re.Match[str] | None:
    absolute, _ = _datetime_patterns()
    for pattern in absolute:
        match = pattern.match(text)
        if match is None:
            continue
        if "mon" in pattern.groupindex and _month_number(match.group("mon")) is None:
            continue
        return match
    return None


def _day_without_year(month: int, day: int, today: dt.date) -> dt.date:
    """This year's date, or last year's when this year's has not come yet (11/20 said in January)."""
    candidate = dt.date(today.year, month, day)
    return candidate if candidate <= today else dt.date(today.year - 1, month, day)


def _absolute_day(field_name: str, m: re.Match[str], today: dt.date, example: str) -> dt.date:
    groups = m.re.groupindex
    year = int(m.group("y")) if "y" in groups and m.group("y") else None
    if "mon" in groups:
        month = _month_number(m.group("mon")) or 0
        day = int(m.group("d"))
    else:
        month, day = int(m.group("mo")), int(m.group("d"))
        if "sep" in groups and m.group("sep") != "月":
            if month > 12 >= day:
                month, day = day, month  # 20/11: day first
            elif day <= 12 and month != day:
                first = f"{today.year}-{month:02d}-{day:02d}"
                second = f"{today.year}-{day:02d}-{month:02d}"
                typed = f"{m.group('mo')}{m.group('sep')}{m.group('d')}"
                raise reject(field_name, "datetime_day_month", example, value=typed, first=first, second=second)
    try:
        if year is None:
            return _day_without_year(month, day, today)
        return dt.date(year, month, day)
    except ValueError as exc:
        raise reject(field_name, "datetime_invalid", example) from exc


def _explicit_zone(field_name: str, raw: str, example: str) -> tuple[dt.tzinfo, str]:
    text = raw.upper()
    if text in ("Z", "UTC", "GMT"):
        return dt.UTC, "UTC"
    if raw == "北京时间":
        return zone_info("Asia/Shanghai"), "Asia/Shanghai"
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise reject(field_name, "datetime_zone", example)
        offset = dt.timedelta(hours=hours, minutes=minutes) * sign
        return dt.timezone(offset), format_offset(offset)
    if is_valid_zone(raw):
        return zone_info(raw), raw
    raise reject(field_name, "datetime_zone", example)


def _hour_from(
    match: re.Match[str], field_name: str, example: str, part_of_day: str = ""
) -> tuple[int, int, int]:
    if match.group("h") is None:
        raise reject(field_name, "datetime_time_missing", example)
    hour = int(match.group("h"))
    minute = 30 if match.group("half") else int(match.group("mi") or 0)
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    # A part of day implied by the word for the day ("昨晚") does not apply to a 24-hour time ("昨晚 21:00").
    zh = match.group("ampm_zh") or ("" if ampm or hour > 12 else part_of_day)
    if ampm or zh in ("下午", "晚上", "中午"):
        if hour > 12 or (hour == 0 and ampm):
            raise reject(field_name, "datetime_invalid", example)
        if ampm == "pm" or zh in ("下午", "晚上") or (zh == "中午" and hour < 11):
            hour = hour % 12 + 12
        elif ampm == "am" and hour == 12:
            hour = 0
    elif zh in ("凌晨",) and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise reject(field_name, "datetime_invalid", example)
    return hour, minute, second


def _local_candidates(naive: dt.datetime, zone: dt.tzinfo) -> list[dt.datetime]:
    """The distinct real instants a local wall time can mean: one normally, two at a DST change."""
    out: list[dt.datetime] = []
    for fold in (0, 1):
        aware = naive.replace(tzinfo=zone, fold=fold)
        if all(aware.utcoffset() != other.utcoffset() for other in out):
            out.append(aware)
    return out


def _exists(aware: dt.datetime) -> bool:
    back = aware.astimezone(dt.UTC).astimezone(aware.tzinfo)
    return back.replace(tzinfo=None) == aware.replace(tzinfo=None)


def _store(aware: dt.datetime) -> str:
    return aware.isoformat(timespec="seconds" if aware.second else "minutes")


def _typed_text(field_name: str, value: Any, example: str) -> str:
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = unicodedata.normalize("NFKC", one_line(field_name, value, example)).strip()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*\(([^()]+)\)$", r" \1", text)  # "14:05 (UTC+8)", "14:05（北京时间）"


def _read_date(
    field_name: str, text: str, today: dt.date, example: str, reason: str,
) -> tuple[dt.date, re.Match[str], str]:
    """The day `text` names (absolute or relative to `today`), its match, and the part of the day a
    relative word implies ("昨晚": evening). `reason` is the refusal when it names no day."""
    _, relative_pattern = _datetime_patterns()
    match = _match_date(text)
    relative = None if match else relative_pattern.match(text)
    if relative is not None:
        rel = relative.group("rel").lower()
        return today - dt.timedelta(days=_RELATIVE_DAYS[rel]), relative, _RELATIVE_PART_OF_DAY.get(rel, "")
    if match is None:
        raise reject(field_name, reason, example, value=text)
    return _absolute_day(field_name, match, today, example), match, ""


def read_day(field_name: str, value: Any, today: dt.date) -> dt.date:
    """A calendar day, read as the date-time questions read one, without the time: 2026-11-20, 11/20,
    20 Nov, 2026年11月20日, today, yesterday, 昨天, 前天 … (a time, if given, is ignored). Never one
    still to come, never before any exchange existed. The one reader of days: `cases log --date` and
    `drafts mark-sent --sent-on` use it too."""
    example = "2026-11-20"
    day, _, _ = _read_date(field_name, _typed_text(field_name, value, example), today, example, "day")
    if day > today:
        raise reject(field_name, "day_future", example, value=day.isoformat(), today=today.isoformat())
    if day.year < 2009:
        raise reject(field_name, "datetime_old", example)
    return day


def parse_datetime(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "2026-11-20 14:05"
    text = _typed_text(field_name, value, example)
    zone_name = ctx.zone
    local_zone = zone_info(zone_name)
    now_local = ctx.now.astimezone(local_zone)

    now_said = f"{now_local:%Y-%m-%d %H:%M} {zone_label(zone_name)}"
    day, m, part_of_day = _read_date(field_name, text, now_local.date(), example, "datetime")
    if m.group("h") is None:
        if ctx.allow_date and not m.group("zone"):
            if day > now_local.date():
                raise reject(field_name, "datetime_future", example, now=now_said)
            if day.year < 2009:
                raise reject(field_name, "datetime_old", example)
            return Parsed(day.isoformat())
        raise reject(field_name, "datetime_time_missing", example)
    hour, minute, second = _hour_from(m, field_name, example, part_of_day)
    naive = dt.datetime.combine(day, dt.time(hour, minute, second))

    said_zone = ""
    if m.group("zone"):
        tz, said_zone = _explicit_zone(field_name, m.group("zone"), example)
    else:
        tz = local_zone
    candidates = _local_candidates(naive, tz)
    if len(candidates) > 1:
        gap = not _exists(candidates[0])
        options = [
            Option(
                value=_store(c.astimezone(dt.timezone(c.utcoffset() or dt.timedelta()))),
                label=t(
                    "fields.dst_option", offset=format_offset(c.utcoffset()),
                    utc=f"{c.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
                ),
            )
            for c in candidates
        ]
        reason = t("fields.why.datetime_gap" if gap else "fields.why.datetime_ambiguous",
                   time=f"{naive:%Y-%m-%d %H:%M}", zone=said_zone or zone_name)
        raise NeedsClarification(field_name, reason, options, example)
    aware = candidates[0]
    if aware > ctx.now + FUTURE_TOLERANCE:
        raise reject(field_name, "datetime_future", example, now=now_said)
    if aware.year < 2009:
        raise reject(field_name, "datetime_old", example)
    if m.group("zone"):
        stored = _store(aware if isinstance(tz, dt.timezone) else aware.astimezone(
            dt.timezone(aware.utcoffset() or dt.timedelta())))
        moment = format_moment(aware, zone_name)
        # The time as typed, then in the user's zone and UTC; once is enough when they are the same.
        if said_zone not in ("UTC", zone_name) and aware.utcoffset() != aware.astimezone(local_zone).utcoffset():
            moment = f"{aware:%Y-%m-%d %H:%M} {said_zone} = {moment}"
        said = t("fields.said_back.datetime_zone", moment=moment)
    else:
        stored = _store(aware.astimezone(dt.timezone(aware.utcoffset() or dt.timedelta())))
        said = t("fields.said_back.datetime_local", zone=zone_label(zone_name),
                 moment=format_moment(aware, zone_name))
    return Parsed(stored, said)

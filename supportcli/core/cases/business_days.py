"""Business-day arithmetic for reply windows: Saturdays and Sundays are skipped, nothing else.

Public holidays differ by country and by the support team's location, which we do not know, so
they are not skipped; the window is a plain Monday-to-Friday count.
"""

from __future__ import annotations

import datetime as dt

_SATURDAY = 5


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < _SATURDAY


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days after `start` (start itself is not counted).

    Sent on Friday 2026-11-20 with a 5-day window: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27 -> 2026-11-27.
    Sent on a Saturday or Sunday, counting starts on the Monday. `days` of 0 gives `start`.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while not is_business_day(current) and days:  # a weekend start: counting starts on the Monday
        current += dt.timedelta(days=1)
        if is_business_day(current):
            days -= 1
    weeks, remaining = divmod(days, 5)
    current += dt.timedelta(weeks=weeks)  # five business days are one week, whatever the start
    while remaining:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -business_days_between(end, start)
    total_days = (end - start).days
    weeks, extra = divmod(total_days, 7)
    count = weeks * 5
    day = start + dt.timedelta(weeks=weeks)
    for _ in range(extra):
        day += dt.timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count

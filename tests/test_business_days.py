from __future__ import annotations

import datetime as dt

import pytest

from supportcli.core.cases.business_days import add_business_days, business_days_between, is_business_day

D = dt.date


def test_friday_plus_five_is_next_friday() -> None:
    # The example: sent Friday 2026-11-20, a 5-business-day window ends Friday 2026-11-27.
    assert add_business_days(D(2026, 11, 20), 5) == D(2026, 11, 27)


@pytest.mark.parametrize(("start", "days", "due"), [
    (D(2026, 11, 23), 5, D(2026, 11, 30)),  # Monday -> next Monday (across a weekend and a month end)
    (D(2026, 11, 26), 2, D(2026, 11, 30)),  # Thursday + 2 -> Friday, skip Sat/Sun -> Monday 30th
    (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday + 1 -> Monday
    (D(2026, 11, 28), 1, D(2026, 11, 30)),  # sent on a Saturday: Monday is the first business day
    (D(2026, 11, 29), 5, D(2026, 12, 4)),  # sent on a Sunday: Mon..Fri of the next week
    (D(2026, 12, 30), 3, D(2027, 1, 4)),  # across a year end: Thu 31, Fri 1, Mon 4
    (D(2028, 2, 25), 3, D(2028, 3, 1)),  # across a leap-year February: Mon 28, Tue 29, Wed 1 March
    (D(2026, 1, 30), 1, D(2026, 2, 2)),  # Friday 30 January -> Monday 2 February
    (D(2026, 11, 20), 0, D(2026, 11, 20)),
    (D(2026, 11, 20), 10, D(2026, 12, 4)),
])
def test_add_business_days(start: dt.date, days: int, due: dt.date) -> None:
    assert add_business_days(start, days) == due
    assert is_business_day(due) or days == 0


def test_add_business_days_agrees_with_counting_every_day() -> None:
    start = D(2026, 1, 1)
    for offset in range(0, 400):
        day = start + dt.timedelta(days=offset)
        for n in range(0, 12):
            due = add_business_days(day, n)
            counted = sum(
                1 for k in range(1, (due - day).days + 1) if (day + dt.timedelta(days=k)).weekday() < 5
            )
            assert counted == n, (day, n, due)
            assert business_days_between(day, due) == n
            assert business_days_between(due, day) == -n


def test_negative_window_is_refused() -> None:
    with pytest.raises(ValueError):
        add_business_days(D(2026, 11, 20), -1)


def test_weekend_days_are_not_business_days() -> None:
    assert [is_business_day(D(2026, 11, d)) for d in range(23, 30)] == [True] * 5 + [False] * 2

"""Closing and reopening a case (a new timeline entry each time: the timeline is append-only)."""

from __future__ import annotations

import datetime as dt

from supportcli.core.cases.inputs import clean_summary, now_utc
from supportcli.core.cases.model import Case, TimelineEntry
from supportcli.core.cases.store import CaseStore
from supportcli.core.errors import UsageError
from supportcli.core.gate import guard_text
from supportcli.core.paths import AppPaths


def close_case(paths: AppPaths, case_id: str, resolution: str = "", *, today: dt.date) -> Case:
    return _change_status(paths, case_id, "closed", resolution, "resolution", today)


def reopen_case(paths: AppPaths, case_id: str, reason: str = "", *, today: dt.date) -> Case:
    return _change_status(paths, case_id, "reopened", reason, "reason", today)


def _change_status(
    paths: AppPaths, case_id: str, kind: str, text: str, field: str, today: dt.date
) -> Case:
    """Close or reopen a case with a new timeline entry (the timeline is append-only)."""
    store = CaseStore(paths)
    case = store.get(case_id)
    if kind == "closed" and case.status == "closed":
        raise UsageError("cases.already_closed", id=case.id)
    if kind == "reopened" and case.status != "closed":
        raise UsageError("cases.not_closed", id=case.id)
    summary = clean_summary(text, field)
    guard_text(field, summary)
    on = today
    recorded = now_utc()
    store.append(case, lambda seq: TimelineEntry(
        seq=seq, kind=kind, on=on, channel=case.channel, recorded_at=recorded, summary=summary,
    ))
    return case

"""Logging what happened on a case (`cases log`): a reply, a call, a chat, a follow-up, a note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supportcli.core.cases.guarding import guard_text
from supportcli.core.cases.inputs import (
    clean_pasted,
    clean_summary,
    now_utc,
    parse_choice,
    parse_day,
    parse_ticket_number,
)
from supportcli.core.cases.model import LOG_CHANNELS, LOG_KINDS, TimelineEntry
from supportcli.core.cases.store import CaseStore
from supportcli.core.errors import InputError
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths


@dataclass(frozen=True)
class LogRequest:
    """What `cases log` records. Text fields are raw: they are cleaned and guarded here."""

    kind: str = ""  # default: reply (a correction: the corrected entry's kind)
    channel: str = ""  # default: the channel the request was sent through (a correction: the corrected entry's)
    on: str = ""  # default: today (a correction: the corrected entry's day)
    summary: str = ""
    text: str = ""
    corrects: int | None = None
    ticket_number: str | None = None
    confirmed: bool = False  # the user said a value the guard was unsure about is not a secret


def log_entry(paths: AppPaths, case_id: str, request: LogRequest, *, today: dt.date) -> TimelineEntry:
    store = CaseStore(paths)
    case = store.get(case_id)
    corrected = next((e for e in case.timeline if e.seq == request.corrects), None)
    if request.corrects is not None and corrected is None:
        raise InputError("corrects", t("cases.input.no_such_entry", seq=request.corrects))
    if request.kind:
        kind = parse_choice(request.kind, "kind", LOG_KINDS)
    else:
        kind = corrected.kind if corrected is not None and corrected.kind in LOG_KINDS else "reply"
    if request.channel:
        channel = parse_choice(request.channel, "channel", LOG_CHANNELS)
    else:
        channel = corrected.channel if corrected is not None and corrected.channel else case.channel
    if request.on:
        on = parse_day(request.on, "date", today, not_before=case.sent_on)
    else:
        on = corrected.on if corrected is not None else today
    summary = clean_summary(request.summary)
    text = clean_pasted(request.text)
    if not summary and not text:
        raise InputError("summary", t("cases.input.summary_or_text"))
    guard_text("summary", summary, field_type="text", confirmed=request.confirmed)
    guard_text("text", text, field_type="multiline", confirmed=request.confirmed)
    number = parse_ticket_number(request.ticket_number)
    recorded = now_utc()
    return store.append(case, lambda seq: TimelineEntry(
        seq=seq, kind=kind, on=on, channel=channel, recorded_at=recorded, summary=summary, text=text,
        corrects=request.corrects, ticket_number=number,
    ))

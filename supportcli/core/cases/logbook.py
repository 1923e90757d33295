"""Logging what happened on a case (`cases log`): a reply, a call, a chat, a follow-up, a note.

`ask_log_request` asks what to log through the one ask-until-valid loop (the flows' loop: the guard
first, a typo offered back, a refused secret never), from a person or from an answers file
(`cases log ID --answers FILE.toml`, keys `LOG_ANSWER_KEYS`); `log_entry` writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from supportcli.core.cases.inputs import (
    clean_pasted,
    clean_summary,
    now_utc,
    parse_choice,
    parse_day,
    parse_ticket_number,
)
from supportcli.core.cases.model import LOG_CHANNELS, LOG_KINDS, Case, TimelineEntry
from supportcli.core.cases.store import CaseStore
from supportcli.core.errors import InputError
from supportcli.core.flows.fields import Parsed
from supportcli.core.flows.model import AnswerValue
from supportcli.core.gate import guard_text
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths
from supportcli.core.prompting.asking import Asker
from supportcli.core.prompting.protocol import Back, Question

# What an answers file for `cases log` may hold: the questions, and what only options otherwise give.
ASKED_KEYS = ("kind", "channel", "date", "summary", "text")
LOG_ANSWER_KEYS = (*ASKED_KEYS, "ticket_number", "corrects")


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


@dataclass(frozen=True)
class _Asked:
    question: Question
    read: Callable[[Any], Parsed]


def _questions(case: Case, today: dt.date, corrected: TimelineEntry | None) -> list[_Asked]:
    """The questions of `cases log`, with the defaults a correction takes from the entry it corrects."""
    kind = corrected.kind if corrected is not None and corrected.kind in LOG_KINDS else "reply"
    channel = corrected.channel if corrected is not None and corrected.channel else case.channel
    day = corrected.on if corrected is not None else today

    def text(raw: Any) -> str:
        return raw if isinstance(raw, str) else str(raw)

    return [
        _Asked(Question("kind", "choice", t("cases.ask.kind"), default=kind,
                        choices=tuple((k, t(f"cases.kind.{k}")) for k in LOG_KINDS)),
               lambda raw: Parsed(parse_choice(text(raw), "kind", LOG_KINDS))),
        _Asked(Question("channel", "choice", t("cases.ask.channel"), default=channel,
                        choices=tuple((c, t(f"cases.channel.{c}")) for c in LOG_CHANNELS)),
               lambda raw: Parsed(parse_choice(text(raw), "channel", LOG_CHANNELS))),
        _Asked(Question("date", "datetime", t("cases.ask.date"), example="2026-11-24", default=day.isoformat()),
               lambda raw: Parsed(parse_day(text(raw), "date", today, not_before=case.sent_on).isoformat())),
        _Asked(Question("summary", "text", t("cases.ask.summary"), required=False),
               lambda raw: Parsed(clean_summary(text(raw)))),
        _Asked(Question("text", "multiline", t("cases.ask.text"), required=False),
               lambda raw: Parsed(clean_pasted(text(raw)))),
    ]


def ask_log_request(
    asker: Asker, case: Case, today: dt.date, *, given: Mapping[str, str] | None = None,
    corrects: int | None = None, ticket_number: str | None = None,
) -> LogRequest:
    """What to log on `case`, asked through `asker` (each answer until valid; `<` goes back). The
    answers in `given` (options already checked) are not asked. A summary or the text is needed:
    with neither, that is said and both are asked again."""
    given = dict(given or {})
    corrected = next((e for e in case.timeline if e.seq == corrects), None) if corrects is not None else None
    todo = [q for q in _questions(case, today, corrected) if q.question.key not in given]
    values: dict[str, AnswerValue] = {}
    i = 0
    while True:
        while i < len(todo):
            asked = todo[i]
            key = asked.question.key
            question = asked.question._replace(can_go_back=i > 0, default=values.get(key, asked.question.default))
            value = asker.ask(question, asked.read, show=lambda value, raw: str(value))
            if isinstance(value, Back):
                i = max(0, i - 1)
                continue
            if value is None or value == "":
                values.pop(key, None)
            else:
                values[key] = value
            i += 1
        said = {k: str(values.get(k, given.get(k, ""))).strip() for k in ("summary", "text")}
        if any(said.values()):
            break
        asked_for = [n for n, q in enumerate(todo) if q.question.key in ("summary", "text")]
        missing = InputError("summary", t("cases.input.summary_or_text"))
        if not asked_for:
            raise missing
        asker.prompter.rejected(todo[asked_for[0]].question, missing)  # an answers file stops here (exit 2)
        i = asked_for[0]
    answer = {**given, **{k: str(v) for k, v in values.items()}}
    return LogRequest(
        kind=answer.get("kind", ""), channel=answer.get("channel", ""), on=answer.get("date", ""),
        summary=answer.get("summary", ""), text=answer.get("text", ""), corrects=corrects,
        ticket_number=ticket_number, confirmed=bool(asker.confirmed),
    )


def read_log_answers(data: Mapping[str, Any]) -> tuple[dict[str, str], int | None, str | None]:
    """An answers file's table for `cases log`: (the answers to its questions, corrects, ticket_number).
    An unknown key or a value that is not a single one is refused, naming the key."""
    answers: dict[str, str] = {}
    corrects: int | None = None
    number: str | None = None
    for key, value in data.items():
        if key not in LOG_ANSWER_KEYS:
            from difflib import get_close_matches

            close = get_close_matches(key, LOG_ANSWER_KEYS, n=1)
            hint = t("troubleshoot.did_you_mean", names=close[0]) if close else ""
            raise InputError(key, t("cases.input.unknown_answer", known=", ".join(LOG_ANSWER_KEYS)) + hint)
        if key == "corrects":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(key, t("cases.input.corrects"))
            corrects = value
            continue
        if isinstance(value, dict | list | bool):
            raise InputError(key, t("troubleshoot.scalar_expected"))
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if key == "ticket_number":
            number = text
        else:
            answers[key] = text
    return answers, corrects, number

"""Answers for the `escalate` flow, taken from a case (`troubleshoot escalate --case ID`)."""

from __future__ import annotations

import datetime as dt

from supportcli.core.cases.model import Case, TimelineEntry
from supportcli.core.cases.store import CaseStore
from supportcli.core.flows.model import AnswerValue
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths

# How much of each message support sent is quoted in the pre-filled answer.
QUOTE_LIMIT = 400


def _quote(entry: TimelineEntry) -> str:
    said = entry.summary or entry.text
    said = " ".join(said.split())
    if len(said) > QUOTE_LIMIT:
        said = said[: QUOTE_LIMIT - 1].rstrip() + "…"
    return t(
        "cases.prefill.said_line", date=entry.on.isoformat(), kind=t(f"cases.kind.{entry.kind}"),
        channel=t(f"cases.channel.{entry.channel}") if entry.channel else "-", said=said,
    )


def support_said(case: Case) -> str:
    """What support has said so far, one line per reply, call or chat, oldest first."""
    return "\n".join(_quote(e) for e in case.support_entries)


def prefill_from_case(case: Case, today: dt.date) -> dict[str, AnswerValue]:
    follow = case.follow_up(today)
    answers: dict[str, AnswerValue] = {
        "case_id": case.id,
        "sent_on": case.sent_on.isoformat(),
        "channel": case.channel,
        # Nothing from support since the user last wrote: a "no reply" follow-up, whether or not the
        # window has passed (the flow's advice says how long to wait); "unsatisfied" would claim a reply.
        "reason": "no_reply" if follow.awaiting_reply or not case.support_entries else "unsatisfied",
    }
    if case.ticket_number:
        answers["ticket_number"] = case.ticket_number
    said = support_said(case)
    if said:
        answers["support_said"] = said
    return answers


def escalate_prefill(paths: AppPaths, case_id: str, *, today: dt.date) -> dict[str, AnswerValue]:
    """The escalate flow's answers known from case `case_id` (an id or an unambiguous prefix).

    Keys: `case_id`, `sent_on` (ISO date), `channel` (ticket/email/chat), `reason` (`no_reply` when
    nothing has come from support since the user last wrote, else `unsatisfied`),
    and, when known, `ticket_number` and `support_said` (one line per reply/call/chat, oldest first).
    Keys with nothing to say are left out, so the flow asks for them.
    """
    case = CaseStore(paths).get(case_id)
    return prefill_from_case(case, today)

"""Answers for the `escalate` flow, taken from a case (`troubleshoot escalate --case ID`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from supportcli.core.cases.model import SEND_CHANNELS, Case, TimelineEntry
from supportcli.core.cases.sending import FOLLOWUP_COPY_PREFIX
from supportcli.core.cases.store import CaseStore
from supportcli.core.drafts.collect import ATTACHMENTS_KEY
from supportcli.core.flows.contracts import KeyContract, check_contracts
from supportcli.core.flows.model import AnswerValue
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths

if TYPE_CHECKING:
    from supportcli.core.pack import Pack
    from supportcli.core.tomlfile import Problem

# How much of each message support sent is quoted in the pre-filled answer, and of the original problem.
QUOTE_LIMIT = 400
ORIGINAL_LIMIT = 1000
ESCALATE_FLOW = "escalate"
NO_REPLY, UNSATISFIED = "no_reply", "unsatisfied"  # the escalate flow's `reason` choices
# What the pre-filled answers need from the pack's escalate flow (`content check` verifies it).
PREFILL_CONTRACTS = (
    KeyContract("reason", ("choice",), "cases.contract.reason", flow=ESCALATE_FLOW, required=True,
                offers=(NO_REPLY, UNSATISFIED)),
    KeyContract("sent_on", ("datetime",), "cases.contract.sent_on", flow=ESCALATE_FLOW, required=True),
    KeyContract("channel", ("choice",), "cases.contract.channel", flow=ESCALATE_FLOW, required=True,
                offers=SEND_CHANNELS),
    KeyContract("ticket_number", ("text",), "cases.contract.ticket_number", flow=ESCALATE_FLOW),
    KeyContract("support_said", ("text", "multiline"), "cases.contract.support_said", flow=ESCALATE_FLOW),
    KeyContract("original_problem", ("text", "multiline"), "drafts.contract.original_problem", flow=ESCALATE_FLOW),
)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quote(entry: TimelineEntry) -> str:
    said = _cut(entry.summary or entry.text, QUOTE_LIMIT)
    return t(
        "cases.prefill.said_line", date=entry.on.isoformat(), kind=t(f"cases.kind.{entry.kind}"),
        channel=t(f"cases.channel.{entry.channel}") if entry.channel else "-", said=said,
    )


def support_said(case: Case) -> str:
    """What support has said so far, one line per reply, call or chat, oldest first."""
    return "\n".join(_quote(e) for e in case.support_entries)


def original_problem(store: CaseStore, case: Case) -> str:
    """What the case's first draft said the problem was: its summary (the paragraph after the e-mail's
    greeting, as it was sent, edits included), else the subject it was sent with."""
    from supportcli.core.drafts.mail import summary_of_body
    from supportcli.core.safeload import MAX_CONTENT_BYTES, Unparsable, load_toml

    path = store.draft_file(case, "sidecar")
    summary = ""
    if path is not None:
        try:
            body = load_toml(path, limit=MAX_CONTENT_BYTES).get("email_body")
        except (OSError, Unparsable):
            body = None
        summary = summary_of_body(body) if isinstance(body, str) else ""
    return _cut(summary or case.subject, ORIGINAL_LIMIT)


def attachment_names(case: Case) -> list[str]:
    """The files the user kept with the case (`cases attach`), oldest first; a follow-up's own draft
    copies are the case's record, not evidence, and are left out."""
    names = [e.attachment.name for e in case.effective if e.attachment is not None]
    return [n for n in dict.fromkeys(names) if not n.startswith(FOLLOWUP_COPY_PREFIX)]


def prefill_from_case(case: Case, today: dt.date, *, original: str = "") -> dict[str, AnswerValue]:
    follow = case.follow_up(today)
    answers: dict[str, AnswerValue] = {
        "case_id": case.id,
        "sent_on": case.sent_on.isoformat(),
        "channel": case.channel,
        # Nothing from support since the user last wrote: a "no reply" follow-up, whether or not the
        # window has passed (the flow's advice says how long to wait); "unsatisfied" would claim a reply.
        "reason": NO_REPLY if follow.awaiting_reply or not case.support_entries else UNSATISFIED,
    }
    if case.ticket_number:
        answers["ticket_number"] = case.ticket_number
    said = support_said(case)
    if said:
        answers["support_said"] = said
    if original:
        answers["original_problem"] = original
    files = attachment_names(case)
    if files:
        answers[ATTACHMENTS_KEY] = "\n".join(files)
    return answers


def escalate_prefill(paths: AppPaths, case_id: str, *, today: dt.date) -> dict[str, AnswerValue]:
    """The escalate flow's answers known from case `case_id` (an id or an unambiguous prefix).

    Keys: `case_id`, `sent_on` (ISO date), `channel` (ticket/email/chat), `reason` (`no_reply` when
    nothing has come from support since the user last wrote, else `unsatisfied`),
    and, when known, `ticket_number`, `support_said` (one line per reply/call/chat, oldest first),
    `original_problem` (the first draft's summary) and `attachments` (the case's files, one per line).
    Keys with nothing to say are left out, so the flow asks for them.
    """
    store = CaseStore(paths)
    case = store.get(case_id)
    return prefill_from_case(case, today, original=original_problem(store, case))


def check_pack(pack: Pack) -> list[Problem]:
    """The pack's escalate flow (if it has one) asks what a case pre-fills, as the pre-filling expects."""
    return check_contracts(pack, PREFILL_CONTRACTS)

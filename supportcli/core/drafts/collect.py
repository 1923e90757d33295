"""Collecting what one language's ticket and email are made of, from a flow's answers (pure).

Two forms of every user value exist: plain (for the email, the subject and the sidecar) and
Markdown-escaped (for the ticket), so user text is inserted as text, never as markup.

What the ticket says comes from the user's answers only: the facts table shows each answer, and the
template says a sentence only when its condition holds for the answers and every value it quotes was
given (supportcli.core.drafts.templates). Facts found elsewhere — the rows of the user's imported
records a run used, the market's price range from a public source — are not answers: they are the
list `Collected.sourced`, each line saying where it comes from (supportcli.core.drafts.sourced),
gathered by the flow run and never read by the templates' conditions (which speak only for the user).
The rows' own small CSV joins the evidence list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from supportcli.core.drafts.markdown import md_inline
from supportcli.core.drafts.templates import FALLBACK_CATEGORY, Template, fill, join_sentences
from supportcli.core.drafts.times import date_only, format_local, format_utc, local_offset, parse_when
from supportcli.core.flows.contracts import KeyContract, check_contracts
from supportcli.core.flows.found import PublicFact, RecordCitation
from supportcli.core.flows.model import AnswerValue, Flow
from supportcli.core.i18n import Lang, pick, t
from supportcli.core.text import clean

if TYPE_CHECKING:
    from supportcli.core.pack import Pack
    from supportcli.core.tomlfile import Problem

_SENTENCE_END = re.compile(r"(?<=[.!?])\s|(?<=[。！？])")
MAX_TRIED_LENGTH = 160
MAX_LABEL_LENGTH = 60
MIN_CUT = 20  # a shortened step keeps at least this much
# Answer keys the drafts treat specially (`content check` holds the pack's flows to them, see
# `check_pack`): shown in a section of their own rather than in the table (the subject is the heading,
# `tried`, the general flow's free text, joins the list of what was tried); kept in the sidecar but
# never shown to support (the local case id links a follow-up to its case and means nothing to an
# agent); the general template's `category` answer names the category itself (the heading shows it).
# A follow-up made from a case also carries `attachments` (the case's files, one name a line): they join
# the evidence list, one item each.
OWN_SECTION_KEYS = ("subject", "tried")
HIDDEN_KEYS = ("case_id",)
CATEGORY_KEY = "category"
ATTACHMENTS_KEY = "attachments"
ANSWER_CONTRACTS = (
    KeyContract("subject", ("text",), "drafts.contract.subject"),
    KeyContract("tried", ("text", "multiline"), "drafts.contract.tried"),
    KeyContract(CATEGORY_KEY, ("choice",), "drafts.contract.category"),
    KeyContract("case_id", (), "drafts.contract.case_id"),
    KeyContract(ATTACHMENTS_KEY, (), "drafts.contract.attachments"),
)


def _yes_no(value: bool, lang: Lang) -> str:
    return t("drafts.yes" if value else "drafts.no", lang=lang)


def _choice_label(flow: Flow | None, key: str, value: AnswerValue, lang: Lang) -> str:
    step = flow.question(key) if flow else None
    if step is not None:
        for choice in step.choices:
            if choice.id == value:
                return pick(choice.label, lang)
    return str(value)


def display_value(flow: Flow | None, key: str, kind: str, value: AnswerValue, lang: Lang) -> str:
    """An answer as a reader sees it (plain text, one line unless it is multi-line text)."""
    if isinstance(value, bool):
        return _yes_no(value, lang)
    if kind == "choice":
        return clean(_choice_label(flow, key, value, lang), multiline=False)
    if kind == "datetime":
        day = date_only(value)
        if day is not None:
            return day.isoformat()  # a day has no time: never shown as a made-up midnight
        moment = parse_when(value)
        if moment is not None:
            return format_utc(moment)
    if kind == "multiline":
        return clean(str(value)).strip()
    return clean(str(value), multiline=False).strip()


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str  # plain text
    multiline: bool = False


@dataclass
class Collected:
    """What one language's ticket and email are made of."""

    lang: Lang
    subject: str
    category_name: str
    exchange: str
    summary_plain: str
    summary_md: str
    facts: list[Fact]
    narratives: list[Fact]
    tried: list[str]
    evidence: list[str]
    values: dict[str, str] = field(default_factory=dict)
    send: str = ""  # how to send it, when the template says (empty: as a new ticket)
    sourced: list[str] = field(default_factory=list)  # rows of the user's records, public facts: each cited


def _label(template: Template, flow: Flow | None, key: str, lang: Lang) -> str:
    own = template.label(key, lang)
    if own:
        return own
    common = t(f"drafts.field.{key}", lang=lang)
    if common != f"drafts.field.{key}":
        return common
    step = flow.question(key) if flow else None
    if step is not None:
        text = re.sub(r"[（(][^）)]*[）)]", "", clean(step.text_in(lang), multiline=False)).strip(" ?？:：")
        if text and len(text) <= MAX_LABEL_LENGTH:
            return text
    return key.replace("_", " ").capitalize()


def first_sentence(text: str) -> str:
    """The first line or sentence of an advice step, short enough for a list item."""
    line = clean(text).strip().split("\n", 1)[0].strip()
    if len(line) > MAX_TRIED_LENGTH:
        parts = _SENTENCE_END.split(line, maxsplit=1)
        line = parts[0].strip()
    if len(line) > MAX_TRIED_LENGTH:
        line = _shorten(line[:MAX_TRIED_LENGTH]) + "…"
    return line


def _shorten(head: str) -> str:
    """Cut at the last clause boundary (a semicolon first, then a comma or colon) outside brackets."""
    for marks in (("; ", "；"), (", ", "，", ": ", "：")):
        cuts = sorted((m.start() for mark in marks for m in re.finditer(re.escape(mark), head)), reverse=True)
        for cut in cuts:
            part = head[:cut]
            balanced = part.count("(") == part.count(")") and part.count("（") == part.count("）")
            if cut >= MIN_CUT and balanced:
                return part
    return head[:-1].rstrip()


def tried_texts(flow: Flow | None, tried: list[str], lang: Lang, template: Template | None = None) -> list[str]:
    """The advice steps tried, as the reader sees them: the template's line for the step (what the
    user did, in the first person), else the first sentence of the advice itself."""
    out: list[str] = []
    for step_id in tried:
        own = template.tried_in(step_id, lang) if template is not None else None
        if own:
            out.append(own)
            continue
        step = next((s for s in flow.steps if s.id == step_id), None) if flow else None
        out.append(first_sentence(step.text_in(lang)) if step is not None else step_id)
    return out


def ordered_keys(flow: Flow | None, answers: Mapping[str, AnswerValue]) -> list[str]:
    order = [s.id for s in flow.questions] if flow else []
    known = [k for k in order if k in answers]
    return known + sorted(k for k in answers if k not in known)


def date_range(answers: Mapping[str, AnswerValue], field_types: Mapping[str, str]) -> tuple[dt.date, dt.date] | None:
    """The UTC dates the answers' times fall on, widened by a day each side (zones differ)."""
    moments = [
        m for k, v in answers.items() if field_types.get(k) == "datetime" and (m := parse_when(v)) is not None
    ]
    if not moments:
        return None
    first = min(moments).astimezone(dt.UTC).date() - dt.timedelta(days=1)
    last = max(moments).astimezone(dt.UTC).date() + dt.timedelta(days=1)
    return first, last


def collect(
    *, template: Template, flow: Flow | None, answers: Mapping[str, AnswerValue],
    field_types: Mapping[str, str], tried: list[str], lang: Lang, timezone: str,
    exchange: str, support_email: str, reports_url: str, ticket_url: str = "",
    records: Sequence[RecordCitation] = (), public: Sequence[PublicFact] = (),
) -> Collected:
    from supportcli.core.drafts.sourced import rows_evidence, sourced_lines

    plain: dict[str, str] = {"exchange": exchange, "support_email": support_email}
    facts: list[Fact] = []
    narratives: list[Fact] = []
    attachments: list[str] = []
    tried_items = tried_texts(flow, tried, lang, template)
    category_name = template.name_in(lang)
    for key in ordered_keys(flow, answers):
        value = answers[key]
        kind = field_types.get(key, "text")
        shown = display_value(flow, key, kind, value, lang)
        label = _label(template, flow, key, lang)
        if key in HIDDEN_KEYS:
            plain[key] = shown
            continue
        if key == ATTACHMENTS_KEY:
            attachments = [line.strip() for line in str(value).splitlines() if line.strip()]
            continue
        if key == CATEGORY_KEY and kind == "choice" and template.id == FALLBACK_CATEGORY and shown:
            category_name = plain[key] = shown  # "Category: Withdrawals", not "General" plus a row saying so
            continue
        if key in OWN_SECTION_KEYS:
            plain[key] = " ".join(shown.split())
            if key == "tried":
                tried_items += [line.strip(" -*•\t") for line in shown.split("\n") if line.strip(" -*•\t")]
            continue
        if kind == "multiline":
            if shown:
                narratives.append(Fact(key, label, shown, multiline=True))
            plain[key] = " ".join(shown.split())
            continue
        plain[key] = shown
        day = date_only(value) if kind == "datetime" else None
        moment = parse_when(value) if kind == "datetime" and day is None else None
        if day is not None:
            plain[f"{key}_date"] = plain[f"{key}_when"] = shown
            facts.append(Fact(key, label, shown))
        elif moment is not None:
            local = format_local(moment, timezone)
            plain[f"{key}_local"] = local
            plain[f"{key}_when"] = (
                t("drafts.ticket.when_both", lang=lang, utc=shown, local=local)
                if local_offset(moment, timezone) else shown
            )
            plain[f"{key}_date"] = moment.astimezone(dt.UTC).date().isoformat()
            facts.append(Fact(key, t("drafts.ticket.time_utc", lang=lang, label=label), shown))
            if local_offset(moment, timezone):  # in a UTC zone the local row would repeat the UTC one
                facts.append(Fact(f"{key}_local", t("drafts.ticket.time_local", lang=lang, label=label), local))
        elif shown:
            facts.append(Fact(key, label, shown))
    md = {k: md_inline(v) for k, v in plain.items()}
    wordings = template.summary_wordings(lang, plain, answers)
    evidence = _evidence(template, lang, plain, answers, field_types, attachments, reports_url)
    evidence[-1:-1] = rows_evidence(records, lang)  # before the screenshots, which always come last
    return Collected(
        lang=lang, subject=template.subject_in(lang, plain, answers), category_name=category_name,
        exchange=exchange, summary_plain=join_sentences([fill(w, plain) or "" for w in wordings]),
        summary_md=join_sentences([fill(w, md) or "" for w in wordings]), facts=facts, narratives=narratives,
        tried=tried_items, evidence=evidence,
        values=plain, send=template.send_in(lang, {**plain, "url": ticket_url}, answers) if ticket_url else "",
        sourced=sourced_lines(records, public, lang, lambda key: _label(template, flow, key, lang)),
    )


def _evidence(
    template: Template, lang: Lang, plain: Mapping[str, str], answers: Mapping[str, AnswerValue],
    field_types: Mapping[str, str], attachments: list[str], reports_url: str,
) -> list[str]:
    """What to attach: the template's items that apply, the case's files, the Reports exports, screenshots."""
    evidence = template.evidence_in(lang, plain, answers)
    evidence += [t("drafts.ticket.evidence_attachment", lang=lang, name=name) for name in attachments]
    reports = template.reports_for(answers)
    span = date_range(answers, field_types)
    if reports_url and reports:  # a template with no reports (verification, follow-up) asks for none
        names = t("drafts.list_sep", lang=lang).join(t(f"drafts.report.{r}", lang=lang) for r in reports)
        if span is not None:
            evidence.append(t("drafts.ticket.evidence_csv_range", lang=lang, url=reports_url, reports=names,
                              start=span[0].isoformat(), end=span[1].isoformat()))
        else:
            evidence.append(t("drafts.ticket.evidence_csv", lang=lang, url=reports_url, reports=names))
    evidence.append(t("drafts.ticket.evidence_screenshots", lang=lang))
    return evidence


def subject_of(parts: list[Collected]) -> str:
    subjects = [p.subject for p in parts if p.subject]
    return " / ".join(dict.fromkeys(subjects))


def check_pack(pack: Pack) -> list[Problem]:
    """The pack's flows use the answer keys the drafts treat specially as the drafts expect."""
    return check_contracts(pack, ANSWER_CONTRACTS)

"""Rendering drafts: pure functions from collected data to text (no clock, no files, no terminal).

Two forms of every user value exist: plain (for the email, the subject and the sidecar) and
Markdown-escaped (for the ticket), so user text is inserted as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from supportcli.core.drafts.templates import FALLBACK_CATEGORY, Template, fill, first_fit
from supportcli.core.flows.model import AnswerValue, Flow
from supportcli.core.i18n import Lang, pick, t
from supportcli.core.text import clean

if TYPE_CHECKING:
    from supportcli.core.drafts.model import Draft

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#=+\-])|(\d+)([.)]))", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|(?<=[。！？])")
MAX_TRIED_LENGTH = 160
MAX_LABEL_LENGTH = 60
MIN_CUT = 20  # a shortened step keeps at least this much
# Answers shown in a section of their own rather than in the table: the subject is the heading,
# `tried` (the general flow's free text) joins the list of what was tried.
OWN_SECTION_KEYS = ("subject", "tried")
# Answers kept in the sidecar (and usable as placeholders) but never shown to support: the local case id
# links a follow-up to its case (`cases`), and means nothing to an agent.
HIDDEN_KEYS = ("case_id",)
# The general template's `category` answer names the category itself (the heading line shows it).
CATEGORY_KEY = "category"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- escaping

def md_inline(text: str) -> str:
    """One line of user text, safe inside a Markdown paragraph, heading or table cell."""
    return _MD_INLINE.sub(r"\\\1", clean(text, multiline=False).strip())


def md_block(text: str) -> str:
    """Several lines of user text, kept as lines, with nothing in them read as Markdown."""
    lines = clean(text, multiline=True).strip("\n").split("\n")
    escaped = "\n".join(_MD_INLINE.sub(r"\\\1", line.rstrip()) for line in lines)
    return _MD_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"


def md_unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<>|~#=+\-.)])", r"\1", text)


# --------------------------------------------------------------------------- values

def date_only(value: AnswerValue) -> dt.date | None:
    """The day of a date-time answer given as a date alone (`2026-11-16`: "a date alone is fine")."""
    if not isinstance(value, str) or not _DATE_ONLY.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_when(value: AnswerValue) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _clock(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")


def _offset(moment: dt.datetime) -> str:
    delta = moment.utcoffset() or dt.timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_utc(moment: dt.datetime) -> str:
    return f"{_clock(moment.astimezone(dt.UTC))} UTC"


def local_offset(moment: dt.datetime, timezone: str) -> dt.timedelta:
    from zoneinfo import ZoneInfo

    try:
        return moment.astimezone(ZoneInfo(timezone)).utcoffset() or dt.timedelta(0)
    except (ValueError, OSError, KeyError):
        return moment.utcoffset() or dt.timedelta(0)


def format_local(moment: dt.datetime, timezone: str) -> str:
    from zoneinfo import ZoneInfo

    try:
        local = moment.astimezone(ZoneInfo(timezone))
        zone = timezone
    except (ValueError, OSError, KeyError):
        local, zone = moment, ""
    label = f"{zone}, {_offset(local)}" if zone else _offset(local)
    return f"{_clock(local)} ({label})"


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
    exchange: str, support_email: str, reports_url: str,
) -> Collected:
    plain: dict[str, str] = {"exchange": exchange, "support_email": support_email}
    facts: list[Fact] = []
    narratives: list[Fact] = []
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
    evidence = template.evidence_in(lang, plain)
    span = date_range(answers, field_types)
    if reports_url and template.reports:  # a template with no reports (verification, follow-up) asks for none
        names = [t(f"drafts.report.{r}", lang=lang) for r in template.reports]
        reports = t("drafts.list_sep", lang=lang).join(names)
        if span is not None:
            evidence.append(t("drafts.ticket.evidence_csv_range", lang=lang, url=reports_url, reports=reports,
                              start=span[0].isoformat(), end=span[1].isoformat()))
        else:
            evidence.append(t("drafts.ticket.evidence_csv", lang=lang, url=reports_url, reports=reports))
    evidence.append(t("drafts.ticket.evidence_screenshots", lang=lang))
    chosen = {k: str(v) for k, v in answers.items() if field_types.get(k) == "choice"}
    candidates = template.summary_candidates(lang, chosen)
    summary_plain = first_fit(candidates, plain)
    summary_md = _fill_first(candidates, plain, md)
    return Collected(
        lang=lang, subject=template.subject_in(lang, plain, chosen), category_name=category_name,
        exchange=exchange, summary_plain=summary_plain, summary_md=summary_md, facts=facts,
        narratives=narratives, tried=tried_items, evidence=evidence, values=plain,
    )


def _fill_first(candidates: list[str], plain: Mapping[str, str], escaped: Mapping[str, str]) -> str:
    """The first candidate that fits the plain values, filled with the escaped ones."""
    for candidate in candidates:
        if fill(candidate, plain) is not None:
            return fill(candidate, escaped) or ""
    return ""


# --------------------------------------------------------------------------- ticket (Markdown)

def _cell(text: str) -> str:
    return md_inline(text) or "—"


def ticket_section(c: Collected, *, heading_level: int = 1) -> str:
    lang = c.lang
    h = "#" * heading_level
    out: list[str] = [f"{h} {md_inline(c.subject)}", ""]
    colon = t("drafts.colon", lang=lang)
    out.append(f"**{t('drafts.ticket.category', lang=lang)}{colon.strip()}** {md_inline(c.category_name)}  ")
    out.append(f"**{t('drafts.ticket.exchange', lang=lang)}{colon.strip()}** {md_inline(c.exchange)}")
    out += ["", f"{h}# {t('drafts.ticket.summary', lang=lang)}", "", c.summary_md]
    if c.facts:
        out += ["", f"{h}# {t('drafts.ticket.details', lang=lang)}", ""]
        out.append(f"| {t('drafts.ticket.col_field', lang=lang)} | {t('drafts.ticket.col_value', lang=lang)} |")
        out.append("| --- | --- |")
        out += [f"| {_cell(f.label)} | {_cell(f.value)} |" for f in c.facts]
    for story in c.narratives:
        out += ["", f"{h}# {md_inline(story.label)}", "", md_block(story.value)]
    out += ["", f"{h}# {t('drafts.ticket.tried', lang=lang)}", ""]
    out += [f"- {md_inline(item)}" for item in c.tried] or [t("drafts.ticket.tried_none", lang=lang)]
    out += ["", f"{h}# {t('drafts.ticket.evidence', lang=lang)}", ""]
    out += [f"- [ ] {md_inline(item)}" for item in c.evidence]
    out += ["", f"> {t('drafts.ticket.safety', lang=lang, exchange=md_inline(c.exchange))}"]
    return "\n".join(out) + "\n"


def ticket_markdown(parts: list[Collected]) -> str:
    return "\n---\n\n".join(ticket_section(p) for p in parts)


def subject_of(parts: list[Collected]) -> str:
    subjects = [p.subject for p in parts if p.subject]
    return " / ".join(dict.fromkeys(subjects))


# --------------------------------------------------------------------------- email (plain text)

def email_section(c: Collected, sender_name: str) -> str:
    lang = c.lang
    out: list[str] = [t("drafts.email.greeting", lang=lang, exchange=c.exchange), "", c.summary_plain]
    if c.facts:
        out += ["", t("drafts.email.details", lang=lang)]
        colon = t("drafts.colon", lang=lang)
        out += [f"- {f.label}{colon}{f.value}" for f in c.facts]
    for story in c.narratives:
        out += ["", f"{story.label}{t('drafts.colon', lang=lang).rstrip()}", story.value]
    out += ["", t("drafts.email.tried", lang=lang)]
    out += [f"- {item}" for item in c.tried] or [t("drafts.ticket.tried_none", lang=lang)]
    out += ["", t("drafts.email.evidence", lang=lang)]
    out += [f"- {item}" for item in c.evidence]
    out += ["", t("drafts.ticket.safety", lang=lang, exchange=c.exchange), ""]
    out.append(t("drafts.email.closing", lang=lang))
    if sender_name:
        out.append(clean(sender_name, multiline=False).strip())
    return "\n".join(out) + "\n"


def email_body(parts: list[Collected], sender_name: str) -> str:
    return "\n-----\n\n".join(email_section(p, sender_name) for p in parts)


def message_id(draft: Draft) -> str:
    import hashlib

    domain = draft.sender_email.rsplit("@", 1)[1] if "@" in draft.sender_email else "supportcli.invalid"
    digest = hashlib.sha256(
        "\n".join((draft.id, draft.created.isoformat(), draft.subject, draft.email_body)).encode("utf-8")
    ).hexdigest()[:16]
    # Short enough never to be folded (a folded Message-ID parses back with a leading space).
    return f"<{draft.created.astimezone(dt.UTC):%Y%m%d%H%M%S}.{digest}@{domain}>"


def email_bytes(draft: Draft, msg_id: str) -> bytes:
    """The RFC 5322 message (CRLF line ends, UTF-8 text in quoted-printable)."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, formataddr

    msg = EmailMessage(policy=SMTP)
    msg["To"] = draft.to
    if draft.sender_email:
        name = clean(draft.sender_name, multiline=False).strip()
        msg["From"] = formataddr((name, draft.sender_email)) if name else draft.sender_email
    msg["Subject"] = clean(draft.subject, multiline=False)
    msg["Date"] = format_datetime(draft.created)
    msg["Message-ID"] = msg_id
    msg["X-Unsent"] = "1"  # mail clients open the file as a message ready to send
    msg.set_content(draft.email_body, charset="utf-8", cte="quoted-printable")
    return msg.as_bytes()


def mailto_link(to: str, subject: str, body: str) -> str:
    from urllib.parse import quote

    return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def sidecar_data(draft: Draft, *, status: str, files: Mapping[str, str], msg_id: str, mailto: str) -> dict[str, Any]:
    """Everything about the draft, for the TOML sidecar (TOML has no null: empty values are left out)."""
    from supportcli.core.drafts.model import SIDECAR_VERSION

    data: dict[str, Any] = {
        "version": SIDECAR_VERSION,
        "id": draft.id,
        "status": status,
        "subject": draft.subject,
        "flow": draft.flow_id,
        "category": draft.category,
        "lang": draft.lang,
        "bilingual": draft.bilingual,
        "edited": draft.edited,
        "created": draft.created,
        "timezone": draft.timezone,
        "pack": draft.pack_id,
        "to": draft.to,
        "from_name": draft.sender_name,
        "from_email": draft.sender_email,
        "message_id": msg_id,
        "mailto": mailto,
        "files": dict(files),
        "tried": list(draft.tried),
        "tried_text": list(draft.tried_text),
        "answers": dict(draft.answers),
        "field_types": dict(draft.field_types),
        "ticket_markdown": draft.ticket_markdown,
        "email_body": draft.email_body,
    }
    return data

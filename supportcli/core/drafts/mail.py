"""The e-mail: its plain-text body, the RFC 5322 message (`.eml`) and the `mailto:` link (pure)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from supportcli.core.drafts.collect import Collected
from supportcli.core.i18n import t
from supportcli.core.text import clean

if TYPE_CHECKING:
    from supportcli.core.drafts.model import Draft

def email_section(c: Collected, sender_name: str) -> str:
    lang = c.lang
    out: list[str] = [t("drafts.email.greeting", lang=lang, exchange=c.exchange), "", c.summary_plain]
    if c.facts:
        out += ["", t("drafts.email.details", lang=lang)]
        colon = t("drafts.colon", lang=lang)
        out += [f"- {f.label}{colon}{f.value}" for f in c.facts]
    if c.sourced:
        out += ["", t("drafts.email.sourced", lang=lang)]
        out += [f"- {line}" for line in c.sourced]
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


PART_SEPARATOR = "\n-----\n\n"  # between the languages of a bilingual e-mail


def email_body(parts: list[Collected], sender_name: str) -> str:
    return PART_SEPARATOR.join(email_section(p, sender_name) for p in parts)


def summary_of_body(body: str) -> str:
    """The summary paragraph of an e-mail body `email_section` wrote (its first language): the paragraph
    after the greeting, on one line; empty when the body does not have that shape (edited beyond it)."""
    first = body.split(PART_SEPARATOR, 1)[0]
    paragraphs = [p.strip() for p in first.replace("\r\n", "\n").split("\n\n")]
    if len(paragraphs) < 2 or "\n" in paragraphs[0]:
        return ""
    return " ".join(paragraphs[1].split())


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


MAILTO_LIMIT = 2000  # characters: longer links are cut or refused by browsers and mail clients


def mailto_link(to: str, subject: str, body: str, *, cut_note: str = "") -> str:
    """A `mailto:` link (RFC 6068: line breaks as %0D%0A) of at most MAILTO_LIMIT characters.

    A body too long for that is cut at a word and ends with `cut_note` (where the whole message is:
    the `.eml` file); should even the subject not fit, it is cut too.
    """
    from urllib.parse import quote

    def link(text: str, heading: str = subject) -> str:
        crlf = "\r\n".join(text.replace("\r\n", "\n").split("\n"))
        query = f"subject={quote(heading, safe='')}"
        if crlf:
            query += f"&body={quote(crlf, safe='')}"
        return f"mailto:{quote(to, safe='@')}?{query}"

    whole = link(body)
    if len(whole) <= MAILTO_LIMIT:
        return whole
    tail = "\n…\n\n" + cut_note if cut_note else "\n…"
    breaks = [i for i, ch in enumerate(body) if ch in " \n"]
    low, high, best = 0, len(breaks) - 1, -1  # the longest start of the body, up to a break, that fits
    while low <= high:
        middle = (low + high) // 2
        if len(link(body[: breaks[middle]].rstrip() + tail)) <= MAILTO_LIMIT:
            best, low = middle, middle + 1
        else:
            high = middle - 1
    if best >= 0:
        return link(body[: breaks[best]].rstrip() + tail)
    if len(link(cut_note)) <= MAILTO_LIMIT:
        return link(cut_note)
    heading = subject
    while heading and len(link("", heading + "…")) > MAILTO_LIMIT:
        heading = heading[:-1]
    return link("", heading + "…")


"""Checking a draft the user edited by hand, and applying the edit (pure).

The ticket must still start with `# <subject>` and have text below it; the email must still start
with `Subject: <subject>`, then a blank line, then the body. The guard runs again on save and show.
"""

from __future__ import annotations

import re

from supportcli.core.drafts.markdown import md_inline, md_unescape
from supportcli.core.drafts.model import Draft
from supportcli.core.errors import InputError
from supportcli.core.text import clean

MAX_SUBJECT = 250
_SUBJECT_LINE = re.compile(r"^subject:[ \t]*(.*)$", re.IGNORECASE)


def _subject(value: str, field: str) -> str:
    subject = clean(value, multiline=False).strip()
    if not subject:
        raise InputError(field, "", "drafts.edit.no_subject")
    if len(subject) > MAX_SUBJECT:
        raise InputError(field, "", "drafts.edit.long_subject", maximum=MAX_SUBJECT)
    return subject


def email_edit_text(draft: Draft) -> str:
    """What the user edits for the email: a `Subject:` line, a blank line, the body."""
    return f"Subject: {draft.subject}\n\n{draft.email_body}"


def apply_ticket_edit(draft: Draft, text: str) -> Draft:
    """The draft with the edited Markdown (and the subject from its first heading)."""
    text = clean(text).replace("\r\n", "\n")
    lines = text.lstrip("\n").split("\n")
    first = lines[0] if lines else ""
    if not first.startswith("# "):
        raise InputError("ticket", "", "drafts.edit.no_heading")
    subject = _subject(md_unescape(first[2:]), "ticket")
    if not "\n".join(lines[1:]).strip():
        raise InputError("ticket", "", "drafts.edit.empty")
    draft.subject = subject
    draft.ticket_markdown = "\n".join(lines).rstrip("\n") + "\n"
    draft.edited = True
    return draft


def apply_email_edit(draft: Draft, text: str) -> Draft:
    """The draft with the edited email body and subject; the ticket's heading follows the subject."""
    text = clean(text).replace("\r\n", "\n").lstrip("\n")
    head, _, body = text.partition("\n")
    match = _SUBJECT_LINE.match(head)
    if match is None:
        raise InputError("email", "", "drafts.edit.no_subject_line")
    subject = _subject(match.group(1), "email")
    body = body.lstrip("\n")
    if not body.strip():
        raise InputError("email", "", "drafts.edit.empty")
    draft.subject = subject
    draft.email_body = body.rstrip("\n") + "\n"
    ticket_lines = draft.ticket_markdown.split("\n")
    if ticket_lines and ticket_lines[0].startswith("# "):
        ticket_lines[0] = f"# {md_inline(subject)}"
        draft.ticket_markdown = "\n".join(ticket_lines)
    draft.edited = True
    return draft

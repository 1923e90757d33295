"""What a user gives `cases` and `drafts mark-sent`, checked: days, ticket numbers, choices, text."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from supportcli.core.cases.model import MAX_SUMMARY, MAX_TEXT
from supportcli.core.errors import InputError
from supportcli.core.gate import echoable
from supportcli.core.i18n import t
from supportcli.core.text import clean

_TICKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


def now_utc() -> dt.datetime:
    """When something is written down (UTC, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def parse_day(value: str, field: str, today: dt.date, *, not_before: dt.date | None = None) -> dt.date:
    """A calendar day, written as the flows' date questions accept it (2026-11-20, 11/20, 20 Nov,
    2026年11月20日, today, 昨天, 前天 …). Never in the future; never before `not_before` (e.g. a reply
    before the request was sent)."""
    from supportcli.core.flows.fields.datetimes import read_day

    day = read_day(field, clean(value, multiline=False), today)
    if not_before is not None and day < not_before:
        raise InputError(field, t("cases.input.date_before_sent", value=day.isoformat(), sent=not_before.isoformat()))
    return day


def parse_ticket_number(value: str | None, field: str = "ticket_number") -> str | None:
    """A ticket number as support wrote it (`#48213`, `48213`, `BFX-48213`); None when empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", clean(value, multiline=False)).strip().lstrip("#").strip()
    if not text:
        return None
    if not _TICKET.match(text):
        raise InputError(field, t("cases.input.ticket_number"))
    return text


def parse_choice(value: str, field: str, allowed: tuple[str, ...]) -> str:
    text = value.strip().lower()
    if text not in allowed:
        shown = echoable(value)
        raise InputError(field, t("cases.input.choice", value=shown, allowed=", ".join(allowed)))
    return text


def clean_summary(value: str | None, field: str = "summary") -> str:
    text = clean(value or "", multiline=False).strip()
    if len(text) > MAX_SUMMARY:
        raise InputError(field, t("cases.input.too_long", limit=MAX_SUMMARY))
    return text


def clean_pasted(value: str | None, field: str = "text") -> str:
    text = clean(value or "", multiline=True).strip("\n").rstrip()
    if len(text) > MAX_TEXT:
        raise InputError(field, t("cases.input.too_long", limit=MAX_TEXT))
    return text

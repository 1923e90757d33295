"""What a user gives `cases` and `drafts mark-sent`, checked: days, ticket numbers, choices, text."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from supportcli.core.cases.model import MAX_SUMMARY, MAX_TEXT
from supportcli.core.errors import InputError
from supportcli.core.i18n import t
from supportcli.core.text import clean

_TICKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_TODAY = ("today", "今天", "今日")
_YESTERDAY = ("yesterday", "昨天", "昨日")
EARLIEST = dt.date(2009, 1, 3)  # nothing crypto happened before this day


def now_utc() -> dt.datetime:
    """When something is written down (UTC, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def parse_day(value: str, field: str, today: dt.date, *, not_before: dt.date | None = None) -> dt.date:
    """A calendar day: 2026-11-20, 2026/11/20, 2026年11月20日, today/yesterday (今天/昨天).

    Never in the future; never before `not_before` (e.g. a reply before the request was sent).
    """
    text = unicodedata.normalize("NFKC", clean(value, multiline=False)).strip().lower()
    day: dt.date | None = None
    if text in _TODAY:
        day = today
    elif text in _YESTERDAY:
        day = today - dt.timedelta(days=1)
    else:
        for form in _DATE_FORMS:
            match = form.match(text)
            if match:
                try:
                    day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
                except ValueError:
                    raise InputError(field, t("cases.input.no_such_day", value=text)) from None
                break
    if day is None:
        raise InputError(field, t("cases.input.date_form", value=text))
    if day > today:
        raise InputError(field, t("cases.input.date_future", value=day.isoformat(), today=today.isoformat()))
    if day < EARLIEST:
        raise InputError(field, t("cases.input.date_too_early", value=day.isoformat()))
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
        shown = clean(value, multiline=False)
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

"""Strict, kind parsers for every question type a flow may ask (see `FIELD_TYPES`), one room per topic:

- `text`: free text, multi-line text, choices, yes/no;
- `money`: amounts and trading pairs;
- `ids`: order/trade ids, transaction hashes, wallet and e-mail addresses;
- `datetimes`: dates and times in the user's zone.

`parse(field_type, field_name, value, ctx)` dispatches to them; `base` holds what they share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supportcli.core.flows.fields.base import FieldContext, NeedsClarification, Option, Parsed, reject
from supportcli.core.flows.fields.datetimes import parse_datetime
from supportcli.core.flows.fields.ids import parse_address, parse_email, parse_integer_id, parse_txhash
from supportcli.core.flows.fields.money import parse_amount, parse_pair
from supportcli.core.flows.fields.text import parse_choice, parse_confirm, parse_multiline, parse_text
from supportcli.core.flows.model import FIELD_TYPES, AnswerValue, Choice
from supportcli.core.i18n import Lang, pick, t

Parser = Callable[[str, Any, FieldContext], Parsed]

PARSERS: dict[str, Parser] = {
    "text": parse_text,
    "multiline": parse_multiline,
    "choice": parse_choice,
    "confirm": parse_confirm,
    "integer_id": parse_integer_id,
    "amount": parse_amount,
    "pair": parse_pair,
    "datetime": parse_datetime,
    "txhash": parse_txhash,
    "address": parse_address,
    "email": parse_email,
}
assert set(PARSERS) == set(FIELD_TYPES)


def parse(field_type: str, field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    """Parse `value` as `field_type` for the question `field_name`; InputError if it is not valid."""
    try:
        parser = PARSERS[field_type]
    except KeyError as exc:
        raise reject(field_name, "unknown_type", "-", kind=field_type) from exc
    return parser(field_name, value, ctx)


def example_for(field_type: str) -> str:
    """A typical valid answer for `field_type` (used in templates and help)."""
    return t(f"fields.example.{field_type}")


def choice_label(choices: tuple[Choice, ...], value: AnswerValue, lang: Lang | None = None) -> str:
    for choice in choices:
        if choice.id == value:
            return pick(choice.label, lang)
    return str(value)


__all__ = [
    "PARSERS", "FieldContext", "NeedsClarification", "Option", "Parsed", "choice_label", "example_for", "parse",
    "reject",
]

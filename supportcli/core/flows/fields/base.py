"""What every field parser shares: the context it is given, what it returns, and how it refuses.

Each parser takes the raw text a user typed (or a value from an answers file) and returns the
normalised answer (see `supportcli.core.flows.model.AnswerValue`) plus, where useful, a line to say
back to the user ("taken as Asia/Shanghai time …"). Every rejection is an `InputError` naming the
field, saying why and giving an example. The clock and the time zone are passed in: no parser reads
the system clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from supportcli.core.assets import AssetFacts
from supportcli.core.errors import InputError
from supportcli.core.flows.model import AnswerValue, Choice
from supportcli.core.i18n import t
from supportcli.core.text import clean

MAX_TEXT = 500
MAX_MULTILINE = 5000
MAX_ID_DIGITS = 20
# How far in the future a time may be before it is refused (clock skew between devices).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class FieldContext(NamedTuple):
    """What the parsers need from outside: the current time (aware), the user's IANA zone, and what
    the pack says about its exchange's assets and pairs."""

    now: dt.datetime
    zone: str = "UTC"
    choices: tuple[Choice, ...] = ()
    allow_date: bool = False  # datetime questions that accept a date alone (e.g. "when did you send it")
    assets: AssetFacts = AssetFacts()


class Parsed(NamedTuple):
    value: AnswerValue
    said_back: str = ""  # shown to the user after the answer, e.g. how a time was understood


class Option(NamedTuple):
    value: str  # re-parses without ambiguity
    label: str


class NeedsClarification(InputError):
    """The answer is valid but can mean two things (a DST gap or an ambiguous hour): ask which."""

    def __init__(self, field_name: str, reason: str, options: Sequence[Option], example: str) -> None:
        super().__init__(field_name, reason, "fields.rejected", example=example)
        self.options = tuple(options)


def reject(field_name: str, reason_key: str, example: str, **params: Any) -> InputError:
    """An InputError for `field_name`: the reason (message `fields.why.<reason_key>`) and an example."""
    return InputError(field_name, t(f"fields.why.{reason_key}", **params), "fields.rejected", example=example)


def as_text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def one_line(field_name: str, value: Any, example: str) -> str:
    text = clean(as_text(value), multiline=False).strip()
    if not text:
        raise reject(field_name, "empty", example)
    return text

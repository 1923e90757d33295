"""The shape of a flow, as loaded from `content/<pack>/flows/<id>.toml`, and of its result.

This module is the seam between the flow engine, the drafts and the cases: fields may be added,
names are not changed. What a flow's records fill is defined in supportcli.core.flows.lookups, what a
run found in supportcli.core.flows.found (imported only where they are used).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from supportcli.core.i18n import Lang, pick

if TYPE_CHECKING:
    from supportcli.core.flows.found import PublicFact, RecordCitation
    from supportcli.core.flows.lookups import MarketInputs, RecordLookup

# The question types a flow may use (see supportcli/core/flows/fields/ for their parsers).
FIELD_TYPES = (
    "text", "multiline", "choice", "confirm", "integer_id", "amount", "pair", "datetime",
    "txhash", "address", "email",
)
StepKind = Literal["advice", "question", "warning"]
# A normalised answer: what `--json` prints and what drafts and the TOML sidecar hold.
#   integer_id -> int; confirm -> bool; choice -> the option's id; datetime -> ISO 8601 with offset;
#   amount -> "1523.40 USDT"; pair -> "BTC/USD"; everything else -> str.
AnswerValue = str | int | bool


@dataclass(frozen=True)
class Choice:
    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class Condition:
    """`when`: what an earlier answer must be for a flow step to apply, or for a template's sentence to be said.

    One condition language for flows and templates (parsed by `supportcli.core.flows.content.parse_conditions`):
    `{ key = "status_shown", equals = ["completed"] }`, `{ key = "network", not_equals = ["other"] }`,
    `{ key = "tx_hash", answered = true }` (there is an answer) or `answered = false` (there is none: the
    question did not apply or was skipped). Every condition of a list must hold.
    """

    key: str
    equals: tuple[AnswerValue, ...] = ()
    not_equals: tuple[AnswerValue, ...] = ()
    answered: bool = True  # False: holds only when `key` has no answer

    def holds(self, answers: Mapping[str, AnswerValue]) -> bool:
        if self.key not in answers:
            return not self.answered
        if not self.answered:
            return False
        value = answers[self.key]
        if self.equals and not _among(value, self.equals):
            return False
        return not (self.not_equals and _among(value, self.not_equals))

    def describe(self) -> str:
        """The condition as a reader of a message sees it: `status_shown = completed / canceled`, `memo = –`."""
        if not self.answered:
            return f"{self.key} = –"
        if self.equals:
            return f"{self.key} = {' / '.join(_shown(v) for v in self.equals)}"
        if self.not_equals:
            return f"{self.key} ≠ {' / '.join(_shown(v) for v in self.not_equals)}"
        return f"{self.key} ≠ –"


def _among(value: AnswerValue, values: tuple[AnswerValue, ...]) -> bool:
    """`value in values`, except that yes/no never equals a number (True == 1 in Python)."""
    return any(type(value) is type(v) and value == v for v in values)


def _shown(value: AnswerValue) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def all_hold(conditions: tuple[Condition, ...], answers: Mapping[str, AnswerValue]) -> bool:
    return all(c.holds(answers) for c in conditions)


@dataclass(frozen=True)
class Step:
    kind: StepKind
    id: str  # for questions: the answer key
    text: dict[str, str]  # advice/warning text, or the question's prompt
    when: tuple[Condition, ...] = ()
    # question-only
    type: str = "text"
    help: dict[str, str] = field(default_factory=dict)
    example: str = ""  # a typical answer (the English one when `examples` is given)
    default: AnswerValue | None = None
    required: bool = True
    choices: tuple[Choice, ...] = ()
    sensitive_context: bool = False  # e.g. the user is describing being contacted: scam warning
    extra: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)  # per language, for answers written in words

    def text_in(self, lang: Lang) -> str:
        return pick(self.text, lang)

    def example_in(self, lang: Lang) -> str:
        return pick(self.examples, lang) if self.examples else self.example

    def applies(self, answers: Mapping[str, AnswerValue]) -> bool:
        return all_hold(self.when, answers)


@dataclass(frozen=True)
class Flow:
    id: str
    title: dict[str, str]
    summary: dict[str, str]
    category: str  # the ticket category / template id
    faq: tuple[str, ...]
    steps: tuple[Step, ...]
    source_file: str = ""
    records: tuple[RecordLookup, ...] = ()
    market_check: MarketInputs | None = None

    def title_in(self, lang: Lang) -> str:
        return pick(self.title, lang)

    @property
    def questions(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.kind == "question")

    def question(self, key: str) -> Step | None:
        return next((s for s in self.questions if s.id == key), None)


@dataclass
class FlowResult:
    flow_id: str
    answers: dict[str, AnswerValue]
    tried: list[str]  # ids of the advice steps the user tried that did not solve it
    resolved: bool = False  # True when an advice step solved it (no draft is written)
    resolved_by: str | None = None
    records: list[RecordCitation] = field(default_factory=list)  # rows of the user's records it used
    public: list[PublicFact] = field(default_factory=list)  # facts from public sources it fetched

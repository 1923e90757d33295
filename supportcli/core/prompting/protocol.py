"""How the core talks to a person (or to an answers file): the `Prompter` protocol.

Every question any command asks goes through one: the flow engine's questions and screens, `cases
log`, the draft review (save / edit / cancel), the rescue of a draft that could not be written, the
confirmation before a draft is removed. There are two implementations: `ScriptedPrompter` (answers
from a mapping: `--answers FILE.toml` and the tests) and the interactive one (questionary) in
`supportcli.term.prompter_questionary`. Callers never know which one they have.

Each plain question (`text`, `multiline`, `select`, `confirm`) carries a `key`: the name a scripted
answer is found under.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from supportcli.core.errors import InputError
from supportcli.core.flows.model import AnswerValue

if TYPE_CHECKING:
    from supportcli.core.flows.fields import Option
    from supportcli.core.flows.model import Flow, Step


class Back:
    """The answer "go back to the previous question"."""

    def __repr__(self) -> str:
        return "BACK"


BACK = Back()
AdviceReply = Literal["solved", "not_solved", "skipped", "back"]
RawAnswer = Any  # what a prompter returns: text, or a bool/int/date from an answers file, or BACK
ChoiceList = Sequence[tuple[str, str]]  # (value, label)


class Question(NamedTuple):
    """One question as the prompter sees it, in the user's language."""

    key: str
    type: str  # a field type (text, multiline, choice, confirm, datetime, …): how it is asked
    prompt: str
    help: str = ""
    example: str = ""
    default: AnswerValue | None = None  # pre-filled answer; None when there is none (or after a refused secret)
    choices: tuple[tuple[str, str], ...] = ()  # (id, label)
    required: bool = True
    can_go_back: bool = False


class SummaryRow(NamedTuple):
    key: str
    label: str
    value: str


class Prompter(Protocol):
    interactive: bool
    warnings: list[str]  # every warning given, in order (a scripted run prints them afterwards)
    notes: list[str]  # every note given ("taken as Asia/Shanghai time …")

    # ------------------------------------------------------------------ plain questions

    def text(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        """One line of text (empty when nothing was typed)."""

    def multiline(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        """Several lines of text."""

    def select(self, key: str, message: str, choices: ChoiceList, *, default: str | None = None,
               search: bool = False) -> str:
        """One of `choices` (their values); `search`: type to filter."""

    def confirm(self, key: str, message: str, *, default: bool = False) -> bool:
        """Yes or no."""

    def warning(self, text: str) -> None:
        """Show a warning (e.g. that support never asks for passwords or recovery phrases)."""

    def note(self, text: str) -> None:
        """Say something back (e.g. how a time was understood)."""

    # ------------------------------------------------------------------ questions with a type, checked

    def ask(self, question: Question) -> RawAnswer:
        """Ask one question; return what was typed (empty for a skipped optional answer) or BACK."""

    def answered(self, question: Question, shown: str) -> None:
        """An answer passed the parser and the guard: show it (only now, so a refused secret is never shown)."""

    def rejected(self, question: Question, error: InputError) -> None:
        """An answer was refused; interactive prompters show why and the question is asked again."""

    def clarify(self, question: Question, reason: str, options: tuple[Option, ...]) -> RawAnswer:
        """The answer can mean two things (e.g. a DST change); return one option's value, or BACK."""

    def confirm_findings(self, question: Question, error: InputError, explanations: list[str]) -> bool:
        """The guard is unsure whether an answer is a secret: keep it (True) or type it again (False)."""

    # ------------------------------------------------------------------ the flow screens

    def choose_flow(self, flows: list[Flow]) -> str:
        """Which flow to run (its id)."""

    def offer_resume(self, saved_at: str) -> bool:
        """Answers of an interrupted run of this flow were saved: continue from them (True) or start again."""

    def intro(self, flow: Flow, *, resumed: bool = False) -> None:
        """What the flow is about, before its first step."""

    def advice(self, step: Step, text: str, *, can_go_back: bool) -> AdviceReply:
        """Show self-help to try; ask whether it solved the problem."""

    def review(self, rows: list[SummaryRow]) -> str | None:
        """The summary screen: return the key of an answer to edit, or None to go on."""

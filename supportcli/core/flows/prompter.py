"""How the flow engine talks to a person (or to an answers file): the `Prompter` protocol.

The engine never knows which prompter it has. `ScriptedPrompter` answers from a dict — the
`--answers FILE.toml` path and the tests use it; the interactive one (questionary) lives in
`supportcli.term.prompter_questionary`.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, Protocol

from supportcli.core.errors import InputError
from supportcli.core.flows.fields import Option
from supportcli.core.flows.model import AnswerValue, Step


class Back:
    """The answer "go back to the previous question"."""

    def __repr__(self) -> str:
        return "BACK"


BACK = Back()
AdviceReply = Literal["solved", "not_solved", "skipped", "back"]
RawAnswer = Any  # what a prompter returns: text, or a bool/int/date from an answers file, or BACK


class Question(NamedTuple):
    """One question as the prompter sees it, in the user's language."""

    step: Step
    key: str
    type: str
    prompt: str
    help: str
    example: str
    default: AnswerValue | None  # pre-filled answer; None when there is none (or after a refused secret)
    choices: tuple[tuple[str, str], ...]  # (id, label)
    required: bool
    can_go_back: bool


class SummaryRow(NamedTuple):
    key: str
    label: str
    value: str


class Prompter(Protocol):
    interactive: bool

    def advice(self, step: Step, text: str, *, can_go_back: bool) -> AdviceReply:
        """Show self-help to try; ask whether it solved the problem."""

    def warning(self, text: str) -> None:
        """Show a warning (e.g. that support never asks for passwords or recovery phrases)."""

    def note(self, text: str) -> None:
        """Say something back (e.g. how a time was understood)."""

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

    def review(self, rows: list[SummaryRow]) -> str | None:
        """The summary screen: return the key of an answer to edit, or None to go on."""


class ScriptedPrompter:
    """Answers from a mapping of question key -> value; never prompts.

    A missing answer falls back to the question's default; a required question without a default
    and without an answer raises InputError naming the key. Advice steps are passed over; the ids in
    `tried` are reported as tried (and not solved). Any refused answer ends the run (exit 2).
    """

    interactive = False

    def __init__(self, answers: dict[str, Any], *, tried: tuple[str, ...] = ()) -> None:
        self.answers = dict(answers)
        self.tried = set(tried)
        self.notes: list[str] = []
        self.warnings: list[str] = []
        self.asked: list[str] = []

    def advice(self, step: Step, text: str, *, can_go_back: bool) -> AdviceReply:
        # A file cannot say an advice solved it; only the steps it lists under `_tried` were tried.
        return "not_solved" if step.id in self.tried else "skipped"

    def warning(self, text: str) -> None:
        self.warnings.append(text)

    def note(self, text: str) -> None:
        # Said back about the answer just read (e.g. the zone a time was taken in): name its key.
        self.notes.append(f"{self.asked[-1]}: {text}" if self.asked else text)

    def ask(self, question: Question) -> RawAnswer:
        self.asked.append(question.key)
        if question.key in self.answers:
            return self.answers[question.key]
        if question.default is not None:
            return question.default
        if not question.required:
            return ""
        raise InputError(question.key, "", "troubleshoot.answer_missing", example=question.example or "-")

    def answered(self, question: Question, shown: str) -> None:
        pass

    def rejected(self, question: Question, error: InputError) -> None:
        raise error

    def clarify(self, question: Question, reason: str, options: tuple[Option, ...]) -> RawAnswer:
        raise InputError(question.key, reason, "troubleshoot.answer_ambiguous",
                         options=", ".join(o.value for o in options))

    def confirm_findings(self, question: Question, error: InputError, explanations: list[str]) -> bool:
        raise error

    def review(self, rows: list[SummaryRow]) -> str | None:
        return None

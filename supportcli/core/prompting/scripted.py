"""The scripted Prompter: answers from a mapping of key -> value; it never prompts.

A missing answer falls back to the question's default; a required question without a default and
without an answer raises InputError naming the key. Advice steps are passed over; the ids in `tried`
are reported as tried (and not solved). Any refused answer ends the run (exit 2). A value the guard
is unsure about is kept only with `confirm_unsure` (`--not-secret`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from supportcli.core.errors import InputError
from supportcli.core.prompting.protocol import AdviceReply, ChoiceList, Question, RawAnswer, SummaryRow

if TYPE_CHECKING:
    from supportcli.core.flows.fields import Option
    from supportcli.core.flows.model import Flow, Step


class ScriptedPrompter:
    interactive = False

    def __init__(self, answers: dict[str, Any], *, tried: tuple[str, ...] = (), confirm_unsure: bool = False) -> None:
        self.answers = dict(answers)
        self.tried = set(tried)
        self.confirm_unsure = confirm_unsure
        self.notes: list[str] = []
        self.warnings: list[str] = []
        self.asked: list[str] = []

    # ------------------------------------------------------------------ plain questions

    def _given(self, key: str) -> Any:
        self.asked.append(key)
        return self.answers.get(key)

    def text(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        given = self._given(key)
        return default if given is None else str(given)

    def multiline(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        return self.text(key, message, default=default, hint=hint)

    def select(self, key: str, message: str, choices: ChoiceList, *, default: str | None = None,
               search: bool = False) -> str:
        given = self._given(key)
        values = [value for value, _ in choices]
        if given is None and default is not None:
            return default
        if given is None:
            raise InputError(key, "", "troubleshoot.answer_missing", example=values[0] if values else "-")
        if str(given) not in values:
            from supportcli.core.i18n import t

            raise InputError(key, t("fields.why.choice", allowed=", ".join(values)))
        return str(given)

    def confirm(self, key: str, message: str, *, default: bool = False) -> bool:
        given = self._given(key)
        if given is None:
            return default
        from supportcli.core.flows.fields.text import read_yes_no

        return read_yes_no(key, given)

    def warning(self, text: str) -> None:
        self.warnings.append(text)

    def note(self, text: str) -> None:
        # Said back about the answer just read (e.g. the zone a time was taken in): name its key.
        self.notes.append(f"{self.asked[-1]}: {text}" if self.asked else text)

    # ------------------------------------------------------------------ questions with a type

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
        if self.confirm_unsure:
            return True
        raise error

    # ------------------------------------------------------------------ the flow screens

    def choose_flow(self, flows: list[Flow]) -> str:
        from supportcli.core.errors import UsageError

        raise UsageError("troubleshoot.answers_need_flow")

    def offer_resume(self, saved_at: str) -> bool:
        return False  # an answers file is a whole run of its own

    def intro(self, flow: Flow, *, resumed: bool = False) -> None:
        pass

    def advice(self, step: Step, text: str, *, can_go_back: bool) -> AdviceReply:
        # A file cannot say an advice solved it; only the steps it lists under `_tried` were tried.
        return "not_solved" if step.id in self.tried else "skipped"

    def review(self, rows: list[SummaryRow]) -> str | None:
        return None

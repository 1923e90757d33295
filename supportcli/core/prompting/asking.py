"""The one ask-until-valid loop: a question is asked until its answer parses and passes the guard.

The flow engine asks every flow question through it, `cases log` asks what happened through it. The
guard sees the raw text first (a secret must not even reach the parser's messages); a refused secret
is never offered back as the default, a typo is (to fix instead of typing it all again); an answer
that can mean two things (a daylight-saving change) is clarified; an unsure finding is confirmed or
typed again; talk of being contacted by "support" brings the scam warning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from supportcli.core.errors import InputError
from supportcli.core.flows.fields import NeedsClarification, Parsed
from supportcli.core.flows.model import AnswerValue
from supportcli.core.i18n import t
from supportcli.core.prompting.guard import AnswerGuard, SecretFound, SecretsGuard
from supportcli.core.prompting.protocol import BACK, Back, Prompter, Question, RawAnswer

if TYPE_CHECKING:
    from supportcli.core.pack import Manifest

Reader = Callable[[RawAnswer], Parsed]  # the raw answer read as its field type; InputError if it is not one
Shower = Callable[[AnswerValue, RawAnswer], str]  # how an accepted answer is shown back


def _as_typed(value: AnswerValue, raw: RawAnswer) -> str:
    return str(value)


class Asker:
    """Asks questions through `prompter`, each until valid. `confirmed` holds the keys whose unsure
    findings the user said are not secrets."""

    def __init__(
        self, prompter: Prompter, guard: AnswerGuard | None = None, *, manifest: Manifest | None = None,
    ) -> None:
        self.prompter = prompter
        self.guard: AnswerGuard = guard if guard is not None else SecretsGuard()
        self.manifest = manifest  # the pack's names and channels, for the scam warning
        self.confirmed: set[str] = set()

    def ask(
        self, question: Question, read: Reader, *, show: Shower = _as_typed, sensitive: bool = False,
    ) -> AnswerValue | Back | None:
        """Ask until the answer is read and passes the guard. None: an optional question was left empty.

        `sensitive`: the scam warning is checked for whatever the type (free text always is).
        """
        current = question
        while True:
            raw = self.prompter.ask(current)
            if isinstance(raw, Back):
                return BACK
            if isinstance(raw, str) and not raw.strip():
                # An optional answer erased (even a pre-filled one) is left empty; a required one falls
                # back to its default, if it has one.
                if not current.required:
                    self.prompter.answered(current, t("troubleshoot.skipped"))
                    return None
                if current.default is not None:
                    raw = current.default
            try:
                value = self._accept(current, raw, read, show, sensitive)
            except NeedsClarification as exc:
                chosen = self.prompter.clarify(current, exc.reason, exc.options)
                if isinstance(chosen, Back):
                    if isinstance(raw, str):
                        current = current._replace(default=raw)  # back to the time as typed, to change it
                    continue
                try:
                    value = self._accept(current, chosen, read, show, sensitive)
                except InputError as again:
                    self.prompter.rejected(current, with_example(again, current))
                    continue
            except InputError as exc:
                if isinstance(exc, SecretFound):
                    current = question._replace(default=None)  # never offer a secret back
                elif isinstance(raw, str) and raw.strip():
                    current = current._replace(default=raw)  # fix a typo instead of typing it all again
                self.prompter.rejected(current, with_example(exc, current))
                continue
            if value is None:  # the user chose to type it again
                current = question._replace(default=None)
                continue
            return value

    def _accept(self, question: Question, raw: Any, read: Reader, show: Shower, sensitive: bool) -> AnswerValue | None:
        """The answer, or None when the user chose to type it again (after an unsure finding)."""
        # The guard sees the raw text first: a secret must not even reach the parser's messages.
        if isinstance(raw, str) and raw.strip() and not self._guard_ok(question, raw, sensitive):
            return None
        parsed = read(raw)
        self.prompter.answered(question, show(parsed.value, raw))
        if parsed.said_back:
            self.prompter.note(parsed.said_back)
        return parsed.value

    def _guard_ok(self, question: Question, text: str, sensitive: bool) -> bool:
        """True when the guard lets `text` through (after the user confirmed an unsure finding).

        A refused secret raises SecretFound; the loop shows it and asks again with an empty default.
        """
        try:
            self.guard.check(question.key, text, field_type=question.type, confirmed=False)
        except SecretFound as exc:
            if not exc.needs_confirmation:
                raise
            if not self.prompter.confirm_findings(question, exc, self.guard.explain(exc)):
                return False
            self.guard.check(question.key, text, field_type=question.type, confirmed=True)
            self.confirmed.add(question.key)
        if (sensitive or question.type in ("text", "multiline")) and self.guard.mentions_contact_scam(text):
            self.prompter.warning(self.guard.scam_warning(self.manifest))
        return True


def with_example(error: InputError, question: Question) -> InputError:
    """A refusal gives the question's own example (0.25 BTC), the one shown with it, not the type's."""
    if question.example and "example" in error.params:
        error.params["example"] = question.example
    return error


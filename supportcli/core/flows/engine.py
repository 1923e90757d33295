"""Runs a flow: self-help first, then the questions that apply, then a summary that can be edited.

No terminal I/O happens here: every answer comes from a `Prompter`. Every typed answer goes
through the field parser and the secret guard before it is kept; a refused answer is never stored,
so a Ctrl-C session file cannot hold it either. Answers given up front (a case, a resumed session)
and answers found in the user's records (`FlowAssist`, supportcli.core.flows.assist) pass the same
parsers and guard (`take`). The state (`answers`, `tried`) stays readable after an interruption so
the caller can save it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from supportcli.core.assets import AssetFacts
from supportcli.core.errors import InputError
from supportcli.core.flows.fields import FieldContext, choice_label, parse
from supportcli.core.flows.model import AnswerValue, Flow, FlowResult, Step
from supportcli.core.i18n import Lang, pick, t
from supportcli.core.prompting.asking import Asker
from supportcli.core.prompting.protocol import Back, Prompter, Question, SummaryRow
from supportcli.core.tz import format_moment

if TYPE_CHECKING:
    from collections.abc import Mapping

    from supportcli.core.flows.assist import FlowAssist
    from supportcli.core.pack import Manifest
    from supportcli.core.prompting.guard import AnswerGuard


class FlowEngine:
    """One run of one flow. `answers`, `tried` and `skipped` always hold what was accepted so far."""

    def __init__(
        self, flow: Flow, prompter: Prompter, *, now: dt.datetime, zone: str = "UTC", lang: Lang = "en",
        initial: dict[str, Any] | None = None, tried_initial: tuple[str, ...] = (),
        skipped_initial: tuple[str, ...] = (), guard: AnswerGuard | None = None, manifest: Manifest | None = None,
        assist: FlowAssist | None = None,
    ) -> None:
        self.flow = flow
        self.prompter = prompter
        self.manifest = manifest
        self.assist = assist  # the user's records and the online checks, when the caller gives them
        # Every answer is asked until valid; the guard (the real one unless a test gives its own) is
        # imported on the first answer, not before the first prompt.
        self.asker = Asker(prompter, guard, manifest=manifest)
        self.assets = manifest.assets if manifest is not None else AssetFacts()  # the pack's codes and pairs
        self.now = now
        self.zone = zone
        self.lang: Lang = lang
        self.initial = dict(initial or {})
        advice = {st.id for st in flow.steps if st.kind == "advice"}
        self.answers: dict[str, AnswerValue] = {}
        self.tried: list[str] = [s for s in tried_initial if s in advice]
        self.skipped: set[str] = {
            k for k in skipped_initial if (q := flow.question(k)) is not None and not q.required
        }
        self._previous: dict[str, AnswerValue] = {}
        self._warned: set[str] = set()
        self._passed: set[str] = set()  # advice a scripted run passed over
        self._history: list[int] = []

    # ------------------------------------------------------------------ public

    def run(self, *, review: bool = True) -> FlowResult:
        """Walk the flow to its end (or to the advice that solved it), then offer the summary."""
        self._take_initial()
        solved_by = self._walk()
        if solved_by is not None:
            return self._result(solved_by)
        while review:
            key = self.prompter.review(self.summary_rows())
            if key is None:
                break
            solved_by = self.edit(key)
            if solved_by is not None:
                return self._result(solved_by)
        return self._result(None)

    def _result(self, solved_by: str | None) -> FlowResult:
        answers = self._pruned()
        result = FlowResult(self.flow.id, answers, list(self.tried), resolved=solved_by is not None,
                            resolved_by=solved_by)
        if self.assist is not None:
            result.records = self.assist.citations(answers)
            result.public = list(self.assist.public)
        return result

    def edit(self, key: str) -> str | None:
        """Ask one answered question again (its answer is the default), then any newly applicable steps.

        Returns the id of an advice step that solved the problem on the way, if one did.
        """
        step = self.flow.question(key)
        if step is None:
            return None
        value = self._ask_until_valid(step, default=self.answers.get(key, step.default), can_go_back=False)
        if not isinstance(value, Back):
            self._set(step, value)
        self._history.clear()
        solved_by = self._walk()
        self.answers = self._pruned()
        return solved_by

    def summary_rows(self) -> list[SummaryRow]:
        """Every answered question that applies, and the optional ones left empty (they can be filled in)."""
        rows: list[SummaryRow] = []
        found = self.assist.filled_from_records(self.answers) if self.assist is not None else set()
        for step in self.flow.questions:
            if not step.applies(self.answers):
                continue
            if step.id in self.answers:
                shown = self.display(step, self.answers[step.id])
                if step.id in found:
                    shown = t("troubleshoot.records.marked", value=shown)
                rows.append(SummaryRow(step.id, step.text_in(self.lang), shown))
            elif step.id in self.skipped:
                rows.append(SummaryRow(step.id, step.text_in(self.lang), t("troubleshoot.skipped")))
        return rows

    def display(self, step: Step, value: AnswerValue) -> str:
        """An answer as the user reads it in the summary."""
        if step.type == "choice":
            return choice_label(step.choices, value, self.lang)
        if step.type == "confirm":
            return t("troubleshoot.yes" if value else "troubleshoot.no")
        if step.type == "datetime" and isinstance(value, str) and "T" in value:
            try:
                return format_moment(dt.datetime.fromisoformat(value), self.zone)
            except ValueError:
                return value
        return str(value)

    # ------------------------------------------------------------------ the walk

    def exchange(self, lang: Lang) -> str:
        """The exchange's name in `lang` (for what the online checks say)."""
        return self.manifest.name_in(lang) if self.manifest is not None else ""

    def parsed(self, step: Step, raw: Any) -> AnswerValue | None:
        """`raw` read as `step`'s answer, or None when it is not a valid one (nothing is said)."""
        try:
            return parse(step.type, step.id, raw, self.context(step)).value
        except InputError:
            return None

    def take(self, values: Mapping[str, Any]) -> dict[str, AnswerValue]:
        """Answers not typed here (given up front, found in the records) checked like typed ones: the
        field parser, then the guard. One that is not valid here is said (which, and why) and its
        question is asked. Returns the answers taken."""
        taken: dict[str, AnswerValue] = {}
        for key, raw in values.items():
            step = self.flow.question(key)
            if step is None:
                continue
            try:
                parsed = parse(step.type, key, raw, self.context(step))
                if isinstance(parsed.value, str):
                    self.asker.guard.check(key, parsed.value, field_type=step.type, confirmed=True)
            except InputError as exc:
                self.prompter.note(t("troubleshoot.initial_not_taken", reason=exc.render()))
                continue
            self._set(step, parsed.value)
            taken[key] = parsed.value
        return taken

    def _take_initial(self) -> None:
        """Answers given up front (a case, a resumed session), for the questions not answered yet."""
        self.take({key: raw for key, raw in self.initial.items() if key not in self.answers})
        # What was answered or tried before (a resumed session, a case) is where `<` at the first
        # question asked now goes back to, the last of it first, as if it had been answered just now.
        for index, step in enumerate(self.flow.steps):
            if step.kind == "warning" or not step.applies(self.answers):
                continue
            if step.id in (self.tried if step.kind == "advice" else (*self.answers, *self.skipped)):
                self._history.append(index)

    def _pending(self, step: Step) -> bool:
        if not step.applies(self.answers):
            return False
        if step.kind == "warning":
            return step.id not in self._warned
        if step.kind == "advice":
            return step.id not in self.tried and step.id not in self._passed
        return step.id not in self.answers and step.id not in self.skipped

    def _walk(self) -> str | None:
        """Go through the steps that still need something; return the advice id that solved it, if any."""
        index = 0
        steps = self.flow.steps
        while True:
            if self.assist is not None:
                self.assist.consult(self)  # the records, the market check: once what they need is answered
            if index >= len(steps):
                break
            step = steps[index]
            if not self._pending(step):
                index += 1
                continue
            if step.kind == "warning":
                self._warned.add(step.id)
                self.prompter.warning(step.text_in(self.lang))
                index += 1
                continue
            can_go_back = bool(self._history)
            if step.kind == "advice":
                if self.assist is not None:
                    self.assist.before_advice(self, step)  # e.g. the platform status, when allowed
                reply = self.prompter.advice(step, step.text_in(self.lang), can_go_back=can_go_back)
                if reply == "back" and can_go_back:
                    index = self._go_back()
                    continue
                if reply == "solved":
                    return step.id
                if reply == "skipped":
                    self._passed.add(step.id)
                else:
                    self.tried.append(step.id)
                self._history.append(index)
                index += 1
                continue
            default = self._previous.get(step.id, step.default)
            value = self._ask_until_valid(step, default=default, can_go_back=can_go_back)
            if isinstance(value, Back):
                if can_go_back:
                    index = self._go_back()
                continue
            self._set(step, value)
            self._history.append(index)
            index += 1
        return None

    def _go_back(self) -> int:
        target = self._history.pop()
        step = self.flow.steps[target]
        if step.kind == "advice":
            if step.id in self.tried:
                self.tried.remove(step.id)
            self._passed.discard(step.id)
        else:
            if step.id in self.answers:
                self._previous[step.id] = self.answers.pop(step.id)
            self.skipped.discard(step.id)
        return 0  # the walk skips what is answered, so it stops at `target` again

    def _set(self, step: Step, value: AnswerValue | None) -> None:
        if value is None:
            self.answers.pop(step.id, None)
            self.skipped.add(step.id)
        else:
            self.answers[step.id] = value
            self.skipped.discard(step.id)

    def _pruned(self) -> dict[str, AnswerValue]:
        """Only the answers whose questions still apply, given the answers before them."""
        kept: dict[str, AnswerValue] = {}
        for step in self.flow.questions:
            if step.id in self.answers and step.applies(kept):
                kept[step.id] = self.answers[step.id]
        return kept

    # ------------------------------------------------------------------ one question

    def context(self, step: Step) -> FieldContext:
        return FieldContext(
            now=self.now, zone=self.zone, choices=step.choices, allow_date=bool(step.extra.get("allow_date")),
            assets=self.assets,
        )

    def _question(self, step: Step, default: AnswerValue | None, can_go_back: bool) -> Question:
        return Question(
            key=step.id, type=step.type, prompt=step.text_in(self.lang),
            help=pick(step.help, self.lang) if step.help else "", example=step.example_in(self.lang), default=default,
            choices=tuple((c.id, pick(c.label, self.lang)) for c in step.choices), required=step.required,
            can_go_back=can_go_back,
        )

    def _ask_until_valid(
        self, step: Step, *, default: AnswerValue | None, can_go_back: bool
    ) -> AnswerValue | Back | None:
        """Ask until the answer parses and passes the guard. None means an optional question was skipped."""

        def shown(value: AnswerValue, raw: Any) -> str:
            return str(raw) if step.type == "datetime" else self.display(step, value)

        return self.asker.ask(
            self._question(step, default, can_go_back),
            lambda raw: parse(step.type, step.id, raw, self.context(step)),
            show=shown, sensitive=step.sensitive_context,
        )

"""The interactive Prompter: questionary prompts, with our own text printed through the Terminal.

questionary (and prompt_toolkit) are imported here only, when the first prompt is about to be drawn.
Ctrl-C is not swallowed: `unsafe_ask()` lets KeyboardInterrupt reach the caller (the flow session
saves the answers so far; the draft review keeps the draft). Questions are asked on the Terminal's
`prompt_input` / `prompt_output` (tests: a prompt_toolkit pipe input and a dummy output).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from supportcli.core.errors import InputError
from supportcli.core.flows.fields import Option
from supportcli.core.flows.model import AnswerValue, Flow, Step
from supportcli.core.i18n import Lang, t
from supportcli.core.prompting.protocol import BACK, AdviceReply, ChoiceList, Question, RawAnswer, SummaryRow
from supportcli.core.text import clean
from supportcli.term.wrap import display_width

if TYPE_CHECKING:
    from supportcli.term.terminal import Terminal

_SGR = {"bold": "\x1b[1m", "dim": "\x1b[2m", "yellow": "\x1b[33m", "red": "\x1b[31m", "cyan": "\x1b[36m"}
BACK_TEXT = "<"  # typed alone in a text prompt: go back one question
_BACK_ID = "__back__"
_DONE_ID = "__done__"


def _yes_no() -> list[tuple[str, str]]:
    return [("yes", t("troubleshoot.q.confirm_yes")), ("no", t("troubleshoot.q.confirm_no"))]


class QuestionaryPrompter:
    interactive = True

    def __init__(self, terminal: Terminal, lang: Lang, *, input: Any = None, output: Any = None) -> None:
        self.terminal = terminal
        self.lang = lang
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self._io: dict[str, Any] = {}
        if (input or terminal.prompt_input) is not None:
            self._io["input"] = input or terminal.prompt_input
        if (output or terminal.prompt_output) is not None:
            self._io["output"] = output or terminal.prompt_output

    # ------------------------------------------------------------------ printing

    def _styled(self, text: str, style: str) -> None:
        """One line in a colour (plain when colour is off). Plain SGR codes: rich is not needed here,
        and not importing it keeps the first prompt quick."""
        code = _SGR.get(style, "") if self.terminal.color else ""
        if self.terminal.stdout_isatty:
            from supportcli.term.wrap import wrap

            text = wrap(clean(text), self.terminal.columns() - 1)
        if not code:
            self.terminal.echo(text)
            return
        self.terminal.stdout.write(code + clean(text) + "\x1b[0m\n")
        self.terminal.stdout.flush()

    def intro(self, flow: Flow, *, resumed: bool = False) -> None:
        self._styled(t("troubleshoot.q.intro", title=flow.title_in(self.lang),
                       summary=flow.summary.get(self.lang, "")), "bold")
        if flow.faq:
            self._styled(t("troubleshoot.q.related", ids=", ".join(flow.faq)), "dim")
        self._styled(t("troubleshoot.q.intro_keys"), "dim")
        if resumed:
            self._styled(t("troubleshoot.q.resumed"), "dim")

    def offer_resume(self, saved_at: str) -> bool:
        """Answers of an interrupted run of this flow were saved: continue from them (True) or start again."""
        when = saved_at.replace("T", " ")[:16]
        choice = self._select(
            t("troubleshoot.q.resume_prompt", saved_at=when),
            [("resume", t("troubleshoot.q.resume_yes")), ("fresh", t("troubleshoot.q.resume_no"))], "resume",
        )
        return choice == "resume"

    def warning(self, text: str) -> None:
        self.warnings.append(text)
        self._styled("⚠ " + text, "yellow")

    def note(self, text: str) -> None:
        self.notes.append(text)
        self._styled("  " + text, "cyan")

    def rejected(self, question: Question, error: InputError) -> None:
        self._styled("✗ " + _refusal(question, error), "red")

    # ------------------------------------------------------------------ plain questions

    def select(self, key: str, message: str, choices: ChoiceList, *, default: str | None = None,
               search: bool = False) -> str:
        import questionary

        options = [questionary.Choice(title=label, value=value) for value, label in choices]
        chosen = next((o for o in options if o.value == default), None)
        question = questionary.select(
            message, choices=options, default=chosen, use_search_filter=search, use_jk_keys=not search,
            instruction=t("troubleshoot.q.arrows_filter" if search else "troubleshoot.q.arrows"), **self._io,
        )
        if search:
            _filter_on_any_text(question)
        return str(question.unsafe_ask())

    def _select(self, message: str, choices: ChoiceList, default: str | None = None, *, search: bool = False) -> str:
        return self.select("", message, choices, default=default, search=search)

    def text(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        return self._typed(message, default=default, hint=hint, multiline=False)

    def multiline(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        return self._typed(message, default=default, hint=hint, multiline=True)

    def _typed(self, message: str, *, default: str, hint: str, multiline: bool, erase: bool = False) -> str:
        import questionary

        if multiline:
            # prompt_toolkit cannot draw a multi-line input after a prompt wider than the screen:
            # the question goes on its own line, the input gets a short marker.
            self._styled("? " + message, "bold")
            message = "›"
        if hint:
            self._styled("  " + hint, "dim")
        return str(questionary.text(
            message, default=default, multiline=multiline, erase_when_done=erase,
            instruction=t("troubleshoot.q.multiline") if multiline else None, **self._io,
        ).unsafe_ask())

    def confirm(self, key: str, message: str, *, default: bool = False) -> bool:
        return self.select(key, message, _yes_no(), default="yes" if default else "no") == "yes"

    # ------------------------------------------------------------------ the flow screens

    def choose_flow(self, flows: list[Flow]) -> str:
        ordered = sorted(flows, key=lambda f: (f.id == "general", f.id))
        return self._select(
            t("troubleshoot.q.pick_flow"), [(f.id, f"{f.title_in(self.lang)}  [{f.id}]") for f in ordered],
            search=True,
        )

    def advice(self, step: Step, text: str, *, can_go_back: bool) -> AdviceReply:
        self._styled(t("troubleshoot.q.try_this"), "bold")
        self._styled("  " + text, "plain")
        choices = [("not_solved", t("troubleshoot.q.solved_no")), ("solved", t("troubleshoot.q.solved_yes"))]
        if can_go_back:
            choices.append(("back", t("troubleshoot.q.back")))
        reply = self._select(t("troubleshoot.q.solved"), choices, "not_solved")
        if reply == "solved":
            return "solved"
        if reply == "back":
            return "back"
        return "not_solved"

    def ask(self, question: Question) -> RawAnswer:
        if question.help:
            self._styled("  " + question.help, "dim")
        if question.type == "choice":
            choices = list(question.choices)
            if question.can_go_back:
                choices.append((_BACK_ID, t("troubleshoot.q.back")))
            value = self._select(question.prompt, choices, str(question.default) if question.default else None)
            return BACK if value == _BACK_ID else value
        if question.type == "confirm":
            choices = _yes_no()
            if question.can_go_back:
                choices.append((_BACK_ID, t("troubleshoot.q.back")))
            default = None if question.default is None else ("yes" if question.default else "no")
            value = self._select(question.prompt, choices, default)
            return BACK if value == _BACK_ID else value == "yes"
        return self._text(question)

    def _text(self, question: Question) -> RawAnswer:
        hints = []
        if question.example:
            hints.append(t("troubleshoot.q.example", example=question.example))
        if not question.required and not _says_optional(question.prompt):
            hints.append(t("troubleshoot.q.optional"))
        # The typed text is erased when Enter is pressed; `answered` shows it again once the guard has
        # let it through, so a refused secret does not stay on the screen.
        text = self._typed(question.prompt, default=_default_text(question.default), hint=" ".join(hints),
                           multiline=question.type == "multiline", erase=True)
        if text.strip() == BACK_TEXT:
            # Back to the previous question; when changing an answer from the summary, back to the
            # summary with the answer as it was (never the text "<" as an answer).
            return BACK
        return text

    def answered(self, question: Question, shown: str) -> None:
        if question.type in ("choice", "confirm"):
            return  # the menu already shows the chosen option
        if question.type == "multiline":
            self.terminal.echo("  " + shown.replace("\n", "\n  "))
            return
        self._styled(f"? {question.prompt} {shown}", "bold")

    def clarify(self, question: Question, reason: str, options: tuple[Option, ...]) -> RawAnswer:
        self._styled(reason, "yellow")
        choices = [(o.value, o.label) for o in options] + [(_BACK_ID, t("troubleshoot.q.back"))]
        value = self._select(t("troubleshoot.q.which"), choices)
        return BACK if value == _BACK_ID else value

    def confirm_findings(self, question: Question, error: InputError, explanations: list[str]) -> bool:
        for line in explanations:
            self._styled("⚠ " + line, "yellow")
        value = self._select(
            t("troubleshoot.q.not_secret"),
            [("again", t("troubleshoot.q.type_again")), ("keep", t("troubleshoot.q.keep_it"))], "again",
        )
        return value == "keep"

    def review(self, rows: list[SummaryRow]) -> str | None:
        self._styled(t("troubleshoot.q.summary"), "bold")
        from supportcli.term.wrap import wrap

        columns = self.terminal.columns() - 1
        width = max((display_width(r.label) for r in rows), default=0)
        longest = max((display_width(line) for r in rows for line in r.value.split("\n")), default=0)
        if width + 4 + longest <= columns:  # label and value side by side
            for row in rows:
                value = row.value.replace("\n", "\n" + " " * (width + 4))
                self.terminal.echo(f"  {row.label}{' ' * (width - display_width(row.label))}  {value}")
        else:  # too wide for one line: the label, then the value indented below it
            for row in rows:
                self._styled("  " + row.label, "dim")
                value = "\n".join("    " + line for line in row.value.split("\n"))
                self.terminal.echo(wrap(value, columns) if self.terminal.stdout_isatty else value)
        choices = [(_DONE_ID, t("troubleshoot.q.looks_right"))]
        choices += [(r.key, t("troubleshoot.q.edit", label=r.label)) for r in rows]
        value = self._select(t("troubleshoot.q.review_prompt"), choices, _DONE_ID)
        return None if value == _DONE_ID else value


def _filter_on_any_text(question: Any) -> None:
    """questionary's type-to-filter takes ASCII keys only: let Chinese (any printable) text filter too."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.key_binding.key_processor import KeyPressEvent
    from prompt_toolkit.keys import Keys
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next((c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl)), None)
    if control is None:
        return
    extra = KeyBindings()

    @extra.add(Keys.Any)
    def _typed(event: KeyPressEvent) -> None:
        if event.data.isprintable() and not event.data.isascii():
            for char in event.data:
                control.add_search_character(char)  # type: ignore[arg-type]  # the filter keeps str(char)

    app.key_bindings = merge_key_bindings([app.key_bindings, extra])


def _refusal(question: Question, error: InputError) -> str:
    """A refusal naming the question as the user read it: answer keys (trade_id) are for answers files."""
    if error.field != question.key or "field" not in error.params:
        return error.render()
    return t(error.key, **{**error.params, "field": _short_label(question.prompt)})


def _short_label(prompt: str) -> str:
    """"Trade id (the number of the fill …)" -> "Trade id"; "When did it happen?" -> "When did it happen"."""
    import re

    short = re.sub(r"\s*[（(][^（()）]*[)）]\s*$", "", prompt).rstrip(" ?？:：")
    return short or prompt


def _says_optional(prompt: str) -> bool:
    lowered = prompt.lower()
    return "optional" in lowered or "可选" in prompt


def _default_text(value: AnswerValue | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("troubleshoot.yes" if value else "troubleshoot.no")
    return str(value)

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
ANSWER_ROOM = 20  # columns a one-line answer gets after its question, or it starts on a line of its own


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
        self._refused = ""  # the key of the question just refused: its help and example are not repeated

    # ------------------------------------------------------------------ printing

    def _styled(self, text: str, style: str) -> None:
        """One line in a colour (plain when colour is off). Plain SGR codes: rich is not needed here,
        and not importing it keeps the first prompt quick."""
        code = _SGR.get(style, "") if self.terminal.color else ""
        if self.terminal.stdout_isatty:
            from supportcli.term.wrap import wrap

            text = wrap(clean(text), self._width())
        if not code:
            self.terminal.echo(text)
            return
        self.terminal.stdout.write(code + clean(text) + "\x1b[0m\n")
        self.terminal.stdout.flush()

    def _width(self) -> int:
        """The columns a line may take: the prompt screen's width (the terminal's), less one so that a
        full line never makes the terminal wrap on its own."""
        output = self._io.get("output")
        columns = 0
        if output is not None:
            try:
                columns = int(output.get_size().columns)
            except (OSError, ValueError, AttributeError):
                columns = 0
        return (columns or self.terminal.columns()) - 1

    def _fit(self, message: str, instruction: str = "", *, room: int = 0) -> tuple[str, str]:
        """The question and its instruction as questionary draws them (`? message instruction`), broken
        into lines that fit the screen, by display width and never inside a word. `room`: the columns
        the answer needs after them; with less left, the answer starts on a line of its own.

        prompt_toolkit wraps a prompt by characters, and cannot draw a multi-line input at all after a
        prompt wider than the screen (it goes blank): every prompt is fitted here first.
        """
        from supportcli.term.wrap import wrap_line

        width = self._width()
        lines = wrap_line("? " + clean(message, multiline=False), width)
        fitted = "\n".join([lines[0][2:], *lines[1:]])
        used = display_width(lines[-1])
        fitted_instruction = ""
        if instruction and used + 1 + display_width(instruction) <= width:
            fitted_instruction = instruction
            used += 1 + display_width(instruction)
        elif instruction:
            below = wrap_line("  " + instruction, width)
            fitted_instruction = "\n" + "\n".join(below)
            used = display_width(below[-1])
        if room and width - used - 2 < room:
            fitted_instruction += "\n›"
        return fitted, fitted_instruction

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
        self._refused = question.key

    # ------------------------------------------------------------------ plain questions

    def select(self, key: str, message: str, choices: ChoiceList, *, default: str | None = None,
               search: bool = False) -> str:

        return self._select(message, choices, default, search=search)

    def _select(self, message: str, choices: ChoiceList, default: str | None = None, *, search: bool = False,
                also_matches: dict[str, str] | None = None) -> str:
        """A menu. `also_matches`: more text each value is found by when typing to filter (the other
        language's title), beside the label shown."""
        import questionary

        from supportcli.term.wrap import shorten

        room = self._width() - 3  # after the pointer
        options = [questionary.Choice(title=shorten(label, room), value=value) for value, label in choices]
        chosen = next((o for o in options if o.value == default), None)
        keys = t("troubleshoot.q.arrows_filter" if search else "troubleshoot.q.arrows")
        shown, instruction = self._fit(message, keys)
        question = questionary.select(
            shown, choices=options, default=chosen, use_search_filter=search, use_jk_keys=not search,
            instruction=instruction, erase_when_done=True, **self._io,
        )
        if search:
            _filter_on_any_text(question, also_matches or {})
        value = str(question.unsafe_ask())
        # The menu is erased once answered; the question stays, with the answer, wrapped to the screen.
        label = next((lbl for val, lbl in choices if val == value), value)
        self._styled(f"? {message} {label}", "bold")
        return value

    def text(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        return self._typed(message, default=default, hint=hint, multiline=False)

    def multiline(self, key: str, message: str, *, default: str = "", hint: str = "") -> str:
        return self._typed(message, default=default, hint=hint, multiline=True)

    def _typed(self, message: str, *, default: str, hint: str, multiline: bool, erase: bool = False) -> str:
        import questionary

        if not multiline:
            # The hint (an example, "optional") follows the question, dim, and goes with it once answered.
            shown, instruction = self._fit(message, hint, room=ANSWER_ROOM)
            return str(questionary.text(
                shown, default=default, erase_when_done=erase, instruction=instruction, **self._io,
            ).unsafe_ask())
        # prompt_toolkit pads every further line of a multi-line input to the width of the prompt's last
        # line, and draws nothing when that is wider than the screen. So the question, the hint and the
        # keys go on lines of their own above (fitted to the screen), and the input starts after a
        # one-column marker.
        from supportcli.term.wrap import wrap_line

        shown, _ = self._fit(message)
        below = " ".join(part for part in (hint, t("troubleshoot.q.multiline")) if part)
        keys = "\n".join(wrap_line("  " + below, self._width()))
        return str(questionary.text(
            shown, default=default, multiline=True, erase_when_done=erase, instruction=f"\n{keys}\n›",
            **self._io,
        ).unsafe_ask())

    def confirm(self, key: str, message: str, *, default: bool = False) -> bool:
        return self.select(key, message, _yes_no(), default="yes" if default else "no") == "yes"

    # ------------------------------------------------------------------ the flow screens

    def choose_flow(self, flows: list[Flow]) -> str:
        ordered = sorted(flows, key=lambda f: (f.id == "general", f.id))
        # Typing filters on the title in either language: 提现 finds the withdrawal flow in English too.
        titles = {f.id: " ".join(f.title_in(lang) for lang in ("zh", "en")) for f in ordered}
        from supportcli.term.wrap import shorten

        room = self._width() - 3  # after the pointer; the id, to type later, is never cut
        labels = [(f.id, f"{shorten(f.title_in(self.lang), room - len(f.id) - 4)}  [{f.id}]") for f in ordered]
        return self._select(t("troubleshoot.q.pick_flow"), labels, search=True, also_matches=titles)

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
        again = self._refused == question.key  # asked again after a refusal that gave the example
        self._refused = ""
        if question.help and not again:
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
        return self._text(question, again=again)

    def _text(self, question: Question, *, again: bool = False) -> RawAnswer:
        hints = []
        if question.example and not again:
            hints.append(t("troubleshoot.q.example", example=question.example))
        if not question.required and not _says_optional(question.prompt) and not again:
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
            self._styled(f"? {question.prompt}", "bold")
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


def _filter_on_any_text(question: Any, also_matches: dict[str, str]) -> None:
    """questionary's type-to-filter takes ASCII keys only: let Chinese (any printable) text filter too,
    and find each choice by `also_matches` as well as by its label."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.key_binding.key_processor import KeyPressEvent
    from prompt_toolkit.keys import Keys
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next((c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl)), None)
    if control is None:
        return
    if also_matches:
        control.__class__ = _matching_control(InquirerControl)
        control.also_matches = {value: text.casefold() for value, text in also_matches.items()}  # type: ignore[attr-defined]
    extra = KeyBindings()

    @extra.add(Keys.Any)
    def _typed(event: KeyPressEvent) -> None:
        if event.data.isprintable() and not event.data.isascii():
            for char in event.data:
                control.add_search_character(char)  # type: ignore[arg-type]  # the filter keeps str(char)

    app.key_bindings = merge_key_bindings([app.key_bindings, extra])


_MATCHING: dict[type, type] = {}


def _matching_control(base: type) -> type:
    """questionary's menu control, filtering on the label or on the choice's other text."""
    if base not in _MATCHING:

        class MatchingControl(base):  # type: ignore[misc]
            also_matches: dict[str, str]

            @property
            def filtered_choices(self) -> list[Any]:
                if not self.search_filter:
                    return list(self.choices)
                needle = str(self.search_filter).casefold()
                found = [
                    c for c in self.choices
                    if needle in str(c.title).casefold() or needle in self.also_matches.get(c.value, "")
                ]
                self.found_in_search = bool(found)
                return found or list(self.choices)

        _MATCHING[base] = MatchingControl
    return _MATCHING[base]


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

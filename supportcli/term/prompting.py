"""Which Prompter a command talks to: questionary on a terminal, answers from a mapping otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:
    from supportcli.term.context import AppContext
    from supportcli.term.prompter_questionary import QuestionaryPrompter


def interactive(app_ctx: AppContext, *, beside_json: bool = False) -> tuple[AppContext, QuestionaryPrompter]:
    """The questionary prompter of this run, and the context its messages go through.

    `beside_json`: stdout is kept for the one JSON object, so questions, messages and the review go to
    stderr (the returned context's terminal writes there).
    """
    from supportcli.term.prompter_questionary import QuestionaryPrompter

    if not beside_json:
        return app_ctx, QuestionaryPrompter(app_ctx.terminal, app_ctx.lang)
    from dataclasses import replace

    term = app_ctx.terminal
    output: Any = term.prompt_output
    if output is None:
        from prompt_toolkit.output import create_output

        output = create_output(stdout=cast("TextIO", term.stderr))
    on_stderr = app_ctx.with_terminal(replace(term, stdout=term.stderr, prompt_output=output, _console=None,
                                                _err_console=None))
    return on_stderr, QuestionaryPrompter(on_stderr.terminal, app_ctx.lang)

"""`supportcli completion bash|zsh|fish`: the shell completion script, to source or install.

Completion itself is typer's: the shell runs supportcli with `_SUPPORTCLI_COMPLETE` set on a Tab
and gets commands, options, flow ids, draft ids and case ids back (see `supportcli.term.completion`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext


def _shells(incomplete: str) -> list[str]:
    from supportcli.term.completion import SHELLS

    return [shell for shell in SHELLS if shell.startswith(incomplete)]


def completion(
    ctx: typer.Context,
    shell: Annotated[str, typer.Argument(metavar="bash|zsh|fish", help="cli.completion.shell_arg",
                                         show_default=False, autocompletion=_shells)],
) -> None:
    from supportcli.core.errors import InputError
    from supportcli.term.completion import SHELLS, script

    app_ctx = AppContext.of(ctx)
    name = shell.strip().lower()
    if name not in SHELLS:
        raise InputError("SHELL", t("cli.completion.bad_shell", shell=shell, allowed=", ".join(SHELLS)))
    app_ctx.terminal.echo(script(name))


def build() -> typer.Typer:
    app = new_app(t("cli.completion.help"), t("cli.completion.epilog"), no_args_is_help=False)
    app.command("completion", help="cli.completion.help", epilog="cli.completion.epilog")(completion)
    return app

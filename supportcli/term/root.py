"""The root command: global options (--version, --lang, --pack, --offline, --online, --debug, -q) and
the home screen."""

from __future__ import annotations

from typing import Any

import typer
import typer.main
from typer import _click

from supportcli import __version__
from supportcli.core.i18n import t
from supportcli.core.paths import expand_user
from supportcli.term.app import new_app
from supportcli.term.context import AppContext


def build_root(group_class: type[Any]) -> _click.Command:
    import os

    from supportcli.term.completion import COMPLETE_VAR

    if os.environ.get(COMPLETE_VAR):  # a Tab in a shell: typer answers it (see supportcli.term.completion)
        from typer._completion_classes import completion_init

        completion_init()
    app = new_app(
        t("cli.help"), t("cli.epilog"), cls=group_class, name="supportcli",
        invoke_without_command=True, no_args_is_help=False,  # no arguments: the home screen
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        version: bool = typer.Option(False, "--version", "-V", help=t("cli.opt.version"), is_eager=True),
        lang: str = typer.Option("", "--lang", metavar="zh|en", help=t("cli.opt.lang")),
        pack: str = typer.Option("", "--pack", metavar="PATH", help=t("cli.opt.pack")),
        offline: bool = typer.Option(False, "--offline", help=t("cli.opt.offline")),
        online: bool = typer.Option(False, "--online", help=t("cli.opt.online")),
        debug: bool = typer.Option(False, "--debug", help=t("cli.opt.debug")),
        quiet: bool = typer.Option(False, "--quiet", "-q", help=t("cli.opt.quiet")),
    ) -> None:
        # --lang, --offline, --online, --debug and -q never reach here: the entry point takes them
        # out of the arguments, wherever they stand (so --lang also sets this help screen's language).
        app_ctx = AppContext.of(ctx)
        if version:
            app_ctx.terminal.echo(f"supportcli {__version__}")
            raise typer.Exit(0)
        if pack:
            app_ctx.use_pack_folder(expand_user(pack))
        if ctx.invoked_subcommand is None:
            _home(app_ctx)

    return typer.main.get_command(app)


def _home(app_ctx: AppContext) -> None:
    """No sub-command: the home screen (cases, drafts, the main commands)."""
    from supportcli.term import home

    home.show(app_ctx)

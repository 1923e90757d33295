"""`supportcli draft-ticket`: write a support ticket and email on its own (the `general` flow), from an
answers file, or from any flow with `--from-flow FLOW --answers FILE`."""

from __future__ import annotations

from typing import Annotated

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import AnswersFile, BilingualFlag, DraftFormat, JsonFlag, OutputDir

GENERAL_FLOW = "general"


def draft_ticket(
    ctx: typer.Context,
    answers: AnswersFile = None,
    from_flow: Annotated[str, typer.Option("--from-flow", metavar="FLOW", help="drafts.ticket_cmd.opt_from_flow",
                                           show_default=False)] = "",
    fmt: DraftFormat = "both",
    output: OutputDir = None,
    bilingual: BilingualFlag = False,
    as_json: JsonFlag = False,
) -> None:
    from supportcli.commands.troubleshoot_cmd import flow_online
    from supportcli.core.drafts.formats import parse_formats
    from supportcli.term.flow_session import run_flow_session

    app_ctx = AppContext.of(ctx)
    formats = parse_formats(fmt)
    code = run_flow_session(
        app_ctx, from_flow.strip() or GENERAL_FLOW, answers_file=answers, formats=formats,
        output_dir=output, bilingual=bilingual, as_json=as_json, online=flow_online(app_ctx),
    )
    raise typer.Exit(code)


def build() -> typer.Typer:
    app = new_app(t("drafts.ticket_cmd.help"), t("drafts.ticket_cmd.epilog"), no_args_is_help=False)
    app.command("draft-ticket", help="drafts.ticket_cmd.help", epilog="drafts.ticket_cmd.epilog")(draft_ticket)
    return app

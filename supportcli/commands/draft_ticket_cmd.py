"""`supportcli draft-ticket`: write a support ticket and email on its own (the `general` flow), from an
answers file, or from any flow with `--from-flow FLOW --answers FILE`."""

from __future__ import annotations

from pathlib import Path

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext

GENERAL_FLOW = "general"


def build() -> typer.Typer:
    app = new_app(t("drafts.ticket_cmd.help"), t("drafts.ticket_cmd.epilog"), no_args_is_help=False)

    @app.command("draft-ticket", help=t("drafts.ticket_cmd.help"), epilog=t("drafts.ticket_cmd.epilog"))
    def draft_ticket(
        ctx: typer.Context,
        answers: Path | None = typer.Option(
            None, "--answers", metavar="FILE.toml", help=t("drafts.ticket_cmd.opt_answers"), dir_okay=False,
        ),
        from_flow: str = typer.Option(
            "", "--from-flow", metavar="FLOW", help=t("drafts.ticket_cmd.opt_from_flow"), show_default=False,
        ),
        fmt: str = typer.Option("both", "--format", metavar="ticket|email|both", help=t("drafts.opt.format")),
        output: Path | None = typer.Option(
            None, "--output", metavar="DIR", help=t("drafts.opt.output"), file_okay=False,
        ),
        bilingual: bool = typer.Option(False, "--bilingual", help=t("drafts.opt.bilingual")),
        as_json: bool = typer.Option(False, "--json", help=t("drafts.ticket_cmd.opt_json")),
    ) -> None:
        from supportcli.core.drafts.service import parse_formats
        from supportcli.term.flow_session import run_flow_session

        app_ctx = AppContext.of(ctx)
        formats = parse_formats(fmt)
        code = run_flow_session(
            app_ctx, from_flow.strip() or GENERAL_FLOW, answers_file=answers, formats=formats,
            output_dir=output, bilingual=bilingual, as_json=as_json,
        )
        raise typer.Exit(code)

    return app

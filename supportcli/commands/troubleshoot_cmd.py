"""`supportcli troubleshoot [FLOW]`: guided self-help, then a drafted ticket and email."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from supportcli.core.errors import UsageError
from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.completion import complete_case_ids, complete_flow_ids
from supportcli.term.context import AppContext
from supportcli.term.options import AnswersFile, BilingualFlag, DraftFormat, JsonFlag, OutputDir

if TYPE_CHECKING:
    from supportcli.core.flows.assist import OnlineAccess


def flow_online(app_ctx: AppContext) -> OnlineAccess | None:
    """How a flow may go online in this run (the platform status, the market check), or None when the
    network is off or the pack names no endpoints. The flow still asks first, or needs --online."""
    if not app_ctx.settings.network_enabled:
        return None
    endpoints = app_ctx.pack().manifest.online
    if endpoints is None:
        return None
    from supportcli.commands.online_shared import client, utc_now
    from supportcli.core.flows.assist import OnlineAccess

    return OnlineAccess(open_client=lambda: client(app_ctx), endpoints=endpoints, clock=utc_now)


def _list(app_ctx: AppContext, as_json: bool) -> None:
    from supportcli.core.flows.content import load_flows

    flows = load_flows(app_ctx.pack())
    lang = app_ctx.lang
    if as_json:
        app_ctx.terminal.json([
            {
                "id": f.id, "title": f.title_in(lang), "summary": f.summary.get(lang, f.summary.get("en", "")),
                "category": f.category, "faq": list(f.faq), "questions": [q.id for q in f.questions],
            }
            for f in sorted(flows.values(), key=lambda f: f.id)
        ])
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_header=True, pad_edge=False)
    table.add_column(t("troubleshoot.col_id"), no_wrap=True)
    table.add_column(t("troubleshoot.col_title"))
    for flow in sorted(flows.values(), key=lambda f: f.id):
        table.add_row(Text(flow.id), Text(flow.title_in(lang)))
    app_ctx.terminal.console().print(table)
    app_ctx.terminal.hint(t("troubleshoot.list_hint"))


def troubleshoot(
    ctx: typer.Context,
    flow: str = typer.Argument("", metavar="[FLOW]", help="troubleshoot.arg_flow", show_default=False,
                               autocompletion=complete_flow_ids),
    list_flows: bool = typer.Option(False, "--list", help="troubleshoot.opt_list"),
    template: bool = typer.Option(False, "--template", help="troubleshoot.opt_template"),
    answers: AnswersFile = None,
    fmt: DraftFormat = "both",
    output: OutputDir = None,
    bilingual: BilingualFlag = False,
    as_json: JsonFlag = False,
    resume: bool = typer.Option(False, "--resume", help="troubleshoot.opt_resume"),
    case: str = typer.Option("", "--case", metavar="ID", help="troubleshoot.opt_case",
                             autocompletion=complete_case_ids),
) -> int:
    app_ctx = AppContext.of(ctx)
    from supportcli.core.drafts.formats import parse_formats

    formats = parse_formats(fmt)
    flow_id = flow.strip() or None
    if list_flows:
        _list(app_ctx, as_json)
        return 0
    if template:
        if flow_id is None:
            raise UsageError("troubleshoot.template_needs_flow")
        from supportcli.core.flows.answers import answers_template
        from supportcli.core.flows.content import load_flow

        app_ctx.terminal.echo(answers_template(load_flow(app_ctx.pack(), flow_id), app_ctx.lang).rstrip("\n"))
        return 0
    if resume and answers is not None:
        raise UsageError("troubleshoot.resume_with_answers")
    initial = None
    if case:
        if flow_id not in (None, "escalate"):
            raise UsageError("troubleshoot.case_needs_escalate")
        flow_id = "escalate"
        from supportcli.core.cases.prefill import escalate_prefill

        initial = dict(escalate_prefill(app_ctx.paths, case, today=app_ctx.settings.today))
    from supportcli.term.flow_session import run_flow_session

    code = run_flow_session(
        app_ctx, flow_id, answers_file=answers, formats=formats, output_dir=output, bilingual=bilingual,
        as_json=as_json, resume=resume, initial=initial, online=flow_online(app_ctx),
    )
    if code:
        raise typer.Exit(code)
    return 0


def build() -> typer.Typer:
    app = new_app(t("troubleshoot.help"), t("troubleshoot.epilog"), no_args_is_help=False)
    app.command("troubleshoot", help="troubleshoot.help", epilog="troubleshoot.epilog")(troubleshoot)
    return app

"""`supportcli status [--json]`: is the exchange's platform operative or in maintenance?"""

from __future__ import annotations

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag


def status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    from supportcli.commands.online_shared import client, endpoints, utc_now
    from supportcli.core.online.status import check_status

    app_ctx = AppContext.of(ctx)
    urls = endpoints(app_ctx)
    with client(app_ctx) as http:
        result = check_status(http, urls, utc_now)
    exchange = app_ctx.pack().manifest.name_in(app_ctx.lang)
    if as_json:
        app_ctx.terminal.json(result.to_json())
    else:
        from supportcli.core.net.policy import host_of

        checked = f"{result.checked_at:%Y-%m-%d %H:%M} UTC"
        app_ctx.terminal.echo(t(f"online.status.{result.platform}", exchange=exchange, checked=checked,
                                source=host_of(result.source)))
        app_ctx.terminal.echo(t("online.status.page", url=result.status_page))
    if result.error is not None:
        app_ctx.terminal.error(t("cli.error_prefix") + result.error.render())
    raise typer.Exit(0 if result.platform == "operative" else 1)


def build() -> typer.Typer:
    app = new_app(t("online.status.help"), t("online.status.epilog"), no_args_is_help=False)
    app.command("status", help="online.status.help", epilog="online.status.epilog")(status)
    return app

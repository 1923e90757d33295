"""`supportcli market check PAIR TIME PRICE [--json]`: was a price inside that minute's range?"""

from __future__ import annotations

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag


def market() -> None:
    """A group, even with one command (`market check`)."""


def check(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., help="online.market.args_help", metavar="PAIR TIME PRICE"),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.commands.online_shared import client, endpoints, utc_now
    from supportcli.core.errors import UsageError
    from supportcli.core.online.market import check_market, market_fact, number, parse_query

    app_ctx = AppContext.of(ctx)
    if len(words) < 3:
        raise UsageError("online.market.args_missing")
    query = parse_query(words[0], " ".join(words[1:-1]), words[-1], app_ctx.settings.now,
                        app_ctx.settings.zone, app_ctx.pack().manifest.assets)
    urls = endpoints(app_ctx)
    with client(app_ctx) as http:
        result = check_market(http, urls.api_base, query.pair, query.moment, query.price, utc_now)
    if as_json:
        app_ctx.terminal.json(result.to_json())
    else:
        for line in query.said_back:
            app_ctx.terminal.echo(line)
        exchange = app_ctx.pack().manifest.name_in(app_ctx.lang)
        app_ctx.terminal.echo(market_fact(result, exchange, app_ctx.lang))
        others = [c for c in result.candles if c is not result.candle]
        if others:
            around = " · ".join(f"{c.start:%H:%M} UTC {number(c.low)}–{number(c.high)}" for c in others)
            app_ctx.terminal.echo(t("online.market.neighbours", candles=around))
        if not result.inside:
            app_ctx.terminal.echo(t("online.market.zone_hint"))
    raise typer.Exit(0 if result.inside else 1)



def build() -> typer.Typer:
    app = new_app(t("online.market.help"), t("online.market.epilog"))
    app.callback()(market)
    app.command("check", help="online.market.check_help")(check)
    return app

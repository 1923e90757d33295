"""`supportcli verify-contact VALUE [--json]`: is this an official channel, or a lookalike?"""

from __future__ import annotations

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag


def verify_contact(
    ctx: typer.Context,
    value: str = typer.Argument(..., metavar="VALUE", help="guard.verify.value_arg", show_default=False),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.guard.contacts import Verdict, reminders
    from supportcli.core.guard.contacts import verify_contact as check_contact

    app_ctx = AppContext.of(ctx)
    pack = app_ctx.pack()
    manifest = pack.manifest
    result = check_contact(value, manifest, pack.sources)
    if as_json:
        app_ctx.terminal.json({
            "value": result.value,
            "kind": result.kind,
            "verdict": result.verdict.value,
            "lookalike_of": result.lookalike_of,
            "reasons": result.reasons,
            "official_channels": [
                {"id": c.id, "kind": c.kind, "value": c.value, "confidence": c.confidence}
                for c in result.official_channels
            ],
            "reminders": reminders(manifest),
        })
    else:
        style = {Verdict.OFFICIAL: "bold green", Verdict.UNCONFIRMED: "bold yellow",
                 Verdict.NOT_OFFICIAL: "bold red", Verdict.LOOKALIKE: "bold red"}[result.verdict]
        app_ctx.terminal.styled(t("guard.verify.verdict_line", value=result.value,
                                  verdict=t(f"guard.verdict.{result.verdict.value}")), style)
        if result.lookalike_of:
            app_ctx.terminal.echo(t("guard.verify.lookalike_line", of=result.lookalike_of))
        app_ctx.terminal.echo(t("guard.verify.why"))
        for reason in result.reasons:
            app_ctx.terminal.echo("  - " + reason)
        app_ctx.terminal.echo()
        heading = "channels_official" if result.verdict is Verdict.OFFICIAL else "channels"
        app_ctx.terminal.echo(t(f"guard.verify.{heading}"))
        # "use instead" lists only what an official page confirms (the JSON keeps every listed one)
        for channel in (c for c in result.official_channels if c.confirmed):
            app_ctx.terminal.echo("  - " + t("guard.verify.channel_line", label=channel.label_in(app_ctx.lang),
                                               value=channel.value))
        app_ctx.terminal.echo()
        app_ctx.terminal.echo(t("guard.verify.reminders"))
        for reminder in reminders(manifest):
            app_ctx.terminal.echo("  - " + reminder)
    if result.verdict is not Verdict.OFFICIAL:  # exit 0 only when an official page confirms it
        raise typer.Exit(1)


def build() -> typer.Typer:
    app = new_app(t("guard.verify.help"), t("guard.verify.epilog"), no_args_is_help=False)
    app.command("verify-contact", help="guard.verify.help", epilog="guard.verify.epilog")(verify_contact)
    return app

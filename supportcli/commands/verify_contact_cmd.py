"""`supportcli verify-contact VALUE [--json]`: is this an official channel, or a lookalike?"""

from __future__ import annotations

from typing import Any

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag

USE_INSTEAD = 3  # official channels named on the short answer's "use instead" line


def verify_contact(
    ctx: typer.Context,
    value: str = typer.Argument(..., metavar="VALUE", help="guard.verify.value_arg", show_default=False),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="guard.verify.verbose_opt"),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.faq.inputs import refuse_secrets
    from supportcli.core.guard.contacts import Verdict, reminders
    from supportcli.core.guard.contacts import verify_contact as check_contact

    app_ctx = AppContext.of(ctx)
    refuse_secrets("VALUE", value)
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
        _show(app_ctx, result, verbose)
    if result.verdict is not Verdict.OFFICIAL:  # exit 0 only when an official page confirms it
        raise typer.Exit(1)


def _show(app_ctx: AppContext, result: Any, verbose: bool) -> None:
    """The verdict first, then what matters: why, what to use instead, one reminder (about eight lines).
    `--verbose`: every official channel and every reminder as well."""
    from rich.text import Text

    from supportcli.core.guard.contacts import Verdict, reminders
    from supportcli.core.guard.pack_names import pack_names

    term = app_ctx.terminal
    manifest = app_ctx.pack().manifest
    style = {Verdict.OFFICIAL: "bold green", Verdict.UNCONFIRMED: "bold yellow",
             Verdict.NOT_OFFICIAL: "bold red", Verdict.LOOKALIKE: "bold red"}[result.verdict]
    line = Text()
    line.append(t("guard.verify.verdict_line", value=result.value,
                  verdict=t(f"guard.verdict.{result.verdict.value}")), style=style)
    term.console().print(line)

    def say(text: str) -> None:
        if term.stdout_isatty:
            from supportcli.term.wrap import wrap

            text = wrap(text, term.columns() - 1)
        term.echo(text)

    if result.lookalike_of:
        say(t("guard.verify.lookalike_line", of=result.lookalike_of))
    for reason in result.reasons:
        say("  - " + reason)
    confirmed = [c for c in result.official_channels if c.confirmed]  # the JSON keeps every listed one
    official = result.verdict is Verdict.OFFICIAL
    if verbose:
        term.echo()
        say(t(f"guard.verify.{'channels_official' if official else 'channels'}"))
        for channel in confirmed:
            say("  - " + t("guard.verify.channel_line", label=channel.label_in(app_ctx.lang), value=channel.value))
        term.echo()
        say(t("guard.verify.reminders"))
        for reminder in reminders(manifest):
            say("  - " + reminder)
        return
    if not official:
        values = list(dict.fromkeys(c.value for c in confirmed))
        if values:
            say(t("guard.verify.use_instead", channels=t("guard.verify.or").join(values[:USE_INSTEAD])))
    say(t("guard.verify.remember", **pack_names(manifest)))
    if official:  # even a real address can be spoofed by a sender
        say(t("guard.reminders.match_not_proof", **pack_names(manifest)))
    term.hint(t("guard.verify.more"))


def build() -> typer.Typer:
    app = new_app(t("guard.verify.help"), t("guard.verify.epilog"), no_args_is_help=False)
    app.command("verify-contact", help="guard.verify.help", epilog="guard.verify.epilog")(verify_contact)
    return app

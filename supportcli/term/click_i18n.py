"""The vendored click/typer, made to speak through our Terminal and in the interface language.

typer.core looks its headings up through `gettext` (bound as `_` at import), and click's help
option and usage prefix are plain English; we swap in our message table for them when the
interface language is Chinese. click prints `--help` with its own `echo` to `sys.stdout`; the help
option here prints through the run's Terminal instead, so a test's (or any caller's) Terminal gets it.
"""

from __future__ import annotations

import re
from typing import Any

from supportcli.core.i18n import current_language, load_area

_done = False


def _translate(message: str) -> str:
    if current_language() != "zh":
        return message
    table = load_area("click").get("strings", {})
    entry = table.get(message)
    if isinstance(entry, dict) and isinstance(entry.get("zh"), str):
        return str(entry["zh"])
    return message


def _show_help(ctx: Any, param: Any, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from supportcli.term.context import AppContext

    obj = ctx.find_root().obj
    text = ctx.get_help()
    if isinstance(obj, AppContext):
        obj.terminal.echo(text)
    else:  # pragma: no cover - main() always passes the context
        from typer._click import echo

        echo(text, color=ctx.color)
    ctx.exit()


def install() -> None:
    """Once per process: translated headings, usage prefix and help option; help through the Terminal."""
    global _done
    if _done:
        return
    _done = True
    import typer.core
    from typer._click import core as click_core
    from typer._click import formatting

    typer.core._ = _translate  # type: ignore[attr-defined]

    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, prefix=_translate("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = _translate("Show this message and exit.")
            option.callback = _show_help
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]


def usage_error_message(exc: Any) -> str:
    """The message of a click usage error, in Chinese when the interface is Chinese.

    click words its errors in English; the common ones are rebuilt from their parts here, and the
    rest keep click's own wording after a translated lead.
    """
    from typer._click import exceptions as ce

    if current_language() != "zh":
        return str(exc.format_message())
    from supportcli.core.i18n import t

    def hint() -> str:
        if getattr(exc, "param_hint", None) is not None:
            value = exc.param_hint
        elif getattr(exc, "param", None) is not None:
            value = exc.param.get_error_hint(exc.ctx)
        else:
            return ""
        return " / ".join(repr(v) for v in value) if isinstance(value, list | tuple) else str(value)

    if isinstance(exc, ce.MissingParameter):
        return t("cli.click.missing", param=hint())
    if isinstance(exc, ce.NoSuchOption):
        possible = ", ".join(sorted(exc.possibilities or ()))
        return t("cli.click.no_such_option", name=exc.option_name) + (
            t("cli.click.possible", options=possible) if possible else ""
        )
    if isinstance(exc, ce.BadParameter):
        detail = str(exc.message)
        invalid = re.match(r"^(.+) is not a valid (\w+)", detail)
        if invalid:
            detail = t("cli.click.not_valid", value=invalid.group(1), kind=invalid.group(2))
        return t("cli.click.bad_value", param=hint(), detail=detail)
    message = str(exc.format_message())
    extra = re.match(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", message)
    if extra:
        return t("cli.click.extra_args", detail=extra.group(1))
    needs = re.match(r"^Option '(.+)' requires (?:an argument|\d+ arguments)", message)
    if needs:
        return t("cli.click.needs_value", name=needs.group(1))
    return message

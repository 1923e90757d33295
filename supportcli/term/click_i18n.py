"""Chinese for the few words the vendored click/typer help prints itself (Usage, Options, …).

typer.core looks its headings up through `gettext` (bound as `_` at import), and click's help
option and usage prefix are plain English; we swap in our message table for them when the
interface language is Chinese.
"""

from __future__ import annotations

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


def translate_click() -> None:
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
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

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
_USAGE_WORDS = ("COMMAND [ARGS]...", "[OPTIONS]")
# click's type names (IntParamType.name is "int", IntRange's "int range", …) -> our words for them
_KINDS = {"int": "kind_integer", "integer": "kind_integer", "int range": "kind_integer", "float": "kind_float",
          "float range": "kind_float", "boolean": "kind_boolean", "uuid": "kind_uuid", "UUID": "kind_uuid"}


def _term_len(x: str) -> int:
    """click's `term_len`: the columns `x` takes (escape sequences none), by display width."""
    from supportcli.term.wrap import display_width

    return display_width(x)


def wrap_text(
    text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """click's `formatting.wrap_text`, by display width: paragraphs (blank-line separated) are re-wrapped
    keeping their own indent, and a paragraph after a line holding only \\b is kept as it is."""
    from supportcli.term.wrap import fill

    text = text.expandtabs()
    if not preserve_paragraphs:
        return fill(" ".join(text.split()), width, initial_indent, subsequent_indent)
    paragraphs: list[tuple[str, bool, str]] = []
    lines: list[str] = []

    def flush() -> None:
        if not lines:
            return
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
        if lines[0].strip() == "\b":
            paragraphs.append((indent, True, "\n".join(lines[1:])))
        else:
            paragraphs.append((indent, False, " ".join(line.strip() for line in lines)))
        lines.clear()

    for line in text.splitlines():
        if line:
            lines.append(line)
        else:
            flush()
    flush()
    out = []
    for indent, raw, body in paragraphs:
        if raw:
            rows = body.splitlines()
            out.append("\n".join(
                (initial_indent if i == 0 else subsequent_indent) + indent + row for i, row in enumerate(rows)
            ))
        else:
            out.append(fill(body, width, initial_indent + indent, subsequent_indent + indent))
    return "\n\n".join(out)


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

    # click measures and wraps help by characters (textwrap): a Chinese character takes two columns,
    # so Chinese lines ran past 80 columns and long runs of Chinese were cut anywhere. Ours measure
    # by display width and break between words or CJK characters.
    formatting.term_len = _term_len  # type: ignore[attr-defined]
    formatting.wrap_text = wrap_text

    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english in _USAGE_WORDS:  # [OPTIONS], COMMAND [ARGS]...
            args = args.replace(english, _translate(english))
        original_usage(self, prog, args, prefix=_translate("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    def write_heading(self: Any, heading: str) -> None:
        colon = "：" if current_language() == "zh" else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    formatting.HelpFormatter.write_heading = write_heading  # type: ignore[method-assign]

    original_metavar = click_core.Parameter.make_metavar

    def make_metavar(self: Any, ctx: Any) -> str:
        return _translate(str(original_metavar(self, ctx)))  # <str>, <int>

    click_core.Parameter.make_metavar = make_metavar  # type: ignore[method-assign]

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
    rest keep click's own wording after a translated lead. A refused value is said in words in both
    languages ("not a valid integer", never click's "int range").
    """
    from typer._click import exceptions as ce

    from supportcli.core.i18n import t

    zh = current_language() == "zh"
    refused_value = isinstance(exc, ce.BadParameter) and not isinstance(exc, ce.MissingParameter)
    if not zh and not refused_value:
        return str(exc.format_message())

    def hint() -> str:
        if getattr(exc, "param_hint", None) is not None:
            value = exc.param_hint
        elif getattr(exc, "param", None) is not None:
            value = exc.param.get_error_hint(exc.ctx)
        else:
            return ""
        return " / ".join(repr(v) for v in value) if isinstance(value, list | tuple) else str(value)

    if isinstance(exc, ce.MissingParameter):
        kind = getattr(exc, "param_type", None) or getattr(getattr(exc, "param", None), "param_type_name", "")
        key = {"argument": "cli.click.missing_argument", "option": "cli.click.missing_option"}.get(str(kind))
        return t(key or "cli.click.missing", param=hint())
    if isinstance(exc, ce.NoSuchOption):
        possible = ", ".join(sorted(exc.possibilities or ()))
        return t("cli.click.no_such_option", name=exc.option_name) + (
            t("cli.click.possible", options=possible) if possible else ""
        )
    if refused_value:
        return t("cli.click.bad_value", param=hint(), detail=_bad_value_detail(str(exc.message)))
    if not zh:
        return str(exc.format_message())
    message = str(exc.format_message())
    extra = re.match(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", message)
    if extra:
        return t("cli.click.extra_args", detail=extra.group(1))
    needs = re.match(r"^Option '(.+)' requires (?:an argument|\d+ arguments)", message)
    if needs:
        return t("cli.click.needs_value", name=needs.group(1))
    return message


def _bad_value_detail(detail: str) -> str:
    """click's reason for refusing a value, said in Chinese (the common ones; the rest as click says it)."""
    from supportcli.core.i18n import t

    invalid = re.match(r"^(.+?) is not a valid ([\w ]+)\.", detail)
    if invalid and invalid.group(2) in _KINDS:
        return t("cli.click.not_valid", value=invalid.group(1), kind=t(f"cli.click.{_KINDS[invalid.group(2)]}"))
    for pattern, key, names in _DETAILS:
        found = re.match(pattern, detail)
        if found:
            params: dict[str, Any] = dict(zip(names, found.groups(), strict=True))
            return t(key, None, **params)
    return detail


# click's other reasons, as (its wording, our message key, the placeholders its groups fill).
_DETAILS = (
    (r"^(.+) is not in the range (.+)\.$", "cli.click.out_of_range", ("value", "range")),
    (r"^(?:File|Path) (.+) is a directory\.$", "cli.click.is_folder", ("path",)),
    (r"^Directory (.+) is a file\.$", "cli.click.is_file", ("path",)),
    (r"^(?:File|Path|Directory) (.+) does not exist\.$", "cli.click.does_not_exist", ("path",)),
    (r"^(.+) is not one of (.+)\.$", "cli.click.not_one_of", ("value", "choices")),
)

"""The one way command modules create their Typer app, so every command behaves alike, and the one
place their help texts are put into the interface language."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import typer

from supportcli.core.i18n import t

if TYPE_CHECKING:
    from typer import _click

_KEY = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+")


def new_app(help: str, epilog: str | None = None, **kwargs: Any) -> typer.Typer:
    """A sub-command app: plain (fast) help, no completion installer, no locals in tracebacks."""
    kwargs.setdefault("no_args_is_help", True)
    return typer.Typer(
        help=help,
        epilog=epilog,
        rich_markup_mode=None,
        add_completion=False,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        **kwargs,
    )



def _text(value: str | None) -> str | None:
    """A message key in the interface language; any other text as it is."""
    if value and _KEY.fullmatch(value):
        return t(value)
    return value


def localize(command: _click.Command) -> _click.Command:
    """Help, epilog and option help of `command` and its sub-commands: message keys become text.

    Commands are module-level functions whose option help is given as keys (see `term.options`), so
    the text is chosen when the command is built, in the language of this run.
    """
    command.help = _text(command.help)
    command.epilog = _text(command.epilog)
    command.short_help = _text(command.short_help)
    for param in command.params:
        if hasattr(param, "help"):
            param.help = _text(param.help)
    for sub in getattr(command, "commands", {}).values():
        localize(sub)
    return command

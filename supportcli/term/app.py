"""The one way command modules create their Typer app, so every command behaves alike."""

from __future__ import annotations

from typing import Any

import typer


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


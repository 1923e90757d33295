"""`supportcli config show|get|set|unset|path`."""

from __future__ import annotations

from typing import Any

import typer

from supportcli.core.config import KEYS, Config
from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag


def _display(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else t("config.empty")
    return str(value) if value != "" else t("config.empty")


def _check_pack_installed(pack_id: str, config: Config) -> None:
    from supportcli.core.errors import InputError
    from supportcli.core.pack import discover_pack_dirs

    known = sorted({folder.name for folder, _ in discover_pack_dirs(config.content_paths)})
    if pack_id not in known:
        raise InputError("pack", "config", "errors.config_pack_unknown", pack=pack_id, known=", ".join(known))


def show(
    ctx: typer.Context,
    as_json: JsonFlag = False,
) -> None:
    app_ctx = AppContext.of(ctx)
    config = app_ctx.config
    if as_json:
        app_ctx.terminal.json({
            "path": str(config.path),
            "values": config.as_dict(),
            "set": sorted(k for k in KEYS if config.is_set(k)),
        })
        return
    from rich.table import Table

    table = Table(box=None, show_header=True, pad_edge=False)
    table.add_column(t("config.col_key"))
    table.add_column(t("config.col_value"))
    table.add_column(t("config.col_source"))
    for key in KEYS:
        source = t("config.source_file") if config.is_set(key) else t("config.source_default")
        table.add_row(key, _display(config.get(key)), source)
    console = app_ctx.terminal.console()
    console.print(table)
    app_ctx.terminal.echo(t("config.file_line", path=str(config.path)))
    from supportcli.core.settings import ENV_LANG

    overriding = app_ctx.terminal.environ.get(ENV_LANG, "").strip()
    if overriding and overriding.lower() != "auto":  # the environment wins over the file (README: Settings)
        app_ctx.terminal.echo(t("config.env_override", name=ENV_LANG, value=overriding, key="language"))


def get(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="config.key_arg"),
    as_json: JsonFlag = False,
) -> None:
    app_ctx = AppContext.of(ctx)
    value = app_ctx.config.get(key)
    if as_json:
        app_ctx.terminal.json({"key": key, "value": value})
    else:
        app_ctx.terminal.echo(", ".join(value) if isinstance(value, list) else str(value))


def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="config.key_arg"),
    value: str = typer.Argument(..., help="config.value_arg"),
) -> None:
    app_ctx = AppContext.of(ctx)
    config = app_ctx.config
    if key == "pack":  # the settings file checks the id; whether such a pack is installed is checked here
        _check_pack_installed(config.parse(key, value), config)
    stored = config.set(key, value)
    app_ctx.terminal.echo(t("config.saved", key=key, value=_display(stored)))


def unset(ctx: typer.Context, key: str = typer.Argument(..., help="config.key_arg")) -> None:
    app_ctx = AppContext.of(ctx)
    app_ctx.config.unset(key)
    app_ctx.terminal.echo(t("config.removed", key=key, value=_display(app_ctx.config.get(key))))


def path(ctx: typer.Context) -> None:
    app_ctx = AppContext.of(ctx)
    app_ctx.terminal.echo(str(app_ctx.paths.config_file))


def build() -> typer.Typer:
    app = new_app(t("config.help"), t("config.epilog"))
    app.command("show", help="config.show_help")(show)
    app.command("get", help="config.get_help")(get)
    app.command("set", help="config.set_help")(set_)
    app.command("unset", help="config.unset_help")(unset)
    app.command("path", help="config.path_help")(path)
    return app

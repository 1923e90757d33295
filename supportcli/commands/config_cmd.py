"""`supportcli config show|get|set|unset|reset|path`.

These commands read the settings file leniently (`load_config(..., lenient=True)`): a file too damaged
for every other command can still be shown, unset or reset here, and each problem is named.
"""

from __future__ import annotations

from typing import Any

import typer

from supportcli.core.config import KEYS, Config, load_config, secret_stored
from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag


def _config(app_ctx: AppContext) -> Config:
    """The settings file as the `config` commands see it: read whatever its state."""
    return load_config(app_ctx.paths, lenient=True)


def _report_problems(app_ctx: AppContext, config: Config) -> None:
    """One line on stderr for each thing wrong with the file (the commands go on where they can)."""
    from supportcli.core.errors import UsageError

    term = app_ctx.terminal
    if config.damaged:
        term.error(t("cli.error_prefix") + UsageError(config.damaged_key, path=str(config.path),
                                                       reason=config.damaged).render())
    for key, reason in config.problems.items():
        term.error(t("cli.error_prefix") + t("errors.config_bad_stored", path=str(config.path), key=key,
                                             allowed=reason))
    for where, kind in config.secrets.items():
        term.error(t("cli.error_prefix") + secret_stored(config.path, where, kind).render())


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
    config = _config(app_ctx)
    _report_problems(app_ctx, config)
    hidden = {where.split(".")[0].split("[")[0] for where in config.secrets}
    if as_json:
        app_ctx.terminal.json({
            "path": str(config.path),
            "values": config.as_dict(),
            "set": sorted(k for k in KEYS if config.is_set(k)),
            "damaged": config.damaged or None,
            "problems": sorted({*config.problems, *hidden}),
        })
    else:
        from rich.table import Table

        table = Table(box=None, show_header=True, pad_edge=False)
        table.add_column(t("config.col_key"))
        table.add_column(t("config.col_value"))
        table.add_column(t("config.col_source"))
        for key in KEYS:
            if key in hidden:
                table.add_row(key, t("config.hidden_secret"), t("config.source_file"))
                continue
            if key in config.problems:
                table.add_row(key, _display(config.get(key)), t("config.source_bad"))
                continue
            source = t("config.source_file") if config.is_set(key) else t("config.source_default")
            table.add_row(key, _display(config.get(key)), source)
        console = app_ctx.terminal.console()
        console.print(table)
        app_ctx.terminal.echo(t("config.file_line", path=str(config.path)))
        from supportcli.core.settings import ENV_LANG

        overriding = app_ctx.terminal.environ.get(ENV_LANG, "").strip()
        if overriding and overriding.lower() != "auto":  # the environment wins over the file (README: Settings)
            app_ctx.terminal.echo(t("config.env_override", name=ENV_LANG, value=overriding, key="language"))
    if config.damaged or config.problems or config.secrets:
        raise typer.Exit(2)


def get(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="config.key_arg"),
    as_json: JsonFlag = False,
) -> None:
    app_ctx = AppContext.of(ctx)
    config = _config(app_ctx)
    value = config.get(key)  # an unknown key is named first
    secret = next((where for where in config.secrets if where.split(".")[0].split("[")[0] == key), None)
    if secret is not None:
        raise secret_stored(config.path, secret, config.secrets[secret])  # never printed
    if config.damaged or key in config.problems:
        _report_problems(app_ctx, config)
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
    config = _config(app_ctx)
    if key == "pack":  # the settings file checks the id; whether such a pack is installed is checked here
        _check_pack_installed(config.parse(key, value), config)
    stored = config.set(key, value)
    app_ctx.terminal.echo(t("config.saved", key=key, value=_display(stored)))


def unset(ctx: typer.Context, key: str = typer.Argument(..., help="config.key_arg")) -> None:
    app_ctx = AppContext.of(ctx)
    config = _config(app_ctx)
    config.unset(key)
    app_ctx.terminal.echo(t("config.removed", key=key, value=_display(config.get(key))))


def reset(
    ctx: typer.Context,
    yes: bool = typer.Option(False, "--yes", "-y", help="config.opt_yes"),
) -> None:
    """Remove the settings file: every setting is back to its default (the way out of a damaged file)."""
    from supportcli.core.errors import UsageError
    from supportcli.core.storage import exists, remove_file

    app_ctx = AppContext.of(ctx)
    path = app_ctx.paths.config_file
    term = app_ctx.terminal
    if not exists(path):
        term.echo(t("config.reset_nothing", path=str(path)))
        return
    if not yes:
        if not term.interactive:
            raise UsageError("config.reset_needs_yes", path=str(path))
        from supportcli.term.prompting import interactive

        _, prompter = interactive(app_ctx)
        if not prompter.confirm("reset", t("config.reset_confirm", path=str(path))):
            term.echo(t("config.reset_kept", path=str(path)))
            return
    remove_file(path)
    term.echo(t("config.reset_done", path=str(path)))


def path(ctx: typer.Context) -> None:
    app_ctx = AppContext.of(ctx)
    app_ctx.terminal.echo(str(app_ctx.paths.config_file))


def build() -> typer.Typer:
    app = new_app(t("config.help"), t("config.epilog"))
    app.command("show", help="config.show_help")(show)
    app.command("get", help="config.get_help")(get)
    app.command("set", help="config.set_help")(set_)
    app.command("unset", help="config.unset_help")(unset)
    app.command("reset", help="config.reset_help")(reset)
    app.command("path", help="config.path_help")(path)
    return app

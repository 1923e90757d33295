"""`supportcli content check [PATH]` and `supportcli content list`."""

from __future__ import annotations

from pathlib import Path

import typer

from supportcli.core.i18n import t
from supportcli.core.paths import expand_user
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag


def check(
    ctx: typer.Context,
    path: Path | None = typer.Argument(None, help="content.path_arg", show_default=False),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.pack import check_pack, resolve_pack

    app_ctx = AppContext.of(ctx)
    if path is None:
        choice = app_ctx.settings.pack
        root = choice.path or resolve_pack(choice.name, list(choice.content_paths)).root
    else:
        root = expand_user(path)
        if not root.is_dir():
            from supportcli.core.errors import InputError

            raise InputError("PATH", t("content.no_such_folder", path=str(root)))
    problems = check_pack(root.resolve())
    if as_json:
        app_ctx.terminal.json({
            "path": str(root),
            "valid": not problems,
            "problems": [
                {"file": p.file, "line": p.line, "key": p.key, "expected": p.expected}
                for p in problems
            ],
        })
    elif problems:
        for problem in problems:
            app_ctx.terminal.echo(str(problem))
        app_ctx.terminal.error(t("content.invalid", path=str(root), count=len(problems)))
    else:
        app_ctx.terminal.echo(t("content.valid", path=str(root), pack=root.resolve().name))
    if problems:
        raise typer.Exit(1)


def list_(
    ctx: typer.Context,
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.errors import SupportCliError
    from supportcli.core.pack import discover_pack_dirs, load_pack

    app_ctx = AppContext.of(ctx)
    choice = app_ctx.settings.pack
    rows = []
    for root, builtin in discover_pack_dirs(list(choice.content_paths)):
        try:
            pack = load_pack(root, builtin=builtin)
            rows.append({
                "id": pack.id, "name": pack.manifest.name_in(app_ctx.lang),
                "version": pack.manifest.version, "path": str(root), "builtin": builtin,
                "valid": True,
            })
        except SupportCliError:
            rows.append({"id": root.name, "name": "", "version": "", "path": str(root),
                         "builtin": builtin, "valid": False})
    if as_json:
        app_ctx.terminal.json(rows)
        return
    in_use = choice.name
    for row in rows:
        mark = " " + t("content.in_use") if row["id"] == in_use else ""
        app_ctx.terminal.echo(f"{row['id']}  {row['version']}  {row['name']}{mark}  {row['path']}")


def build() -> typer.Typer:
    app = new_app(t("content.help"), t("content.epilog"))
    app.command("check", help="content.check_help")(check)
    app.command("list", help="content.list_help")(list_)
    return app

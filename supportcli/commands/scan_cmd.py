"""`supportcli scan [PATH|-] [--json]`: find secrets in text before it is pasted anywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from supportcli.core.i18n import t
from supportcli.core.paths import expand_user
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag

if TYPE_CHECKING:
    from supportcli.core.guard.secrets import Finding
    from supportcli.core.guard.stream import PartFinding


def _located(path: str, found: list[PartFinding]) -> list[tuple[str, Finding, dict[str, Any]]]:
    rows = []
    for item in found:
        where = path if item.part is None else t("guard.scan.part", file=path, number=item.part,
                                                   content_type=item.content_type)
        f = item.finding
        rows.append((f"{where}:{f.line}:{f.column}", f, {"part": item.part, "content_type": item.content_type}))
    return rows


def _read(app_ctx: AppContext, path: str) -> tuple[list[tuple[str, Finding, dict[str, Any]]], int]:
    """Everything `scan` reads goes through the guard's one reader (`core.guard.reader`)."""
    from supportcli.core.errors import InputError
    from supportcli.core.guard import reader
    from supportcli.core.guard.stream import PartFinding, scan_blocks, scan_source

    shown = t("guard.scan.stdin_name") if path == "-" else path
    if path == "-":
        stdin = app_ctx.terminal.stdin
        if app_ctx.terminal.stdin_isatty:
            app_ctx.terminal.error(t("guard.scan.stdin_prompt"))
        binary = getattr(stdin, "buffer", None)
        if binary is None:  # already text (an embedding program, the tests)
            found = [PartFinding(None, None, f) for f in scan_blocks(iter(lambda: stdin.read(1 << 16), ""))]
            return _located(shown, found), 0
        result = reader.read_stream(binary, "")
    else:
        file = expand_user(path)
        if file.is_dir():
            raise InputError("PATH", "", "guard.scan.is_dir", path=path)
        try:
            result = reader.read_path(file)
        except FileNotFoundError:
            raise InputError("PATH", "", "guard.scan.not_found", path=path) from None
        except OSError as exc:
            raise InputError("PATH", "", "guard.scan.unreadable", path=path, reason=exc.strerror or "") from None
    if isinstance(result, reader.Unreadable):
        # A screenshot can show a recovery phrase: never call what could not be read clean.
        key = "guard.scan.not_decodable" if result.reason == "encoding" else "guard.scan.not_text"
        raise InputError("PATH", "", key, path=shown)
    try:
        scanned = scan_source(result)
    except (UnicodeDecodeError, OSError):  # the file changed while it was read
        raise InputError("PATH", "", "guard.scan.not_decodable", path=shown) from None
    return _located(shown, scanned.findings), scanned.skipped


def scan(
    ctx: typer.Context,
    path: str = typer.Argument("-", metavar="[PATH|-]", help="guard.scan.path_arg", show_default=False),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.guard.secrets import Action, explain, kind_label

    app_ctx = AppContext.of(ctx)
    rows, skipped = _read(app_ctx, path)
    blocked = [f for _, f, _ in rows if f.action is Action.BLOCK]
    unsure = [f for _, f, _ in rows if f.action is Action.CONFIRM]
    if as_json:
        app_ctx.terminal.json({
            "file": path,
            "findings": [
                {"kind": f.kind, "line": f.line, "column": f.column, "confidence": f.confidence,
                 "action": f.action.value, **extra}
                for _, f, extra in rows
            ],
            "blocking": len(blocked),
            "skipped_parts": skipped,
        })
    else:
        name = t("guard.scan.stdin_name") if path == "-" else path
        _print(app_ctx, name, rows, skipped, blocked, unsure, explain, kind_label)
    if blocked:
        raise typer.Exit(1)


def build() -> typer.Typer:
    app = new_app(t("guard.scan.help"), t("guard.scan.epilog"), no_args_is_help=False)
    app.command("scan", help="guard.scan.help", epilog="guard.scan.epilog")(scan)
    return app


def _print(app_ctx: AppContext, path: str, rows: list[tuple[str, Finding, dict[str, Any]]], skipped: int,
           blocked: list[Finding], unsure: list[Finding], explain: Any, kind_label: Any) -> None:
    from rich.text import Text

    console = app_ctx.terminal.console()
    for where, f, _ in rows:
        style = "bold red" if f.action.value == "block" else "yellow"
        line = Text()
        line.append(t("guard.scan.finding", where=where, kind=kind_label(f.kind),
                      action=t(f"guard.action.{f.action.value}"), confidence=f"{f.confidence:.2f}"), style=style)
        console.print(line)
    if skipped:
        app_ctx.terminal.echo(t("guard.scan.skipped", count=skipped))
    if not rows:
        app_ctx.terminal.echo(t("guard.scan.clean", file=path))
        return
    app_ctx.terminal.echo()
    if blocked:
        console.print(Text(t("guard.scan.blocked", file=path, count=len(blocked)), style="bold red"))
    if unsure:
        app_ctx.terminal.echo(t("guard.scan.unsure", file=path, count=len(unsure)))
    shown: set[str] = set()
    for _, f, _ in rows:
        if f.kind not in shown:
            shown.add(f.kind)
            app_ctx.terminal.echo("- " + explain(f))

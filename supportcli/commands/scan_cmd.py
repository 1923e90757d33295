"""`supportcli scan [PATH|-] [--json]`: find secrets in text before it is pasted anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag

if TYPE_CHECKING:
    from supportcli.core.guard.secrets import Finding
    from supportcli.core.guard.stream import PartFinding


_NOT_TEXT = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".pdf", ".zip", ".gz",
    ".xlsx", ".xls", ".docx", ".doc", ".mp4", ".mov",
})


def _located(path: str, findings: list[Finding]) -> list[tuple[str, Finding, dict[str, Any]]]:
    return [(f"{path}:{f.line}:{f.column}", f, {"part": None, "content_type": None}) for f in findings]


def _located_parts(path: str, found: list[PartFinding]) -> list[tuple[str, Finding, dict[str, Any]]]:
    rows = []
    for item in found:
        where = t("guard.scan.part", file=path, number=item.part, content_type=item.content_type)
        f = item.finding
        rows.append((f"{where}:{f.line}:{f.column}", f,
                     {"part": item.part, "content_type": item.content_type}))
    return rows


def _read(app_ctx: AppContext, path: str) -> tuple[list[tuple[str, Finding, dict[str, Any]]], int]:
    from supportcli.core.errors import InputError
    from supportcli.core.guard.stream import MAX_LINE_CHARS, csv_field_key, scan_email, scan_stream
    from supportcli.core.sniffing import HEAD, text_encoding

    if path == "-":
        stdin = app_ctx.terminal.stdin
        if app_ctx.terminal.stdin_isatty:
            app_ctx.terminal.error(t("guard.scan.stdin_prompt"))
        return _located(t("guard.scan.stdin_name"), list(scan_stream(stdin))), 0
    file = Path(path).expanduser()
    if file.is_dir():
        raise InputError("PATH", "", "guard.scan.is_dir", path=path)
    try:
        if file.suffix.lower() == ".eml":
            with file.open("rb") as binary:
                found, skipped = scan_email(binary)
            return _located_parts(path, found), skipped
        suffix = file.suffix.lower()
        with file.open("rb") as binary:
            encoding = text_encoding(binary.read(HEAD))
        if encoding is None or suffix in _NOT_TEXT:
            # A screenshot can show a recovery phrase: never call it clean.
            raise InputError("PATH", "", "guard.scan.not_text", path=path)
        json_like = suffix in (".json", ".jsonl", ".ndjson")
        html = suffix in (".html", ".htm", ".xhtml")
        with file.open(encoding=encoding, errors="replace") as fh:
            field_key = None
            if suffix in (".csv", ".tsv"):
                field_key = csv_field_key(fh.readline(MAX_LINE_CHARS))
                fh.seek(0)
            findings = scan_stream(fh, json_escapes=json_like, field_key=field_key, html=html)
            return _located(path, list(findings)), 0
    except FileNotFoundError:
        raise InputError("PATH", "", "guard.scan.not_found", path=path) from None
    except OSError as exc:
        raise InputError("PATH", "", "guard.scan.unreadable", path=path, reason=exc.strerror or "") from None


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

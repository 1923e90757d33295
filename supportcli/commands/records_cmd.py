"""`supportcli records import|list|find|check|forget`: the user's own Bitfinex Reports exports.

The reading, storing and checking is in `supportcli.core.records`; this module turns options into
calls, asks the two questions an export can leave open (its date format, its time zone) when a
terminal is there to answer them, and prints tables or JSON.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from supportcli.core.errors import InputError, UsageError
from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext

if TYPE_CHECKING:
    from supportcli.core.records.checks import CheckFinding
    from supportcli.core.records.importer import FileReport, Inspection
    from supportcli.core.records.inference import FormatEvidence
    from supportcli.core.records.reader import Source
    from supportcli.core.records.store import Located, RecordStore, SourceInfo
    from supportcli.term.terminal import Terminal

WIDE = 100  # columns needed for the table form of `records find` and `records list`


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _kind(kind: str) -> str:
    return t(f"records.kind.{kind}")


def _when(millis: int | None) -> str:
    from supportcli.core.records.dates import utc_text

    return utc_text(millis) if millis is not None else "-"


def _iso(millis: int | None) -> str | None:
    from supportcli.core.records.dates import utc_iso

    return utc_iso(millis) if millis is not None else None


# --------------------------------------------------------------------------- questions

def _ask_date_format(app_ctx: AppContext, name: str, evidence: FormatEvidence) -> str:
    """Which of the formats the data leaves open the user chose in the Reports tool."""
    from supportcli.core.records.dates import FORMATS, read_date
    from supportcli.term.prompting import interactive

    formats = evidence.ordered() or list(FORMATS)
    samples = evidence.telling_samples(2)
    example = samples[0] if samples else ""
    choices = []
    for fmt in formats:
        day = read_date(example, fmt)
        label = t("records.ask.date_choice", format=fmt, example=example.split(" ")[0],
                  reading=day.isoformat() if day else "-")
        choices.append((fmt, label))
    app_ctx.terminal.echo(t("records.ask.date_format_why", file=name, examples=", ".join(samples)))
    _, prompter = interactive(app_ctx)
    return prompter.select("date_format", t("records.ask.date_format"), choices)


def _ask_zone(app_ctx: AppContext, default: str) -> str:
    """The time zone the export's times are in, asked until it is one."""
    from supportcli.term.prompting import interactive

    _, prompter = interactive(app_ctx)
    while True:
        answer = prompter.text("timezone", t("records.ask.zone"), default=default)
        try:
            return _zone_name(answer, "--timezone")
        except InputError as exc:
            app_ctx.terminal.error(exc.render())
            default = ""


def _zone_name(value: str, option: str) -> str:
    from supportcli.core.config import KEYS

    try:
        return str(KEYS["timezone"].parse(value))
    except InputError:
        raise InputError(option, t("records.import.bad_timezone")) from None


# --------------------------------------------------------------------------- import

def _inspect_all(app_ctx: AppContext, store: RecordStore | None, sources: list[Source],
                 now: dt.datetime) -> tuple[list[Inspection], list[tuple[Source, str]]]:
    """Look at every file first; a file the user named that is no export stops everything (exit 2)."""
    from supportcli.core.records.importer import inspect
    from supportcli.core.records.kinds import expected_headers
    from supportcli.core.records.reader import NotAnExport

    inspections: list[Inspection] = []
    skipped: list[tuple[Source, str]] = []
    seen: dict[str, str] = {}
    for source in sources:
        try:
            inspections.append(inspect(source, store, now, seen))
        except NotAnExport as exc:
            if source.named and exc.reason == "records.import.reason.other_csv":
                raise UsageError("records.import.not_an_export", file=source.name,
                                 expected=expected_headers()) from None
            if source.named:
                raise UsageError("records.import.skipped", file=source.name, reason=t(exc.reason)) from None
            skipped.append((source, exc.reason))
        except OSError as exc:
            raise UsageError("records.import.unreadable", path=source.name,
                             reason=exc.strerror or type(exc).__name__) from None
    return inspections, skipped


def _formats(app_ctx: AppContext, inspections: list[Inspection], given: str | None,
             interactive: bool) -> dict[str, str]:
    """The date format of each file still to import, asked or refused (exit 2) when the data cannot tell."""
    from supportcli.core.records.importer import choose_format, format_question_needed

    chosen: dict[str, str] = {}
    answered: list[str] = []  # what the user said for an earlier file: the same export settings
    for inspection in inspections:
        if inspection.previous is not None or inspection.same_as is not None or inspection.secrets:
            continue
        fmt = choose_format(inspection, given)
        if fmt is None:
            fmt = next((a for a in answered if inspection.evidence.fits(a)), None)
        if fmt is None:
            if not interactive:
                raise format_question_needed(inspection)
            fmt = _ask_date_format(app_ctx, inspection.source.name, inspection.evidence)
            answered.append(fmt)
        chosen[inspection.source.name] = fmt
    return chosen


def _zone(app_ctx: AppContext, given: str | None, needed: bool, interactive: bool) -> tuple[str, str]:
    """(zone, where it came from): --timezone, then the configured zone, then a question."""
    if given is not None:
        return _zone_name(given, "--timezone"), "option"
    if not needed:
        return "UTC", "file"  # every time is marked UTC (or there is none)
    if app_ctx.settings.zone_configured:
        return app_ctx.settings.zone, "config"
    if not interactive:
        raise UsageError("records.import.zone_needed")
    from supportcli.core.tz import system_timezone_name

    return _ask_zone(app_ctx, system_timezone_name()), "answer"


def _import_all(app_ctx: AppContext, store: RecordStore, inspections: list[Inspection], formats: dict[str, str],
                zone: str, progress: bool) -> list[FileReport]:
    reports: list[FileReport] = []
    for inspection in inspections:
        try:
            reports.append(_import_one(app_ctx, store, inspection, formats, zone, progress))
        except OSError as exc:  # read fine a moment ago: a removed file, a disk error
            raise UsageError("records.import.unreadable_during", path=inspection.source.name,
                             reason=exc.strerror or str(exc)) from None
    return reports


def _import_one(app_ctx: AppContext, store: RecordStore, inspection: Inspection, formats: dict[str, str],
                zone: str, progress: bool) -> FileReport:
    from supportcli.core.records.importer import FileReport, import_file

    source, layout = inspection.source, inspection.layout
    if inspection.secrets:
        return FileReport(source, layout.kind, layout.spec.variant, "refused")
    if inspection.previous is not None:
        return FileReport(source, layout.kind, layout.spec.variant, "unchanged", previous=inspection.previous,
                          rows=inspection.previous.rows)
    if inspection.same_as is not None:
        return FileReport(source, layout.kind, layout.spec.variant, "duplicate")
    fmt = formats[source.name]
    if progress:
        return _with_progress(app_ctx, store, inspection, fmt, zone)
    return import_file(store, inspection, fmt, zone)


def _with_progress(app_ctx: AppContext, store: RecordStore, inspection: Inspection, fmt: str,
                   zone: str) -> FileReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from supportcli.core.records.importer import import_file

    with Progress(
        TextColumn(t("records.import.progress", file=inspection.source.name)), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=app_ctx.terminal.console(err=True), transient=True,
    ) as bar:
        task = bar.add_task("import", total=inspection.records or None)
        return import_file(store, inspection, fmt, zone, lambda done: bar.update(task, completed=done))


def _problem_text(problem: Any) -> str:
    if problem.column:
        return t("records.import.problem", file=problem.file, line=problem.line, column=problem.column,
                 reason=t(problem.reason))
    return t("records.import.problem_row", file=problem.file, line=problem.line, reason=t(problem.reason))


def _report_json(report: FileReport, inspection: Inspection | None) -> dict[str, Any]:
    secrets = inspection.secrets if inspection is not None else []
    return {
        "file": report.source.name, "kind": report.kind, "column_set": report.variant or "current",
        "status": report.status, "date_format": report.date_format or None, "rows": report.rows,
        "added": report.counts.added, "updated": report.counts.updated, "unchanged": report.counts.unchanged,
        "first": _iso(report.first_ms), "last": _iso(report.last_ms),
        "problems": [{"line": p.line, "column": p.column or None, "reason": t(p.reason)} for p in report.problems],
        "problem_count": report.problem_count,
        "secrets": [{"line": s.line, "column": s.column, "kind": s.kind, "action": s.action.value} for s in secrets],
        "secret_count": inspection.secret_count if inspection is not None else 0,
        "previous": report.previous.name if report.previous is not None else (
            inspection.same_as if inspection is not None else None),
    }


def _print_import(app_ctx: AppContext, reports: list[FileReport], inspections: dict[str, Inspection],
                  skipped: list[tuple[Source, str]], zone: str, origin: str, given_format: str | None) -> None:
    from supportcli.core.guard.secrets import kind_label

    terminal = app_ctx.terminal
    for source, reason in skipped:
        terminal.error(t("records.import.skipped", file=source.name, reason=t(reason)))
    problems = False
    for report in reports:
        name = report.source.name
        inspection = inspections[name]
        if report.status == "refused":
            terminal.error(t("records.import.secret_refused", file=name, count=inspection.secret_count))
            for hit in inspection.secrets:
                terminal.error(t("records.import.secret_line", where=f"{name}:{hit.line}:{hit.column}",
                                 kind=kind_label(hit.kind), action=t(f"guard.action.{hit.action.value}")))
            continue
        if report.status == "duplicate":
            terminal.echo(t("records.import.duplicate", file=name, other=inspection.same_as), multiline=False)
            continue
        if report.status == "unchanged":
            assert report.previous is not None
            terminal.echo(t("records.import.unchanged", file=name, on=report.previous.imported_at[:10],
                            previous=report.previous.name), multiline=False)
            continue
        if given_format is None and inspection.evidence.dates:
            terminal.echo(t("records.import.format_used", file=name, format=report.date_format), multiline=False)
        span = (t("records.import.range", first=_when(report.first_ms), last=_when(report.last_ms))
                if report.first_ms is not None else "")
        terminal.echo(t("records.import.imported", file=name, kind=_kind(report.kind), rows=report.rows,
                        added=report.counts.added, updated=report.counts.updated,
                        unchanged=report.counts.unchanged, range=span), multiline=False)
        for problem in report.problems:
            terminal.error(_problem_text(problem))
        if report.problem_count > len(report.problems):
            terminal.error(t("records.import.problems_more", file=name,
                             count=report.problem_count - len(report.problems)))
        problems |= report.problem_count > 0
    if problems:
        terminal.error(t("records.import.problems_note"))
    imported = [r for r in reports if r.status == "imported"]
    if imported:
        if origin == "file":
            if any(inspections[r.source.name].evidence.dates for r in imported):
                terminal.echo(t("records.import.zone_in_file"))
        else:
            terminal.echo(t("records.import.zone_used", zone=zone, origin=t(f"records.import.zone_from_{origin}")))
        terminal.echo(t("records.import.stored", path=str(app_ctx.paths.records_db)))


def _import(app_ctx: AppContext, given_paths: list[Path], date_format: str | None, timezone: str | None,
            as_json: bool) -> int:
    from supportcli.core.records.dates import normalize_format
    from supportcli.core.records.kinds import expected_headers
    from supportcli.core.records.reader import expand
    from supportcli.core.records.store import RecordStore

    given_format = None
    if date_format is not None:
        given_format = normalize_format(date_format)
        if given_format is None:
            raise InputError("--date-format", t("records.import.bad_date_format"))
    if timezone is not None:
        timezone = _zone_name(timezone, "--timezone")
    sources, unreadable = expand(given_paths)
    for bad in unreadable:
        if not bad.reason:
            raise InputError("PATH", t("records.import.no_such_path", path=bad.name))
        raise UsageError("records.import.unreadable", path=bad.name, reason=bad.reason)
    terminal = app_ctx.terminal
    interactive = terminal.interactive and not as_json
    now = _now()
    existing = RecordStore.existing(app_ctx.paths.records_db)  # to know files imported before
    try:
        inspections, skipped = _inspect_all(app_ctx, existing, sources, now)
    finally:
        if existing is not None:
            existing.close()
    if not inspections:
        where = ", ".join(str(p) for p in given_paths)
        raise UsageError("records.import.nothing_found", path=where, expected=expected_headers())
    formats = _formats(app_ctx, inspections, given_format, interactive)
    needed = any(i.evidence.local_times for i in inspections if i.source.name in formats)
    zone, origin = _zone(app_ctx, timezone, needed, interactive)
    progress = terminal.stderr_isatty and not as_json
    # The store is created only now: a refused command leaves nothing behind.
    with RecordStore(app_ctx.paths.records_db) as store:
        try:
            reports = _import_all(app_ctx, store, inspections, formats, zone, progress)
        except KeyboardInterrupt:
            terminal.error(t("records.import.interrupted"))
            raise
    by_name = {i.source.name: i for i in inspections}
    if as_json:
        files = [_report_json(r, by_name[r.source.name]) for r in reports]
        files += [{"file": s.name, "kind": None, "status": "skipped", "reason": t(reason)} for s, reason in skipped]
        terminal.json({"store": str(app_ctx.paths.records_db), "timezone": zone, "timezone_origin": origin,
                       "files": files})
    else:
        _print_import(app_ctx, reports, by_name, skipped, zone, origin, given_format)
    # Another report of the desktop app's folder (wallets, positions) is only noted; a file that should
    # have held records and does not (a failed sign-in, an empty download) is a failure.
    failed = any(reason != "records.import.reason.other_csv" for _, reason in skipped)
    failed |= any(r.status == "refused" or r.problem_count for r in reports)
    return 1 if failed else 0


# --------------------------------------------------------------------------- list, find, check

def _echo_wrapped(terminal: Terminal, line: str, width: int) -> None:
    """One line of a narrow listing, wrapped to the terminal with its indent kept."""
    from supportcli.core.text import clean
    from supportcli.term.wrap import wrap_line

    for piece in wrap_line(clean(line, multiline=False), width - 1):
        terminal.echo(piece, multiline=False)


def _source_json(info: SourceInfo) -> dict[str, Any]:
    return {
        "kind": info.kind, "column_set": info.variant or "current", "rows": info.rows, "problems": info.problems,
        "first": _iso(info.first_ms), "last": _iso(info.last_ms), "file": info.name, "sha256": info.sha256,
        "imported_at": info.imported_at, "date_format": info.date_format, "timezone": info.timezone,
    }


def _print_sources(app_ctx: AppContext, sources: list[SourceInfo]) -> None:
    from rich.table import Table
    from rich.text import Text

    terminal = app_ctx.terminal
    console = terminal.console()
    if console.width < WIDE:
        for info in sources:
            terminal.echo(t("records.list.narrow", kind=_kind(info.kind), rows=info.rows, first=_when(info.first_ms),
                            last=_when(info.last_ms)), multiline=False)
            _echo_wrapped(terminal, "    " + info.name, console.width)
    else:
        table = Table(box=None, pad_edge=False, show_header=True)
        table.add_column(t("records.col.kind"), no_wrap=True)
        table.add_column(t("records.col.rows"), justify="right", no_wrap=True)
        table.add_column(t("records.col.first"), no_wrap=True)
        table.add_column(t("records.col.last"), no_wrap=True)
        table.add_column(t("records.col.file"), overflow="fold", ratio=1, min_width=16)
        for info in sources:
            table.add_row(Text(_kind(info.kind)), Text(str(info.rows)), Text(_when(info.first_ms)),
                          Text(_when(info.last_ms)), Text(info.name))
        console.print(table)
    terminal.echo(t("records.list.total", rows=sum(s.rows for s in sources), files=len(sources),
                    path=str(app_ctx.paths.records_db)))


def _details(located: Located) -> str:
    from supportcli.core.records.rows import LedgerRow, LoginRow, MovementRow, OrderRow, TradeRow

    row = located.row
    if isinstance(row, TradeRow):
        side = t("records.find.buy" if row.amount > 0 else "records.find.sell")
        return t("records.find.trade", pair=row.pair, side=side,
                 amount=abs(row.amount), price=row.price, fee=row.fee, fee_currency=row.fee_currency,
                 order=row.order_id)
    if isinstance(row, LedgerRow):
        return t("records.find.ledger", currency=row.currency, amount=row.amount, balance=row.balance,
                 wallet=row.wallet or "-", description=row.description)
    if isinstance(row, MovementRow):
        what = t("records.find.withdrawal" if row.amount < 0 else "records.find.deposit")
        return t("records.find.movement", what=what,
                 amount=abs(row.amount), currency=row.currency, status=row.status or "-", fees=row.fees,
                 address=row.address or "-", tx=row.tx_id or "-")
    if isinstance(row, OrderRow):
        return t("records.find.order", pair=row.pair, type=row.type, amount=row.amount,
                 price=row.price if row.price is not None else "-", executed=row.executed, status=row.status)
    assert isinstance(row, LoginRow)
    return t("records.find.login", ip=row.ip)


def _short(source: str) -> str:
    """A source file as a table shows it: its name (a zip member's own name), the folders left out."""
    return Path(source.rsplit(":", 1)[-1] if ".zip:" in source else source).name


def _print_matches(app_ctx: AppContext, matches: list[Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from supportcli.core.records.rows import row_millis

    terminal = app_ctx.terminal
    console = terminal.console()
    if console.width < WIDE:
        for match in matches:
            located = match.located
            terminal.echo(f"{_kind(located.kind)} #{located.row.id}  {_when(row_millis(located.row))}",
                          multiline=False)
            _echo_wrapped(terminal, "    " + _details(located), console.width)
            _echo_wrapped(terminal, f"    {located.source}:{located.line}", console.width)
        return
    table = Table(box=None, pad_edge=False, show_header=True)
    table.add_column(t("records.col.kind"), no_wrap=True)
    table.add_column(t("records.col.id"), no_wrap=True)
    table.add_column(t("records.col.time"), no_wrap=True)
    table.add_column(t("records.col.details"), overflow="fold", min_width=24)
    table.add_column(t("records.col.where"), overflow="fold", min_width=12, max_width=40)
    for match in matches:
        located = match.located
        table.add_row(Text(_kind(located.kind)), Text(str(located.row.id)), Text(_when(row_millis(located.row))),
                      Text(_details(located)), Text(f"{_short(located.source)}:{located.line}"))
    console.print(table)


def _finding_json(finding: CheckFinding) -> dict[str, Any]:
    return {
        "kind": finding.kind, "title": t(f"records.check.title.{finding.kind}"),
        "rows": [{"kind": r.kind, "id": r.id} for r in finding.rows], "ids": [r.id for r in finding.rows],
        "message": _explain(finding), "flow": finding.flow, "next": f"supportcli troubleshoot {finding.flow}",
        "details": finding.params,
    }


def _explain(finding: CheckFinding) -> str:
    return t(f"records.check.explain.{finding.variant or finding.kind}", None, **finding.params)


def _print_findings(app_ctx: AppContext, report: Any) -> None:
    from rich.text import Text

    terminal = app_ctx.terminal
    console = terminal.console()
    rows = sum(report.checked.values())
    if not report.findings:
        terminal.echo(t("records.check.none", rows=rows))
    else:
        terminal.echo(t("records.check.count", count=len(report.findings) + sum(report.more.values()), rows=rows))
    for finding in report.findings:
        terminal.echo()
        head = Text(finding.kind + "  ", style="bold yellow")
        head.append(t(f"records.check.title.{finding.kind}"), style="bold")
        console.print(head)
        terminal.echo("  " + _explain(finding))
        console.print(Text("  " + t("records.check.next", flow=finding.flow), style="cyan"))
    for kind, count in report.more.items():
        terminal.echo(t("records.check.more", count=count, kind=kind))
    hints = [("ledgers", "missing_ledgers"), ("movements", "missing_movements"), ("logins", "missing_logins"),
             ("orders", "missing_orders")]
    missing = [key for kind, key in hints if not report.checked.get(kind)]
    if missing:
        terminal.echo()
    for key in missing:
        terminal.echo(t(f"records.check.{key}"))


# --------------------------------------------------------------------------- commands

def build() -> typer.Typer:
    app = new_app(t("records.help"), t("records.epilog"))

    @app.command("import", help=t("records.import_help"))
    def import_(
        ctx: typer.Context,
        paths: list[Path] = typer.Argument(..., help=t("records.arg.paths"), metavar="PATH...", show_default=False),
        date_format: str | None = typer.Option(None, "--date-format", help=t("records.opt.date_format"),
                                               metavar="FMT"),
        timezone: str | None = typer.Option(None, "--timezone", help=t("records.opt.timezone"), metavar="ZONE"),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt.json")),
    ) -> None:
        code = _import(AppContext.of(ctx), paths, date_format, timezone, as_json)
        if code:
            raise typer.Exit(code)

    @app.command("list", help=t("records.list_help"))
    def list_(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt.json")),
    ) -> None:
        from supportcli.core.records.store import RecordStore

        app_ctx = AppContext.of(ctx)
        store = RecordStore.existing(app_ctx.paths.records_db)
        sources = []
        if store is not None:
            with store:
                sources = store.sources()
        if as_json:
            app_ctx.terminal.json([_source_json(s) for s in sources])
            return
        if not sources:
            app_ctx.terminal.echo(t("records.list.none"))
            return
        _print_sources(app_ctx, sources)

    @app.command("find", help=t("records.find_help"))
    def find(
        ctx: typer.Context,
        query: list[str] = typer.Argument(..., help=t("records.arg.query"), metavar="QUERY"),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt.json")),
    ) -> None:
        from supportcli.core.records import find as finder
        from supportcli.core.records.store import RecordStore
        from supportcli.core.text import clean

        app_ctx = AppContext.of(ctx)
        text = " ".join(query)
        parsed = finder.parse_query(text)
        store = RecordStore.existing(app_ctx.paths.records_db)
        if store is None:
            if as_json:
                app_ctx.terminal.json({"query": parsed.text, "matches": [], "more": 0})
            else:
                app_ctx.terminal.echo(t("records.find.nothing_imported"))
            raise typer.Exit(1)
        with store:
            result = finder.find(store, parsed)
        shown = clean(parsed.text, multiline=False)
        if as_json:
            from supportcli.core.records.rows import row_fields

            app_ctx.terminal.json({
                "query": parsed.text,
                "matches": [{"kind": m.located.kind, "id": m.located.row.id, "matched": m.matched,
                             **row_fields(m.located.row), "file": m.located.source, "line": m.located.line}
                            for m in result.matches],
                "more": result.more,
            })
        elif not result.matches:
            app_ctx.terminal.echo(t("records.find.no_match", query=shown), multiline=False)
        else:
            app_ctx.terminal.echo(t("records.find.header", count=len(result.matches), query=shown), multiline=False)
            _print_matches(app_ctx, result.matches)
            if result.more:
                app_ctx.terminal.echo(t("records.find.more", count=result.more))
        if not result.matches:
            raise typer.Exit(1)

    @app.command("check", help=t("records.check_help"))
    def check(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt.json")),
    ) -> None:
        from supportcli.core.records.checks import run_checks
        from supportcli.core.records.store import RecordStore

        app_ctx = AppContext.of(ctx)
        store = RecordStore.existing(app_ctx.paths.records_db)
        if store is None:
            if as_json:
                app_ctx.terminal.json({"findings": [], "more": {}, "checked": {}})
            else:
                app_ctx.terminal.echo(t("records.check.nothing_imported"))
            return
        with store:
            report = run_checks(store, _now())
        if as_json:
            app_ctx.terminal.json({"findings": [_finding_json(f) for f in report.findings], "more": report.more,
                                   "checked": report.checked})
        else:
            _print_findings(app_ctx, report)
        if report.findings:
            raise typer.Exit(1)

    @app.command("forget", help=t("records.forget_help"))
    def forget(
        ctx: typer.Context,
        yes: bool = typer.Option(False, "--yes", "-y", help=t("records.opt.yes")),
    ) -> None:
        from supportcli.core.records import store as records_store

        app_ctx = AppContext.of(ctx)
        path = app_ctx.paths.records_db
        existing = records_store.RecordStore.existing(path)
        if existing is None:
            app_ctx.terminal.echo(t("records.forget.nothing"))
            return
        with existing:
            sources = existing.sources()
        if not yes:
            if not app_ctx.terminal.interactive:
                raise InputError("--yes", t("records.forget.needs_yes"))
            from supportcli.term.prompting import interactive

            question = t("records.ask.forget", rows=sum(s.rows for s in sources), files=len(sources))
            if not interactive(app_ctx)[1].confirm("forget", question, default=False):
                app_ctx.terminal.echo(t("records.forget.kept"))
                return
        records_store.forget(path)
        app_ctx.terminal.echo(t("records.forget.done", path=str(path)))

    return app

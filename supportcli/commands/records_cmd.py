"""`supportcli records import|list|find|check|forget`: the user's own Bitfinex Reports exports.

The reading, storing and checking is in `supportcli.core.records`, the showing in
`supportcli.term.records_view`; this module turns options into calls and asks the two questions an
export can leave open (its date format, its time zone) when a terminal is there to answer them.
Each command is a module-level function; `build()` registers them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from supportcli.core.errors import InputError, UsageError
from supportcli.core.i18n import t
from supportcli.term import records_view as view
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag

if TYPE_CHECKING:
    from supportcli.core.records.importer import FileReport, Inspection
    from supportcli.core.records.inference import FormatEvidence
    from supportcli.core.records.reader import Source
    from supportcli.core.records.store import RecordStore

PathsArg = Annotated[list[Path], typer.Argument(help="records.arg.paths", metavar="PATH...", show_default=False)]
DateFormatOption = Annotated[str | None, typer.Option("--date-format", help="records.opt.date_format", metavar="FMT")]
TimezoneOption = Annotated[str | None, typer.Option("--timezone", help="records.opt.timezone", metavar="ZONE")]
QueryArg = Annotated[list[str], typer.Argument(help="records.arg.query", metavar="QUERY")]
YesFlag = Annotated[bool, typer.Option("--yes", "-y", help="records.opt.yes")]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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

def _inspect_all(store: RecordStore | None, sources: list[Source],
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


def run_import(app_ctx: AppContext, given_paths: list[Path], date_format: str | None, timezone: str | None,
               as_json: bool) -> int:
    """Import `given_paths`; the exit status (1: a row, file or secret was refused)."""
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
        inspections, skipped = _inspect_all(existing, sources, now)
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
        terminal.json(view.import_json(app_ctx, reports, by_name, skipped, zone, origin))
    else:
        view.print_import(app_ctx, reports, by_name, skipped, zone, origin, given_format)
    # Another report of the desktop app's folder (wallets, positions) is only noted; a file that should
    # have held records and does not (a failed sign-in, an empty download) is a failure.
    failed = any(reason != "records.import.reason.other_csv" for _, reason in skipped)
    failed |= any(r.status == "refused" or r.problem_count for r in reports)
    return 1 if failed else 0


# --------------------------------------------------------------------------- commands

def import_(
    ctx: typer.Context, paths: PathsArg, date_format: DateFormatOption = None, timezone: TimezoneOption = None,
    as_json: JsonFlag = False,
) -> None:
    code = run_import(AppContext.of(ctx), paths, date_format, timezone, as_json)
    if code:
        raise typer.Exit(code)


def list_(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    from supportcli.core.records.store import RecordStore

    app_ctx = AppContext.of(ctx)
    store = RecordStore.existing(app_ctx.paths.records_db)
    sources = []
    if store is not None:
        with store:
            sources = store.sources()
    if as_json:
        app_ctx.terminal.json([view.source_json(s) for s in sources])
        return
    if not sources:
        app_ctx.terminal.echo(t("records.list.none"))
        return
    view.print_sources(app_ctx, sources)


def find(ctx: typer.Context, query: QueryArg, as_json: JsonFlag = False) -> None:
    from supportcli.core.records import find as finder
    from supportcli.core.records.store import RecordStore
    from supportcli.core.text import clean

    app_ctx = AppContext.of(ctx)
    parsed = finder.parse_query(" ".join(query))
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
        app_ctx.terminal.json({"query": parsed.text, "matches": [view.match_json(m) for m in result.matches],
                               "more": result.more})
    elif not result.matches:
        app_ctx.terminal.echo(t("records.find.no_match", query=shown), multiline=False)
    else:
        app_ctx.terminal.echo(t("records.find.header", count=len(result.matches), query=shown), multiline=False)
        view.print_matches(app_ctx, result.matches)
        if result.more:
            app_ctx.terminal.echo(t("records.find.more", count=result.more))
    if not result.matches:
        raise typer.Exit(1)


def check(ctx: typer.Context, as_json: JsonFlag = False) -> None:
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
        app_ctx.terminal.json(view.check_json(report))
    else:
        view.print_findings(app_ctx, report)
    if report.findings:
        raise typer.Exit(1)


def forget(ctx: typer.Context, yes: YesFlag = False) -> None:
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


def build() -> typer.Typer:
    app = new_app(t("records.help"), t("records.epilog"))
    app.command("import", help="records.import_help")(import_)
    app.command("list", help="records.list_help")(list_)
    app.command("find", help="records.find_help")(find)
    app.command("check", help="records.check_help")(check)
    app.command("forget", help="records.forget_help")(forget)
    return app

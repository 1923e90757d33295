"""How `supportcli records` shows what it did and found: the import report, the imported files, the
matching rows and the check findings, as text for a person (tables when the terminal is wide
enough, one item a few lines otherwise) or as the JSON objects the README documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from supportcli.core.i18n import t

if TYPE_CHECKING:
    from supportcli.core.records.checks import CheckFinding, CheckReport
    from supportcli.core.records.find import Match
    from supportcli.core.records.importer import FileReport, Inspection, Problem
    from supportcli.core.records.reader import Source
    from supportcli.core.records.store import Located, SourceInfo
    from supportcli.term.context import AppContext
    from supportcli.term.terminal import Terminal

WIDE = 100  # columns needed for the table form of `records find` and `records list`


def kind_name(kind: str) -> str:
    return t(f"records.kind.{kind}")


def when(millis: int | None) -> str:
    from supportcli.core.records.dates import utc_text

    return utc_text(millis) if millis is not None else "-"


def iso(millis: int | None) -> str | None:
    from supportcli.core.records.dates import utc_iso

    return utc_iso(millis) if millis is not None else None


def echo_wrapped(terminal: Terminal, line: str, width: int) -> None:
    """One line of a narrow listing, wrapped to the terminal with its indent kept."""
    from supportcli.core.text import clean
    from supportcli.term.wrap import wrap_line

    for piece in wrap_line(clean(line, multiline=False), width - 1):
        terminal.echo(piece, multiline=False)


# --------------------------------------------------------------------------- import


def problem_text(problem: Problem) -> str:
    if problem.column:
        return t("records.import.problem", file=problem.file, line=problem.line, column=problem.column,
                 reason=t(problem.reason))
    return t("records.import.problem_row", file=problem.file, line=problem.line, reason=t(problem.reason))


def report_json(report: FileReport, inspection: Inspection | None) -> dict[str, Any]:
    secrets = inspection.secrets if inspection is not None else []
    return {
        "file": report.source.name, "kind": report.kind, "column_set": report.variant or "current",
        "status": report.status, "date_format": report.date_format or None, "rows": report.rows,
        "added": report.counts.added, "updated": report.counts.updated, "unchanged": report.counts.unchanged,
        "first": iso(report.first_ms), "last": iso(report.last_ms),
        "problems": [{"line": p.line, "column": p.column or None, "reason": t(p.reason)} for p in report.problems],
        "problem_count": report.problem_count,
        "secrets": [{"line": s.line, "column": s.column, "kind": s.kind, "action": s.action.value} for s in secrets],
        "secret_count": inspection.secret_count if inspection is not None else 0,
        "previous": report.previous.name if report.previous is not None else (
            inspection.same_as if inspection is not None else None),
    }


def import_json(app_ctx: AppContext, reports: list[FileReport], inspections: dict[str, Inspection],
                skipped: list[tuple[Source, str]], zone: str, origin: str) -> dict[str, Any]:
    files = [report_json(r, inspections[r.source.name]) for r in reports]
    files += [{"file": s.name, "kind": None, "status": "skipped", "reason": t(reason)} for s, reason in skipped]
    return {"store": str(app_ctx.paths.records_db), "timezone": zone, "timezone_origin": origin, "files": files}


def print_import(app_ctx: AppContext, reports: list[FileReport], inspections: dict[str, Inspection],
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
        span = (t("records.import.range", first=when(report.first_ms), last=when(report.last_ms))
                if report.first_ms is not None else "")
        terminal.echo(t("records.import.imported", file=name, kind=kind_name(report.kind), rows=report.rows,
                        added=report.counts.added, updated=report.counts.updated,
                        unchanged=report.counts.unchanged, range=span), multiline=False)
        for problem in report.problems:
            terminal.error(problem_text(problem))
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


# --------------------------------------------------------------------------- list


def source_json(info: SourceInfo) -> dict[str, Any]:
    return {
        "kind": info.kind, "column_set": info.variant or "current", "rows": info.rows, "problems": info.problems,
        "first": iso(info.first_ms), "last": iso(info.last_ms), "file": info.name, "sha256": info.sha256,
        "imported_at": info.imported_at, "date_format": info.date_format, "timezone": info.timezone,
    }


def print_sources(app_ctx: AppContext, sources: list[SourceInfo]) -> None:
    from rich.table import Table
    from rich.text import Text

    terminal = app_ctx.terminal
    console = terminal.console()
    if console.width < WIDE:
        for info in sources:
            terminal.echo(t("records.list.narrow", kind=kind_name(info.kind), rows=info.rows,
                            first=when(info.first_ms), last=when(info.last_ms)), multiline=False)
            echo_wrapped(terminal, "    " + info.name, console.width)
    else:
        table = Table(box=None, pad_edge=False, show_header=True)
        table.add_column(t("records.col.kind"), no_wrap=True)
        table.add_column(t("records.col.rows"), justify="right", no_wrap=True)
        table.add_column(t("records.col.first"), no_wrap=True)
        table.add_column(t("records.col.last"), no_wrap=True)
        table.add_column(t("records.col.file"), overflow="fold", ratio=1, min_width=16)
        for info in sources:
            table.add_row(Text(kind_name(info.kind)), Text(str(info.rows)), Text(when(info.first_ms)),
                          Text(when(info.last_ms)), Text(info.name))
        console.print(table)
    terminal.echo(t("records.list.total", rows=sum(s.rows for s in sources), files=len(sources),
                    path=str(app_ctx.paths.records_db)))


# --------------------------------------------------------------------------- find


def details(located: Located) -> str:
    """One row's fields in a line: what the table's details column shows."""
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


def match_json(match: Match) -> dict[str, Any]:
    from supportcli.core.records.rows import row_fields

    located = match.located
    return {"kind": located.kind, "id": located.row.id, "matched": match.matched, **row_fields(located.row),
            "file": located.source, "line": located.line}


def print_matches(app_ctx: AppContext, matches: list[Match]) -> None:
    from rich.table import Table
    from rich.text import Text

    from supportcli.core.records import lookup
    from supportcli.core.records.rows import row_millis

    terminal = app_ctx.terminal
    console = terminal.console()
    if console.width < WIDE:
        for match in matches:
            located = match.located
            terminal.echo(f"{kind_name(located.kind)} #{located.row.id}  {when(row_millis(located.row))}",
                          multiline=False)
            echo_wrapped(terminal, "    " + details(located), console.width)
            echo_wrapped(terminal, f"    {located.source}:{located.line}", console.width)
        return
    table = Table(box=None, pad_edge=False, show_header=True)
    table.add_column(t("records.col.kind"), no_wrap=True)
    table.add_column(t("records.col.id"), no_wrap=True)
    table.add_column(t("records.col.time"), no_wrap=True)
    table.add_column(t("records.col.details"), overflow="fold", min_width=24)
    table.add_column(t("records.col.where"), overflow="fold", min_width=12, max_width=40)
    for match in matches:
        located = match.located
        table.add_row(Text(kind_name(located.kind)), Text(str(located.row.id)), Text(when(row_millis(located.row))),
                      Text(details(located)), Text(f"{lookup.short_source(located.source)}:{located.line}"))
    console.print(table)


# --------------------------------------------------------------------------- check


def explain(finding: CheckFinding) -> str:
    return t(f"records.check.explain.{finding.variant or finding.kind}", None, **finding.params)


def finding_json(finding: CheckFinding) -> dict[str, Any]:
    return {
        "kind": finding.kind, "title": t(f"records.check.title.{finding.kind}"),
        "rows": [{"kind": r.kind, "id": r.id} for r in finding.rows], "ids": [r.id for r in finding.rows],
        "message": explain(finding), "flow": finding.flow, "next": f"supportcli troubleshoot {finding.flow}",
        "details": finding.params,
    }


def check_json(report: CheckReport) -> dict[str, Any]:
    return {"findings": [finding_json(f) for f in report.findings], "more": report.more, "checked": report.checked}


_MISSING_HINTS = (("ledgers", "missing_ledgers"), ("movements", "missing_movements"), ("logins", "missing_logins"),
                  ("orders", "missing_orders"))


def print_findings(app_ctx: AppContext, report: CheckReport) -> None:
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
        terminal.echo("  " + explain(finding))
        console.print(Text("  " + t("records.check.next", flow=finding.flow), style="cyan"))
    for kind, count in report.more.items():
        terminal.echo(t("records.check.more", count=count, kind=kind))
    missing = [key for kind, key in _MISSING_HINTS if not report.checked.get(kind)]
    if missing:
        terminal.echo()
    for key in missing:
        terminal.echo(t(f"records.check.{key}"))

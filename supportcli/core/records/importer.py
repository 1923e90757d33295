"""Importing export files: look first (kind, secrets, dates), then read and store.

`inspect(source, store, now)` reads a file once without storing anything: its kind from the
header, whether it was imported before (by content hash), the guard's findings, and which date
formats its dates allow. `import_file(store, inspection, date_format, zone)` then reads it again
and stores its rows in one transaction. Rows that do not parse are reported as `file:line`
problems and left out; the rest is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from supportcli.core.errors import UsageError
from supportcli.core.records.dates import UI_DEFAULT, DateReader
from supportcli.core.records.inference import FormatEvidence
from supportcli.core.records.kinds import Layout
from supportcli.core.records.reader import Record, Source, open_export
from supportcli.core.records.rows import CellError, row_parser
from supportcli.core.records.screen import Screen, SecretHit
from supportcli.core.records.store import UPSERT_KINDS, RecordStore, SourceInfo, to_sql

BATCH = 5000
MAX_PROBLEMS = 50  # listed per file; the rest are counted


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Problem:
    """A row that could not be read: where, which column (or ''), and a message key for why."""

    file: str
    line: int
    column: str
    reason: str


@dataclass
class Inspection:
    source: Source
    layout: Layout
    delimiter: str
    digest: str
    previous: SourceInfo | None  # the same content, imported before
    evidence: FormatEvidence
    secrets: list[SecretHit]
    secret_count: int
    records: int
    same_as: str | None = None  # another file of this run with the same content (read once)


@dataclass
class FileReport:
    source: Source
    kind: str
    variant: str
    status: str  # "imported", "unchanged" or "refused"
    date_format: str = ""
    timezone: str = ""
    rows: int = 0
    counts: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    previous: SourceInfo | None = None


def inspect(source: Source, store: RecordStore | None, now: dt.datetime,
            seen: dict[str, str] | None = None) -> Inspection:
    """Everything to know about a file before importing it (NotAnExport when it is none).

    `seen` maps the content hashes of files already inspected in this run to their names: the same
    content given twice (a file and the folder holding it) is read once.
    """
    digest = source.digest()
    previous = store.source_by_digest(digest) if store is not None else None
    same_as = seen.get(digest) if seen is not None else None
    if seen is not None:
        seen.setdefault(digest, source.name)
    with open_export(source) as opened:
        layout = opened.layout
        evidence = FormatEvidence(now)
        if previous is not None or same_as is not None:  # nothing will be read from it again
            rows = previous.rows if previous is not None else 0
            return Inspection(source, layout, opened.delimiter, digest, previous, evidence, [], 0, rows, same_as)
        screen = Screen(layout, opened.delimiter)
        date_columns = layout.date_columns
        records = 0
        add_date = evidence.add
        screen_add = screen.add
        for record in opened.records:
            records += 1
            cells = record.cells
            screen_add(record.line, record.raw, cells)
            for i in date_columns:
                if i < len(cells) and cells[i]:
                    add_date(cells[i], record.line)
        hits = screen.finish()
    return Inspection(source, layout, opened.delimiter, digest, previous, evidence, hits, screen.total, records)


def choose_format(inspection: Inspection, given: str | None) -> str | None:
    """The date format to read the file with; None when the data leaves a choice the user must make.

    `given` (from --date-format) is taken unless the file's own dates rule it out, which is a
    usage error naming the line that does; with no dates at all any format will do.
    """
    evidence = inspection.evidence
    if evidence.dates == 0:
        return given or UI_DEFAULT
    if given is not None:
        if evidence.candidates and not evidence.fits(given):
            line, value = evidence.ruled_out[given]
            raise UsageError("records.import.format_contradicted", format=given, file=inspection.source.name,
                             line=line, value=value, formats=", ".join(evidence.ordered()))
        return given
    if len(evidence.candidates) == 1:
        return next(iter(evidence.candidates))
    return None


def format_question_needed(inspection: Inspection) -> UsageError:
    """What to say when the format cannot be told and nobody can be asked (exit 2, naming --date-format)."""
    evidence = inspection.evidence
    name = inspection.source.name
    if not evidence.candidates:
        line, value = evidence.last_straw or min(evidence.ruled_out.values())
        return UsageError("records.import.dates_fit_none", file=name, line=line, value=value)
    formats = evidence.ordered()
    example = (evidence.telling_samples(1) or ["?"])[0]
    return UsageError("records.import.ambiguous_dates", file=name, example=example, formats=", ".join(formats),
                      first=formats[0])


def _problem(source: Source, record: Record, layout: Layout, exc: CellError | None = None) -> Problem:
    if exc is not None:
        return Problem(source.name, record.line, exc.column, exc.reason)
    if record.problem:
        return Problem(source.name, record.line, "", record.problem)
    reason = "records.row.truncated" if record.last and len(record.cells) < layout.width else "records.row.cells"
    return Problem(source.name, record.line, "", reason)


def import_file(store: RecordStore, inspection: Inspection, date_format: str, zone: str,
                progress: Callable[[int], None] | None = None, imported_at: str = "") -> FileReport:
    """Read the file again and store its rows (one transaction). `progress(rows_read)` now and then."""
    source, layout = inspection.source, inspection.layout
    report = FileReport(source, layout.kind, layout.spec.variant, "imported", date_format, zone)
    reader = DateReader(date_format, zone)
    parse = row_parser(layout, reader)
    width = layout.width
    kind = layout.kind
    first: int | None = None
    last: int | None = None

    upserts = kind in UPSERT_KINDS
    with store.transaction():
        before = store.count(kind) if upserts else 0  # (a count is a scan: only for the small tables)
        source_id = store.add_source(source.name, inspection.digest, kind, layout.spec.variant, date_format, zone,
                                     imported_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

        hasher = hashlib.sha256()

        def rows() -> Iterator[tuple[Any, ...]]:
            nonlocal first, last
            with open_export(source, hasher) as opened:
                for record in opened.records:
                    cells = record.cells
                    if record.problem or len(cells) != width:
                        # a spreadsheet may add empty cells at the end: those are fine
                        if not record.problem and len(cells) > width and not any(c.strip() for c in cells[width:]):
                            cells = cells[:width]
                        else:
                            _note(report, _problem(source, record, layout))
                            continue
                    try:
                        row = parse(cells)
                    except CellError as exc:
                        _note(report, _problem(source, record, layout, exc))
                        continue
                    report.rows += 1
                    values = to_sql(row, source_id, record.line)
                    moment = _moment(kind, values)
                    if first is None or moment < first:
                        first = moment
                    if last is None or moment > last:
                        last = moment
                    if progress is not None and report.rows % BATCH == 0:
                        progress(report.rows)
                    yield values

        changed = store.insert(kind, rows())
        if hasher.hexdigest() != inspection.digest:  # what was stored is not what the guard saw
            raise UsageError("records.import.changed", file=source.name)
        # Trades, ledger entries and logins never change: every change is a row added.
        report.counts.added = store.count(kind) - before if upserts else changed
        report.counts.updated = changed - report.counts.added
        report.counts.unchanged = report.rows - changed
        report.first_ms, report.last_ms = first, last
        store.finish_source(source_id, report.rows, report.problem_count, first, last)
    return report


def _note(report: FileReport, problem: Problem) -> None:
    report.problem_count += 1
    if len(report.problems) < MAX_PROBLEMS:
        report.problems.append(problem)


_TIME_COLUMN = {"trades": 8, "ledgers": 6, "movements": 2, "orders": 7, "logins": 2}


def _moment(kind: str, values: tuple[Any, ...]) -> int:
    value = values[_TIME_COLUMN[kind]]
    return int(value)

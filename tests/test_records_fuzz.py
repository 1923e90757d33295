"""The CSV reader and row parser under generated input: a typed error or a result, never a traceback,
in bounded time."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportcli.core.records.importer import import_file, inspect
from supportcli.core.records.reader import NotAnExport, Source
from supportcli.core.records.store import RecordStore
from tests.test_records_formats import LEDGERS, LOGINS, MOVEMENTS, MOVEMENTS_DATED, ORDERS, TRADES

NOW = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
HEADERS = [TRADES, LEDGERS, MOVEMENTS, MOVEMENTS_DATED, ORDERS, LOGINS]

cells = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    st.sampled_from(["", "0.1", "-3.01", "1e-7", "NaN", "14-11-23 22:13:20", "2023-11-14 22:13:20.123",
                     "31-02-23 00:00:00", "BTC/USD", "tBTCUSD", "1500000001", '"', '""', "\r\n", "\x00",
                     "127.0.0.1", "::1", "COMPLETED", "Exchange 0.1 BTC for USD @ 30000 on wallet exchange"]),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=14), max_size=12)


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\r\n') else cell


def _run(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(data)
        store = RecordStore(Path(folder) / "records" / "records.sqlite3")
        try:
            inspection = inspect(Source(str(path), path), store, NOW)
        except NotAnExport:
            store.close()
            return
        for fmt in sorted(inspection.evidence.candidates)[:1] or ["DD-MM-YY"]:
            report = import_file(store, inspection, fmt, "Asia/Shanghai")
            assert report.rows + report.problem_count <= inspection.records
        store.close()


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.sampled_from(HEADERS), body=rows, crlf=st.booleans(), bom=st.booleans(), cut=st.integers(0, 5),
       quote=st.booleans())
def test_generated_exports_never_crash(header: str, body: list[list[str]], crlf: bool, bom: bool, cut: int,
                                       quote: bool) -> None:
    newline = "\r\n" if crlf else "\n"
    lines = [header] + [",".join(_quote(c) if quote else c for c in row) for row in body]
    data = (newline.join(lines) + newline).encode("utf-8", "surrogatepass")
    if cut:
        data = data[:-cut]
    _run((b"\xef\xbb\xbf" if bom else b"") + data)


@settings(max_examples=100, deadline=2000)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    _run(data)


@settings(max_examples=50, deadline=2000)
@given(st.sampled_from(HEADERS), st.binary(max_size=300))
def test_a_real_header_over_arbitrary_bytes_never_crashes(header: str, data: bytes) -> None:
    _run(header.encode() + b"\n" + data)

"""Importing into the private store: the guard first, one transaction per file, idempotent re-imports."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from supportcli.core.errors import UsageError
from supportcli.core.records.importer import Inspection, choose_format, import_file, inspect
from supportcli.core.records.reader import Source
from supportcli.core.records.store import RecordStore, forget
from tests.test_records_formats import (
    ADDRESS,
    LEDGERS,
    MOVEMENTS,
    NOW,
    SEED,
    TRADES,
    TX,
    date_cell,
    trade_rows,
    write_export,
)


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    return RecordStore(tmp_path / "data" / "records" / "records.sqlite3")


def _inspect(store: RecordStore, path: Path) -> Inspection:
    return inspect(Source(str(path), path), store, NOW)


def _import(store: RecordStore, path: Path, fmt: str = "DD-MM-YY", zone: str = "UTC") -> object:
    return import_file(store, _inspect(store, path), fmt, zone)


def test_the_store_is_private(store: RecordStore, tmp_path: Path) -> None:
    _import(store, write_export(tmp_path / "trades.csv", TRADES, trade_rows()))
    folder = store.path.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():  # the database and SQLite's -wal and -shm beside it
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_importing_the_same_file_again_changes_nothing(store: RecordStore, tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())
    first = _import(store, path)
    assert first.counts.added == 2  # type: ignore[attr-defined]
    again = _inspect(store, path)
    assert again.previous is not None and again.previous.rows == 2
    copy = write_export(tmp_path / "copy" / "other-name.csv", TRADES, trade_rows())
    assert _inspect(store, copy).previous is not None  # known by its content, not its name
    assert store.count("trades") == 2 and len(store.sources()) == 1


def test_overlapping_exports_share_their_rows(store: RecordStore, tmp_path: Path) -> None:
    rows = trade_rows()
    _import(store, write_export(tmp_path / "a.csv", TRADES, rows[:1]))
    report = _import(store, write_export(tmp_path / "b.csv", TRADES, rows))
    assert (report.counts.added, report.counts.unchanged) == (1, 1)  # type: ignore[attr-defined]
    assert store.count("trades") == 2


def _movement(status: str, updated: dt.datetime) -> list[str]:
    started = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    return ["13293039", date_cell(started), date_cell(updated), "BTC", status, "-0.5", "-0.0004", ADDRESS, TX, ""]


def test_a_movement_seen_again_later_takes_its_new_status(store: RecordStore, tmp_path: Path) -> None:
    early = dt.datetime(2023, 11, 14, 22, 20, tzinfo=dt.UTC)
    late = dt.datetime(2023, 11, 15, 9, 0, tzinfo=dt.UTC)
    _import(store, write_export(tmp_path / "m1.csv", MOVEMENTS, [_movement("PROCESSING", early)]))
    report = _import(store, write_export(tmp_path / "m2.csv", MOVEMENTS, [_movement("COMPLETED", late)]))
    assert report.counts.updated == 1  # type: ignore[attr-defined]
    _import(store, write_export(tmp_path / "m3.csv", MOVEMENTS, [_movement("PROCESSING ", early)]))  # older copy
    (located,) = list(store.select("movements"))
    assert located.row.status == "COMPLETED" and located.source.endswith("m2.csv")  # type: ignore[union-attr]


def test_rows_that_do_not_parse_are_reported_with_their_line(store: RecordStore, tmp_path: Path) -> None:
    rows = trade_rows()
    bad = [*rows[0][:2], "lots", *rows[0][3:]]
    bad[0] = "1500000009"
    path = write_export(tmp_path / "trades.csv", TRADES, [rows[0], bad, ["1", "2"], rows[1]], cut=30)
    report = _import(store, path)
    assert [(p.line, p.column, p.reason) for p in report.problems] == [  # type: ignore[attr-defined]
        (3, "AMOUNT", "records.row.bad_number"), (4, "", "records.row.cells"), (5, "", "records.row.truncated")]
    assert report.rows == 1 and store.count("trades") == 1  # type: ignore[attr-defined]


def test_an_interrupted_import_leaves_nothing_of_that_file(store: RecordStore, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from supportcli.core.records import importer

    monkeypatch.setattr(importer, "BATCH", 1)
    rows = [[str(1500000000 + i), *trade_rows()[0][1:]] for i in range(5)]
    inspection = _inspect(store, write_export(tmp_path / "trades.csv", TRADES, rows))

    def interrupt(done: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(store, inspection, "DD-MM-YY", "UTC", interrupt)
    assert store.count("trades") == 0 and store.sources() == []
    assert import_file(store, inspection, "DD-MM-YY", "UTC").counts.added == 5  # and it can be done again


def test_a_file_that_changes_after_the_guard_saw_it_is_not_stored(store: RecordStore, tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())
    inspection = _inspect(store, path)
    rows = trade_rows()
    rows[0][5] = "password: Tr0ub4dor&3x"  # written after the scan, before the import
    write_export(path, TRADES, rows)
    with pytest.raises(UsageError) as raised:
        import_file(store, inspection, "DD-MM-YY", "UTC")
    assert raised.value.key == "records.import.changed"
    assert store.count("trades") == 0 and store.sources() == []


# --------------------------------------------------------------------------- the guard


def _ledger(description: str, line_id: str = "9000000001") -> list[str]:
    return [line_id, description, "BTC", "0.1", "0.1", "14-11-23 22:13:20", "exchange"]


def test_a_pasted_recovery_phrase_is_found_at_its_line_and_column(store: RecordStore, tmp_path: Path) -> None:
    rows = [_ledger("Exchange 0.1 BTC for USD @ 30000 on wallet exchange", "2"),
            _ledger('quoted, "first"\nZq9: ' + SEED, "1")]
    path = write_export(tmp_path / "ledgers.csv", LEDGERS, rows)
    inspection = _inspect(store, path)
    (hit,) = inspection.secrets
    lines = path.read_text(encoding="utf-8").splitlines()
    assert hit.kind == "seed_phrase" and hit.line == 4
    assert lines[hit.line - 1][hit.column - 1:].startswith("abandon ability")


@pytest.mark.parametrize("column", [1, 3, 6])  # DESCRIPTION, AMOUNT, WALLET: wherever it is pasted
def test_a_secret_in_any_column_is_found(store: RecordStore, tmp_path: Path, column: int) -> None:
    row = _ledger("Exchange 0.1 BTC for USD @ 30000 on wallet exchange")
    row[column] = "my password is Tr0ub4dor&3x"
    inspection = _inspect(store, write_export(tmp_path / "ledgers.csv", LEDGERS, [row]))
    assert [(h.kind, h.line) for h in inspection.secrets] == [("password", 2)]


def test_transaction_hashes_and_addresses_are_not_taken_for_keys(store: RecordStore, tmp_path: Path) -> None:
    started = date_cell(dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC))
    row = ["1", started, started, "ETH", "COMPLETED", "-1", "0", "0x" + "ab" * 20, "0x" + TX, "0x" + TX]
    inspection = _inspect(store, write_export(tmp_path / "movements.csv", MOVEMENTS, [row]))
    kinds = [h.kind for h in inspection.secrets]
    assert kinds == ["hex_private_key"]  # only the NOTE: a bare 64-hex value there may be a key


def test_bitfinex_descriptions_and_numbers_are_clean(store: RecordStore, tmp_path: Path) -> None:
    rows = [_ledger(d, str(i)) for i, d in enumerate([
        "Exchange 657.55328064 XRP for USD @ 0.26968 on wallet_exchange",
        "Trading fees for 0.041154 BTG (BTGEUR) @ 28.818 on BFX (0.2%) on wallet exchange",
        "Wire Withdrawal #13002753 on wallet funding",
        "Crypto Withdrawal fee on wallet exchange",
    ], start=1)]
    inspection = _inspect(store, write_export(tmp_path / "ledgers.csv", LEDGERS, rows))
    assert inspection.secrets == [] and inspection.records == 4


# --------------------------------------------------------------------------- formats and store


def test_a_given_format_the_dates_contradict_is_refused(store: RecordStore, tmp_path: Path) -> None:
    rows = [[*trade_rows()[0][:7], "28-11-23 10:00:00", "1"]]
    inspection = _inspect(store, write_export(tmp_path / "trades.csv", TRADES, rows))
    assert choose_format(inspection, None) == "DD-MM-YY"
    with pytest.raises(UsageError) as raised:
        choose_format(inspection, "MM-DD-YY")
    assert "line 2" in raised.value.render() and "28-11-23 10:00:00" in raised.value.render()


def test_forget_deletes_the_store_and_its_files(store: RecordStore, tmp_path: Path) -> None:
    _import(store, write_export(tmp_path / "trades.csv", TRADES, trade_rows()))
    store.close()
    assert forget(store.path) is True
    assert not store.path.parent.exists()
    assert forget(store.path) is False
    assert RecordStore.existing(store.path) is None and not store.path.exists()

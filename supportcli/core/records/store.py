"""The private SQLite store of imported records: `records/records.sqlite3` in the data folder.

The folder is 0700 and the database 0600 (SQLite gives its `-wal` and `-shm` files the same
mode). The database runs in WAL mode and each file is imported in one transaction, so an
interrupted import leaves nothing of that file behind. A file is known by the SHA-256 of its
content (importing it again changes nothing) and a row by its kind and its `#`: overlapping
exports share their rows; a movement or an order seen again with a later update replaces the
older copy (its status moved on).

Amounts are stored as the exact decimal text, with the absolute value as a REAL beside it for
the index a search by amount uses; times as UTC milliseconds.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Concatenate, NamedTuple, ParamSpec, TypeVar

from supportcli.core.errors import StorageError
from supportcli.core.records.rows import LedgerRow, LoginRow, MovementRow, OrderRow, Row, TradeRow
from supportcli.core.storage import FILE_MODE, ensure_private_dir

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    variant TEXT NOT NULL,
    rows INTEGER NOT NULL,
    problems INTEGER NOT NULL,
    first_ms INTEGER,
    last_ms INTEGER,
    date_format TEXT NOT NULL,
    timezone TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trade(
    id INTEGER PRIMARY KEY, pair TEXT NOT NULL, amount TEXT NOT NULL, amount_abs REAL NOT NULL,
    price TEXT NOT NULL, fee TEXT NOT NULL, fee_currency TEXT NOT NULL, fee_perc TEXT NOT NULL,
    ms INTEGER NOT NULL, order_id INTEGER NOT NULL, source INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS trade_order ON trade(order_id);
CREATE INDEX IF NOT EXISTS trade_amount ON trade(amount_abs);
CREATE INDEX IF NOT EXISTS trade_ms ON trade(ms);
CREATE TABLE IF NOT EXISTS ledger(
    id INTEGER PRIMARY KEY, description TEXT NOT NULL, currency TEXT NOT NULL, amount TEXT NOT NULL,
    amount_abs REAL NOT NULL, balance TEXT NOT NULL, ms INTEGER NOT NULL, wallet TEXT NOT NULL,
    source INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_amount ON ledger(amount_abs);
CREATE INDEX IF NOT EXISTS ledger_ms ON ledger(ms);
CREATE TABLE IF NOT EXISTS movement(
    id INTEGER PRIMARY KEY, started INTEGER, updated INTEGER NOT NULL, currency TEXT NOT NULL,
    status TEXT NOT NULL, amount TEXT NOT NULL, amount_abs REAL NOT NULL, fees TEXT NOT NULL,
    address TEXT NOT NULL, tx_id TEXT NOT NULL, note TEXT NOT NULL, source INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS movement_amount ON movement(amount_abs);
CREATE INDEX IF NOT EXISTS movement_tx ON movement(tx_id COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS movement_address ON movement(address COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS orders(
    id INTEGER PRIMARY KEY, pair TEXT NOT NULL, type TEXT NOT NULL, amount TEXT NOT NULL,
    executed TEXT NOT NULL, price TEXT, price_avg TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,
    status TEXT NOT NULL, source INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS login(
    id INTEGER PRIMARY KEY, ip TEXT NOT NULL, ms INTEGER NOT NULL, source INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_ip ON login(ip);
CREATE INDEX IF NOT EXISTS login_ms ON login(ms);
"""

UPSERT_KINDS = frozenset({"movements", "orders"})  # rows whose later copy replaces the older one
TABLES = {"trades": "trade", "ledgers": "ledger", "movements": "movement", "orders": "orders", "logins": "login"}

_INSERT = {
    "trades": "INSERT OR IGNORE INTO trade VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "ledgers": "INSERT OR IGNORE INTO ledger VALUES (?,?,?,?,?,?,?,?,?,?)",
    "movements": (
        "INSERT INTO movement VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
        "started=excluded.started, updated=excluded.updated, currency=excluded.currency, status=excluded.status, "
        "amount=excluded.amount, amount_abs=excluded.amount_abs, fees=excluded.fees, address=excluded.address, "
        "tx_id=excluded.tx_id, note=excluded.note, source=excluded.source, line=excluded.line "
        "WHERE excluded.updated > movement.updated"
    ),
    "orders": (
        "INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
        "pair=excluded.pair, type=excluded.type, amount=excluded.amount, executed=excluded.executed, "
        "price=excluded.price, price_avg=excluded.price_avg, created=excluded.created, updated=excluded.updated, "
        "status=excluded.status, source=excluded.source, line=excluded.line WHERE excluded.updated > orders.updated"
    ),
    "logins": "INSERT OR IGNORE INTO login VALUES (?,?,?,?,?)",
}

COLUMNS = {
    "trades": "id, pair, amount, price, fee, fee_currency, fee_perc, ms, order_id",
    "ledgers": "id, description, currency, amount, balance, ms, wallet",
    "movements": "id, started, updated, currency, status, amount, fees, address, tx_id, note",
    "orders": "id, pair, type, amount, executed, price, price_avg, created, updated, status",
    "logins": "id, ip, ms",
}


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def to_sql(row: Row, source: int, line: int) -> tuple[Any, ...]:
    """The values one row is stored with (in the table's column order)."""
    if isinstance(row, LedgerRow):
        return (row.id, row.description, row.currency, str(row.amount), float(abs(row.amount)), str(row.balance),
                row.millis, row.wallet, source, line)
    if isinstance(row, TradeRow):
        return (row.id, row.pair, str(row.amount), float(abs(row.amount)), str(row.price), str(row.fee),
                row.fee_currency, row.fee_perc, row.millis, row.order_id, source, line)
    if isinstance(row, MovementRow):
        return (row.id, row.started, row.updated, row.currency, row.status, str(row.amount), float(abs(row.amount)),
                str(row.fees), row.address, row.tx_id, row.note, source, line)
    if isinstance(row, OrderRow):
        return (row.id, row.pair, row.type, str(row.amount), str(row.executed), _opt(row.price),
                _opt(row.price_avg), row.created, row.updated, row.status, source, line)
    return (row.id, row.ip, row.millis, source, line)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def from_sql(kind: str, v: tuple[Any, ...]) -> Row:
    """A typed row from the values selected with COLUMNS[kind]."""
    if kind == "trades":
        return TradeRow(v[0], v[1], Decimal(v[2]), Decimal(v[3]), Decimal(v[4]), v[5], v[6], v[7], v[8])
    if kind == "ledgers":
        return LedgerRow(v[0], v[1], v[2], Decimal(v[3]), Decimal(v[4]), v[5], v[6])
    if kind == "movements":
        return MovementRow(v[0], v[1], v[2], v[3], v[4], Decimal(v[5]), Decimal(v[6]), v[7], v[8], v[9])
    if kind == "orders":
        return OrderRow(v[0], v[1], v[2], Decimal(v[3]), Decimal(v[4]), _dec(v[5]), _dec(v[6]), v[7], v[8], v[9])
    return LoginRow(v[0], v[1], v[2])


class SourceInfo(NamedTuple):
    id: int
    name: str
    sha256: str
    kind: str
    variant: str
    rows: int
    problems: int
    first_ms: int | None
    last_ms: int | None
    date_format: str
    timezone: str
    imported_at: str


class Located(NamedTuple):
    """A stored row and where it came from: the source file and its line there."""

    kind: str
    row: Row
    source: str
    line: int


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(method: Callable[Concatenate[RecordStore, _P], _R]) -> Callable[Concatenate[RecordStore, _P], _R]:
    """A database error (locked, read-only, disk full, corrupt) becomes one StorageError line."""

    @functools.wraps(method)
    def wrapper(self: RecordStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StorageError("errors.storage", path=str(self.path), reason=str(exc)) from exc

    return wrapper


class RecordStore:
    """Open with `RecordStore(path)` (created if missing) or `RecordStore.existing(path)` (None if not)."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        try:
            if create:
                ensure_private_dir(path.parent)
                if not path.exists():
                    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
            self.db = sqlite3.connect(path if create else f"file:{path}?mode=rw", timeout=30, uri=not create,
                                      isolation_level=None)
            if create:  # WAL is a property of the file: set once, kept by every later connection
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # Sorts and statement journals stay in memory: nothing of the records in the system's temp folder.
            self.db.execute("PRAGMA temp_store=MEMORY")
            if self._meta("schema") != str(SCHEMA_VERSION):
                self.db.executescript(_SCHEMA)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        except (sqlite3.Error, OSError) as exc:
            raise StorageError("errors.storage", path=str(path), reason=str(exc)) from exc

    @classmethod
    def existing(cls, path: Path) -> RecordStore | None:
        """The store when something was ever imported; None (and nothing created) otherwise."""
        if not path.exists():
            return None
        return cls(path, create=False)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return str(row[0]) if row else None

    # ------------------------------------------------------------------ sources

    @_guarded
    def source_by_digest(self, sha256: str) -> SourceInfo | None:
        row = self.db.execute("SELECT * FROM source WHERE sha256 = ?", (sha256,)).fetchone()
        return SourceInfo(*row) if row else None

    @_guarded
    def sources(self) -> list[SourceInfo]:
        return [SourceInfo(*r) for r in self.db.execute("SELECT * FROM source ORDER BY kind, first_ms, id")]

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One file's import: committed whole, or (on any error, Ctrl-C included) not at all."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StorageError("errors.storage", path=str(self.path), reason=str(exc)) from exc
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise StorageError("errors.storage", path=str(self.path), reason=str(exc)) from exc

    @_guarded
    def add_source(self, name: str, sha256: str, kind: str, variant: str, date_format: str, timezone: str,
                   imported_at: str) -> int:
        cur = self.db.execute(
            "INSERT INTO source(name, sha256, kind, variant, rows, problems, date_format, timezone, imported_at) "
            "VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?)", (name, sha256, kind, variant, date_format, timezone, imported_at),
        )
        return int(cur.lastrowid or 0)

    @_guarded
    def finish_source(self, source: int, rows: int, problems: int, first_ms: int | None, last_ms: int | None) -> None:
        self.db.execute("UPDATE source SET rows = ?, problems = ?, first_ms = ?, last_ms = ? WHERE id = ?",
                        (rows, problems, first_ms, last_ms, source))

    @_guarded
    def count(self, kind: str) -> int:
        row = self.db.execute(f"SELECT count(*) FROM {TABLES[kind]}").fetchone()
        return int(row[0]) if row else 0

    @_guarded
    def insert(self, kind: str, values: Iterable[tuple[Any, ...]]) -> int:
        """Insert (or update) rows; returns how many rows changed."""
        before = self.db.total_changes
        self.db.executemany(_INSERT[kind], values)
        return self.db.total_changes - before

    # ------------------------------------------------------------------ reading

    @_guarded
    def select(self, kind: str, where: str = "", params: tuple[Any, ...] = (), order: str = "",
               limit: int | None = None) -> Iterator[Located]:
        """Typed rows of one kind, with where they came from."""
        table = TABLES[kind]
        sql = (f"SELECT {', '.join(f't.{c.strip()}' for c in COLUMNS[kind].split(','))}, s.name, t.line "
               f"FROM {table} t JOIN source s ON s.id = t.source")
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for values in self.db.execute(sql, params):
            yield Located(kind, from_sql(kind, values[:-2]), values[-2], values[-1])

    @_guarded
    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return list(self.db.execute(sql, params))

    @_guarded
    def cursor(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)


def forget(path: Path) -> bool:
    """Delete the store (and its WAL files). False when there was nothing to delete."""
    from supportcli.core.storage import remove_file

    removed = False
    for suffix in ("", "-wal", "-shm", "-journal"):
        removed |= remove_file(path.with_name(path.name + suffix))
    with contextlib.suppress(OSError):
        path.parent.rmdir()
    return removed

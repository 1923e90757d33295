"""The kinds of Reports export and their columns, recognised from the header row.

The column titles are those the Reports tool writes (bitfinexcom/bfx-report,
`report.file.job.data.js`); the desktop app (bfx-reports-framework) adds `AMOUNT USD` after
`AMOUNT` (movements, ledgers) and `BALANCE USD` after `BALANCE` (ledgers). Movements were written
with one `DATE` column until 2025-09-16 and with `STARTED, UPDATED` since; both are read.

A header is matched by its titles, in any order; columns we do not know (one added in a
spreadsheet) are ignored. Each layout maps our field names to column positions.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("trades", "ledgers", "movements", "orders", "logins")


@dataclass(frozen=True)
class KindSpec:
    kind: str
    variant: str  # "" or the name of an older column set ("dated": Movements before 2025-09-16)
    required: tuple[tuple[str, str], ...]  # (field, column title)
    optional: tuple[tuple[str, str], ...] = ()

    @property
    def header(self) -> str:
        """The header row the web Reports tool writes (without the optional columns)."""
        return ",".join(title for _, title in self.required)


SPECS: tuple[KindSpec, ...] = (
    KindSpec("trades", "", (
        ("id", "#"), ("pair", "PAIR"), ("amount", "AMOUNT"), ("price", "PRICE"), ("fee", "FEE"),
        ("fee_currency", "FEE CURRENCY"), ("date", "DATE"), ("order_id", "ORDER ID"),
    ), (("fee_perc", "FEE PERC"),)),
    KindSpec("ledgers", "", (
        ("id", "#"), ("description", "DESCRIPTION"), ("currency", "CURRENCY"), ("amount", "AMOUNT"),
        ("balance", "BALANCE"), ("date", "DATE"), ("wallet", "WALLET"),
    ), (("amount_usd", "AMOUNT USD"), ("balance_usd", "BALANCE USD"))),
    KindSpec("movements", "", (
        ("id", "#"), ("started", "STARTED"), ("updated", "UPDATED"), ("currency", "CURRENCY"),
        ("status", "STATUS"), ("amount", "AMOUNT"), ("fees", "FEES"), ("address", "DESCRIPTION"),
        ("tx_id", "TRANSACTION ID"),
    ), (("note", "NOTE"), ("amount_usd", "AMOUNT USD"))),
    KindSpec("movements", "dated", (
        ("id", "#"), ("updated", "DATE"), ("currency", "CURRENCY"), ("status", "STATUS"),
        ("amount", "AMOUNT"), ("fees", "FEES"), ("address", "DESCRIPTION"), ("tx_id", "TRANSACTION ID"),
    ), (("note", "NOTE"), ("amount_usd", "AMOUNT USD"))),
    KindSpec("orders", "", (
        ("id", "#"), ("pair", "PAIR"), ("type", "TYPE"), ("amount", "AMOUNT"),
        ("executed", "EXECUTED AMOUNT"), ("price", "PRICE"), ("created", "CREATED"), ("updated", "UPDATED"),
        ("status", "STATUS"),
    ), (("type_prev", "PREVIOUS ORDER TYPE"), ("price_avg", "AVERAGE EXECUTION PRICE"),
        ("price_trailing", "TRAILING PRICE"), ("metadata", "METADATA"))),
    KindSpec("logins", "", (("id", "#"), ("ip", "IP"), ("date", "DATE"))),
)

# Columns holding dates, per field name; all use the file's one date format.
DATE_FIELDS = frozenset({"date", "started", "updated", "created"})

AUTH_FAILURE = "Your file could not be completed"


@dataclass(frozen=True)
class Layout:
    """One file's columns: which position holds which field."""

    spec: KindSpec
    columns: dict[str, int]
    width: int  # cells in the header row

    @property
    def kind(self) -> str:
        return self.spec.kind

    def index(self, field: str) -> int:
        """The position of `field`, or -1 when the file does not have that column."""
        return self.columns.get(field, -1)

    @property
    def date_columns(self) -> tuple[int, ...]:
        return tuple(i for f, i in self.columns.items() if f in DATE_FIELDS)


def _title(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').split()).upper()


def identify(header: list[str]) -> Layout | None:
    """The layout a header row belongs to, or None when it is not a Reports export we read."""
    titles = [_title(cell) for cell in header]
    if len(set(titles)) != len(titles):
        return None
    position = {title: i for i, title in enumerate(titles)}
    for spec in SPECS:
        if all(title in position for _, title in spec.required):
            columns = {field: position[title] for field, title in (*spec.required, *spec.optional)
                       if title in position}
            return Layout(spec, columns, len(titles))
    return None


def expected_headers() -> str:
    """Every header we read, one per line, for the message about a file that is not an export."""
    lines = []
    for spec in SPECS:
        lines.append(f"  {spec.kind}: {spec.header}")
    return "\n".join(lines)

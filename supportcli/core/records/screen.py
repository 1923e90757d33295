"""The guard's look at an export before anything of it is stored.

Every cell that could hold text is scanned with the guard (`supportcli.core.guard.secrets.scan_text`),
in chunks of about 64 KiB: transaction ids as hashes (`field_key="txid"`), addresses as addresses,
everything else as free text. A finding is placed at its line and column in the file.

Cells whose whole value has a shape no secret can take are not scanned: numbers and dates (digits
and punctuation only), single short tokens (`BTC/USD`, `exchange`, `0.20%`: at most 15 letters,
digits and `./%`, shorter than any key, and no room for a label such as "password:" or "2fa"), and
ledger descriptions in one of the forms Bitfinex itself writes (`Exchange 0.1 BTC for USD @ 30000
on wallet exchange`). Any other cell — a note, an address, a description in another form, a cell
that does not fit its column, a column we do not know — is scanned.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from supportcli.core.guard.secrets import Action, Finding, scan_text
from supportcli.core.records.kinds import DATE_FIELDS, Layout

CHUNK_CHARS = 1 << 16
MAX_FINDINGS = 20

_NUMBER = re.compile(r"\s*[-+]?[0-9][0-9.,eE+\-]{0,39}\s*")
_DATE = re.compile(r"\s*[0-9][0-9\-/.: T]{5,29}(?: ?UTC|Z)?\s*")
_TOKEN = re.compile(r"[A-Za-z0-9./%]{0,15}")
_NUM = r"-?\d{1,20}(?:\.\d{1,20})?(?:e-?\d{1,3})?"
_CUR = r"[A-Za-z0-9]{2,12}"
_WALLET = r" on wallet[ _][a-z]{3,15}"
# Ledger descriptions as Bitfinex writes them (from its own test fixtures and exports).
_BITFINEX_DESCRIPTION = re.compile("|".join((
    rf"Exchange {_NUM} {_CUR} for {_CUR} @ {_NUM}{_WALLET}",
    rf"Trading fees for {_NUM} {_CUR} \({_CUR}(?::{_CUR})?\) @ {_NUM} on [A-Z]{{2,10}} \({_NUM}%\){_WALLET}",
    rf"(?:Crypto |Wire |Bank )?Withdrawal(?: fee)?(?: #\d{{1,20}})?{_WALLET}",
    rf"Canceled withdrawal(?: fee)?(?: #\d{{1,20}})?{_WALLET}",
    rf"Deposit(?: Fee)? \([A-Z0-9 ]{{2,30}}\)(?: #\d{{1,20}})?{_WALLET}",
    rf"Transfer of {_NUM} {_CUR} from wallet [A-Za-z]{{3,15}} to [A-Za-z]{{3,15}}{_WALLET}",
    rf"Settlement @ {_NUM}{_WALLET}",
)))

_NUMBER_FIELDS = frozenset({
    "id", "amount", "price", "fee", "balance", "amount_usd", "balance_usd", "fees", "order_id", "executed",
    "price_avg", "price_trailing",
})
_TOKEN_FIELDS = frozenset({"pair", "currency", "fee_currency", "fee_perc", "wallet", "ip", "status", "type",
                           "type_prev"})

# How each column is screened: a pattern that proves a cell harmless (None: always scanned), and
# the group the cell is scanned with.
_PLAIN, _ADDRESS, _TXID = "plain", "address", "txid"


@dataclass(frozen=True)
class SecretHit:
    line: int
    column: int
    kind: str
    action: Action


@dataclass
class _Cell:
    offset: int  # where the cell starts in the chunk
    line: int
    raw: str
    index: int  # which cell of the record
    text: str


@dataclass
class _Group:
    field_type: str | None
    field_key: str | None
    parts: list[str] = field(default_factory=list)
    cells: list[_Cell] = field(default_factory=list)
    size: int = 0


def _plan(layout: Layout) -> list[tuple[re.Pattern[str] | None, str]]:
    by_index = {i: f for f, i in layout.columns.items()}
    plan: list[tuple[re.Pattern[str] | None, str]] = []
    for i in range(layout.width):
        name = by_index.get(i)
        if name in _NUMBER_FIELDS:
            plan.append((_NUMBER, _PLAIN))
        elif name in DATE_FIELDS:
            plan.append((_DATE, _PLAIN))
        elif name in _TOKEN_FIELDS:
            plan.append((_TOKEN, _PLAIN))
        elif name == "description" and layout.kind == "ledgers":
            plan.append((_BITFINEX_DESCRIPTION, _PLAIN))
        elif name == "address":
            plan.append((None, _ADDRESS))
        elif name == "tx_id":
            plan.append((None, _TXID))
        else:  # note, metadata, a column we do not know
            plan.append((None, _PLAIN))
    return plan


def _position(raw: str, delimiter: str, index: int, offset: int) -> int:
    """Where character `offset` of cell `index` (as unquoted) stands in the record's text."""
    i, cell = 0, 0
    n = len(raw)
    while cell < index and i < n:  # skip the cells before
        if raw[i] == '"':
            i += 1
            while i < n and not (raw[i] == '"' and raw[i + 1: i + 2] != '"'):
                i += 2 if raw[i] == '"' else 1
            i += 1
        while i < n and raw[i] != delimiter:
            i += 1
        i += 1
        cell += 1
    if i < n and raw[i] == '"':
        i += 1
        seen = 0
        while i < n and seen < offset:
            i += 2 if raw[i] == '"' else 1
            seen += 1
        return i
    return i + offset


class Screen:
    """Collects the cells worth scanning from one file's records and scans them in chunks."""

    def __init__(self, layout: Layout, delimiter: str = ",") -> None:
        self.plan = _plan(layout)
        self.delimiter = delimiter
        self.hits: list[SecretHit] = []
        self.total = 0  # findings, also those past MAX_FINDINGS
        self.groups = {
            _PLAIN: _Group(None, None), _ADDRESS: _Group("address", None), _TXID: _Group(None, "txid"),
        }

    def add(self, line: int, raw: str, cells: list[str]) -> None:
        plan = self.plan
        width = len(plan)
        for index, cell in enumerate(cells):
            if not cell:
                continue
            proof, group_name = plan[index] if index < width else (None, _PLAIN)
            if proof is not None and proof.fullmatch(cell):
                continue
            group = self.groups[group_name]
            group.cells.append(_Cell(group.size, line, raw, index, cell))
            group.parts.append(cell)
            group.size += len(cell) + 1
            if group.size >= CHUNK_CHARS:
                self._scan(group)

    def finish(self) -> list[SecretHit]:
        for group in self.groups.values():
            self._scan(group)
        self.hits.sort(key=lambda h: (h.line, h.column))
        return self.hits

    def _scan(self, group: _Group) -> None:
        if not group.parts:
            return
        text = "\n".join(group.parts)
        starts = [c.offset for c in group.cells]
        for finding in scan_text(text, field_type=group.field_type, field_key=group.field_key):
            self.total += 1
            if len(self.hits) < MAX_FINDINGS:
                self.hits.append(self._place(group, starts, finding))
        group.parts.clear()
        group.cells.clear()
        group.size = 0

    def _place(self, group: _Group, starts: list[int], finding: Finding) -> SecretHit:
        cell = group.cells[bisect.bisect_right(starts, finding.start) - 1]
        offset = min(finding.start - cell.offset, len(cell.text))
        at = _position(cell.raw, self.delimiter, cell.index, offset)
        before = re.split(r"\r\n|\r|\n", cell.raw[:at])
        return SecretHit(cell.line + len(before) - 1, len(before[-1]) + 1, finding.kind, finding.action)

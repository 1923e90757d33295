"""What a ticket says that is not an answer: the rows of the user's records it used, and the facts a
public source gave (pure).

Each row is cited — which export, which row, which file and line — and the answers it gave are named,
so support can tell what the user typed from what their own export says. A public fact (the market's
range at a minute) is the one sentence the check rendered, with its source and fetch time. These lines
are said as they are: the templates' conditions never read them (they speak only for the user).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from supportcli.core.drafts.times import format_utc, parse_when
from supportcli.core.flows.found import PublicFact, RecordCitation
from supportcli.core.i18n import Lang, t

EXPORT_ORDER = ("trades", "orders", "movements")


def _utc(value: str) -> str:
    moment = parse_when(value) if value else None
    return format_utc(moment) if moment is not None else (value or "-")


def _plain(value: str) -> str:
    """A decimal without its sign: 0.05 of "-0.05"."""
    return value.lstrip("+-")


def row_line(row: RecordCitation, lang: Lang, label: Callable[[str], str]) -> str:
    """One cited row in `lang`: where it is, what it says, and the answers it gave (`label` names them)."""
    f = row.field
    export = t(f"drafts.records.export.{row.kind}", lang=lang)
    where = {"export": export, "id": row.id, "file": row.file, "line": row.line}
    pair = f("pair")
    base = pair.partition("/")[0]
    if row.kind == "trades":
        side = t("drafts.records.sold" if f("amount").startswith("-") else "drafts.records.bought", lang=lang)
        text = t("drafts.records.trade", lang=lang, **where, side=side, amount=_plain(f("amount")), base=base,
                 pair=pair, price=f("price"), fee=f("fee"), fee_currency=f("fee_currency"), time=_utc(f("time")),
                 order=f("order_id"))
    elif row.kind == "orders":
        text = t("drafts.records.order", lang=lang, **where, type=f("type"), amount=_plain(f("amount")), base=base,
                 pair=pair, price=f("price") or "-", time=_utc(f("created")), status=f("status") or "-")
    else:
        kind = t("drafts.records.withdrawal" if f("type") == "withdrawal" else "drafts.records.deposit", lang=lang)
        text = t("drafts.records.movement", lang=lang, **where, kind=kind, amount=_plain(f("amount")),
                 currency=f("currency"), status=f("status") or "-", started=_utc(f("started") or f("updated")),
                 updated=_utc(f("updated")), address=f("address") or "-", tx=f("tx_id") or "-")
    if row.keys:
        names = t("drafts.list_sep", lang=lang).join(label(key) for key in row.keys)
        text += t("drafts.records.gave", lang=lang, labels=names)
    return text


def sourced_lines(records: Sequence[RecordCitation], public: Sequence[PublicFact], lang: Lang,
                  label: Callable[[str], str]) -> list[str]:
    """The cited rows (trades, then orders, then movements), then the public facts, in `lang`."""
    rows = sorted(records, key=lambda r: (EXPORT_ORDER.index(r.kind) if r.kind in EXPORT_ORDER else 9, r.id))
    lines = [row_line(row, lang, label) for row in rows]
    lines += [fact.text.get(lang) or next(iter(fact.text.values()), "") for fact in public]
    return [line for line in lines if line]


def rows_by_kind(records: Sequence[RecordCitation]) -> dict[str, list[RecordCitation]]:
    """The cited rows grouped by export, each kind once, in EXPORT_ORDER: one small CSV each."""
    groups: dict[str, list[RecordCitation]] = {}
    for row in sorted(records, key=lambda r: (EXPORT_ORDER.index(r.kind) if r.kind in EXPORT_ORDER else 9, r.id)):
        groups.setdefault(row.kind, []).append(row)
    return groups


def rows_evidence(records: Sequence[RecordCitation], lang: Lang) -> list[str]:
    """One evidence item per export: only the rows this ticket is about, as a CSV of their own."""
    return [
        t("drafts.ticket.evidence_rows", lang=lang, export=t(f"drafts.records.export.{kind}", lang=lang),
          ids=t("drafts.list_sep", lang=lang).join(f"#{row.id}" for row in rows))
        for kind, rows in rows_by_kind(records).items()
    ]


def rows_csv_text(rows: Sequence[RecordCitation]) -> str:
    """The CSV of one export's cited rows, in the Reports tool's own columns."""
    from supportcli.core.records.lookup import csv_text

    return csv_text(rows[0].kind, [row.cells for row in rows])

"""What a flow finds in the user's imported records, as flow data: `[[records]]` and `[market_check]`.

A flow declares which answers find a row and which questions that row answers; no flow has code of
its own for it:

    [[records]]
    find = "trade"                          # trade, deposit or withdrawal
    by = { id = "trade_id" }                # criterion -> the answer it comes from
    fill = { pair = "pair", occurred_at = "time", order_price = "limit_price" }   # answer -> the row's field

    [[records]]
    find = "withdrawal"
    by = { amount = "amount", around = "requested_at" }
    fill = { withdrawal_id = "id", status_shown = "status", tx_hash = "tx_hash" }
    [records.choices.status_shown]          # a choice question: the export's text -> the choice it means
    COMPLETED = "completed"
    CANCELED = "canceled"

    [market_check]                          # pair, time and price: the market check a flow offers
    pair = "pair"
    time = "occurred_at"
    price = "fill_price"

A trade or an order is found by its `id`; a deposit or withdrawal by its `id`, its `tx_hash`, or its
`amount` with the time it was made (`around`, within a day). A row whose own id differs from the
user's answer for it is another row: it fills nothing. What each field can fill, and the question type
that takes it, is in FIELDS; `content check` holds every flow to it (file:line: key: expected). A
value from the records is never stored as it is: the engine parses and guards it like a typed answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from supportcli.core.flows.model import AnswerValue, Step
from supportcli.core.i18n import t
from supportcli.core.tomlfile import KeyPath

if TYPE_CHECKING:
    from supportcli.core.checks import Checker
    from supportcli.core.records.lookup import FoundMovement, FoundTrade
    from supportcli.core.records.store import Located

# What a flow may look up: a trade or an order by its id, a deposit or withdrawal by its id, transaction
# hash, or amount and time.
RECORD_FINDS = ("trade", "order", "deposit", "withdrawal")


class RecordLookup(NamedTuple):
    """`[[records]]` of a flow: the answers that find a row of the user's imported records, and the
    questions that row's fields answer."""

    find: str  # one of RECORD_FINDS
    by: tuple[tuple[str, str], ...]  # (criterion, answer key): id, tx_hash, amount, around
    fill: tuple[tuple[str, str], ...]  # (answer key, the row's field)
    # choice question -> ((the row's text, as the export writes it, upper case), the choice it means)
    choices: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def keys(self) -> tuple[str, ...]:
        """The answer keys the lookup reads."""
        return tuple(key for _, key in self.by)


class MarketInputs(NamedTuple):
    """`[market_check]` of a flow: the questions whose answers make a market check (pair, time, price)."""

    pair: str
    time: str
    price: str


# criterion -> the question types whose answer it can be
CRITERIA: dict[str, dict[str, tuple[str, ...]]] = {
    "trade": {"id": ("integer_id",)},
    "order": {"id": ("integer_id",)},
    "deposit": {"id": ("integer_id",), "tx_hash": ("txhash",), "amount": ("amount",), "around": ("datetime",)},
}
CRITERIA["withdrawal"] = CRITERIA["deposit"]

# field of the row -> the question types it can answer
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "trade": {
        "id": ("integer_id",), "pair": ("pair",), "time": ("datetime",), "amount": ("amount",),
        "price": ("amount",), "fee": ("amount",), "order_id": ("integer_id",), "limit_price": ("amount",),
    },
    "order": {
        "id": ("integer_id",), "pair": ("pair",), "time": ("datetime",), "amount": ("amount",),
        "price": ("amount",), "type": ("choice",), "status": ("text",),
    },
    "deposit": {
        "id": ("integer_id",), "amount": ("amount",), "status": ("choice",), "address": ("address",),
        "tx_hash": ("txhash",), "started": ("datetime",), "updated": ("datetime",),
    },
}
FIELDS["withdrawal"] = FIELDS["deposit"]
LOOKUP_KEYS = ("find", "by", "fill", "choices")
MARKET_KEYS = ("pair", "time", "price")
MARKET_TYPES = {"pair": "pair", "time": "datetime", "price": "amount"}


# --------------------------------------------------------------------------- reading and checking


def parse_lookups(c: Checker, data: Mapping[str, Any], questions: Mapping[str, Step]) -> tuple[RecordLookup, ...]:
    """The flow's `[[records]]`, each criterion and fill checked against the flow's questions."""
    if "records" not in data:
        return ()
    out: list[RecordLookup] = []
    for i, raw in enumerate(c.table_list(data, ("records",))):
        kp: KeyPath = ("records", i)
        start = len(c.problems)
        c.no_unknown(raw, kp, LOOKUP_KEYS)
        find = c.choice(raw, (*kp, "find"), RECORD_FINDS)
        if find is None:
            continue
        by = _pairs(c, raw, (*kp, "by"), CRITERIA[find], questions)
        names = [name for name, _ in by]
        if "around" in names and "amount" not in names:
            c.fail((*kp, "by", "around"), t("troubleshoot.expect.records_around"))
        elif by and not any(name in ("id", "tx_hash", "amount") for name in names):
            c.fail((*kp, "by"), t("troubleshoot.expect.records_by", allowed="id, tx_hash, amount"))
        fill = _pairs(c, raw, (*kp, "fill"), FIELDS[find], questions, flip=True)
        for key, _ in fill:
            if key in (k for _, k in by):
                c.fail((*kp, "fill", key), t("troubleshoot.expect.records_fill_by", key=key))
        choices = _choices(c, raw, kp, fill, questions)
        if len(c.problems) == start:
            out.append(RecordLookup(find, by, fill, choices))
    return tuple(out)


def _pairs(
    c: Checker, raw: Mapping[str, Any], kp: KeyPath, allowed: Mapping[str, tuple[str, ...]],
    questions: Mapping[str, Step], *, flip: bool = False,
) -> tuple[tuple[str, str], ...]:
    """`by` (criterion -> answer key) or, with `flip`, `fill` (answer key -> field): each answer key a
    question of a type the criterion or field fits."""
    table = raw.get(str(kp[-1]))
    if not isinstance(table, dict) or not table:
        c.fail(kp, t("troubleshoot.expect.records_table", names=", ".join(allowed)))
        return ()
    pairs: list[tuple[str, str]] = []
    for left, right in table.items():
        name, key = (right, left) if flip else (left, right)
        where = (*kp, left)
        if not isinstance(name, str) or name not in allowed:
            c.fail(where, t("content.expect.one_of", allowed=", ".join(allowed)))
            continue
        step = questions.get(key) if isinstance(key, str) else None
        if step is None:
            c.fail(where, t("troubleshoot.expect.records_key", key=str(key), known=", ".join(questions) or "-"))
            continue
        if step.type not in allowed[name]:
            c.fail(where, t("troubleshoot.expect.records_type", key=key, kind=step.type, what=name,
                            types=", ".join(allowed[name])))
            continue
        pairs.append((left, right) if not flip else (key, name))
    return tuple(pairs)


def _choices(
    c: Checker, raw: Mapping[str, Any], kp: KeyPath, fill: tuple[tuple[str, str], ...], questions: Mapping[str, Step],
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """`[records.choices.<key>]` for every choice question a row's text fills: that text (the export's
    STATUS, an order's TYPE) -> the choice it means. Text not listed fills nothing (the question is asked)."""
    table = raw.get("choices", {})
    if not isinstance(table, dict):
        c.fail((*kp, "choices"), t("content.expect.table"))
        return ()
    wanted = [key for key, _ in fill if questions[key].type == "choice"]
    for key in table:
        if key not in wanted:
            c.fail((*kp, "choices", key), t("troubleshoot.expect.records_choices_unused",
                                            keys=", ".join(wanted) or "-"))
    out: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for key in wanted:
        ckp: KeyPath = (*kp, "choices", key)
        mapping = table.get(key)
        if not isinstance(mapping, dict) or not mapping:
            c.fail(ckp, t("troubleshoot.expect.records_choices", key=key))
            continue
        ids = [ch.id for ch in questions[key].choices]
        pairs: list[tuple[str, str]] = []
        for text, choice in mapping.items():
            if not isinstance(choice, str) or choice not in ids:
                c.fail((*ckp, text), t("content.expect.one_of", allowed=", ".join(ids)))
                continue
            pairs.append((" ".join(text.split()).upper(), choice))
        out.append((key, tuple(pairs)))
    return tuple(out)


def parse_market(c: Checker, data: Mapping[str, Any], questions: Mapping[str, Step]) -> MarketInputs | None:
    """`[market_check]`: the pair, time and price questions a market check is made of."""
    if "market_check" not in data:
        return None
    raw = data["market_check"]
    if not isinstance(raw, dict):
        c.fail(("market_check",), t("content.expect.table"))
        return None
    start = len(c.problems)
    c.no_unknown(raw, ("market_check",), MARKET_KEYS)
    keys: dict[str, str] = {}
    for name in MARKET_KEYS:
        key = c.string(raw, ("market_check", name))
        if key is None:
            continue
        step = questions.get(key)
        if step is None:
            c.fail(("market_check", name), t("troubleshoot.expect.records_key", key=key,
                                             known=", ".join(questions) or "-"))
        elif step.type != MARKET_TYPES[name]:
            c.fail(("market_check", name), t("troubleshoot.expect.records_type", key=key, kind=step.type,
                                             what=name, types=MARKET_TYPES[name]))
        keys[name] = key
    if len(c.problems) > start:
        return None
    return MarketInputs(keys["pair"], keys["time"], keys["price"])


# --------------------------------------------------------------------------- a found row as answers


def number(value: Decimal) -> str:
    """A Decimal as plain digits, as an amount answer is written (never 1E-7)."""
    text = format(value, "f")
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"


def choice_for(lookup: RecordLookup, key: str, text: str) -> str | None:
    """The choice of question `key` the row's `text` means, per the lookup's `choices` (None: unlisted)."""
    wanted = " ".join(text.split()).upper()
    for question, pairs in lookup.choices:
        if question == key:
            return next((choice for listed, choice in pairs if listed == wanted), None)
    return None


def trade_values(found: FoundTrade) -> dict[str, AnswerValue | None]:
    """A trade's fields as raw answers (None: the row has no such value)."""
    base, _, quote = found.pair.partition("/")
    limit = found.limit_price
    return {
        "id": found.id, "pair": found.pair, "time": found.time.isoformat(),
        "amount": f"{number(abs(found.amount))} {base}", "price": f"{number(found.price)} {quote}",
        "fee": f"{number(abs(found.fee))} {found.fee_currency}", "order_id": found.order_id,
        "limit_price": f"{number(limit)} {quote}" if limit is not None else None,
    }


def order_values(located: Located) -> dict[str, AnswerValue | None]:
    """An order's fields as raw answers: `type` and `status` as the export writes them."""
    from supportcli.core.records.rows import OrderRow

    row = located.row
    assert isinstance(row, OrderRow)
    base, _, quote = row.pair.partition("/")
    return {
        "id": row.id, "pair": row.pair, "time": row.time.isoformat(), "amount": f"{number(abs(row.amount))} {base}",
        "price": f"{number(row.price)} {quote}" if row.price else None, "type": row.type, "status": row.status,
    }


def movement_values(found: FoundMovement) -> dict[str, AnswerValue | None]:
    """A deposit's or withdrawal's fields as raw answers (`status` as the export writes it)."""
    return {
        "id": found.id, "amount": f"{number(abs(found.amount))} {found.currency}",
        "status": found.status, "address": found.address or None,
        "tx_hash": found.tx_hash or None,
        "started": found.started.isoformat(),  # the update time in the older exports, which have one DATE
        "updated": found.updated.isoformat(),
    }

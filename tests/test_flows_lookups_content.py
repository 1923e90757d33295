"""Flow data declares what the user's records fill and which checks a flow offers online; `content check`
holds it to what a row can give (file:line: key: expected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportcli.core.flows.content import load_flow
from supportcli.core.pack import load_pack
from tests.test_flows_content import line_of, pack_copy, problems_of, write_flow

__all__ = ["pack_copy"]  # the fixture, shared with test_flows_content

BASE = '''id = "extra"
category = "general"
faq = []
title.zh = "标题"
title.en = "Title"
summary.zh = "摘要"
summary.en = "Summary"

[[steps]]
kind = "advice"
id = "look"
{offers}text.zh = "先看看公告。"
text.en = "Look at the notices first."

[[steps]]
kind = "question"
id = "trade_id"
type = "integer_id"
text.zh = "交易 ID"
text.en = "Trade id"

[[steps]]
kind = "question"
id = "pair"
type = "pair"
text.zh = "交易对"
text.en = "Pair"

[[steps]]
kind = "question"
id = "when"
type = "datetime"
text.zh = "时间"
text.en = "When"

[[steps]]
kind = "question"
id = "price"
type = "amount"
required = false
text.zh = "成交价"
text.en = "Fill price"

[[steps]]
kind = "question"
id = "state"
type = "choice"
text.zh = "状态"
text.en = "Status"
[[steps.choices]]
id = "done"
label.zh = "完成"
label.en = "Done"
[[steps.choices]]
id = "waiting"
label.zh = "等待"
label.en = "Waiting"

{records}
'''

TRADE = '''[[records]]
find = "trade"
by = { id = "trade_id" }
fill = { pair = "pair", when = "time", price = "price" }

[market_check]
pair = "pair"
time = "when"
price = "price"
'''


def flow_text(records: str = TRADE, offers: str = 'offers = "status"\n') -> str:
    return BASE.format(records=records, offers=offers)


def test_shipped_flows_declare_what_the_records_fill(pack_root: Path) -> None:
    pack = load_pack(pack_root)
    trade = load_flow(pack, "abnormal-trade")
    (lookup,) = trade.records
    assert (lookup.find, lookup.by) == ("trade", (("id", "trade_id"),))
    assert dict(lookup.fill) == {"order_id": "order_id", "pair": "pair", "occurred_at": "time",
                                 "order_price": "limit_price", "fill_price": "price"}
    assert trade.market_check is not None
    assert (trade.market_check.pair, trade.market_check.time, trade.market_check.price) == (
        "pair", "occurred_at", "fill_price")
    assert next(s for s in trade.steps if s.id == "check-announcements").extra["offers"] == "status"
    withdrawal = load_flow(pack, "withdrawal-delayed")
    choices = dict(dict(withdrawal.records[0].choices)["status_shown"])
    assert (choices["COMPLETED"], choices["CANCELED"], choices["PENDING REVIEW"]) == (
        "completed", "canceled", "processing")
    deposit = load_flow(pack, "deposit-missing")
    assert [lk.keys() for lk in deposit.records] == [("amount", "sent_at"), ("tx_hash",)]
    order = load_flow(pack, "trade-failed").records[0]
    assert dict(dict(order.choices)["order_type"])["EXCHANGE LIMIT"] == "limit"


def test_a_good_declaration_loads(pack_copy: Path) -> None:
    write_flow(pack_copy, "extra", flow_text())
    assert problems_of(pack_copy) == []
    flow = load_flow(load_pack(pack_copy), "extra")
    assert flow.records[0].fill == (("pair", "pair"), ("when", "time"), ("price", "price"))


@pytest.mark.parametrize(("records", "needle", "key", "expected"), [
    (TRADE.replace('find = "trade"', 'find = "ledger"'), 'find = "ledger"', "records[0].find",
     "one of: trade, order, deposit, withdrawal"),
    (TRADE.replace('by = { id = "trade_id" }', 'by = { id = "pair" }'), 'by = { id = "pair" }', "records[0].by.id",
     "a question of type integer_id for id ('pair' is a pair question)"),
    (TRADE.replace('price = "price" }', 'priced = "price" }'), "priced", "records[0].fill.priced",
     "the key of a question of this flow ('priced' is not one"),
    (TRADE.replace('when = "time"', 'when = "price"'), 'when = "price"', "records[0].fill.when",
     "a question of type amount for price ('when' is a datetime question)"),
    (TRADE.replace('when = "time"', 'when = "colour"'), 'when = "colour"', "records[0].fill.when",
     "one of: id, pair, time, amount, price, fee, order_id, limit_price"),
    (TRADE.replace('fill = { pair = "pair"', 'fill = { trade_id = "id", pair = "pair"'), "fill = {",
     "records[0].fill.trade_id", "no 'trade_id' here: it is one of the answers the row is found by"),
    ('[[records]]\nfind = "deposit"\nby = { around = "when" }\nfill = { price = "amount" }\n', 'by = { around',
     "records[0].by.around", "no around without amount: a time finds a movement only together with its amount"),
    ('[[records]]\nfind = "deposit"\nby = { id = "trade_id" }\nfill = { state = "status" }\n', "[[records]]",
     "records[0].choices.state", "a table [records.choices.state]"),
    ('[[records]]\nfind = "deposit"\nby = { id = "trade_id" }\nfill = { state = "status" }\n'
     '[records.choices.state]\nCOMPLETED = "finished"\n', 'COMPLETED = "finished"',
     "records[0].choices.state.COMPLETED", "one of: done, waiting"),
    (TRADE.replace('price = "price"\n', 'price = "when"\n').replace(
        'fill = { pair = "pair", when = "time", price = "price" }', 'fill = { pair = "pair" }'),
     "[market_check]", "market_check.price", "a question of type amount for price ('when' is a datetime question)"),
])
def test_content_check_names_what_a_declaration_gets_wrong(
    pack_copy: Path, records: str, needle: str, key: str, expected: str,
) -> None:
    path = write_flow(pack_copy, "extra", flow_text(records))
    problems = problems_of(pack_copy)
    assert len(problems) == 1, problems
    assert f": {key}: " in problems[0]
    assert expected in problems[0]
    assert problems[0].startswith(f"bitfinex/flows/extra.toml:{line_of(path, needle)}: ") or "market_check" in key


def test_offers_is_for_an_advice_step_and_names_a_known_check(pack_copy: Path) -> None:
    write_flow(pack_copy, "extra", flow_text(offers='offers = "weather"\n'))
    (problem,) = problems_of(pack_copy)
    assert "steps[0].offers: one of: status" in problem
    text = flow_text().replace('id = "trade_id"\ntype', 'id = "trade_id"\noffers = "status"\ntype')
    write_flow(pack_copy, "extra", text)
    problem = problems_of(pack_copy)[0]  # (the records that read the broken question are named too)
    assert "steps[1].offers: nothing: offers is for advice steps only" in problem


def test_content_check_in_chinese_names_the_problem_too(pack_copy: Path) -> None:
    from supportcli.core import i18n

    write_flow(pack_copy, "extra", flow_text(TRADE.replace('when = "time"', 'when = "price"')))
    i18n.set_language("zh")
    (problem,) = problems_of(pack_copy)
    assert "price 需要类型为 amount 的问题（'when' 是 datetime 类问题）" in problem

"""Flows fill what the user's imported records already say: a trade, an order, a deposit or a withdrawal
found by the answers that name it, through the same parsers and guard as typed answers."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from supportcli.core.errors import InputError
from supportcli.core.flows.assist import FlowAssist
from supportcli.core.flows.content import load_flow
from supportcli.core.flows.engine import FlowEngine
from supportcli.core.flows.model import FlowResult
from supportcli.core.pack import Pack, load_pack
from supportcli.core.paths import builtin_packs_dir
from supportcli.core.prompting.protocol import ChoiceList
from supportcli.core.prompting.scripted import ScriptedPrompter
from supportcli.core.records.importer import import_file, inspect
from supportcli.core.records.reader import Source
from supportcli.core.records.store import RecordStore
from tests.test_flows_engine import Typist
from tests.test_records_formats import ADDRESS, MOVEMENTS, ORDERS, TRADES, TX, date_cell, trade_rows, write_export

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
TRADE_AT = dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)  # trade 1500000002 (a sell of 0.05 BTC)
DEPOSIT_AT = dt.datetime(2023, 11, 14, 23, 13, 20, tzinfo=dt.UTC)
OTHER_TX = "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"
OTHER_ADDRESS = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(builtin_packs_dir() / "bitfinex")


def movement(number: str, at: dt.datetime, status: str, amount: str, address: str, tx: str,
             currency: str = "BTC") -> list[str]:
    return [number, date_cell(at), date_cell(at + dt.timedelta(minutes=27)), currency, status, amount, "0", address,
            tx, ""]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordStore]:
    """Trades 1500000001/2 (order 120000002 is an exchange limit sell at 30150), two deposits of 0.5 BTC
    a day apart, a withdrawal of 0.25 BTC."""
    store = RecordStore(tmp_path / "records" / "records.sqlite3")
    orders = [["120000002", "BTC/USD", "EXCHANGE LIMIT", "", "-0.05", "-0.05", "30150", "30100", "",
               date_cell(TRADE_AT - dt.timedelta(minutes=3)), date_cell(TRADE_AT), "EXECUTED @ 30100.0(-0.05)", ""]]
    movements = [
        movement("13293040", DEPOSIT_AT, "COMPLETED", "0.5", ADDRESS, TX),
        movement("13293041", DEPOSIT_AT + dt.timedelta(hours=20), "PENDING", "0.5", OTHER_ADDRESS, OTHER_TX),
        movement("13105603", DEPOSIT_AT - dt.timedelta(hours=2), "COMPLETED", "-0.25",
                 "0x52908400098527886E0F7030069857D2E4169EE7", "0x" + "ab" * 32),
    ]
    for name, header, rows in (("alice_trades.csv", TRADES, trade_rows()), ("alice_orders.csv", ORDERS, orders),
                               ("alice_movements.csv", MOVEMENTS, movements)):
        path = write_export(tmp_path / name, header, rows)
        import_file(store, inspect(Source(path.name, path), store, NOW), "DD-MM-YY", "UTC")
    yield store
    store.close()


def run(pack: Pack, flow_id: str, prompter: Any, store: RecordStore | None,
        **assist: Any) -> tuple[FlowEngine, FlowResult]:
    engine = FlowEngine(load_flow(pack, flow_id), prompter, now=NOW, zone="Asia/Shanghai", lang="en",
                        manifest=pack.manifest, assist=FlowAssist(records=store, **assist))
    return engine, engine.run(review=prompter.interactive)


class Person(Typist):
    """A person at the keyboard who also answers the plain questions (use these? which one?)."""

    def __init__(self, replies: list[Any], plain: list[Any], edits: list[str] | None = None) -> None:
        super().__init__(replies, edits)
        self.plain = deque(plain)
        self.questions: list[tuple[str, str, list[str]]] = []

    def confirm(self, key: str, message: str, *, default: bool = False) -> bool:
        self.questions.append((key, message, []))
        return bool(self.plain.popleft())

    def select(self, key: str, message: str, choices: ChoiceList, *, default: str | None = None,
               search: bool = False) -> str:
        self.questions.append((key, message, [label for _, label in choices]))
        return str(self.plain.popleft())


# --------------------------------------------------------------------------- an answers file


def test_trade_id_balance_and_description_alone_complete_abnormal_trade(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"trade_id": 1500000002, "balance": "1523.40 USDT", "description": "It filled low."})
    _, result = run(pack, "abnormal-trade", prompter, store)
    answers = result.answers
    assert answers["pair"] == "BTC/USD"
    assert answers["occurred_at"] == "2023-11-14T22:14:21+00:00"  # in UTC, whatever the user's zone
    assert answers["order_id"] == 120000002
    assert answers["fill_price"] == "30100 USD"
    assert answers["order_price"] == "30150 USD"  # the limit price, from the Orders export
    kinds = [(r.kind, r.id, r.file, r.line) for r in result.records]
    assert kinds == [("trades", 1500000002, "alice_trades.csv", 2), ("orders", 120000002, "alice_orders.csv", 2)]
    assert result.records[0].keys == ("order_id", "pair", "occurred_at", "fill_price")
    assert result.records[1].keys == ("order_price",)
    assert result.records[0].cells[:4] == ("1500000002", "BTC/USD", "-0.05", "30100")
    assert any("taken from your Trades export, row #1500000002 (alice_trades.csv, line 2)" in n for n in prompter.notes)


def test_an_answers_file_value_wins_over_the_records_and_the_difference_is_said(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"trade_id": 1500000002, "pair": "ETH/USD", "balance": "1 BTC", "description": "x"})
    _, result = run(pack, "abnormal-trade", prompter, store, preferred={"pair": "ETH/USD"})
    assert result.answers["pair"] == "ETH/USD"
    assert result.answers["fill_price"] == "30100 USD"
    note = next(n for n in prompter.notes if "pair:" in n and "kept" in n)
    assert "your answer ETH/USD is kept" in note
    assert "says BTC/USD" in note
    assert "pair" not in result.records[0].keys  # the ticket does not say the pair came from the export


def test_an_answer_that_agrees_with_the_records_is_cited_as_agreeing(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"trade_id": 1500000002, "pair": "btcusd", "balance": "1 BTC", "description": "x"})
    _, result = run(pack, "abnormal-trade", prompter, store, preferred={"pair": "btcusd"})
    assert "pair" in result.records[0].keys
    assert not any("kept" in n for n in prompter.notes)


def test_a_trade_not_in_the_records_leaves_its_questions_to_the_user(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"trade_id": 42, "balance": "1 BTC", "description": "x"})
    with pytest.raises(InputError) as caught:
        run(pack, "abnormal-trade", prompter, store)
    assert caught.value.field == "pair"
    assert any("Not in the Trades export you imported: trade #42" in n for n in prompter.notes)


def test_without_records_nothing_is_looked_up(pack: Pack) -> None:
    prompter = ScriptedPrompter({"trade_id": 1500000002, "balance": "1 BTC", "description": "x"})
    with pytest.raises(InputError) as caught:
        run(pack, "abnormal-trade", prompter, None)
    assert caught.value.field == "pair"
    assert prompter.notes == []


def test_a_withdrawal_found_by_id_fills_amount_time_status_hash_and_address(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"withdrawal_id": 13105603})
    _, result = run(pack, "withdrawal-delayed", prompter, store)
    answers = result.answers
    assert answers["amount"] == "0.25 BTC"
    assert answers["requested_at"] == (DEPOSIT_AT - dt.timedelta(hours=2)).isoformat()
    assert answers["status_shown"] == "completed"  # COMPLETED in the export, by the flow's [records.choices]
    assert answers["tx_hash"] == "0x" + "ab" * 32
    assert answers["destination_address"] == "0x52908400098527886E0F7030069857D2E4169EE7"
    assert [(r.kind, r.id) for r in result.records] == [("movements", 13105603)]


def test_a_deposit_found_by_amount_and_time(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"amount": "0.5 BTC", "sent_at": "2023-11-14 18:00 UTC", "network": "bitcoin"})
    _, result = run(pack, "deposit-missing", prompter, store)  # the other deposit of 0.5 BTC is a day later
    assert result.answers["tx_hash"] == TX
    assert result.answers["deposit_address"] == ADDRESS
    assert [(r.kind, r.id, r.keys) for r in result.records] == [("movements", 13293040, ("tx_hash", "deposit_address"))]


def test_several_deposits_that_fit_stop_an_answers_file_naming_the_answer_to_add(
    pack: Pack, store: RecordStore,
) -> None:
    prompter = ScriptedPrompter({"amount": "0.5 BTC", "sent_at": "2023-11-15 09:00 UTC", "network": "bitcoin"})
    with pytest.raises(InputError) as caught:
        run(pack, "deposit-missing", prompter, store)
    assert caught.value.field == "tx_hash"
    message = caught.value.render()
    assert "2 deposits in your records fit" in message
    assert "#13293041" in message
    assert "#13293040" in message


def test_several_deposits_that_fit_are_offered_to_choose_from(pack: Pack, store: RecordStore) -> None:
    person = Person(["not_solved"] * 3 + ["0.5 BTC", "2023-11-15 09:00 UTC", "bitcoin", "", "", ""],
                    plain=["1", True])  # the second of the two; yes, use its answers
    _, result = run(pack, "deposit-missing", person, store)
    key, message, labels = person.questions[0]
    assert (key, message) == ("records_row", "Which one is it?")
    assert labels[0].startswith("#13293041 · 2023-11-15 19:13 UTC · +0.5 BTC · PENDING")
    assert labels[-1] == "None of these"
    assert result.answers["tx_hash"] == TX


def test_a_deposit_of_another_asset_is_not_taken_for_it(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"amount": "0.5 ETH", "sent_at": "2023-11-14 23:00 UTC", "tx_hash": "ab" * 32,
                                 "deposit_address": ADDRESS})
    _, result = run(pack, "deposit-missing", prompter, store)
    assert result.records == []


def test_an_order_type_from_the_orders_export_picks_the_choice(pack: Pack, store: RecordStore) -> None:
    prompter = ScriptedPrompter({"order_id": 120000002})
    _, result = run(pack, "trade-failed", prompter, store)
    assert result.answers["order_type"] == "limit"  # EXCHANGE LIMIT
    assert result.answers["amount"] == "0.05 BTC"
    assert result.answers["pair"] == "BTC/USD"
    assert [(r.kind, r.id) for r in result.records] == [("orders", 120000002)]


# --------------------------------------------------------------------------- at the keyboard


def test_in_a_terminal_the_found_values_are_shown_and_confirmed(pack: Pack, store: RecordStore) -> None:
    person = Person(["not_solved", "not_solved", "unexpected_fill", "1500000002", "1523.40 USDT", "It filled low.",
                     ""], plain=[True])
    _, result = run(pack, "abnormal-trade", person, store)
    key, message, _ = person.questions[0]
    assert key == "use_records"
    assert "change each one on the summary" in message
    shown = person.notes[person.notes.index(
        "Found in your Trades export, row #1500000002 (alice_trades.csv, line 2):") + 1:]
    assert shown[:5] == ["  Order id: 120000002", "  Trading pair: BTC/USD",
                         "  When did it happen: 2023-11-15 06:14 Asia/Shanghai (UTC+08:00) = 2023-11-14 22:14 UTC",
                         "  The price of your order: 30150 USD", "  The price it filled at: 30100 USD"]
    asked = [k for k, _ in person.asked]
    assert "pair" not in asked
    assert "occurred_at" not in asked
    summary = {row.key: row.value for row in person.summaries[0]}
    assert summary["pair"] == "BTC/USD  (from your records)"
    assert summary["balance"] == "1523.40 USDT"
    assert result.answers["order_price"] == "30150 USD"


def test_in_a_terminal_the_found_values_can_be_declined(pack: Pack, store: RecordStore) -> None:
    person = Person(["not_solved", "not_solved", "other", "1500000002", "", "BTC/USD", "2026-11-20 14:05", "", "",
                     "1 BTC", "x", ""], plain=[False])
    _, result = run(pack, "abnormal-trade", person, store)
    assert [k for k, _ in person.asked][2:5] == ["order_id", "pair", "occurred_at"]
    assert result.records == []
    assert result.answers["occurred_at"] == "2026-11-20T14:05+08:00"


def test_an_answer_changed_on_the_summary_is_no_longer_cited_as_from_the_records(
    pack: Pack, store: RecordStore,
) -> None:
    person = Person(["not_solved", "not_solved", "unexpected_fill", "1500000002", "1 BTC", "x", "", "31000 USD"],
                    plain=[True], edits=["fill_price"])
    _, result = run(pack, "abnormal-trade", person, store)
    assert result.answers["fill_price"] == "31000 USD"
    assert "fill_price" not in result.records[0].keys
    assert "pair" in result.records[0].keys


def test_a_changed_trade_id_looks_the_records_up_again(pack: Pack, store: RecordStore) -> None:
    person = Person(["not_solved", "not_solved", "unexpected_fill", "1500000002", "1 BTC", "x", "", "1500000001"],
                    plain=[True, True], edits=["trade_id"])
    _, result = run(pack, "abnormal-trade", person, store)
    assert result.answers["fill_price"] == "30000 USD"
    assert result.answers["order_id"] == 120000001
    assert [(r.kind, r.id) for r in result.records] == [("trades", 1500000001)]


def test_records_that_cannot_be_read_are_said_once_and_the_flow_goes_on(pack: Pack, store: RecordStore) -> None:
    store.db.close()  # as a store damaged under a running flow would fail
    prompter = ScriptedPrompter({"trade_id": 1500000002, "pair": "BTC/USD", "occurred_at": "2026-11-20 14:05",
                                 "balance": "1 BTC", "description": "x"})
    _, result = run(pack, "abnormal-trade", prompter, store)
    assert result.answers["pair"] == "BTC/USD"
    assert result.records == []
    assert next(n for n in prompter.notes if "could not be read" in n).startswith(
        "trade_id: Your imported records could not be read (")


def test_a_resumed_run_cites_the_rows_again_without_asking(pack: Pack, store: RecordStore) -> None:
    first = Person(["not_solved", "not_solved", "unexpected_fill", "1500000002"], plain=[True])
    engine = FlowEngine(load_flow(pack, "abnormal-trade"), first, now=NOW, zone="UTC", manifest=pack.manifest,
                        assist=FlowAssist(records=store))
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C at the balance: the answers so far are what a session keeps
        engine.run()
    saved = dict(engine.answers)
    assert saved["pair"] == "BTC/USD"
    again = Person(["not_solved", "not_solved", "1 BTC", "x", ""], plain=[])
    resumed = FlowEngine(load_flow(pack, "abnormal-trade"), again, now=NOW, zone="UTC", manifest=pack.manifest,
                         initial=saved, assist=FlowAssist(records=store))
    result = resumed.run()
    assert again.questions == []  # nothing new to fill: no "use these?"
    assert [(r.kind, r.id) for r in result.records] == [("trades", 1500000002), ("orders", 120000002)]
    assert "pair" in result.records[0].keys


def test_a_mistyped_withdrawal_id_is_shown_by_the_withdrawal_its_amount_and_time_find(
    pack: Pack, store: RecordStore,
) -> None:
    prompter = ScriptedPrompter({"withdrawal_id": 13105604, "amount": "0.25 BTC",
                                 "requested_at": "2023-11-14 21:00 UTC", "destination_address": ADDRESS})
    _, result = run(pack, "withdrawal-delayed", prompter, store)
    assert any("Not in the Movements export you imported: withdrawal #13105604" in n for n in prompter.notes)
    assert any("withdrawal_id: your answer 13105604 is kept; your Movements export, row #13105603" in n
               for n in prompter.notes)
    assert result.answers["status_shown"] == "processing"  # nothing of the other withdrawal is taken
    assert result.records == []

"""Flows go online only when allowed (issue 15): the platform status before the self-help that says to
check it, the market check once pair, time and fill price are known. In a terminal the user says yes
first; from an answers file only with --online; --offline or `network off` never. A failure is one
line and the flow goes on. Everything against the loopback server."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput

from supportcli.core.flows.assist import FlowAssist, OnlineAccess
from supportcli.core.flows.content import load_flow
from supportcli.core.flows.engine import FlowEngine
from supportcli.core.net.http import HttpClient, Timeouts
from supportcli.core.net.policy import NetworkPolicy
from supportcli.core.pack import Pack, load_pack
from supportcli.term.prompter_questionary import QuestionaryPrompter
from supportcli.term.terminal import Terminal
from tests.conftest import Runner
from tests.net_server import LoopbackServer, Reply, Seen, online_pack

STATUS = "/v2/platform/status"
CANDLES = "/v2/candles/trade:1m:tBTCUSD/hist"
MINUTE = dt.datetime(2025, 3, 4, 6, 5, tzinfo=dt.UTC)
MS = int(MINUTE.timestamp()) * 1000
NOW = dt.datetime(2026, 11, 27, 0, 15, tzinfo=dt.UTC)
ENTER, UP, ESC_ENTER = "\r", "\x1b[A", "\x1b\r"
ANSWERS = '''trade_id = 1234
pair = "BTC/USD"
occurred_at = "2025-03-04 06:05:42 UTC"
fill_price = "30100.5 USD"
balance = "1 BTC"
description = "It filled at a price I did not expect."
'''
FAST = Timeouts(connect=1.0, read=0.5, total=2.0)


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("supportcli.commands.online_shared.TIMEOUTS", FAST)


@pytest.fixture
def pack_dir(tmp_path: Path, net_server: LoopbackServer) -> Path:
    return online_pack(tmp_path, net_server.base_url)


def candles(seen: Seen) -> Reply:
    """[OPEN, CLOSE, HIGH, LOW, VOLUME] for the minutes around MINUTE (CLOSE comes before HIGH)."""
    rows = {MS - 60_000: [30010, 30020, 30050, 29990, 1.5], MS: [30020, 30105, 30150, 30000, 2.25],
            MS + 60_000: [30105, 30090, 30110, 30080, 0.5]}
    start, end = int(seen.query["start"][0]), int(seen.query["end"][0])
    return Reply(200, [[mts, *values] for mts, values in sorted(rows.items()) if start <= mts <= end])


def serve(server: LoopbackServer, status: Reply | None = None) -> None:
    server.route(STATUS, status or Reply(200, [1]))
    server.route(CANDLES, candles)


def answers(tmp_path: Path, text: str = ANSWERS) -> str:
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- from an answers file


def test_with_online_the_status_is_said_and_the_ticket_states_the_market_fact(
    cli: Runner, net_server: LoopbackServer, pack_dir: Path, tmp_path: Path,
) -> None:
    serve(net_server)
    r = cli("--pack", str(pack_dir), "--online", "troubleshoot", "abnormal-trade", "--answers", answers(tmp_path),
            "--json")
    assert r.exit_code == 0, r.output
    assert net_server.paths() == [STATUS, CANDLES]
    seen = net_server.requests[1]
    assert "30100" not in seen.target  # the price never leaves the computer, nor the trade id
    assert "1234" not in seen.target
    assert "Bitfinex is operative (checked " in r.stderr
    data = json.loads(r.stdout)
    market = data["market"]
    assert (market["pair"], market["low"], market["high"], market["inside"]) == ("BTC/USD", "30000", "30150", True)
    ticket = Path(data["ticket"]).read_text(encoding="utf-8")
    assert ("- Bitfinex 1-minute candle for BTC/USD at 2025-03-04 06:05 UTC: low 30000, high 30150; the price "
            "30100.5 is inside this range (source: 127.0.0.1") in ticket
    assert ", fetched " in ticket
    zh = cli("--pack", str(pack_dir), "--online", "--lang", "zh", "troubleshoot", "abnormal-trade", "--answers",
             answers(tmp_path), "--json")
    ticket = Path(json.loads(zh.stdout)["ticket"]).read_text(encoding="utf-8")
    assert "最低价 30000，最高价 30150；成交价 30100.5 在这一区间内（数据来源：127.0.0.1" in ticket


@pytest.mark.parametrize("flags", [(), ("--offline",)], ids=["without --online", "--offline"])
def test_an_answers_file_run_goes_online_only_with_online(
    cli: Runner, net_server: LoopbackServer, pack_dir: Path, tmp_path: Path, flags: tuple[str, ...],
) -> None:
    serve(net_server)
    r = cli("--pack", str(pack_dir), *flags, "troubleshoot", "abnormal-trade", "--answers", answers(tmp_path),
            "--json")
    assert r.exit_code == 0, r.output
    assert net_server.requests == []
    assert json.loads(r.stdout)["market"] is None


def test_network_off_in_the_settings_wins_over_online(
    cli: Runner, net_server: LoopbackServer, pack_dir: Path, tmp_path: Path,
) -> None:
    serve(net_server)
    assert cli("config", "set", "network", "off").exit_code == 0
    r = cli("--pack", str(pack_dir), "--online", "troubleshoot", "abnormal-trade", "--answers", answers(tmp_path))
    assert r.exit_code == 0, r.output
    assert net_server.requests == []


def test_maintenance_is_said_with_the_advice_to_wait(
    cli: Runner, net_server: LoopbackServer, pack_dir: Path, tmp_path: Path,
) -> None:
    serve(net_server, Reply(200, [0]))
    r = cli("--pack", str(pack_dir), "--online", "troubleshoot", "trade-failed", "--answers",
            answers(tmp_path, 'pair = "ETH/USDT"\namount = "0.5 ETH"\noccurred_at = "2025-03-04 06:05 UTC"\n'))
    assert r.exit_code == 0, r.output
    assert "⚠ Bitfinex is in maintenance" in r.stderr
    assert "wait for it to end before you contact support" in r.stderr


@pytest.mark.parametrize(("status", "candle", "said"), [
    (Reply(500, "oops"), Reply(500, "oops"), "500"),
    (Reply(200, b"{not json"), Reply(200, b"[[1, 2"), "not JSON"),
    (Reply(200, [1], hang=5), Reply(200, [], hang=5), "did not answer"),
], ids=["server error", "malformed JSON", "no answer in time"])
def test_a_failed_check_is_one_line_and_the_flow_goes_on(
    cli: Runner, net_server: LoopbackServer, pack_dir: Path, tmp_path: Path, status: Reply, candle: Reply, said: str,
) -> None:
    net_server.route(STATUS, status)
    net_server.route(CANDLES, candle)
    r = cli("--pack", str(pack_dir), "--online", "troubleshoot", "abnormal-trade", "--answers", answers(tmp_path),
            "--json")
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    data = json.loads(r.stdout)
    assert data["market"] is None
    assert Path(data["ticket"]).is_file()
    status_line = next(line for line in r.stderr.splitlines() if "platform status could not be checked" in line)
    market_line = next(line for line in r.stderr.splitlines() if "market check did not work" in line)
    assert status_line.endswith("going on without it.")
    assert market_line.endswith("going on without it.")
    assert said in status_line + market_line


def test_a_fill_price_in_another_asset_is_not_checked(
    cli: Runner, net_server: LoopbackServer, pack_dir: Path, tmp_path: Path,
) -> None:
    serve(net_server)
    text = ANSWERS.replace('fill_price = "30100.5 USD"', 'fill_price = "30100.5 USDT"')
    r = cli("--pack", str(pack_dir), "--online", "troubleshoot", "abnormal-trade", "--answers", answers(tmp_path, text))
    assert r.exit_code == 0, r.output
    assert net_server.paths() == [STATUS]
    assert "No market check: the price is in USDT, but the pair is quoted in USD." in r.stderr


# --------------------------------------------------------------------------- at the keyboard (consent)


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


def keyboard_run(pack: Pack, pipe: PipeInput, keys: list[str]) -> tuple[FlowEngine, str]:
    """Run abnormal-trade with these keys; returns the engine and what was shown (printed and drawn)."""
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    out, drawn = io.StringIO(), io.StringIO()
    prompter = QuestionaryPrompter(Terminal(stdin=io.StringIO(), stdout=out, stderr=out), "en", input=pipe,
                                   output=Vt100_Output(drawn, lambda: Size(rows=40, columns=200), term="dumb"))
    assert pack.manifest.online is not None
    access = OnlineAccess(open_client=lambda: HttpClient(NetworkPolicy(True), timeouts=FAST),
                          endpoints=pack.manifest.online, clock=lambda: NOW)
    pipe.send_text("".join(keys))
    engine = FlowEngine(load_flow(pack, "abnormal-trade"), prompter, now=NOW, zone="UTC", manifest=pack.manifest,
                        assist=FlowAssist(online=access))
    engine.run()
    return engine, out.getvalue() + drawn.getvalue()


TO_THE_END = ["1 BTC" + ENTER, "x" + ESC_ENTER, ENTER, ENTER]  # balance, description, has_export, summary


def test_in_a_terminal_each_check_is_asked_first_and_a_yes_makes_it(
    net_server: LoopbackServer, pack_dir: Path, pipe: PipeInput,
) -> None:
    serve(net_server)
    keys = [UP + ENTER,                       # check the platform status? yes
            ENTER, ENTER, ENTER,              # two self-help steps, what_kind
            "1234" + ENTER, ENTER, "BTC/USD" + ENTER, "2025-03-04 06:05" + ENTER, ENTER, "30100.5 USD" + ENTER,
            UP + ENTER,                       # check the market? yes
            *TO_THE_END]
    engine, screen = keyboard_run(load_pack(pack_dir), pipe, keys)
    assert net_server.paths() == [STATUS, CANDLES]
    assert "Checking the platform status online sends one request to 127.0.0.1" in screen
    assert "and nothing about you." in screen
    assert "Check Bitfinex's platform status now?" in screen
    assert ("Online, the 1-minute candles of BTC/USD show whether 30100.5 USD was inside the range at 2025-03-04 "
            "06:05 UTC.") in screen
    assert "Only the pair and that minute are sent to 127.0.0.1" in screen
    assert "Check the market at that minute now?" in screen
    assert "the price 30100.5 is inside this range" in screen
    result = engine._result(None)
    assert [fact.kind for fact in result.public] == ["market"]


def test_in_a_terminal_enter_keeps_everything_offline(
    net_server: LoopbackServer, pack_dir: Path, pipe: PipeInput,
) -> None:
    serve(net_server)
    keys = [ENTER, ENTER, ENTER, ENTER, "1234" + ENTER, ENTER, "BTC/USD" + ENTER, "2025-03-04 06:05" + ENTER, ENTER,
            "30100.5 USD" + ENTER, ENTER, *TO_THE_END]
    engine, screen = keyboard_run(load_pack(pack_dir), pipe, keys)
    assert net_server.requests == []
    assert "Check Bitfinex's platform status now?" in screen
    assert engine._result(None).public == []


def test_a_market_check_is_not_offered_again_when_other_answers_change(
    net_server: LoopbackServer, pack_dir: Path, pipe: PipeInput,
) -> None:
    serve(net_server)
    keys = [ENTER, ENTER, ENTER, ENTER, "1234" + ENTER, ENTER, "BTC/USD" + ENTER, "2025-03-04 06:05" + ENTER, ENTER,
            "30100.5 USD" + ENTER, UP + ENTER, "1 BTC" + ENTER, "x" + ESC_ENTER, ENTER,
            "\x1b[B" * 2 + ENTER,            # summary: change the trade id (no market answer)
            "\x7f" * 4 + "5678" + ENTER,     # (a second market question here would take the next Enter)
            ENTER]                            # summary: looks right
    engine, _ = keyboard_run(load_pack(pack_dir), pipe, keys)
    assert net_server.paths() == [CANDLES]
    assert engine.answers["trade_id"] == 5678

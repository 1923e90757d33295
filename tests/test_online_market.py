"""`supportcli market check PAIR TIME PRICE`: 1-minute candles from the loopback server."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from supportcli.core.net.http import Timeouts
from supportcli.core.online.market import Candle, MarketCheck, bitfinex_symbol, market_fact
from tests.conftest import Runner
from tests.net_server import LoopbackServer, Reply, Seen, online_pack

MINUTE = dt.datetime(2025, 3, 4, 6, 5, tzinfo=dt.UTC)
MS = int(MINUTE.timestamp()) * 1000


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("supportcli.commands.online_shared.TIMEOUTS", Timeouts(connect=1.0, read=0.5, total=3.0))


@pytest.fixture
def pack(tmp_path: Path, net_server: LoopbackServer) -> str:
    return str(online_pack(tmp_path, net_server.base_url))


def candles(rows: dict[int, list[float]]) -> object:
    """A handler answering /hist with the rows whose MTS is in [start, end], oldest first (sort=1)."""

    def handle(seen: Seen) -> Reply:
        start, end = int(seen.query["start"][0]), int(seen.query["end"][0])
        return Reply(200, [[mts, *values] for mts, values in sorted(rows.items()) if start <= mts <= end])

    return handle


# [OPEN, CLOSE, HIGH, LOW, VOLUME]: CLOSE comes before HIGH.
AROUND = {
    MS - 60_000: [30010, 30020, 30050, 29990, 1.5],
    MS: [30020, 30105, 30150, 30000, 2.25],
    MS + 60_000: [30105, 30090, 30110, 30080, 0.5],
    MS + 120_000: [1, 1, 99999, 1, 1],  # outside the window: never used
}
PATH = "/v2/candles/trade:1m:tBTCUSD/hist"


def _route(server: LoopbackServer, rows: dict[int, list[float]], path: str = PATH) -> None:
    server.route(path, candles(rows))  # type: ignore[arg-type]


def test_inside_sends_only_the_pair_and_a_time_window(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    _route(net_server, AROUND)
    r = cli("--pack", pack, "market", "check", "BTC/USD", "2025-03-04 06:05:42 UTC", "30100.5", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["pair"], data["symbol"], data["minute"]) == ("BTC/USD", "tBTCUSD", "2025-03-04T06:05:00+00:00")
    assert (data["low"], data["high"], data["inside"], data["price"]) == ("30000", "30150", True, "30100.5")
    assert data["candle_used"] == "2025-03-04T06:05:00+00:00"
    assert [c["minute"][11:16] for c in data["candles"]] == ["06:04", "06:05", "06:06"]
    assert data["candles"][1] == {"minute": "2025-03-04T06:05:00+00:00", "open": "30020", "close": "30105",
                                  "high": "30150", "low": "30000", "volume": "2.25"}
    (seen,) = net_server.requests
    assert seen.path == PATH
    assert seen.query == {"start": [str(MS - 60_000)], "end": [str(MS + 60_000)], "sort": ["1"], "limit": ["3"]}
    assert "30100" not in seen.target  # the price never leaves the computer
    assert data["source"].startswith(net_server.url(PATH) + "?start=")


def test_close_comes_before_high(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    # Read as [OPEN, HIGH, LOW, CLOSE] this candle's high would be 30105 and 30120 outside it.
    _route(net_server, AROUND)
    r = cli("--pack", pack, "market", "check", "BTC/USD", "2025-03-04 06:05 UTC", "30120", "--json")
    assert json.loads(r.stdout)["inside"] is True


def test_outside_exits_1_with_the_fact_and_a_time_zone_hint(
    cli: Runner, net_server: LoopbackServer, pack: str
) -> None:
    _route(net_server, AROUND)
    r = cli("--pack", pack, "market", "check", "btcusd", "2025-03-04", "06:05", "UTC", "30200")
    assert r.exit_code == 1
    assert ("Bitfinex 1-minute candle for BTC/USD at 2025-03-04 06:05 UTC: low 30000, high 30150; "
            "the price 30200 is outside this range (source: 127.0.0.1:") in r.stdout
    assert "The minutes around it: 06:04 UTC 29990–30050 · 06:06 UTC 30080–30110." in r.stdout
    assert "Check the time zone of the time you gave" in r.stdout


def test_a_minute_without_trades_has_no_range(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    _route(net_server, {MS - 60_000: AROUND[MS - 60_000]})
    r = cli("--pack", pack, "market", "check", "tBTCUSD", "2025-03-04 06:05 UTC", "30000", "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert (data["inside"], data["low"], data["high"], data["candle_used"]) == (None, None, None, None)
    r = cli("--pack", pack, "market", "check", "tBTCUSD", "2025-03-04 06:05 UTC", "30000")
    assert "recorded no trade of BTC/USD in the minute 2025-03-04 06:05 UTC" in r.stdout


def test_time_without_a_zone_is_the_configured_zone_and_said_back(
    cli: Runner, net_server: LoopbackServer, pack: str
) -> None:
    assert cli("config", "set", "timezone", "Asia/Shanghai").exit_code == 0
    _route(net_server, AROUND)
    r = cli("--pack", pack, "market", "check", "BTC/USD", "2025-03-04", "14:05", "30100")
    assert r.exit_code == 0, r.output
    assert "taken as Asia/Shanghai time: 2025-03-04 14:05 Asia/Shanghai (UTC+08:00) = 2025-03-04 06:05 UTC" in r.stdout
    assert "the price 30100 is inside this range" in r.stdout


@pytest.mark.parametrize(("pair", "symbol"), [
    ("BTC/USD", "tBTCUSD"), ("BTCUSD", "tBTCUSD"), ("tBTCUSD", "tBTCUSD"), ("btc-usd", "tBTCUSD"),
    ("BTC/USDT", "tBTCUST"), ("tBTCUST", "tBTCUST"), ("TESTBTC/TESTUSD", "tTESTBTC:TESTUSD"),
    ("tBTCF0:USTF0", "tBTCF0:USTF0"),
])
def test_pairs_are_written_the_bitfinex_way(
    cli: Runner, net_server: LoopbackServer, pack: str, pair: str, symbol: str
) -> None:
    path = f"/v2/candles/trade:1m:{symbol}/hist"
    _route(net_server, AROUND, path)
    quote = pair.rpartition("/")[2] if "/" in pair else ""
    price = "30100" + (f" {quote.upper()}" if quote.upper() in ("USDT",) else "")
    r = cli("--pack", pack, "market", "check", pair, "2025-03-04 06:05 UTC", price, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["symbol"] == symbol
    assert net_server.paths() == [path]


def test_symbol_names() -> None:
    assert bitfinex_symbol("ETH/USDT") == "tETHUST"
    assert bitfinex_symbol("AVAX/USD") == "tAVAX:USD"


@pytest.mark.parametrize(("args", "field"), [
    (["BTC/USD", "2025-03-04 06:05 UTC", "30100 EUR"], "PRICE"),
    (["--", "BTC/USD", "2025-03-04 06:05 UTC", "-5"], "PRICE"),  # without --, -5 is an unknown option
    (["BTC/USD", "2025-03-04 06:05 UTC", "0"], "PRICE"),
    (["BTC/USD", "2025-03-04 06:05 UTC", "1e5"], "PRICE"),
    (["BTC/USD", "2025-03-04 06:05 UTC", "abc"], "PRICE"),
    (["BTCBTC", "2025-03-04 06:05 UTC", "1"], "PAIR"),
    (["BTC/USD", "next tuesday", "30100"], "TIME"),
    (["BTC/USD", "2099-01-01 00:00 UTC", "30100"], "TIME"),
])
def test_bad_input_is_exit_2_naming_the_argument_and_nothing_is_sent(
    cli: Runner, net_server: LoopbackServer, pack: str, args: list[str], field: str
) -> None:
    r = cli("--pack", pack, "market", "check", *args)
    assert r.exit_code == 2, r.output
    assert f"Error: {field}" in r.stderr
    assert net_server.requests == []
    assert "Traceback" not in r.output


def test_too_few_arguments(cli: Runner, pack: str) -> None:
    r = cli("--pack", pack, "market", "check", "BTC/USD", "30100")
    assert r.exit_code == 2
    assert "needs a pair, a time and a price" in r.stderr


@pytest.mark.parametrize("body", [
    [[MS, 1, 2, 3]],  # too short
    [[MS, 1, 2, 3, 4, "x"]],
    [[MS, 10, 10, 5, 20, 1]],  # low above high
    {"candles": []},
    [[MS, 1, 1, 1, 1, 1]] * 50,
])
def test_a_malformed_answer_is_one_line_exit_1(
    cli: Runner, net_server: LoopbackServer, pack: str, body: object
) -> None:
    net_server.route(PATH, Reply(200, body))
    r = cli("--pack", pack, "market", "check", "BTC/USD", "2025-03-04 06:05 UTC", "30100")
    assert r.exit_code == 1
    assert "not in the documented format" in r.stderr
    assert "Traceback" not in r.output


def test_unknown_symbol_error_from_bitfinex(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route("/v2/candles/trade:1m:tXYZUSD/hist", Reply(500, ["error", 10020, "symbol: invalid"]))
    r = cli("--pack", pack, "market", "check", "XYZ/USD", "2025-03-04 06:05 UTC", "1")
    assert r.exit_code == 1
    assert "error 10020: symbol: invalid" in r.stderr


def _check(price: str, candle: bool = True) -> MarketCheck:
    own = Candle(MINUTE, Decimal(30020), Decimal(30105), Decimal("30150.5"), Decimal(30000), Decimal(2))
    return MarketCheck(
        pair="BTC/USD", symbol="tBTCUSD", minute=MINUTE, price=Decimal(price), candle=own if candle else None,
        candles=(own,) if candle else (), fetched_at=dt.datetime(2025, 3, 5, 10, 0, 30, tzinfo=dt.UTC),
        source="https://api-pub.bitfinex.com/v2/candles/trade:1m:tBTCUSD/hist?start=1&end=2&sort=1&limit=3",
    )


def test_the_ticket_fact_in_both_languages() -> None:
    assert market_fact(_check("30100.50"), "Bitfinex", "en") == (
        "Bitfinex 1-minute candle for BTC/USD at 2025-03-04 06:05 UTC: low 30000, high 30150.5; the price 30100.5 "
        "is inside this range (source: api-pub.bitfinex.com, fetched 2025-03-05 10:00 UTC).")
    assert market_fact(_check("31000"), "Bitfinex", "zh") == (
        "Bitfinex 上 BTC/USD 在 2025-03-04 06:05 UTC 这一分钟的 1 分钟 K 线：最低价 30000，最高价 30150.5；"
        "成交价 31000 不在这一区间内（数据来源：api-pub.bitfinex.com，获取时间：2025-03-05 10:00 UTC）。")
    assert market_fact(_check("1", candle=False), "Bitfinex", "zh").startswith(
        "Bitfinex 在 2025-03-04 06:05 UTC 这一分钟没有 BTC/USD 的成交记录")
    assert market_fact(_check("30000"), "Bitfinex", "en").count("inside") == 1  # the low itself is inside

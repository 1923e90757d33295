"""Was a price inside the market's range at that minute? Bitfinex 1-minute candles.

`GET {api_base}/v2/candles/trade:1m:{symbol}/hist?start&end&sort=1&limit=3` returns rows
`[MTS, OPEN, CLOSE, HIGH, LOW, VOLUME]` — CLOSE comes before HIGH — for the minutes that had
trades in [minute−1, minute+1]. `inside` is LOW ≤ PRICE ≤ HIGH for the candle of the minute itself;
the neighbours are returned too (a clock a minute off shows there). A minute with no trades has no
candle: `inside` is then None. Only the symbol and the time window are sent — never the price.

`check_market` is what flows call once pair, time and price are known; `market_fact` renders the
one sentence a ticket states, with the source and the time it was fetched.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from supportcli.core.errors import InputError
from supportcli.core.i18n import Lang, t

if TYPE_CHECKING:
    from supportcli.core.assets import AssetFacts
from supportcli.core.net.errors import MalformedBodyError
from supportcli.core.net.http import HttpClient
from supportcli.core.net.policy import host_of

CANDLES_PATH = "/v2/candles/trade:1m:{symbol}/hist"
MINUTE = dt.timedelta(minutes=1)
MAX_ROWS = 10  # three are asked for; a few more are tolerated, more is not the documented answer
# Bitfinex's own names for assets users write otherwise.
_API_ASSET = {"USDT": "UST", "USDTF0": "USTF0"}


@dataclass(frozen=True)
class Candle:
    start: dt.datetime  # the minute, aware UTC
    open: Decimal
    close: Decimal
    high: Decimal
    low: Decimal
    volume: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "minute": self.start.isoformat(), "open": number(self.open), "close": number(self.close),
            "high": number(self.high), "low": number(self.low), "volume": number(self.volume),
        }


@dataclass(frozen=True)
class MarketCheck:
    pair: str  # BTC/USD
    symbol: str  # tBTCUSD
    minute: dt.datetime  # aware UTC, seconds dropped
    price: Decimal
    candle: Candle | None  # the minute's own candle; None when nothing traded in it
    candles: tuple[Candle, ...]  # every candle fetched in [minute−1, minute+1], oldest first
    fetched_at: dt.datetime
    source: str  # the URL asked, with its query

    @property
    def low(self) -> Decimal | None:
        return self.candle.low if self.candle else None

    @property
    def high(self) -> Decimal | None:
        return self.candle.high if self.candle else None

    @property
    def inside(self) -> bool | None:
        if self.candle is None:
            return None
        return self.candle.low <= self.price <= self.candle.high

    def to_json(self) -> dict[str, Any]:
        return {
            "pair": self.pair, "symbol": self.symbol, "minute": self.minute.isoformat(),
            "price": number(self.price),
            "low": number(self.low) if self.low is not None else None,
            "high": number(self.high) if self.high is not None else None,
            "inside": self.inside,
            "candle_used": self.candle.start.isoformat() if self.candle else None,
            "candles": [c.to_json() for c in self.candles],
            "fetched_at": self.fetched_at.isoformat(timespec="seconds"), "source": self.source,
        }


def number(value: Decimal) -> str:
    """A Decimal as plain digits: 30000, 30100.5 (never 3E+4)."""
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def bitfinex_symbol(pair: str) -> str:
    """`BTC/USD` → `tBTCUSD`; an asset longer than three letters needs a colon: `tTESTBTC:TESTUSD`."""
    base, _, quote = pair.partition("/")
    base, quote = _API_ASSET.get(base, base), _API_ASSET.get(quote, quote)
    return "t" + (f"{base}:{quote}" if len(base) > 3 or len(quote) > 3 else base + quote)


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp()) * 1000


def floor_minute(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(second=0, microsecond=0)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


def parse_candles(data: Any, host: str) -> list[Candle]:
    """Rows `[MTS, OPEN, CLOSE, HIGH, LOW, VOLUME]`, checked; MalformedBodyError for anything else."""
    bad = MalformedBodyError(host=host, detail=t("net.detail.shape", what="[[MTS, OPEN, CLOSE, HIGH, LOW, VOLUME]]"))
    if not isinstance(data, list) or len(data) > MAX_ROWS:
        raise bad
    candles: list[Candle] = []
    for row in data:
        if not isinstance(row, list) or len(row) < 6 or type(row[0]) is not int:
            raise bad
        values = [_decimal(v) for v in row[1:6]]
        if any(v is None for v in values) or not 0 <= row[0] < 2**53:
            raise bad
        open_, close, high, low, volume = (v for v in values if v is not None)
        if low > high:
            raise bad
        start = dt.datetime.fromtimestamp(row[0] // 1000, dt.UTC)
        candles.append(Candle(start, open_, close, high, low, volume))
    return sorted(candles, key=lambda c: c.start)


def check_market(
    client: HttpClient, api_base: str, pair: str, moment: dt.datetime, price: Decimal,
    clock: Callable[[], dt.datetime],
) -> MarketCheck:
    """Fetch the 1-minute candles around `moment` and compare `price` with that minute's range."""
    minute = floor_minute(moment)
    symbol = bitfinex_symbol(pair)
    url = api_base + CANDLES_PATH.format(symbol=symbol)
    params: dict[str, str | int] = {"start": _ms(minute - MINUTE), "end": _ms(minute + MINUTE), "sort": 1, "limit": 3}
    candles = parse_candles(client.get_json(url, params, max_bytes=64 * 1024), host_of(url))
    window = [c for c in candles if minute - MINUTE <= c.start <= minute + MINUTE]
    own = next((c for c in window if c.start == minute), None)
    return MarketCheck(
        pair=pair, symbol=symbol, minute=minute, price=price, candle=own, candles=tuple(window),
        fetched_at=clock().astimezone(dt.UTC), source=f"{url}?{urlencode(params)}",
    )


def market_fact(check: MarketCheck, exchange: str, lang: Lang | None = None) -> str:
    """The one sentence a ticket states: the range at that minute, the verdict, source and fetch time."""
    params = {
        "exchange": exchange, "pair": check.pair, "minute": f"{check.minute:%Y-%m-%d %H:%M} UTC",
        "price": number(check.price), "source": host_of(check.source),
        "fetched": f"{check.fetched_at:%Y-%m-%d %H:%M} UTC",
    }
    if check.candle is None:
        return t("online.market.fact_none", lang=lang, **params)
    key = "online.market.fact_inside" if check.inside else "online.market.fact_outside"
    return t(key, lang=lang, low=number(check.candle.low), high=number(check.candle.high), **params)


# --------------------------------------------------------------------------- the command's arguments


@dataclass(frozen=True)
class MarketQuery:
    pair: str
    moment: dt.datetime
    price: Decimal
    said_back: tuple[str, ...]  # how the time (and a UST pair) was understood


def parse_query(pair: str, time: str, price: str, now: dt.datetime, zone: str, assets: AssetFacts) -> MarketQuery:
    """PAIR as flows accept it (BTC/USD, BTCUSD, tBTCUSD), TIME likewise (the user's zone when none is
    given), PRICE a positive decimal in the pair's quote asset ("30100.5" or "30100.5 USD")."""
    from supportcli.core.flows.fields import FieldContext
    from supportcli.core.flows.fields.datetimes import parse_datetime
    from supportcli.core.flows.fields.money import parse_amount, parse_pair

    ctx = FieldContext(now=now, zone=zone, assets=assets)
    parsed_pair = parse_pair("PAIR", pair, ctx)
    pair_value = str(parsed_pair.value)
    quote = pair_value.partition("/")[2]
    parsed_time = parse_datetime("TIME", time, ctx)
    moment = dt.datetime.fromisoformat(str(parsed_time.value))
    text = unicodedata.normalize("NFKC", price).strip()
    has_asset = any(ch.isalpha() for ch in text)
    amount, _, asset = str(parse_amount("PRICE", text if has_asset else f"{text} {quote}", ctx).value).partition(" ")
    if _API_ASSET.get(asset, asset) != _API_ASSET.get(quote, quote):
        raise InputError("PRICE", t("online.market.price_asset", asset=asset, quote=quote))
    value = Decimal(amount)
    if value <= 0:
        raise InputError("PRICE", t("online.market.price_positive"))
    said = tuple(s for s in (parsed_pair.said_back, parsed_time.said_back) if s)
    return MarketQuery(pair_value, moment, value, said)

"""Amounts with their asset (`1523.40 USDT`) and trading pairs (`tBTCUSD` -> `BTC/USD`)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from supportcli.core.flows.fields.base import FieldContext, Parsed, one_line, reject
from supportcli.core.i18n import t

# Patterns are kept as strings: `re` compiles (and caches) them on first use, not at start-up.
# Assets a Bitfinex user is likely to name; others are accepted unless they look like a typo of one.
KNOWN_ASSETS = frozenset({
    "BTC", "ETH", "USDT", "UST", "USDC", "USD", "EUR", "GBP", "JPY", "CNH", "CHF", "LTC", "XRP", "EOS",
    "TRX", "SOL", "DOT", "ADA", "XLM", "XMR", "DOGE", "LEO", "XAUT", "DAI", "BCH", "ETC", "AVAX",
    "MATIC", "POL", "LINK", "UNI", "FIL", "ATOM", "ALGO", "XTZ", "ZEC", "DASH", "NEO", "IOTA", "SHIB",
    "TON", "APT", "NEAR", "ARB", "OP", "AAVE", "COMP", "MKR", "SUSHI", "YFI", "BAT", "OMG", "ZRX",
    "EURT", "MXNT", "CNHT", "TESTBTC", "TESTUSD", "TESTUSDT",
})

# --------------------------------------------------------------------------- amounts

_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+"
_GROUPED = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_ASSET = r"[A-Za-z][A-Za-z0-9]{1,9}"


def known_asset_suggestion(asset: str) -> str | None:
    from difflib import get_close_matches

    swapped = [known for known in sorted(KNOWN_ASSETS) if sorted(known) == sorted(asset)]
    if swapped:
        return swapped[0]
    matches = get_close_matches(asset, sorted(KNOWN_ASSETS), n=1, cutoff=0.75)
    return matches[0] if matches else None


def parse_asset(field_name: str, raw: str, example: str) -> str:
    asset = raw.upper()
    if not re.fullmatch(_ASSET, asset):
        raise reject(field_name, "asset", example)
    if asset in KNOWN_ASSETS or (asset.endswith("F0") and asset[:-2] in KNOWN_ASSETS):
        return asset  # BTCF0/USTF0: Bitfinex's perpetual contracts (tBTCF0:USTF0)
    suggestion = known_asset_suggestion(asset)
    if suggestion is not None:
        raise reject(field_name, "asset_unknown", example, asset=asset, suggestion=suggestion)
    return asset


def parse_amount(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "1523.40 USDT"
    text = unicodedata.normalize("NFKC", one_line(field_name, value, example)).strip()
    text = re.sub(r"(?<=[A-Za-z])[.。]$", "", text)  # "1523.40 USDT." at the end of a sentence
    parts = text.split()
    if len(parts) == 1:
        match = re.fullmatch(r"([-+]?[0-9.,]+)([A-Za-z][A-Za-z0-9]*)", parts[0]) or re.fullmatch(
            r"([A-Za-z][A-Za-z0-9]*?)([-+]?[0-9.,]+)", parts[0]
        )
        if match is None:
            if re.fullmatch(r"[-+]?[0-9.,]+", parts[0]):
                raise reject(field_name, "amount_asset_missing", example)
            raise reject(field_name, "amount", example)
        first, second = match.groups()
        parts = [first, second]
    if len(parts) != 2:
        raise reject(field_name, "amount", example)
    number, asset_raw = parts
    if re.fullmatch(_ASSET, number) and not re.fullmatch(_ASSET, asset_raw):
        number, asset_raw = asset_raw, number
    if number.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise reject(field_name, "amount_notation", example)
    if number.startswith("-"):
        raise reject(field_name, "amount_negative", example)
    number = number.removeprefix("+")
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+|[0-9]+,[0-9]{1,2}", number):
        # A decimal comma (1.523,40 or 12,5): say how to write it instead of guessing.
        suggestion = number.replace(".", "").replace(",", ".")
        raise reject(field_name, "amount_decimal_comma", example, suggestion=f"{suggestion} {asset_raw.upper()}")
    if re.search(r"[0-9][eE][-+]?[0-9]|nan|inf", number, re.IGNORECASE):
        raise reject(field_name, "amount_notation", example)
    if not re.fullmatch(_NUMBER, number):
        raise reject(field_name, "amount", example)
    if "," in number:
        # Only unambiguous grouping: 1,234.56 or 12,345,678 — never 1,234 (1234 or 1.234?) or 1,5.
        if not re.fullmatch(_GROUPED, number) or ("." not in number and number.count(",") < 2):
            raise reject(field_name, "amount_separator", example)
        number = number.replace(",", "")
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(number)
    except InvalidOperation as exc:
        raise reject(field_name, "amount", example) from exc
    asset = parse_asset(field_name, asset_raw, example)
    digits = format(amount, "f")
    if digits.startswith("."):
        digits = "0" + digits
    return Parsed(f"{digits} {asset}", _ust_note(asset))


# --------------------------------------------------------------------------- trading pairs

_PAIR_SEPARATORS = r"\s*[/:\-_ ]\s*"


def parse_pair(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "BTC/USD"
    text = unicodedata.normalize("NFKC", one_line(field_name, value, example)).strip()
    body = text
    # Bitfinex writes trading pairs with a `t` prefix: tBTCUSD, tTESTBTC:TESTUSD.
    if len(body) > 1 and body[0] == "t" and (body[1].isupper() or len(body) in (7, 9)):
        body = body[1:]
    parts = [p for p in re.split(_PAIR_SEPARATORS, body.upper()) if p]
    if len(parts) == 2:
        base, quote = parts
    elif len(parts) == 1:
        joined = parts[0]
        split = _split_joined_pair(joined)
        if split is None and joined.startswith("T"):
            split = _split_joined_pair(joined[1:])
        if split is None:
            raise reject(field_name, "pair_unsplittable", example, value=joined)
        base, quote = split
    else:
        raise reject(field_name, "pair", example)
    for side in (base, quote):
        if not re.fullmatch(_ASSET, side):
            raise reject(field_name, "pair", example)
    base = parse_asset(field_name, base, example)
    quote = parse_asset(field_name, quote, example)
    if base == quote:
        raise reject(field_name, "pair_same", example)
    return Parsed(f"{base}/{quote}", _ust_note(base, quote))


def _ust_note(*assets: str) -> str:
    """Bitfinex writes Tether USDt as UST (tBTCUST): say so, since elsewhere UST was TerraUSD."""
    return t("fields.said_back.ust") if any(a.removesuffix("F0") == "UST" for a in assets) else ""


def _split_joined_pair(joined: str) -> tuple[str, str] | None:
    if not re.fullmatch(r"[A-Z0-9]{4,20}", joined):
        return None
    known = [(joined[:i], joined[i:]) for i in range(2, len(joined) - 1)
             if joined[:i] in KNOWN_ASSETS and joined[i:] in KNOWN_ASSETS]
    if known:
        return max(known, key=lambda pair: len(pair[1]))  # BTCUSDT -> BTC/USDT, not BTCUS/DT
    if len(joined) == 6:
        return joined[:3], joined[3:]
    return None

"""Amounts with their asset (`1523.40 USDT`) and trading pairs (`tBTCUSD` -> `BTC/USD`).

What the exchange's codes are, how it writes a pair and what to say back about a code come from the
pack (`FieldContext.assets`, see `supportcli.core.assets`), not from here.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from supportcli.core.assets import AssetFacts
from supportcli.core.flows.fields.base import FieldContext, Parsed, one_line, reject
from supportcli.core.i18n import pick

# Patterns are kept as strings: `re` compiles (and caches) them on first use, not at start-up.

# --------------------------------------------------------------------------- amounts

_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+"
_GROUPED = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_ASSET = r"[A-Za-z][A-Za-z0-9]{1,9}"


def known_asset_suggestion(asset: str, facts: AssetFacts) -> str | None:
    from difflib import get_close_matches

    known = sorted(facts.known)
    swapped = [code for code in known if sorted(code) == sorted(asset)]
    if swapped:
        return swapped[0]
    matches = get_close_matches(asset, known, n=1, cutoff=0.75)
    return matches[0] if matches else None


def parse_asset(field_name: str, raw: str, example: str, facts: AssetFacts) -> str:
    asset = raw.upper()
    if not re.fullmatch(_ASSET, asset):
        raise reject(field_name, "asset", example)
    if facts.is_known(asset):
        return asset  # also a perpetual contract on a known asset (BTCF0, USTF0)
    suggestion = known_asset_suggestion(asset, facts)
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
    asset = parse_asset(field_name, asset_raw, example, ctx.assets)
    digits = format(amount, "f")
    if digits.startswith("."):
        digits = "0" + digits
    return Parsed(f"{digits} {asset}", _note(ctx.assets, asset))


# --------------------------------------------------------------------------- trading pairs

_PAIR_SEPARATORS = r"\s*[/:\-_ ]\s*"


def parse_pair(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "BTC/USD"
    text = unicodedata.normalize("NFKC", one_line(field_name, value, example)).strip()
    body = text
    facts = ctx.assets
    prefix = facts.pair_prefix  # the exchange's way of writing a pair: tBTCUSD, tTESTBTC:TESTUSD
    rest = body[len(prefix):]
    if prefix and body.startswith(prefix) and rest and (rest[0].isupper() or len(rest) in (6, 8)):
        body = rest
    parts = [p for p in re.split(_PAIR_SEPARATORS, body.upper()) if p]
    if len(parts) == 2:
        base, quote = parts
    elif len(parts) == 1:
        joined = parts[0]
        split = _split_joined_pair(joined, facts)
        if split is None and prefix and joined.startswith(prefix.upper()):
            split = _split_joined_pair(joined[len(prefix):], facts)
        if split is None:
            raise reject(field_name, "pair_unsplittable", example, value=joined)
        base, quote = split
    else:
        raise reject(field_name, "pair", example)
    for side in (base, quote):
        if not re.fullmatch(_ASSET, side):
            raise reject(field_name, "pair", example)
    base = parse_asset(field_name, base, example, facts)
    quote = parse_asset(field_name, quote, example, facts)
    if base == quote:
        raise reject(field_name, "pair_same", example)
    return Parsed(f"{base}/{quote}", _note(facts, base, quote))


def _note(facts: AssetFacts, *assets: str) -> str:
    """What the pack says back about a code the answer names (Bitfinex: UST is Tether USDt, not TerraUSD)."""
    for asset in assets:
        note = facts.note_for(asset)
        if note:
            return pick(note)
    return ""


def _split_joined_pair(joined: str, facts: AssetFacts) -> tuple[str, str] | None:
    if not re.fullmatch(r"[A-Z0-9]{4,20}", joined):
        return None
    known = [(joined[:i], joined[i:]) for i in range(2, len(joined) - 1)
             if joined[:i] in facts.known and joined[i:] in facts.known]
    if known:
        return max(known, key=lambda pair: len(pair[1]))  # BTCUSDT -> BTC/USDT, not BTCUS/DT
    if len(joined) == 6:
        return joined[:3], joined[3:]
    return None

"""Strict, kind parsers for every question type a flow may ask (see `FIELD_TYPES`).

Each parser takes the raw text a user typed (or a value from an answers file) and returns the
normalised answer (see `supportcli.core.flows.model.AnswerValue`) plus, where useful, a line to say
back to the user ("taken as Asia/Shanghai time …"). Every rejection is an `InputError` naming the
field, saying why and giving an example. The clock and the time zone are passed in: no parser reads
the system clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from supportcli.core.errors import InputError
from supportcli.core.flows.model import FIELD_TYPES, AnswerValue, Choice
from supportcli.core.i18n import Lang, pick, t
from supportcli.core.text import clean

# Patterns are kept as strings: `re` compiles (and caches) them on first use, not at start-up.
# Assets a Bitfinex user is likely to name; others are accepted unless they look like a typo of one.
KNOWN_ASSETS = frozenset({
    "BTC", "ETH", "USDT", "UST", "USDC", "USD", "EUR", "GBP", "JPY", "CNH", "CHF", "LTC", "XRP", "EOS",
    "TRX", "SOL", "DOT", "ADA", "XLM", "XMR", "DOGE", "LEO", "XAUT", "DAI", "BCH", "ETC", "AVAX",
    "MATIC", "POL", "LINK", "UNI", "FIL", "ATOM", "ALGO", "XTZ", "ZEC", "DASH", "NEO", "IOTA", "SHIB",
    "TON", "APT", "NEAR", "ARB", "OP", "AAVE", "COMP", "MKR", "SUSHI", "YFI", "BAT", "OMG", "ZRX",
    "EURT", "MXNT", "CNHT", "TESTBTC", "TESTUSD", "TESTUSDT",
})
MAX_TEXT = 500
MAX_MULTILINE = 5000
MAX_ID_DIGITS = 20
# How far in the future a time may be before it is refused (clock skew between devices).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class FieldContext(NamedTuple):
    """What the parsers need from outside: the current time (aware) and the user's IANA zone."""

    now: dt.datetime
    zone: str = "UTC"
    choices: tuple[Choice, ...] = ()
    allow_date: bool = False  # datetime questions that accept a date alone (e.g. "when did you send it")


class Parsed(NamedTuple):
    value: AnswerValue
    said_back: str = ""  # shown to the user after the answer, e.g. how a time was understood


class Option(NamedTuple):
    value: str  # re-parses without ambiguity
    label: str


class NeedsClarification(InputError):
    """The answer is valid but can mean two things (a DST gap or an ambiguous hour): ask which."""

    def __init__(self, field_name: str, reason: str, options: Sequence[Option], example: str) -> None:
        super().__init__(field_name, reason, "fields.rejected", example=example)
        self.options = tuple(options)


def reject(field_name: str, reason_key: str, example: str, **params: Any) -> InputError:
    """An InputError for `field_name`: the reason (message `fields.why.<reason_key>`) and an example."""
    return InputError(field_name, t(f"fields.why.{reason_key}", **params), "fields.rejected", example=example)


def _as_text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _one_line(field_name: str, value: Any, example: str) -> str:
    text = clean(_as_text(value), multiline=False).strip()
    if not text:
        raise reject(field_name, "empty", example)
    return text


# --------------------------------------------------------------------------- text

def parse_text(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    text = clean(_as_text(value), multiline=False).strip()
    text = re.sub(r"\s{2,}", " ", text)
    if not text:
        raise reject(field_name, "empty", t("fields.example.text"))
    if len(text) > MAX_TEXT:
        raise reject(field_name, "too_long", t("fields.example.text"), limit=MAX_TEXT)
    return Parsed(text)


def parse_multiline(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    lines = [line.rstrip() for line in clean(_as_text(value), multiline=True).split("\n")]
    text = "\n".join(lines).strip("\n").strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text:
        raise reject(field_name, "empty", t("fields.example.multiline"))
    if len(text) > MAX_MULTILINE:
        raise reject(field_name, "too_long", t("fields.example.multiline"), limit=MAX_MULTILINE)
    return Parsed(text)


# --------------------------------------------------------------------------- choice / confirm

def parse_choice(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    options = ctx.choices
    ids = ", ".join(c.id for c in options)
    example = options[0].id if options else "-"
    text = _one_line(field_name, value, example)
    wanted = unicodedata.normalize("NFKC", text).casefold()
    for choice in options:
        if wanted == choice.id.casefold():
            return Parsed(choice.id)
    for choice in options:
        if any(wanted == label.casefold().strip() for label in choice.label.values()):
            return Parsed(choice.id)
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return Parsed(options[int(wanted) - 1].id)
    raise reject(field_name, "choice", example, allowed=ids)


_YES = frozenset({"y", "yes", "true", "是", "是的", "对", "对的", "好", "有", "ok"})
_NO = frozenset({"n", "no", "false", "否", "不", "不是", "不对", "没有", "没"})


def parse_confirm(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    if isinstance(value, bool):
        return Parsed(value)
    text = unicodedata.normalize("NFKC", _one_line(field_name, value, "yes")).casefold().rstrip("。.!！")
    if text in _YES:
        return Parsed(True)
    if text in _NO:
        return Parsed(False)
    raise reject(field_name, "confirm", "yes")


# --------------------------------------------------------------------------- integer ids

def parse_integer_id(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "1234567890"
    if isinstance(value, bool):
        raise reject(field_name, "integer_id", example)
    if isinstance(value, int):
        if value <= 0:
            raise reject(field_name, "integer_id_positive", example)
        if len(str(value)) > MAX_ID_DIGITS:
            raise reject(field_name, "integer_id_long", example, limit=MAX_ID_DIGITS)
        return Parsed(value)
    text = _one_line(field_name, value, example)
    if text.startswith(("#", "＃")):
        text = text[1:].strip()
    # Full-width digits are fine (NFKC makes them ASCII); superscripts, other scripts' digits,
    # letters, signs, spaces and separators are not.
    if not text or not all(ch.isdecimal() for ch in text):
        raise reject(field_name, "integer_id", example)
    ascii_digits = unicodedata.normalize("NFKC", text)
    if not re.fullmatch(r"[0-9]+", ascii_digits):
        raise reject(field_name, "integer_id", example)
    if len(ascii_digits.lstrip("0")) > MAX_ID_DIGITS:
        raise reject(field_name, "integer_id_long", example, limit=MAX_ID_DIGITS)
    number = int(ascii_digits)
    if number <= 0:
        raise reject(field_name, "integer_id_positive", example)
    return Parsed(number)


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
    text = unicodedata.normalize("NFKC", _one_line(field_name, value, example)).strip()
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
    text = unicodedata.normalize("NFKC", _one_line(field_name, value, example)).strip()
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


# --------------------------------------------------------------------------- tx hashes, addresses, email

def parse_txhash(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "0x" + "3f" * 32
    text = unicodedata.normalize("NFKC", _one_line(field_name, value, example))
    if " " in text:
        raise reject(field_name, "txhash", example)
    if re.fullmatch(r"0[xX][0-9a-fA-F]{64}", text):
        return Parsed("0x" + text[2:].lower())
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return Parsed(text.lower())
    if re.fullmatch(r"[1-9A-HJ-NP-Za-km-z]{86,88}", text):
        return Parsed(text)  # a Solana transaction signature (base58, case matters)
    if re.fullmatch(r"(0[xX])?[0-9a-fA-F]+", text):
        hex_part = text[2:] if text[:2].lower() == "0x" else text
        raise reject(field_name, "txhash_length", example, count=len(hex_part))
    raise reject(field_name, "txhash", example)


_BASE58 = r"[1-9A-HJ-NP-Za-km-z]{25,44}"
_BECH32 = r"[a-z]{1,20}1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6,90}"
_EVM = r"0x[0-9a-fA-F]{40}"
_OTHER_ADDRESS = r"[A-Za-z0-9][A-Za-z0-9._:\-]{10,127}"


def parse_address(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    raw = clean(_as_text(value), multiline=False).strip()
    if not raw:
        raise reject(field_name, "empty", example)
    text = unicodedata.normalize("NFKC", raw).rstrip(".。,，")  # pasted at the end of a sentence
    if re.search(r"\s", text):
        raise reject(field_name, "address_space", example)
    lowered = text.lower()
    if "@" in text or "://" in text or lowered.startswith("www."):
        raise reject(field_name, "address_not", example)
    if not text.isascii():
        raise reject(field_name, "address", example)
    if text.startswith(("0x", "0X")):
        if re.fullmatch(_EVM, "0x" + text[2:]):
            return Parsed("0x" + text[2:])
        raise reject(field_name, "address_evm", example)
    if re.fullmatch(_BECH32, lowered) and (text == lowered or text == text.upper()):
        return Parsed(lowered)
    if re.fullmatch(_BASE58, text):
        return Parsed(text)
    if re.fullmatch(_OTHER_ADDRESS, text) and any(c.isdigit() for c in text):
        return Parsed(text)
    raise reject(field_name, "address", example)


_EMAIL = r"[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"


def parse_email(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "me@example.com"
    text = unicodedata.normalize("NFKC", _one_line(field_name, value, example)).rstrip(".。").strip("<>")
    if not re.fullmatch(_EMAIL, text) or ".." in text:
        raise reject(field_name, "email", example)
    local, _, domain = text.rpartition("@")
    return Parsed(f"{local}@{domain.lower()}")


# --------------------------------------------------------------------------- date-times

_DATE = r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<mo>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*[日号]?"
# Dates without a year: 11/20, 11-20, 11月20日 (month first; 20/11 is read as day/month), 20 Nov, Nov 20.
_DATE_NO_YEAR = r"(?P<mo>\d{1,2})\s*(?P<sep>[-/]|月)\s*(?P<d>\d{1,2})\s*[日号]?"
_DATE_DAY_NAME = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*(?P<mon>[A-Za-z]{3,9})\.?,?(?:\s*(?P<y>\d{4})\b)?,?"
_DATE_NAME_DAY = r"(?P<mon>[A-Za-z]{3,9})\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?\b,?(?:\s*(?P<y>\d{4})\b)?,?"
_TIME = (
    r"(?P<ampm_zh>上午|早上|凌晨|中午|下午|晚上)?\s*(?P<h>\d{1,2})\s*(?:[:：点时]\s*(?:(?P<mi>\d{1,2})|(?P<half>半))?\s*分?"
    r"(?:\s*[:：]\s*(?P<s>\d{1,2})(?:\.\d+)?\s*秒?)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
)
# Named zones are checked later: an unknown abbreviation (CST can mean China or Central US) is refused
# with its own reason, not mistaken for a badly written time.
_ZONE = (
    r"(?P<zone>Z|UTC|GMT|北京时间|[+-]\d{1,2}(?::?\d{2})?|(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?"
    r"|[A-Za-z]+/[A-Za-z_/+-]+|[A-Za-z]{3,5})?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)


@functools.cache
def _datetime_patterns() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """The absolute and relative date-time grammars (compiled on first use: start-up stays quick)."""
    absolute = tuple(
        re.compile(rf"^{date}(?:(?:\s*[T ]\s*|\s*)(?:at\s+)?(?:{_TIME}))?\s*{_ZONE}$", re.IGNORECASE)
        for date in (_DATE, _DATE_NO_YEAR, _DATE_DAY_NAME, _DATE_NAME_DAY)
    )
    relative = re.compile(
        rf"^(?P<rel>today|yesterday|今天|昨天|前天|今早|今晚|昨晚|前晚)\s*(?:at\s*)?(?:{_TIME})?\s*{_ZONE}$",
        re.IGNORECASE,
    )
    return absolute, relative


_RELATIVE_DAYS = {
    "today": 0, "yesterday": 1, "今天": 0, "昨天": 1, "前天": 2, "今早": 0, "今晚": 0, "昨晚": 1, "前晚": 2,
}
# "昨晚 9 点" is nine in the evening; "今早 8 点" eight in the morning.
_RELATIVE_PART_OF_DAY = {"今早": "早上", "今晚": "晚上", "昨晚": "晚上", "前晚": "晚上"}


def _month_number(name: str | None) -> int | None:
    """1–12 for an English month name or abbreviation (Nov, Sept, November), else None."""
    if name is None:
        return None
    lowered = name.lower()
    for number, full in enumerate(_MONTH_NAMES, start=1):
        if (len(lowered) >= 3 and full.startswith(lowered)) or (lowered == "sept" and number == 9):
            return number
    return None


def _match_date(text: str) -> re.Match[str] | None:
    absolute, _ = _datetime_patterns()
    for pattern in absolute:
        match = pattern.match(text)
        if match is None:
            continue
        if "mon" in pattern.groupindex and _month_number(match.group("mon")) is None:
            continue
        return match
    return None


def _day_without_year(month: int, day: int, today: dt.date) -> dt.date:
    """This year's date, or last year's when this year's has not come yet (11/20 said in January)."""
    candidate = dt.date(today.year, month, day)
    return candidate if candidate <= today else dt.date(today.year - 1, month, day)


def _absolute_day(field_name: str, m: re.Match[str], today: dt.date, example: str) -> dt.date:
    groups = m.re.groupindex
    year = int(m.group("y")) if "y" in groups and m.group("y") else None
    if "mon" in groups:
        month = _month_number(m.group("mon")) or 0
        day = int(m.group("d"))
    else:
        month, day = int(m.group("mo")), int(m.group("d"))
        if "sep" in groups and m.group("sep") != "月":
            if month > 12 >= day:
                month, day = day, month  # 20/11: day first
            elif day <= 12 and month != day:
                first = f"{today.year}-{month:02d}-{day:02d}"
                second = f"{today.year}-{day:02d}-{month:02d}"
                typed = f"{m.group('mo')}{m.group('sep')}{m.group('d')}"
                raise reject(field_name, "datetime_day_month", example, value=typed, first=first, second=second)
    try:
        if year is None:
            return _day_without_year(month, day, today)
        return dt.date(year, month, day)
    except ValueError as exc:
        raise reject(field_name, "datetime_invalid", example) from exc


def _zone_info(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _explicit_zone(field_name: str, raw: str, example: str) -> tuple[dt.tzinfo, str]:
    text = raw.upper()
    if text in ("Z", "UTC", "GMT"):
        return dt.UTC, "UTC"
    if raw == "北京时间":
        return _zone_info("Asia/Shanghai"), "Asia/Shanghai"
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise reject(field_name, "datetime_zone", example)
        offset = dt.timedelta(hours=hours, minutes=minutes) * sign
        return dt.timezone(offset), _format_offset(offset)
    from supportcli.core.tz import is_valid_zone

    if is_valid_zone(raw):
        return _zone_info(raw), raw
    raise reject(field_name, "datetime_zone", example)


def _format_offset(offset: dt.timedelta | None) -> str:
    total = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _hour_from(
    match: re.Match[str], field_name: str, example: str, part_of_day: str = ""
) -> tuple[int, int, int]:
    if match.group("h") is None:
        raise reject(field_name, "datetime_time_missing", example)
    hour = int(match.group("h"))
    minute = 30 if match.group("half") else int(match.group("mi") or 0)
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    # A part of day implied by the word for the day ("昨晚") does not apply to a 24-hour time ("昨晚 21:00").
    zh = match.group("ampm_zh") or ("" if ampm or hour > 12 else part_of_day)
    if ampm or zh in ("下午", "晚上", "中午"):
        if hour > 12 or (hour == 0 and ampm):
            raise reject(field_name, "datetime_invalid", example)
        if ampm == "pm" or zh in ("下午", "晚上") or (zh == "中午" and hour < 11):
            hour = hour % 12 + 12
        elif ampm == "am" and hour == 12:
            hour = 0
    elif zh in ("凌晨",) and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise reject(field_name, "datetime_invalid", example)
    return hour, minute, second


def _local_candidates(naive: dt.datetime, zone: dt.tzinfo) -> list[dt.datetime]:
    """The distinct real instants a local wall time can mean: one normally, two at a DST change."""
    out: list[dt.datetime] = []
    for fold in (0, 1):
        aware = naive.replace(tzinfo=zone, fold=fold)
        if all(aware.utcoffset() != other.utcoffset() for other in out):
            out.append(aware)
    return out


def _exists(aware: dt.datetime) -> bool:
    back = aware.astimezone(dt.UTC).astimezone(aware.tzinfo)
    return back.replace(tzinfo=None) == aware.replace(tzinfo=None)


def format_moment(aware: dt.datetime, zone: str) -> str:
    """`2026-11-20 14:05 Asia/Shanghai (UTC+08:00) = 2026-11-20 06:05 UTC`."""
    local = aware.astimezone(_zone_info(zone))
    utc = aware.astimezone(dt.UTC)
    if not local.utcoffset() and _zone_label(zone) == "UTC":
        return f"{utc:%Y-%m-%d %H:%M} UTC"
    return (
        f"{local:%Y-%m-%d %H:%M} {zone} ({_format_offset(local.utcoffset())}) = {utc:%Y-%m-%d %H:%M} UTC"
    )


def _zone_label(zone: str) -> str:
    """How a zone is named to the user: "UTC" for its aliases (Etc/UTC, Zulu …), else the IANA name."""
    return "UTC" if zone.upper().removeprefix("ETC/") in ("UTC", "UCT", "GMT", "ZULU", "UNIVERSAL") else zone


def _store(aware: dt.datetime) -> str:
    return aware.isoformat(timespec="seconds" if aware.second else "minutes")


def parse_datetime(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "2026-11-20 14:05"
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = unicodedata.normalize("NFKC", _one_line(field_name, value, example)).strip()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*\(([^()]+)\)$", r" \1", text)  # "14:05 (UTC+8)", "14:05（北京时间）"
    zone_name = ctx.zone
    local_zone = _zone_info(zone_name)
    now_local = ctx.now.astimezone(local_zone)

    now_said = f"{now_local:%Y-%m-%d %H:%M} {_zone_label(zone_name)}"

    _, relative_pattern = _datetime_patterns()
    match = _match_date(text)
    relative = None if match else relative_pattern.match(text)
    if match is None and relative is None:
        raise reject(field_name, "datetime", example)
    m = match or relative
    assert m is not None
    part_of_day = ""
    if relative is not None:
        rel = relative.group("rel").lower()
        day = now_local.date() - dt.timedelta(days=_RELATIVE_DAYS[rel])
        part_of_day = _RELATIVE_PART_OF_DAY.get(rel, "")
    else:
        day = _absolute_day(field_name, m, now_local.date(), example)
    if m.group("h") is None:
        if ctx.allow_date and not m.group("zone"):
            if day > now_local.date():
                raise reject(field_name, "datetime_future", example, now=now_said)
            if day.year < 2009:
                raise reject(field_name, "datetime_old", example)
            return Parsed(day.isoformat())
        raise reject(field_name, "datetime_time_missing", example)
    hour, minute, second = _hour_from(m, field_name, example, part_of_day)
    naive = dt.datetime.combine(day, dt.time(hour, minute, second))

    said_zone = ""
    if m.group("zone"):
        tz, said_zone = _explicit_zone(field_name, m.group("zone"), example)
    else:
        tz = local_zone
    candidates = _local_candidates(naive, tz)
    if len(candidates) > 1:
        gap = not _exists(candidates[0])
        options = [
            Option(
                value=_store(c.astimezone(dt.timezone(c.utcoffset() or dt.timedelta()))),
                label=t(
                    "fields.dst_option", offset=_format_offset(c.utcoffset()),
                    utc=f"{c.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
                ),
            )
            for c in candidates
        ]
        reason = t("fields.why.datetime_gap" if gap else "fields.why.datetime_ambiguous",
                   time=f"{naive:%Y-%m-%d %H:%M}", zone=said_zone or zone_name)
        raise NeedsClarification(field_name, reason, options, example)
    aware = candidates[0]
    if aware > ctx.now + FUTURE_TOLERANCE:
        raise reject(field_name, "datetime_future", example, now=now_said)
    if aware.year < 2009:
        raise reject(field_name, "datetime_old", example)
    if m.group("zone"):
        stored = _store(aware if isinstance(tz, dt.timezone) else aware.astimezone(
            dt.timezone(aware.utcoffset() or dt.timedelta())))
        moment = format_moment(aware, zone_name)
        # The time as typed, then in the user's zone and UTC; once is enough when they are the same.
        if said_zone not in ("UTC", zone_name) and aware.utcoffset() != aware.astimezone(local_zone).utcoffset():
            moment = f"{aware:%Y-%m-%d %H:%M} {said_zone} = {moment}"
        said = t("fields.said_back.datetime_zone", moment=moment)
    else:
        stored = _store(aware.astimezone(dt.timezone(aware.utcoffset() or dt.timedelta())))
        said = t("fields.said_back.datetime_local", zone=_zone_label(zone_name),
                 moment=format_moment(aware, zone_name))
    return Parsed(stored, said)


# --------------------------------------------------------------------------- dispatch

Parser = Callable[[str, Any, FieldContext], Parsed]

PARSERS: dict[str, Parser] = {
    "text": parse_text,
    "multiline": parse_multiline,
    "choice": parse_choice,
    "confirm": parse_confirm,
    "integer_id": parse_integer_id,
    "amount": parse_amount,
    "pair": parse_pair,
    "datetime": parse_datetime,
    "txhash": parse_txhash,
    "address": parse_address,
    "email": parse_email,
}
assert set(PARSERS) == set(FIELD_TYPES)


def parse(field_type: str, field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    """Parse `value` as `field_type` for the question `field_name`; InputError if it is not valid."""
    try:
        parser = PARSERS[field_type]
    except KeyError as exc:
        raise reject(field_name, "unknown_type", "-", kind=field_type) from exc
    return parser(field_name, value, ctx)


def example_for(field_type: str) -> str:
    """A typical valid answer for `field_type` (used in templates and help)."""
    return t(f"fields.example.{field_type}")


def choice_label(choices: tuple[Choice, ...], value: AnswerValue, lang: Lang | None = None) -> str:
    for choice in choices:
        if choice.id == value:
            return pick(choice.label, lang)
    return str(value)


__all__ = [
    "KNOWN_ASSETS", "PARSERS", "FieldContext", "NeedsClarification", "Option", "Parsed", "choice_label",
    "example_for", "format_moment", "parse", "reject",
]

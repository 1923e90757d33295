"""Identifiers and addresses: order and trade ids, transaction hashes, wallet and e-mail addresses."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from supportcli.core.flows.fields.base import MAX_ID_DIGITS, FieldContext, Parsed, as_text, one_line, reject
from supportcli.core.text import clean

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
    text = one_line(field_name, value, example)
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


# --------------------------------------------------------------------------- tx hashes, addresses, email

def parse_txhash(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "0x" + "3f" * 32
    text = unicodedata.normalize("NFKC", one_line(field_name, value, example))
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
    raw = clean(as_text(value), multiline=False).strip()
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


def normalize_email(value: str) -> str | None:
    """An e-mail address as written down (`Me@Example.COM.` -> `Me@example.com`), or None when it is not one.

    The one check of an address: the flows' e-mail question and `config set email` both use it.
    """
    text = unicodedata.normalize("NFKC", clean(value, multiline=False).strip()).rstrip(".。").strip("<>")
    if not re.fullmatch(_EMAIL, text) or ".." in text:
        return None
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def parse_email(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    example = "me@example.com"
    address = normalize_email(one_line(field_name, value, example))
    if address is None:
        raise reject(field_name, "email", example)
    return Parsed(address)

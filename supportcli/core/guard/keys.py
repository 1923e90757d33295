"""Base58Check decoding, for telling private keys from addresses that share the same encoding.

A WIF private key decodes to version byte 0x80 (mainnet) or 0xEF (testnet) followed by 32 key bytes
(and 0x01 when the public key is compressed). A Bitcoin address decodes to version 0x00 or 0x05 and
20 bytes. An extended key (`xprv…`, `xpub…`) decodes to 78 bytes whose first four bytes name it.
"""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WIF_VERSIONS = (0x80, 0xEF)


def b58decode(text: str) -> bytes | None:
    """The bytes `text` encodes, or None if it holds a character outside the alphabet."""
    number = 0
    for ch in text:
        value = _VALUES.get(ch)
        if value is None:
            return None
        number = number * 58 + value
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading = len(text) - len(text.lstrip("1"))
    return b"\x00" * leading + body


def _checksum(payload: bytes) -> bytes:
    import hashlib  # only once a key-shaped value is checked (2 ms at start-up otherwise)

    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def b58check_decode(text: str) -> bytes | None:
    """The payload of a Base58Check string, or None when the checksum does not match."""
    raw = b58decode(text)
    if raw is None or len(raw) < 5:
        return None
    payload, check = raw[:-4], raw[-4:]
    return payload if _checksum(payload) == check else None


def is_wif(text: str) -> bool:
    """A Base58Check private key in Wallet Import Format (not an address)."""
    payload = b58check_decode(text)
    if payload is None or payload[0] not in WIF_VERSIONS:
        return False
    return len(payload) == 33 or (len(payload) == 34 and payload[-1] == 0x01)


def extended_key_valid(text: str) -> bool:
    """An extended key (`xprv…`, `tpub…`, …) whose checksum matches and which holds 78 bytes."""
    payload = b58check_decode(text)
    return payload is not None and len(payload) == 78


def is_base58_64_bytes(text: str) -> bool:
    """64 bytes in plain base58 (no checksum): a Solana key pair as wallets export it, or a signature."""
    raw = b58decode(text)
    return raw is not None and len(raw) == 64

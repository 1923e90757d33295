"""The guard's fast patterns match exactly what the plain ones they are built from match."""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from supportcli.core.guard import secrets
from supportcli.core.guard.patterns import by_first_character

DATA = Path(__file__).parent / "data"
WORDS = [
    "tx", "txid", "txn", "tx-hash", "tx_id", "transaction id", "hash", "hashes", "private key", "priv key", "privkey",
    "secret", "secret key", "secrets", "public key", "public_key", "public-key", "key", "keys", "monkey", "block",
    "sha256", "sha-3", "sha256sum", "checksum", "digest", "signature", "etherscan", "explorer", "deposit",
    "deposited", "withdrawals", "withdrew", "sent", "arrived", "confirmations", "credited", "address", "wallet",
    "地址", "钱包", "私钥", "哈希", "交易 id", "交易号", "区块", "提现", "password", "passwd", "2fa", "one-time",
    "one time", "otp", "authenticator", "验证码", "密码", "口令", " ", "  ", "\n", "a", "x", "1", "-", "_", "：", "。",
]


def _texts() -> list[str]:
    corpus = [c["text"] for name in ("guard_corpus.toml", "guard_corpus_heldout.toml")
              for c in tomllib.loads((DATA / name).read_text(encoding="utf-8"))["secret"]]
    rng = random.Random(16)
    made = ["".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    return [t.lower() for t in corpus + made]


def _matches(pattern: re.Pattern[str], text: str, start: int, end: int,
             name: Callable[[re.Match[str]], str | None]) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), name(m)) for m in pattern.finditer(text, start, end)]


def test_the_context_words_match_what_the_three_word_lists_match() -> None:
    groups = {g: secrets._PATTERNS[f"{g}_words"][0] for g in ("key", "hash", "address")}
    plain = re.compile("|".join(f"(?P<{g}>{source})" for g, source in groups.items()))
    built = by_first_character(groups)
    fast = re.compile(built.source)
    rng = random.Random(10)
    for text in _texts():
        for _ in range(3):  # the detectors search stretches of the text: lookbehinds see before them
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert _matches(fast, text, start, end, built.group) == _matches(
                plain, text, start, end, lambda m: m.lastgroup), text[start:end]


def test_the_hint_words_match_what_their_plain_alternation_matches() -> None:
    hints = sorted({*secrets._TOTP_HINTS, *secrets._CODE_HINTS, *secrets._PASSWORD_HINTS}, key=len, reverse=True)
    plain = re.compile("|".join(re.escape(h) for h in hints))
    fast = secrets._hint_pattern()
    for text in _texts():
        assert [(m.start(), m.group()) for m in fast.finditer(text)] == [
            (m.start(), m.group()) for m in plain.finditer(text)]


def test_order_decides_where_two_words_start_alike() -> None:
    """`secret key` before `secret`, as in the plain alternation: the first that matches wins."""
    built = by_first_character({"a": "secret[ ]key|(?<![a-z])secret(?![a-z])", "b": "sent"})
    fast = re.compile(built.source)
    assert [(m.group(), built.group(m)) for m in fast.finditer("secret key, secret, sent, mysecret")] == [
        ("secret key", "a"), ("secret", "a"), ("sent", "b"),
    ]


@pytest.mark.parametrize("source", [r"[a-z]+", r"(?:a|b)*c", r"\d{6}", r"ab(c)d"])
def test_a_pattern_it_cannot_rewrite_exactly_is_refused(source: str) -> None:
    with pytest.raises(ValueError, match=r"literal|numbering"):
        by_first_character({"g": source})

"""faq search, faq show and verify-contact refuse a secret typed as their input, without echoing it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from supportcli.core.faq.inputs import PHRASE_WORDS, may_hold_secret
from supportcli.core.guard import bip39
from supportcli.core.guard.secrets import blocking, scan_text
from tests.conftest import Runner

PHRASE = "bid physical draft gold trouble enrich measure kingdom orient stadium cradle behave"
CORPUS = Path(__file__).parent / "data" / "guard_corpus.toml"


@pytest.mark.parametrize("argv", [
    ("faq", "search", PHRASE),
    ("faq", "search", "my", "seed", "is", PHRASE, "--json"),
    ("faq", "show", PHRASE),
    ("verify-contact", PHRASE),
    ("--lang", "zh", "faq", "search", PHRASE),
])
def test_a_recovery_phrase_as_input_is_refused_without_echo(cli: Runner, argv: tuple[str, ...]) -> None:
    r = cli(*argv)
    assert r.exit_code == 2, r.output
    assert "stadium" not in r.output and "kingdom" not in r.output
    assert "recovery phrase" in r.stderr or "助记词" in r.stderr
    assert "QUERY" in r.stderr or "ID" in r.stderr or "VALUE" in r.stderr


def test_ordinary_questions_are_not_refused(cli: Runner) -> None:
    assert cli("faq", "search", "my 2fa code is not working").exit_code != 2
    assert cli("faq", "search", "提现没到账").exit_code == 0


def test_the_cheap_pretest_lets_nothing_through_that_the_guard_blocks() -> None:
    assert PHRASE_WORDS == bip39.MIN_WORDS
    with CORPUS.open("rb") as fh:
        cases = tomllib.load(fh)["secret"]
    blocked = [c["text"] for c in cases if blocking(scan_text(c["text"]))]
    assert len(blocked) > 40
    held_out = tomllib.loads((CORPUS.parent / "guard_corpus_heldout.toml").read_text(encoding="utf-8"))
    blocked += [c["text"] for c in held_out.get("secret", []) if blocking(scan_text(c["text"]))]
    missed = [text for text in blocked if not may_hold_secret(text)]
    assert missed == []  # also "登录密\u200b码：Lq82!mzv" and "login zhang88 pw dragonfly" (held-out corpus)
    assert not may_hold_secret("提现没到账") and not may_hold_secret("withdrawal still pending")
    # naming a key without anything key-shaped is searched at once; a password's name is always scanned
    assert not may_hold_secret("API 密钥 leaked") and not may_hold_secret("私钥泄露了怎么办")
    assert may_hold_secret("password reset") and may_hold_secret("2fa code 483920")
    assert may_hold_secret("my totp secret is JBSWY3DPEHPK3PXP")

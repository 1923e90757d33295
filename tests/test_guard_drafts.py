"""The draft-level guard reads the user's words apart from the template's (issue 10)."""

from __future__ import annotations

import itertools

import pytest

from supportcli.core.drafts.model import Draft
from supportcli.core.drafts.service import DraftSecretError, build_draft, guard_draft
from supportcli.core.guard import bip39
from supportcli.core.guard.secrets import check_answer, scan_text
from tests.drafts_fixtures import NOW, abnormal_trade_flow, abnormal_trade_result, bitfinex_pack


def _eleven_words_that_a_heading_completes(heading_word: str) -> str:
    """Eleven wordlist words which, followed by `heading_word`, have a valid BIP39 checksum."""
    index = bip39.wordlists()
    english = [w for w in index.words if w.isascii() and w.isalpha() and "english" in (index.lookup(w) or {})][:400]
    last = (index.lookup(heading_word.lower()) or {})["english"]
    for combo in itertools.combinations(english[::7], 11):
        indexes = [(index.lookup(w) or {})["english"] for w in combo]
        if bip39.checksum_ok([*indexes, last]):
            return " ".join(combo)
    raise AssertionError("no combination found")


def _draft(description: str, *, edited: bool = False) -> Draft:
    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), abnormal_trade_result(description),
                        lang="en", timezone="UTC", sender_name="", sender_email="", now=NOW)
    draft.edited = edited
    return draft


def test_a_heading_word_does_not_complete_the_users_eleven_words() -> None:
    draft = _draft("placeholder")
    heading = next(line for line in draft.ticket_markdown.splitlines() if line.startswith("## What"))
    words = _eleven_words_that_a_heading_completes(heading.split()[1])
    check_answer("description", words, field_type="multiline")  # the answer alone is fine
    draft = _draft(words)
    assert [f.kind for f in scan_text(draft.ticket_markdown)] == ["seed_phrase"]  # the trap is real
    guard_draft(draft)  # and the draft guard is not fooled by it


def test_a_phrase_the_user_typed_is_still_refused_in_the_draft() -> None:
    phrase = "bid physical draft gold trouble enrich measure kingdom orient stadium cradle behave"
    with pytest.raises(DraftSecretError):
        guard_draft(_draft(f"my words: {phrase}"))


def test_an_edited_draft_is_read_as_the_users_text() -> None:
    draft = _draft("placeholder")
    heading = next(line for line in draft.ticket_markdown.splitlines() if line.startswith("## What"))
    words = _eleven_words_that_a_heading_completes(heading.split()[1])
    with pytest.raises(DraftSecretError):
        guard_draft(_draft(words, edited=True))

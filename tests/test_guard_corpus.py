"""The guard corpus: every kind of secret in English and Chinese, the false-positive traps, and every
lookalike form `verify-contact` must see through.

Two parts: `tune` (tests/data/guard_corpus.toml), which detectors are developed against, and
`heldout` (tests/data/guard_corpus_heldout.toml), written first for each class of issue 10 in other
words and never tuned on. Both must pass; `python -m pytest tests/test_guard_corpus.py -k heldout`
gives the held-out result alone.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from supportcli.core.guard.contacts import verify_contact
from supportcli.core.guard.secrets import KINDS, scan_text
from supportcli.core.pack import Manifest, load_pack

DATA = Path(__file__).parent / "data"
CORPUS = tomllib.loads((DATA / "guard_corpus.toml").read_text(encoding="utf-8"))
HELDOUT = tomllib.loads((DATA / "guard_corpus_heldout.toml").read_text(encoding="utf-8"))
SECRETS: list[dict[str, Any]] = CORPUS["secret"]
HELDOUT_SECRETS: list[dict[str, Any]] = HELDOUT["secret"]
CONTACTS: list[dict[str, Any]] = CORPUS["contact"]
ISSUE_10_CLASSES = (
    "numbering", "separators", "format_chars", "traditional_labels", "unseparated_after_label", "pem_mangled",
    "api_far_label", "otpauth_qr", "twofa_app_name", "password_no_is", "trap_2fa_amount", "trap_everyday_words",
    "trap_tx_hash_deposit", "trap_masked_password",
)


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    from supportcli.core.paths import builtin_packs_dir

    return load_pack(builtin_packs_dir() / "bitfinex").manifest


def test_corpus_is_large_and_covers_every_kind_in_both_languages() -> None:
    assert len(SECRETS) + len(CONTACTS) >= 80
    assert len({c["id"] for c in SECRETS + CONTACTS}) == len(SECRETS) + len(CONTACTS)
    by_kind = Counter((kind, c["lang"]) for c in SECRETS for kind in c["expect"])
    for kind in KINDS:
        assert by_kind[(kind, "en")] + by_kind[(kind, "zh")] >= 1, kind
    for kind in ("seed_phrase", "private_key_wif", "hex_private_key", "pem_private_key", "api_key",
                 "totp_secret", "two_factor_code", "password"):
        assert by_kind[(kind, "en")] >= 1 and by_kind[(kind, "zh")] >= 1, kind
    traps = [c for c in SECRETS if not c["expect"]]
    assert len(traps) >= 20


def test_both_parts_cover_every_class_of_issue_10_in_both_languages() -> None:
    ids = [c["id"] for c in SECRETS + HELDOUT_SECRETS + CONTACTS]
    assert len(set(ids)) == len(ids)
    for part in (SECRETS, HELDOUT_SECRETS):
        classes = Counter(c["class"] for c in part if "class" in c)
        for name in ISSUE_10_CLASSES:
            assert classes[name] >= 2, name
    for name in ISSUE_10_CLASSES:
        if name in ("traditional_labels", "unseparated_after_label"):
            continue  # Chinese and Japanese by nature
        cases = [c for c in SECRETS + HELDOUT_SECRETS if c.get("class") == name]
        assert {c["lang"] for c in cases} == {"en", "zh"}, name
    assert not {c["text"] for c in SECRETS} & {c["text"] for c in HELDOUT_SECRETS}


def _check_secret(case: dict[str, Any]) -> None:
    findings = scan_text(case["text"], field_type=case.get("field_type"), field_key=case.get("field_key"))
    assert [f.kind for f in findings] == case["expect"]
    for f in findings:
        assert f.action.value == case["action"]
        assert 0 < f.confidence <= 1
        assert 0 <= f.start < f.end <= len(case["text"])


@pytest.mark.parametrize("case", SECRETS, ids=[f"tune-{c['id']}" for c in SECRETS])
def test_secret_case(case: dict[str, Any]) -> None:
    _check_secret(case)


@pytest.mark.parametrize("case", HELDOUT_SECRETS, ids=[f"heldout-{c['id']}" for c in HELDOUT_SECRETS])
def test_heldout_secret_case(case: dict[str, Any]) -> None:
    _check_secret(case)


@pytest.mark.parametrize("case", CONTACTS, ids=[c["id"] for c in CONTACTS])
def test_contact_case(case: dict[str, Any], manifest: Manifest) -> None:
    result = verify_contact(case["value"], manifest)
    assert (result.kind, result.verdict.value) == (case["kind"], case["verdict"]), result.reasons
    if "lookalike_of" in case:
        assert result.lookalike_of == case["lookalike_of"]
    if result.verdict.value != "lookalike":
        assert result.lookalike_of is None
    assert result.reasons, "every verdict says why"

"""The guard's messages take the exchange's name, URLs and phone-support fact from the pack.

Another pack (another exchange) must never see "Bitfinex" in a warning, a reminder or a reason, and
`[support] phone_support` is checked like every other manifest field.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from supportcli.core.guard.contacts import reminders, verify_contact
from supportcli.core.guard.secrets import scam_warning
from supportcli.core.i18n import set_language
from supportcli.core.pack import Manifest, load_pack
from tests.conftest import Runner

MESSAGES = Path(__file__).resolve().parent.parent / "content" / "messages" / "guard.toml"


def _other_exchange(pack_root: Path, tmp_path: Path, phone: str | None) -> Path:
    """A copy of the pack that speaks for 'Examplex' at examplex.io, with `phone` as its phone fact."""
    copy = tmp_path / "examplex"
    shutil.copytree(pack_root, copy)
    manifest = copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^phone_support.*\n|\[support\.phone_support_note\]\n(?:(?:zh|en) = .*\n)*", "", text)
    assert "phone_support" not in text
    text = text.replace("Bitfinex", "Examplex").replace("bitfinex", "examplex").replace("examplex.com", "examplex.io")
    if phone is not None:
        text = text.replace("reply_window_business_days = 5", f"reply_window_business_days = 5\n{phone}")
    manifest.write_text(text, encoding="utf-8")
    return copy


@pytest.fixture
def examplex(pack_root: Path, tmp_path: Path) -> Manifest:
    return load_pack(_other_exchange(pack_root, tmp_path, None)).manifest


def _strings(node: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in _strings(value, f"{path}.{key}")]
    return [(path, node)] if isinstance(node, str) else []


def test_guard_messages_name_no_exchange_outside_command_examples() -> None:
    messages = tomllib.loads(MESSAGES.read_text(encoding="utf-8"))
    for path, text in _strings(messages):
        if ".epilog." in path:
            continue  # examples of command lines
        assert "bitfinex" not in text.lower(), path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_another_pack_gets_its_own_names_everywhere(examplex: Manifest, lang: str) -> None:
    set_language("zh" if lang == "zh" else "en")
    texts = [scam_warning(examplex), *reminders(examplex)]
    for value in ("examplex-support.io", "https://examplex.io.evil.io/login", "@examplex_help",
                  "http://www.examplex.io", "help@examplex.io", "+1 415 555 0100", "evil.io/examplex"):
        texts.extend(verify_contact(value, examplex).reasons)
    joined = "\n".join(texts)
    assert "Bitfinex" not in joined and "bitfinex" not in joined
    assert "Examplex" in scam_warning(examplex) and "https://support.examplex.io" in scam_warning(examplex)
    assert "https://support.examplex.io" in reminders(examplex)[-1]


def test_phone_fact_comes_from_the_pack(pack_root: Path, tmp_path: Path) -> None:
    bitfinex = load_pack(pack_root).manifest
    assert bitfinex.support.phone_support is False and bitfinex.support.phone_support_sources
    said = " ".join(verify_contact("+1 415 555 0100", bitfinex).reasons)
    # "none was found", never "there is none": no official page says either way
    assert "No official Bitfinex phone support line was found" in said
    assert "phone clients with offers" in said  # the pack's own note

    unknown = load_pack(_other_exchange(pack_root, tmp_path, None)).manifest
    assert unknown.support.phone_support is None
    result = verify_contact("+1 415 555 0100", unknown)
    assert result.verdict.value == "not_official"
    assert "no official phone support line" not in " ".join(result.reasons)
    assert "No phone number is listed as an official Examplex channel" in " ".join(result.reasons)


def test_a_pack_with_phone_support_still_does_not_vouch_for_an_unlisted_number(
    pack_root: Path, tmp_path: Path
) -> None:
    root = _other_exchange(pack_root, tmp_path, 'phone_support = true\nphone_support_sources = ["bfx-help-center"]')
    manifest = load_pack(root).manifest
    assert manifest.support.phone_support is True
    result = verify_contact("tel:+14155550100", manifest)
    assert result.verdict.value == "not_official"
    assert "not listed as an official Examplex channel" in " ".join(result.reasons)


@pytest.mark.parametrize(("lines", "key", "expected"), [
    ('phone_support = "no"\nphone_support_sources = ["bfx-help-center"]', "support.phone_support", "true or false"),
    ("phone_support = false", "support.phone_support_sources", "a non-empty list of source ids"),
    ('phone_support = false\nphone_support_sources = ["no-such-source"]', "support.phone_support_sources[0]",
     "the id of an existing source in sources.toml"),
])
def test_content_check_validates_the_phone_fact(
    cli: Runner, pack_root: Path, tmp_path: Path, lines: str, key: str, expected: str
) -> None:
    root = _other_exchange(pack_root, tmp_path, lines)
    r = cli("content", "check", str(root))
    assert r.exit_code == 1
    problem = next(ln for ln in r.stdout.splitlines() if f": {key}:" in ln)
    assert problem.startswith("examplex/pack.toml:") and expected in problem


def test_content_check_accepts_a_pack_that_says_nothing_about_phones(cli: Runner, pack_root: Path,
                                                                    tmp_path: Path) -> None:
    r = cli("content", "check", str(_other_exchange(pack_root, tmp_path, None)))
    assert ": support.phone_support" not in r.stdout

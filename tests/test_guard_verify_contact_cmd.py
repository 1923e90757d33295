"""`supportcli verify-contact`: verdict, what it imitates, the real channels and the reminders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from supportcli.core.pack import is_bare_domain_or_https_url
from tests.conftest import Runner

REMINDER_EN = "never send you the first direct message"


def test_official_site_exits_zero_with_reminders(cli: Runner) -> None:
    r = cli("verify-contact", "https://www.bitfinex.com/login")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("https://www.bitfinex.com/login: OFFICIAL")
    assert REMINDER_EN in r.stdout and "can be spoofed" in r.stdout


def test_lookalike_names_what_it_imitates_and_the_real_channels(cli: Runner) -> None:
    r = cli("verify-contact", "https://bitfinex.com.help-desk.io/login")
    assert r.exit_code == 1
    assert "LOOKALIKE" in r.stdout and "It imitates: bitfinex.com" in r.stdout
    assert "help-desk.io" in r.stdout
    assert "https://support.bitfinex.com" in r.stdout and "support@bitfinex.com" in r.stdout
    assert REMINDER_EN in r.stdout


def test_phone_numbers_are_never_official(cli: Runner) -> None:
    r = cli("verify-contact", "+1 415 555 0100")
    assert r.exit_code == 1
    assert "NOT OFFICIAL" in r.stdout and "No official Bitfinex phone support line was found" in r.stdout


def test_json_keys(cli: Runner) -> None:
    r = cli("verify-contact", "@Bitfinex_Support_Help", "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert list(data) == ["value", "kind", "verdict", "lookalike_of", "reasons", "official_channels", "reminders"]
    assert (data["kind"], data["verdict"], data["lookalike_of"]) == ("handle", "lookalike", "@bitfinex")
    assert {"id": "website", "kind": "website", "value": "https://www.bitfinex.com",
            "confidence": "official"} in data["official_channels"]
    assert all(set(c) == {"id", "kind", "value", "confidence"} for c in data["official_channels"])
    assert "telegram" not in [c["id"] for c in data["official_channels"]]  # unconfirmed, not official
    assert len(data["reminders"]) == 4


def test_chinese_output(cli: Runner) -> None:
    r = cli("--lang", "zh", "verify-contact", "bіtfinex.com")
    assert r.exit_code == 1
    assert "仿冒" in r.stdout and "外形相似的字符" in r.stdout and "CYRILLIC" in r.stdout
    assert "从不主动给你发私信" in r.stdout
    r = cli("--lang", "zh", "verify-contact", "support@bitfinex.com")
    assert r.exit_code == 0 and "官方渠道" in r.stdout and "可以伪造" in r.stdout


@pytest.mark.parametrize("value", ["hello", "not a domain.com", "   ", "12"])
def test_unparseable_input_is_exit_two_naming_the_field(cli: Runner, value: str) -> None:
    r = cli("verify-contact", value)
    assert r.exit_code == 2
    assert "value" in r.stderr
    assert "Traceback" not in r.output


def test_output_is_cleaned_of_terminal_escapes(cli: Runner) -> None:
    r = cli("verify-contact", "bitfinex\x1b[2J-support.com")
    assert "\x1b" not in r.output


def test_channels_come_from_the_pack(cli: Runner, tmp_path: Path, pack_root: Path) -> None:
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    manifest = copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    listed = text.replace('value = "https://t.me/bitfinex"\nofficial = false',
                          'value = "https://t.me/bitfinex"\nofficial = true')
    assert listed != text
    manifest.write_text(listed, encoding="utf-8")
    assert cli("verify-contact", "t.me/bitfinex").exit_code == 1
    # listed as Bitfinex's own, but the pack is unsure of it: not OFFICIAL
    r = cli("--pack", str(copy), "verify-contact", "t.me/bitfinex", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["verdict"] == "unconfirmed"
    confirmed = listed.replace('verified = 2026-12-01\nconfidence = "unconfirmed"',
                               'verified = 2026-12-01\nconfidence = "official"')
    assert confirmed != listed
    manifest.write_text(confirmed, encoding="utf-8")
    r = cli("--pack", str(copy), "verify-contact", "t.me/bitfinex", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["verdict"] == "official"


@pytest.mark.parametrize("entry", [
    "https://bitfinex.com@evil.io", "http://www.bitfinex.com", "www.bitfinex.com/login", "ftp://bitfinex.com",
    "bitfinex", "https://bitfinex.com:8443", "https://BITFINEX.COM",
])
def test_allowlist_entry_must_be_bare_domain_or_https_url(
    cli: Runner, tmp_path: Path, pack_root: Path, entry: str
) -> None:
    assert not is_bare_domain_or_https_url(entry)
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    manifest = copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('value = "https://report.bitfinex.com"', f'value = "{entry}"'), encoding="utf-8")
    r = cli("content", "check", str(copy))
    assert r.exit_code == 1
    assert "channels[4].value: a bare domain (example.com) or an https:// URL" in r.stdout


def test_good_allowlist_entries() -> None:
    for entry in ("bitfinex.com", "https://www.bitfinex.com", "https://support.bitfinex.com/hc/en-us"):
        assert is_bare_domain_or_https_url(entry)


def test_every_reason_and_message_the_guard_uses_exists_in_both_languages() -> None:
    """A missing message would show its key (`guard.contact.reason.x`) to the user instead of a sentence."""
    import re

    from supportcli.core.i18n import lookup

    root = Path(__file__).resolve().parent.parent / "supportcli"
    sources = [root / "core" / "guard" / "contacts.py", root / "core" / "guard" / "secrets.py",
               root / "commands" / "scan_cmd.py", root / "commands" / "verify_contact_cmd.py"]
    keys = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        keys |= {f"guard.contact.reason.{k}" for k in re.findall(r'j\.add\("(\w+)"', text)}
        keys |= set(re.findall(r'"(guard\.[a-z_.]+[a-z_])"', text))
    assert len(keys) > 40
    for key in sorted(keys):
        for lang in ("en", "zh"):
            assert lookup(key, lang), (key, lang)


@pytest.mark.parametrize("value", ["file:///etc/passwd", "javascript:alert(1)"])
def test_unreadable_value_is_quoted_whole(cli: Runner, value: str) -> None:
    r = cli("verify-contact", value)
    assert r.exit_code == 2
    assert f"'{value}'" in r.stderr


@pytest.mark.parametrize("value", ["@bіtfinex_support", "bіtfinex-support.com"])
def test_a_disguised_letter_is_named_even_when_words_are_added(cli: Runner, value: str) -> None:
    r = cli("verify-contact", value, "--json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1 and data["verdict"] == "lookalike"
    assert any("look-alike characters" in reason and "CYRILLIC" in reason for reason in data["reasons"])


def test_a_channel_only_third_parties_vouch_for_is_not_official(cli: Runner) -> None:
    r = cli("verify-contact", "x.com/bitfinex", "--json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1 and data["verdict"] == "unconfirmed"
    said = " ".join(data["reasons"])
    assert "No official page confirms this channel" in said
    assert "X (Twitter) @bitfinex, cited by many third-party sites" in said  # the source, by its title
    r = cli("verify-contact", "@bitfinex")
    assert r.exit_code == 1 and r.stdout.startswith("@bitfinex: NOT CONFIRMED")
    use_instead = next(line for line in r.stdout.splitlines() if line.startswith("Use instead:"))
    assert "https://support.bitfinex.com" in use_instead and "x.com/bitfinex" not in use_instead
    r = cli("--lang", "zh", "verify-contact", "https://x.com/bitfinex")
    assert r.exit_code == 1 and "未经官方证实" in r.stdout and "第三方" in r.stdout
    r = cli("verify-contact", "https://support.bitfinex.com", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["verdict"] == "official"
    assert not any("third-party" in reason for reason in json.loads(r.stdout)["reasons"])


@pytest.mark.parametrize("value", ["https://bitfinex-support.com", "https://www.bitfinex.com/login", "+1 415 555 0100"])
def test_the_verdict_comes_first_and_the_common_case_is_short(cli: Runner, value: str) -> None:
    r = cli("verify-contact", value)
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"{value}: ")
    assert len(lines) <= 8
    assert "--verbose" in lines[-1]
    full = cli("verify-contact", value, "--verbose").stdout
    assert "Remember:" in full and "can be spoofed" in full
    assert "Reports tool" in full  # every official channel, by name
    assert len(full.splitlines()) > len(lines)
    assert "--verbose" not in cli("-q", "verify-contact", value).stdout

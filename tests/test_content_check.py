"""`supportcli content check`: valid for the shipped pack; file:line: key: expected for a broken copy."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from supportcli.core.pack import is_bare_domain_or_https_url
from tests.conftest import Runner


@pytest.fixture
def broken_copy(tmp_path: Path, pack_root: Path) -> Path:
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    return copy


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_shipped_pack_is_valid(cli: Runner) -> None:
    r = cli("content", "check")
    assert r.exit_code == 0, r.output
    assert "is valid" in r.stdout


def test_broken_manifest_names_file_line_and_key(cli: Runner, broken_copy: Path) -> None:
    manifest = broken_copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('value = "https://support.bitfinex.com"', 'value = "http://support.bitfinex.com"', 1)
    text = text.replace('confidence = "third-party"', 'confidence = "maybe"', 1)
    text = text.replace('version = "1.0.0"', 'version = "one"')
    manifest.write_text(text, encoding="utf-8")
    r = cli("content", "check", str(broken_copy))
    assert r.exit_code == 1
    lines = r.stdout.strip().splitlines()
    assert f"bitfinex/pack.toml:{_line_of(manifest, 'version = ')}: version: a version such as 1.0.0" in lines
    assert (
        f"bitfinex/pack.toml:{_line_of(manifest, 'http://support')}: channels[1].value: "
        "a bare domain (example.com) or an https:// URL"
    ) in lines
    maybe = _line_of(manifest, "maybe")
    assert any(re.match(rf"bitfinex/pack.toml:{maybe}: channels\[\d\]\.confidence: one of", ln) for ln in lines)
    assert "3 problems" in r.stderr


def test_syntax_error_names_the_line(cli: Runner, broken_copy: Path) -> None:
    manifest = broken_copy / "pack.toml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "broken = = 1")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("content", "check", str(broken_copy))
    assert r.exit_code == 1
    assert r.stdout.startswith("bitfinex/pack.toml:5: (syntax): valid TOML")


def test_broken_pack_at_run_time_is_one_clear_message(cli: Runner, broken_copy: Path) -> None:
    manifest = broken_copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8").replace('id = "bitfinex"', 'id = "Bit Finex"')
    manifest.write_text(text, encoding="utf-8")
    r = cli("--pack", str(broken_copy), "content", "list")
    assert r.exit_code == 0  # listing survives a broken pack
    r = cli("--pack", str(broken_copy), "verify-contact", "bitfinex.com")
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert "bitfinex/pack.toml:" in r.stderr
    assert ": id: " in r.stderr


def test_check_json(cli: Runner, broken_copy: Path) -> None:
    manifest = broken_copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8").replace('email = "support@bitfinex.com"', 'email = "nope"')
    manifest.write_text(text, encoding="utf-8")
    data = json.loads(cli("content", "check", str(broken_copy), "--json").stdout)
    assert data["valid"] is False
    assert data["problems"][0]["key"] == "support.email"
    assert data["problems"][0]["line"] == _line_of(manifest, 'email = "nope"')


def test_content_paths_config_adds_packs(cli: Runner, broken_copy: Path, tmp_path: Path) -> None:
    extra = tmp_path / "packs"
    extra.mkdir()
    shutil.copytree(broken_copy, extra / "otherex")
    manifest = extra / "otherex" / "pack.toml"
    text = manifest.read_text(encoding="utf-8").replace('id = "bitfinex"', 'id = "otherex"')
    manifest.write_text(text, encoding="utf-8")
    assert cli("config", "set", "content_paths", str(extra)).exit_code == 0
    data = json.loads(cli("content", "list", "--json").stdout)
    assert {row["id"] for row in data} == {"bitfinex", "otherex"}
    assert cli("config", "set", "pack", "otherex").exit_code == 0
    r = cli("content", "check")
    assert r.exit_code == 0, r.output
    assert "otherex" in r.stdout


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("bitfinex.com", True),
        ("https://www.bitfinex.com", True),
        ("https://support.bitfinex.com/hc/en-us", True),
        ("http://bitfinex.com", False),
        ("https://bitfinex.com@evil.io", False),
        ("*.bitfinex.com", False),
        ("bitfinex", False),
        ("ftp://bitfinex.com", False),
        ("BITFINEX.COM", False),
    ],
)
def test_allowlist_entries_must_be_bare_domains_or_https(value: str, ok: bool) -> None:
    assert is_bare_domain_or_https_url(value) is ok


def test_checking_a_folder_that_does_not_exist_is_bad_input(cli: Runner, tmp_path: Path) -> None:
    r = cli("content", "check", str(tmp_path / "nope"))
    assert r.exit_code == 2
    assert "PATH" in r.stderr
    assert "nope" in r.stderr


def test_the_assets_section_is_checked(cli: Runner, broken_copy: Path) -> None:
    manifest = broken_copy / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('"EURT", "MXNT"', '"eurt", "MXNT"', 1)
    text = text.replace('pair_prefix = "t"', 'pair_prefix = "t"\nlot_size = 1', 1)
    text = text.replace('zh = "UST 是 Bitfinex 对泰达币 USDt 的写法（如 tBTCUST）。"\n', "", 1)
    manifest.write_text(text, encoding="utf-8")
    r = cli("content", "check", str(broken_copy), "--json")
    assert r.exit_code == 1
    problems = {p["key"]: p for p in json.loads(r.stdout)["problems"]}
    assert any(key.startswith("assets.known") for key in problems)
    assert "assets.lot_size" in problems
    assert "assets.notes.UST" in problems or "assets.notes.UST.zh" in problems
    lines = {p["line"] for p in problems.values()}
    assert _line_of(manifest, "lot_size") in lines


def test_answer_keys_the_code_relies_on_are_checked(cli: Runner, broken_copy: Path) -> None:
    """`subject`/`tried`/`category`/`case_id` for the drafts, the escalate flow's pre-filled answers."""
    escalate = broken_copy / "flows" / "escalate.toml"
    escalate.write_text(escalate.read_text(encoding="utf-8").replace('id = "no_reply"', 'id = "no_answer"', 1),
                        encoding="utf-8")
    general = broken_copy / "flows" / "general.toml"
    text = general.read_text(encoding="utf-8")
    general.write_text(text.replace('id = "subject"\ntype = "text"', 'id = "subject"\ntype = "multiline"'),
                       encoding="utf-8")
    r = cli("content", "check", str(broken_copy), "--json")
    assert r.exit_code == 1
    problems = json.loads(r.stdout)["problems"]
    by_file = {(Path(p["file"]).name, p["key"]): p for p in problems}
    reason = by_file[("escalate.toml", "steps[1].choices")]
    assert "no_reply" in reason["expected"]
    assert _line_of(escalate, 'id = "reason"') - 2 <= reason["line"] <= _line_of(escalate, 'id = "no_answer"')
    subject = by_file[("general.toml", "steps[2].type")]
    assert "text" in subject["expected"]
    assert subject["line"] == _line_of(general, 'type = "multiline"')
    r = cli("--lang", "zh", "content", "check", str(broken_copy))
    assert "no_reply" in r.stdout

"""Sources live once, in `sources.toml`; `content check` fails (file:line: key) on every broken citation.

Each test breaks a copy of the shipped pack in one way and reads what `content check` says.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from supportcli.core.pack import load_pack
from tests.conftest import Runner


@pytest.fixture
def pack_copy(tmp_path: Path, pack_root: Path) -> Path:
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _problems(cli: Runner, root: Path) -> list[str]:
    r = cli("content", "check", str(root))
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    return r.stdout.splitlines()


def test_the_shipped_pack_cites_only_sources_it_has(pack_root: Path) -> None:
    pack = load_pack(pack_root)
    sources = pack.sources
    assert len(sources.by_id) >= 30
    for channel in pack.manifest.channels:
        assert channel.sources and all(sources.get(i) for i in channel.sources), channel.id
    confidence = {c.id: c.confidence for c in pack.manifest.channels}
    assert confidence["x"] == "third-party" and confidence["website"] == "official"


def test_an_unknown_source_id_names_file_line_and_key(cli: Runner, pack_copy: Path) -> None:
    entry = pack_copy / "faq" / "withdraw.toml"
    _edit(entry, 'sources = ["bfx-internal-transfer",', 'sources = ["bfx-no-such-page",')
    expected = (f"bitfinex/faq/withdraw.toml:{_line(entry, 'bfx-no-such-page')}: sources[0]: "
                "the id of an existing source in sources.toml ('bfx-no-such-page' does not exist)")
    assert expected in _problems(cli, pack_copy)


def test_an_entry_without_sources_is_refused(cli: Runner, pack_copy: Path) -> None:
    entry = pack_copy / "faq" / "fees.toml"
    _edit(entry, 'sources = ["bfx-internal-transfer", "bfx-verification-levels", "bfx-report"]\n', "")
    assert "bitfinex/faq/fees.toml:1: sources: a non-empty list of source ids from sources.toml" \
        in _problems(cli, pack_copy)


def test_citing_an_unconfirmed_source_needs_the_words_in_every_language(cli: Runner, pack_copy: Path) -> None:
    # account-locked cites an unconfirmed source; its Chinese text says 未经官方证实. Take the words out.
    entry = pack_copy / "faq" / "account-locked.toml"
    _edit(entry, "下面几种只是常见情况，未经官方证实：", "常见的情况有：")
    found = _problems(cli, pack_copy)
    body_zh = _line(entry, 'zh = """')
    expected = (f"bitfinex/faq/account-locked.toml:{body_zh}: body.zh: text that says the fact is not confirmed, "
                "because it cites 'no-lock-reasons-page' (unconfirmed): use one of 未经官方证实")
    assert any(ln.startswith(expected) for ln in found), found
    assert not any(ln.startswith("bitfinex/faq/account-locked.toml") and "body.en" in ln for ln in found)


def test_a_third_party_fact_stated_as_certain_is_refused(cli: Runner, pack_copy: Path) -> None:
    # Citing a press report in an entry that never says "press report" (or "unconfirmed") states a
    # third-party fact as certain.
    entry = pack_copy / "faq" / "help-docs.toml"
    _edit(entry, 'sources = ["bfx-help-center"]', 'sources = ["bfx-help-center", "press-2017-no-calls"]')
    found = _problems(cli, pack_copy)
    for lang in ("zh", "en"):
        assert any("help-docs.toml" in ln and f": body.{lang}: " in ln and "'press-2017-no-calls' (third-party)" in ln
                   for ln in found), (lang, found)


def test_a_verified_date_older_than_its_source_is_refused(cli: Runner, pack_copy: Path) -> None:
    entry = pack_copy / "faq" / "help-docs.toml"
    _edit(entry, "verified = 2026-12-01", "verified = 2026-11-30")
    expected = (f"bitfinex/faq/help-docs.toml:{_line(entry, 'verified =')}: verified: a date on or after "
                "2026-12-01, when the source 'bfx-help-center' was last checked (read the text against it again)")
    assert expected in _problems(cli, pack_copy)


def test_an_entry_missing_a_language_is_refused(cli: Runner, pack_copy: Path) -> None:
    entry = pack_copy / "faq" / "fees.toml"
    _edit(entry, 'en = "What are the fees? Is there a minimum withdrawal?"\n', "")
    assert f"bitfinex/faq/fees.toml:{_line(entry, '[title]')}: title.en: non-empty text in 'en'" \
        in _problems(cli, pack_copy)


def test_english_phrases_in_chinese_text_are_refused(cli: Runner, pack_copy: Path) -> None:
    entry = pack_copy / "faq" / "help-docs.toml"
    _edit(entry, "帮助中心 https://support.bitfinex.com 是官方知识库",
          "帮助中心 https://support.bitfinex.com 是 the official knowledge base")
    found = _problems(cli, pack_copy)
    assert any(re.match(r"bitfinex/faq/help-docs\.toml:\d+: body\.zh: text in 'zh' only \('the official knowledge",
                        ln) for ln in found), found


def test_a_flow_step_and_a_template_cite_sources_that_exist(cli: Runner, pack_copy: Path) -> None:
    flow = pack_copy / "flows" / "withdrawal-delayed.toml"
    _edit(flow, 'sources = ["bfx-withdrawal-hold", "bfx-verification-levels"]', 'sources = ["bfx-hold-page"]')
    template = pack_copy / "templates" / "password-reset.toml"
    _edit(template, 'sources = ["bfx-withdrawal-hold"]', 'sources = ["guide-zh"]')
    found = _problems(cli, pack_copy)
    assert any(ln.startswith(f"bitfinex/flows/withdrawal-delayed.toml:{_line(flow, 'bfx-hold-page')}: steps[")
               and "sources[0]: the id of an existing source" in ln for ln in found), found
    # the lift-hold request is the user's voice: it cannot carry "an unofficial guide says"
    assert any(ln.startswith("bitfinex/templates/password-reset.toml:") and ": summary.en: " in ln
               and "'guide-zh' (third-party)" in ln for ln in found), found


def test_a_channel_cannot_be_surer_than_its_sources(cli: Runner, pack_copy: Path) -> None:
    manifest = pack_copy / "pack.toml"
    _edit(manifest, 'sources = ["x-widely-cited", "bfx-phishing"]\nverified = 2026-12-01\nconfidence = "third-party"',
          'sources = ["x-widely-cited"]\nverified = 2026-12-01\nconfidence = "official"')
    found = _problems(cli, pack_copy)
    line = _line(manifest, 'sources = ["x-widely-cited"]') + 2
    assert f"bitfinex/pack.toml:{line}: channels[6].confidence: a confidence no higher than that of its sources " \
        "('third-party')" in found


def test_a_third_party_channel_says_so_in_its_label(cli: Runner, pack_copy: Path) -> None:
    manifest = pack_copy / "pack.toml"
    _edit(manifest, 'label.zh = "X（Twitter）@bitfinex（第三方网站普遍这样列出，未经官方证实）"',
          'label.zh = "X（Twitter）@bitfinex"')
    found = _problems(cli, pack_copy)
    line = _line(manifest, 'label.zh = "X（Twitter）@bitfinex"')
    assert any(ln.startswith(f"bitfinex/pack.toml:{line}: channels[6].label.zh: text that says the fact is not "
                             "confirmed") for ln in found), found


def test_a_broken_sources_file_names_file_line_and_key(cli: Runner, pack_copy: Path) -> None:
    sources = pack_copy / "sources.toml"
    _edit(sources, 'id = "bfx-api-py"', 'id = "bfx-help-center"')
    _edit(sources, 'confidence = "third-party"', 'confidence = "likely"')
    _edit(sources, 'url = "https://www.bitfinex.com/posts"', 'url = "http://www.bitfinex.com/posts"')
    found = _problems(cli, pack_copy)
    assert f"bitfinex/sources.toml:{_line(sources, 'likely')}: sources[5].confidence: " \
        "one of: official, third-party, unconfirmed" in found
    assert f"bitfinex/sources.toml:{_line(sources, 'http://www')}: sources[2].url: an https:// URL" in found
    assert any(ln.startswith("bitfinex/sources.toml:") and "sources[1].id: a unique id ('bfx-help-center'" in ln
               for ln in found), found


def test_a_pack_without_sources_file_says_so_and_commands_that_show_sources_stop(
    cli: Runner, pack_copy: Path
) -> None:
    (pack_copy / "sources.toml").unlink()
    missing = "bitfinex/sources.toml:1: (file): a sources.toml file listing the pack's sources"
    assert missing in _problems(cli, pack_copy)
    for command in (("verify-contact", "x.com/bitfinex"), ("faq", "show", "withdraw")):
        r = cli("--pack", str(pack_copy), *command)
        assert r.exit_code == 1 and "sources.toml" in r.stderr and "Traceback" not in r.output, command

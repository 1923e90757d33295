"""The pack's synonyms.toml: what a user notices (words of a group find each other) and what
`content check` says about a broken file (file:line: key: expected)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from supportcli.core.faq.synonyms import SynonymTable
from supportcli.core.faq.tokens import analyze
from tests.conftest import Runner


@pytest.fixture
def copy(tmp_path: Path, pack_root: Path) -> Path:
    target = tmp_path / "bitfinex"
    shutil.copytree(pack_root, target)
    return target


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("query", "entry"), [
    ("got liquidated", "liquidation"),
    ("爆仓了", "liquidation"),
    ("纸飞机上能找客服吗", "social-media-support"),
    ("lost my google authenticator", "lost-2fa-device"),
])
def test_a_word_finds_the_entry_that_uses_its_synonym(cli: Runner, query: str, entry: str) -> None:
    data = json.loads(cli("faq", "search", query, "--json").stdout)
    assert data and data[0]["id"] == entry, data


def test_without_the_file_the_synonym_is_not_found(cli: Runner, copy: Path) -> None:
    assert json.loads(cli("--pack", str(copy), "faq", "search", "纸飞机", "--json").stdout)[0]["confident"]
    (copy / "synonyms.toml").unlink()
    r = cli("--pack", str(copy), "faq", "search", "纸飞机", "--json")
    assert r.exit_code == 1 and not any(d["confident"] for d in json.loads(r.stdout))
    # The file is optional, but the example questions lean on it ("提币好慢" is backed by "late"):
    # without it, content check names each example question whose words the entries do not hold.
    checked = cli("--pack", str(copy), "content", "check")
    assert checked.exit_code == 1
    problems = checked.stdout.splitlines()
    assert problems and all(": questions." in line and "example question" in line for line in problems), problems


def test_content_check_names_file_line_and_key_of_a_broken_group(cli: Runner, copy: Path) -> None:
    path = copy / "synonyms.toml"
    shipped = path.read_text(encoding="utf-8").count("\n[[group]]")
    path.write_text(path.read_text(encoding="utf-8") + (
        '\n[[group]]\nzh = ["dm"]\nen = ["direct message again"]\n'  # English under zh
        '\n[[group]]\nzh = ["私信"]\nen = ["whisper"]\n'  # 私信 is already in the first group
        '\n[[group]]\nen = ["how"]\n'  # one expression, and only a function word
        '\n[[group]]\nfr = ["bonjour"]\nen = ["hello there"]\n'
    ), encoding="utf-8")
    r = cli("--pack", str(copy), "content", "check")
    assert r.exit_code == 1
    lines = r.output.splitlines()

    def problem(needle: str, key: str) -> str:
        return next(line for line in lines if f"synonyms.toml:{_line_of(path, needle)}: {key}" in line)

    assert "(zh)" in problem('zh = ["dm"]', f"group[{shipped}].zh[0]")
    assert "group 1" in problem('zh = ["私信"]', f"group[{shipped + 1}].zh[0]")
    assert any(f"group[{shipped + 2}]: " in line and "at least two" in line for line in lines)
    assert problem('fr = ["bonjour"]', f"group[{shipped + 3}].fr")


def test_a_broken_synonyms_file_stops_search_with_one_clear_message(cli: Runner, copy: Path) -> None:
    (copy / "synonyms.toml").write_text("[[group]]\nzh = 3\n", encoding="utf-8")
    r = cli("--pack", str(copy), "faq", "search", "deposit")
    assert r.exit_code == 1 and "synonyms.toml:2" in r.stderr and "Traceback" not in r.output


def _table() -> SynonymTable:
    return SynonymTable.build([
        {"zh": ["网络", "链"], "en": ["network", "chain"], "narrower.en": ["trc20", "arbitrum"],
         "narrower.zh": ["波场"]},
        {"zh": ["瑞波币"], "en": ["xrp", "ripple"]},
        {"zh": ["账号被封", "账户冻结"], "en": ["account locked"]},
    ], assets=["XRP"])


def test_a_named_network_brings_network_along_but_not_the_other_networks() -> None:
    trc20 = analyze("trc20", _table())[0]
    assert ("network",) in trc20.synonyms and ("chain",) in trc20.synonyms
    assert ("arbitrum",) not in trc20.synonyms  # trc20 is not arbitrum
    network = analyze("network", _table())[0]
    assert ("trc20",) not in network.synonyms  # a network is not necessarily trc20
    assert ("网络",) in analyze("波场", _table())[0].synonyms


def test_a_coin_named_by_its_name_is_context_like_its_code() -> None:
    assert all(c.context for text in ("ripple", "瑞波币", "xrp") for c in analyze(text, _table()))
    assert not analyze("network", _table())[0].context


def test_chinese_passive_is_optional_in_an_expression() -> None:
    for text in ("账号封了", "账户被冻结了"):
        concepts = analyze(text, _table())
        assert ("account", "lock") in concepts[0].synonyms, (text, concepts)


@pytest.mark.parametrize(("query", "entry"), [
    ("stellar lumens deposited, memo left empty", "missing-memo"),
    ("充钱以后一直没到", "deposit"),
    ("打了300u进来还没显示", "deposit"),
    ("can i wire euros to bitfinex", "fiat-wire"),
])
def test_classes_of_words_find_their_entry(cli: Runner, query: str, entry: str) -> None:
    data = json.loads(cli("faq", "search", query, "--json").stdout)
    assert data and data[0]["id"] == entry, data


def test_content_check_names_a_narrower_expression_in_the_wrong_language(cli: Runner, copy: Path) -> None:
    path = copy / "synonyms.toml"
    shipped = path.read_text(encoding="utf-8").count("\n[[group]]")
    path.write_text(path.read_text(encoding="utf-8") + (
        '\n[[group]]\nzh = ["测试网"]\nen = ["testnet"]\nnarrower.zh = ["sepolia"]\nnarrower.fr = ["x"]\n'
    ), encoding="utf-8")
    r = cli("--pack", str(copy), "content", "check")
    assert r.exit_code == 1
    line = _line_of(path, 'narrower.zh = ["sepolia"]')
    where = f"synonyms.toml:{line}: group[{shipped}].narrower.zh[0]"
    assert any(where in x and "(zh)" in x for x in r.output.splitlines()), r.output
    assert f"group[{shipped}].narrower.fr" in r.output

"""The pack's asked questions (asked.toml): how they move the right entry up, make a question the pack cannot
answer less confident, are checked by `content check`, and stay apart from the final held-out parts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from supportcli.core.faq.asked import MAX_FEATURES, NOTHING, AskedIndex, features
from supportcli.core.faq.asked_file import ASKED_FILE, read_asked
from supportcli.core.faq.evaluation import CALIBRATION_SETS, FINAL_SETS, load_queries, set_file
from supportcli.core.faq.search import Faq
from supportcli.core.pack import load_pack
from tests.conftest import Runner

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


@pytest.fixture
def pack_copy(tmp_path: Path, pack_root: Path) -> Path:
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    return copy


def _write(pack: Path, *items: tuple[str, str]) -> None:
    lines = []
    for q, answer in items:
        lines += ["[[asked]]", f"q = {json.dumps(q, ensure_ascii=False)}", f'id = "{answer}"', 'from = "test"', ""]
    (pack / ASKED_FILE).write_text("\n".join(lines), encoding="utf-8")


def _top(cli: Runner, pack: Path, query: str) -> tuple[str, bool]:
    data = json.loads(cli("--pack", str(pack), "faq", "search", query, "--json").stdout)
    return (data[0]["id"], data[0]["confident"]) if data else ("", False)


def test_features_ignore_case_punctuation_and_traditional_characters() -> None:
    assert features("帳號被鎖了！") == features("账号被锁了") == ["账号", "号被", "被锁", "锁了"]
    assert features("My 2FA, LOST?") == ["my", "2fa", "lost"]
    assert features("币") == ["币"]  # a lone character is itself


def test_a_huge_query_is_judged_on_its_start_in_bounded_time() -> None:
    index = AskedIndex.build([("提币没到账", "withdraw"), ("password reset", "password-reset")])
    text = "提币没到账 " * 200_000 + "password"
    started = time.process_time()
    found = index.similar(text)
    assert time.process_time() - started < 2  # a bound, not a benchmark: it used to be unbounded work
    assert len(features(text)) == MAX_FEATURES
    assert found.by_entry == {"withdraw": pytest.approx(found.by_entry["withdraw"])} and found.out_of_scope == 0


def test_the_closest_questions_say_which_entry_and_what_is_out_of_scope() -> None:
    index = AskedIndex.build([
        ("提币到币安两天了还没到", "withdraw"), ("充值一直不到账", "deposit"),
        ("my binance futures position got liquidated", ""), ("", "deposit"),  # a question of no words is left out
    ])
    assert len(index.answers) == 3
    found = index.similar("提幣去咗幣安兩日都未到")  # Cantonese, traditional: still the same pairs
    assert max(found.by_entry, key=found.by_entry.__getitem__) == "withdraw" and found.out_of_scope == 0
    assert index.similar("提币到币安两天了还没到").by_entry["withdraw"] == pytest.approx(1.0, abs=1e-3)
    other = index.similar("binance futures liquidated me")
    assert other.out_of_scope > 0.5 and not other.by_entry
    assert index.similar("") == index.similar("？！") == NOTHING  # nothing to compare
    assert not index.similar("completely unrelated words").by_entry


def test_the_index_reads_back_the_same_from_json() -> None:
    index = AskedIndex.build([("提币没到账", "withdraw"), ("2fa lost phone", "lost-2fa-device"), ("btc价格", "")])
    again = AskedIndex.from_json(json.loads(json.dumps(index.to_json())))
    for q in ("提币还没到账", "lost my phone 2fa", "btc价格多少"):
        assert again.similar(q) == index.similar(q)


def test_an_asked_question_moves_the_entry_that_answered_it_up(cli: Runner, pack_copy: Path) -> None:
    query = "钱包显示负的 是欠平台钱吗"  # my wallet shows a negative number: do I owe the platform?
    _write(pack_copy)
    assert _top(cli, pack_copy, query)[0] != "negative-balance"  # 显示 and 平台 point elsewhere
    _write(pack_copy, ("钱包显示负的，是不是欠平台的钱", "negative-balance"))
    assert _top(cli, pack_copy, query) == ("negative-balance", True)


def test_a_question_like_one_the_pack_cannot_answer_is_not_answered_confidently(cli: Runner,
                                                                               pack_copy: Path) -> None:
    query = "my bank wire to my landlord hasnt arrived"
    _write(pack_copy)
    assert _top(cli, pack_copy, query) == ("fiat-wire", True)  # the ranking alone: "wire … hasnt arrived"
    _write(pack_copy, ("bank transfer to my landlord never arrived", ""))
    found, confident = _top(cli, pack_copy, query)
    assert found and not confident
    r = cli("--pack", str(pack_copy), "faq", "search", query)
    assert r.exit_code == 1 and "troubleshoot" in r.stdout


def test_content_check_names_the_line_and_key_of_a_bad_asked_question(cli: Runner, pack_copy: Path) -> None:
    path = pack_copy / ASKED_FILE
    path.write_text(
        '[[asked]]\nq = "提币没到账"\nid = "withdraw"\nfrom = "log"\n\n'
        '[[asked]]\nq = "提幣沒到賬！"\nid = "withdraw"\n\n'  # the same question in other characters
        '[[asked]]\nq = "lost my 2fa"\nid = "no-such-entry"\n\n'
        '[[asked]]\nq = "？？？"\nid = ""\n\n'
        '[[asked]]\nq = "fine"\nid = "fees"\ncolour = "red"\n',
        encoding="utf-8")
    r = cli("content", "check", str(pack_copy))
    out = r.stdout.splitlines()
    assert r.exit_code != 0
    assert "bitfinex/asked.toml:7: asked[1].q: a question not already in asked.toml" in "\n".join(out)
    assert any(x.startswith("bitfinex/asked.toml:12: asked[2].id: the id of an entry of the pack") for x in out), out
    assert any(x.startswith("bitfinex/asked.toml:15: asked[3].q: a question of at most 400 characters") for x in out)
    assert any(x == "bitfinex/asked.toml:21: asked[4].colour: a known key (from, id, q)" for x in out), out


def test_a_broken_asked_file_is_reported_by_search_not_a_traceback(cli: Runner, pack_copy: Path) -> None:
    (pack_copy / ASKED_FILE).write_text("[[asked]\nq = ", encoding="utf-8")
    r = cli("--pack", str(pack_copy), "faq", "search", "提币")
    assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr
    assert "bitfinex/asked.toml:1: (syntax): valid TOML" in r.stderr


def test_the_shipped_asked_questions_are_the_calibration_parts_only(pack_root: Path) -> None:
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "asked_questions.py"), "--check"],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr  # regenerate it after editing a part
    asked, problems = read_asked(pack_root, "asked.toml", [p.stem for p in (pack_root / "faq").glob("*.toml")])
    assert not problems
    assert {q.origin for q in asked} == set(CALIBRATION_SETS) and not set(FINAL_SETS) & set(CALIBRATION_SETS)
    taken = {" ".join(features(q.text)) for name in CALIBRATION_SETS for q in load_queries(set_file(DATA, name))}
    assert {" ".join(features(q.text)) for q in asked} == taken


def test_measuring_a_part_forgets_its_own_questions(pack_root: Path, tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    asked, _ = read_asked(pack_root, "asked.toml")
    examples = sum(len(items) for e in faq.entries for items in e.questions.values())  # the entries' own
    assert len(faq.memory.asked.answers) == len(asked) + examples
    own = [q for q in asked if q.origin == "check7"]
    faq.forget_asked("check7")
    assert len(faq.memory.asked.answers) == len(asked) - len(own) + examples and own
    found = faq.memory.asked.similar(own[0].text)
    assert found.by_entry.get(own[0].answer or "-", 0) < 0.999  # its own question is no longer there

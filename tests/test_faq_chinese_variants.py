"""Chinese as Hong Kong users write it (Cantonese) and as a pinyin input method mistypes it: the search reads
both as the standard written Chinese the pack is written in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from supportcli.core.faq.cantonese import standard_chinese
from supportcli.core.faq.homophones import Homophones, sound
from supportcli.core.faq.tokens import normalize
from tests.conftest import Runner


@pytest.fixture
def bare_pack(tmp_path: Path, pack_root: Path) -> Path:
    """The shipped pack without its asked questions: what the ranking alone makes of a query."""
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    (copy / "asked.toml").unlink()
    return copy


def _top(cli: Runner, pack: Path, query: str) -> tuple[str, bool]:
    data = json.loads(cli("--pack", str(pack), "faq", "search", query, "--json").stdout)
    return (data[0]["id"], data[0]["confident"]) if data else ("", False)


@pytest.mark.parametrize(("typed", "standard"), [
    ("我個帳號俾人鎖咗，點解", "我个账号被人锁了,为什么"),
    ("重設咗密碼之後冇得提幣，要等幾耐", "重设了密码之后不能提币,要等多久"),
    ("點解個錢包仲係零", "为什么个钱包还是零"),
    ("我想刪咗個戶口", "我想删了个账户"),
])
def test_cantonese_words_are_read_as_standard_chinese(typed: str, standard: str) -> None:
    assert standard_chinese(normalize(typed)) == standard


@pytest.mark.parametrize("text", ["劳动仲裁", "你呢", "提币还没到账", "未到账", "for what"])
def test_standard_chinese_that_shares_a_character_with_cantonese_is_left_alone(text: str) -> None:
    assert standard_chinese(normalize(text)) == normalize(text)


@pytest.mark.parametrize(("query", "entry"), [
    ("我個帳號俾人鎖咗，點解", "account-locked"),  # why did they lock my account
    ("我想刪咗個戶口", "account-closure"),  # I want to delete my account
])
def test_a_cantonese_question_finds_its_entry(cli: Runner, bare_pack: Path, query: str, entry: str) -> None:
    assert _top(cli, bare_pack, query) == (entry, True)


def test_characters_that_make_no_word_are_read_as_the_pack_word_they_sound_like() -> None:
    words = Homophones(Homophones.index(["工单", "手续费", "划转", "取消", "account"]))
    assert sound("工丹") == sound("工单") == "gong dan"
    assert words.repair("工丹") == ["工单"]
    assert words.repair("手须费") == ["手续费"]
    assert words.repair("我话转") == ["我", "划转"]
    assert words.repair("丹工") == ["丹工"]  # sounds like no word of the pack
    assert sound("x") is None


@pytest.mark.parametrize(("query", "entry"), [
    ("工丹怎么提", "submit-ticket"),  # 工单
    ("手须费怎么算", "fees"),  # 手续费
    ("话转怎么操作", "wallet-transfer"),  # 划转
    ("维户中吗", "maintenance-status"),  # 维护
    ("登路不了", "login-problems"),  # 登录
])
def test_a_pinyin_slip_finds_the_entry_of_the_word_meant(cli: Runner, bare_pack: Path, query: str,
                                                        entry: str) -> None:
    assert _top(cli, bare_pack, query) == (entry, True)


def test_a_real_word_is_not_rewritten_though_it_sounds_like_a_pack_word(cli: Runner, bare_pack: Path) -> None:
    # 取笑 (to mock) sounds like 取消 (cancel) but is a word: it is not read as a cancelled withdrawal
    assert _top(cli, bare_pack, "取笑提现") != _top(cli, bare_pack, "取消提现")


def test_pieces_are_what_the_pattern_of_chinese_ranges_finds() -> None:
    # tokens.PIECE finds Latin words and runs of Chinese without compiling a class of Chinese ranges (0.8 ms
    # of every search's start); on any text of assigned characters it must find exactly what that class finds.
    import random
    import re
    import unicodedata

    from supportcli.core.faq.tokens import _CJK, PIECE

    reference = re.compile(rf"[A-Za-z0-9]+|[{_CJK}]+")
    rnd = random.Random(13)
    sample = [chr(rnd.randrange(0x20, 0xFFFF)) for _ in range(3000)]
    alphabet = [c for c in [*"abcXYZ019 _-.,!?中文提现币安㐀䶵䷀丁龥豈é привет한국かなカナ٣²ｘ\u200b\t\n", *sample]
                if unicodedata.category(c) not in ("Cn", "Cs")]
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30)))
        assert [(m.group(), m.start(), m.end()) for m in PIECE.finditer(text)] == [
            (m.group(), m.start(), m.end()) for m in reference.finditer(text)], text
        assert PIECE.findall(text) == reference.findall(text)

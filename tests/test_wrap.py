from __future__ import annotations

import os
import subprocess
import sys

import pytest

from supportcli.term import wrap as wrap_module
from supportcli.term.wrap import display_width, wrap


def test_english_breaks_at_spaces_and_keeps_indent() -> None:
    text = "  Check the announcements on the official site and the help center before you go on."
    lines = wrap(text, 40).split("\n")
    assert all(display_width(line) <= 40 for line in lines)
    assert all(line.startswith("  ") for line in lines)
    assert " ".join(line.strip() for line in lines) == text.strip()


def test_chinese_counts_two_columns_and_breaks_between_characters() -> None:
    text = "⚠ 客服从不索要你的密码、验证码、助记词或密钥。任何索要这些信息的人都是骗子。"
    lines = wrap(text, 30).split("\n")
    assert len(lines) > 1
    assert all(display_width(line) <= 30 for line in lines)
    assert lines[1].startswith("  ")  # hangs under the text after the marker
    assert "".join(line.strip() for line in lines) == text


def test_short_lines_and_newlines_are_kept() -> None:
    assert wrap("one\ntwo", 40) == "one\ntwo"


def test_chinese_punctuation_never_starts_or_ends_a_line_alone() -> None:
    text = "  在弄清楚之前，先暂停在这个交易对上的操作。然后看“订单历史”。"
    for width in range(20, 40):
        lines = wrap(text, width).split("\n")
        assert all(display_width(line) <= width for line in lines)
        assert "".join(line.strip() for line in lines) == text.strip()
        for line in lines[1:]:
            assert line.strip()[0] not in "。，、”）"
        for line in lines[:-1]:
            assert line[-1] not in "“（"


def test_width_counts_combining_marks_zwj_emoji_and_zero_width_spaces() -> None:
    assert display_width("cafe\u0301") == 4  # the accent sits on the e
    assert display_width("👨\u200d👩\u200d👧") == 2  # one family, not three people and two joiners
    assert display_width("a\u200bb") == 2  # a zero-width space takes no column
    assert display_width("🇨🇳") == 2
    assert display_width("提现没到账") == 10
    assert display_width("ＵＳＤＴ") == 8  # full-width letters
    assert display_width("\x1b[1mbold\x1b[0m") == 4  # escape sequences take none


def test_words_ids_and_numbers_are_never_cut() -> None:
    text = "Trade 1234567890123 on BTC/USD at 30100.5 filled below my limit of 30500 for order 98765432101."
    for width in range(12, 60):
        lines = wrap(text, width).split("\n")
        assert " ".join(lines).split() == text.split(), width
        assert all(display_width(line) <= width for line in lines if " " in line), width


def test_a_word_wider_than_the_line_stands_alone_and_whole() -> None:
    url = "https://support.bitfinex.com/hc/en-us/articles/115003283709-How-long-does-a-withdrawal-take"
    lines = wrap(f"  - Read {url} first.", 40).split("\n")
    assert lines == ["  - Read", f"    {url}", "    first."]


def test_zero_width_space_is_a_break_that_is_dropped_at_the_break() -> None:
    text = "\u200b".join(["supercalifragilistic"] * 4)
    lines = wrap(text, 45).split("\n")
    assert lines == ["supercalifragilistic\u200bsupercalifragilistic"] * 2


def test_emoji_and_accents_wrap_by_what_the_terminal_shows() -> None:
    text = "⚠ " + " ".join(["cafe\u0301"] * 12) + " 👨\u200d👩\u200d👧 " + "提现没到账" * 3
    lines = wrap(text, 24).split("\n")
    assert all(display_width(line) <= 24 for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert any(line.rstrip().endswith("cafe\u0301") for line in lines)  # the accent stays on its letter


def test_mixed_chinese_and_english_breaks_between_characters_not_inside_latin_words() -> None:
    text = "请通过 ERC-20 网络充值 USDT，并确认 Bitfinex 充值地址与页面显示一致，再提交工单。"
    for width in range(14, 40):
        lines = wrap(text, width).split("\n")
        assert all(display_width(line) <= width for line in lines), width
        joined = "".join(line.strip() for line in lines)
        for word in ("ERC-20", "USDT", "Bitfinex"):
            assert word in joined


def test_non_breaking_spaces_hold() -> None:
    text = "Amount: 1523.40\xa0USDT and more words to make it wrap somewhere here"
    for width in range(16, 40):
        assert "1523.40\xa0USDT" in wrap(text, width).replace("\n", " ")


def test_the_widths_known_without_wcwidth_are_the_widths_wcwidth_gives() -> None:
    """Every character measured without wcwidth's tables has wcwidth's width and is its own grapheme."""
    import wcwidth

    checked = 0
    for cp in range(0x20, 0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or not wrap_module._SIMPLE().fullmatch(ch):
            continue
        checked += 1
        assert display_width(ch) == wcwidth.width(ch), hex(cp)
        for text in (ch + "a", "a" + ch, ch + ch, ch + "中"):
            assert list(wcwidth.iter_graphemes(text)) == list(text), hex(cp)
    assert checked > 40_000


@pytest.mark.parametrize("text", ["e\u0301", "👨‍👩‍👧", "🇨🇳", "a\u200bb", "\u302a中"])
def test_what_needs_wcwidth_still_gets_its_width(text: str) -> None:
    import wcwidth

    assert display_width(text) == wcwidth.width(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_and_a_chinese_listing_do_not_import_wcwidth(lang: str) -> None:
    """Its tables cost 40 ms of start-up; --help's dashes, arrows and Chinese need none of them."""
    code = (
        "import sys\n"
        f"sys.argv = ['supportcli', '--lang', {lang!r}, '--help']\n"
        "from supportcli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('WCWIDTH=' + str('wcwidth' in sys.modules), file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "COLUMNS": "80"})
    assert "WCWIDTH=False" in r.stderr, r.stderr[-2000:]

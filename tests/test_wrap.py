from __future__ import annotations

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

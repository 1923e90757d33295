"""Where a line may break: the hand-written reader cuts a line exactly as the pattern it replaced."""

from __future__ import annotations

import random
import re

from supportcli.term import wrap


def test_tokens_are_those_of_the_pattern() -> None:
    pattern = re.compile(rf"\s+|[{wrap._OPEN}]*[{wrap._WIDE}][{wrap._CLOSE}]*|[^\s{wrap._WIDE}]+[{wrap._CLOSE}]*")
    alphabet = [*"ab c\t\n", *wrap._OPEN, *wrap._CLOSE, "中", "文", "한", "ア", "Ｘ", "é", "—", "\u3000", "\u2e80",
                "\u9fff", "\uffef", "\uf900", "x", "1", "."]
    rng = random.Random(16)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        assert wrap.tokens(text) == pattern.findall(text), text


def test_chinese_punctuation_travels_with_its_character() -> None:
    assert wrap.tokens("请确认（地址）。然后 send it") == [
        "请", "确", "认", "（地", "址）。", "然", "后", " ", "send", " ", "it"]

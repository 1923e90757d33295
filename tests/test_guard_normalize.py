"""The guard's one normalisation: NFKC, format characters dropped, and a map back to what was written."""

from __future__ import annotations

import re
import unicodedata

import pytest

from supportcli.core.guard import normalize as nz
from supportcli.core.guard.secrets import scan_text


def _composition_seconds() -> set[int]:
    seconds = set()
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    return seconds


def test_every_character_of_the_fast_path_maps_one_to_one() -> None:
    """The fast path normalises long stretches at once; that is exact only for these characters."""
    seconds = _composition_seconds()
    stable = re.compile(f"[{nz._STABLE_CLASS}]")
    for cp in range(0x10000):
        ch = chr(cp)
        if not stable.match(ch):
            continue
        folded = unicodedata.normalize("NFKC", ch)
        assert len(folded) == 1 and not unicodedata.combining(folded), hex(cp)
        assert not unicodedata.combining(unicodedata.normalize("NFKD", ch)[0]), hex(cp)
        assert cp not in seconds and ord(folded) not in seconds, hex(cp)
        assert unicodedata.category(ch) not in ("Cf", "Mn", "Mc", "Me"), hex(cp)
        assert len(ch.lower()) == 1 and len(folded.lower()) == 1, hex(cp)


@pytest.mark.parametrize(("written", "folded"), [
    ("in\u200bsane", "insane"),
    ("me\u00adtal", "metal"),
    ("ｐａｓｓｗｏｒｄ：ａｂｃ１２３", "password:abc123"),
    ("⑩dirt", "10dirt"),
    ("cafe\u0301", "café"),
    ("❤️ok", "❤ok"),
    ("第1个：里", "   :里"),
    ("İstanbul", "Istanbul"),
    ("plain ascii", "plain ascii"),
])
def test_what_the_detectors_see(written: str, folded: str) -> None:
    assert nz.normalize(written).text == folded


def test_spans_map_back_to_what_was_written() -> None:
    written = "x ⑩dirt ｋｅｙ\u200b=1 café"
    norm = nz.normalize(written)
    for start in range(len(norm.text)):
        for end in range(start + 1, len(norm.text) + 1):
            a, b = norm.source_span(start, end)
            assert 0 <= a < b <= len(written)
    assert written[slice(*norm.source_span(norm.text.index("dirt"), norm.text.index("dirt") + 4))] == "dirt"
    assert written[slice(*norm.source_span(norm.text.index("10"), norm.text.index("10") + 2))] == "⑩"
    assert written[slice(*norm.source_span(norm.text.index("=1"), norm.text.index("=1") + 2))] == "=1"


def test_a_disguised_finding_keeps_its_line_and_column() -> None:
    text = "hello\n  ＰＡＳＳＷＯＲＤ：Ｌｑ８２！ｍｚｖ\u200b\u200b and more"
    (finding,) = scan_text(text)
    assert (finding.kind, finding.line, finding.column) == ("password", 2, 12)
    assert text[finding.start:finding.end] == "Ｌｑ８２！ｍｚｖ"

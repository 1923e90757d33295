"""Fuzzing the guard and its reader: any text or bytes give findings or a typed "unreadable", never an
exception, within a time budget per example (hypothesis' deadline)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportcli.core.guard import reader
from supportcli.core.guard.normalize import normalize
from supportcli.core.guard.secrets import Action, scan_text
from supportcli.core.guard.stream import scan_source

# Pieces people type or paste: words of the wordlists, digits, keywords, separators, disguises.
_PIECES = st.sampled_from([
    "bid", "physical", "draft", "黄", "察", "ひやけ", "password", "密码", "2FA", "验证码", "API", "key", "seed",
    "助記詞", "otpauth%3A%2F%2F", "secret=", "-----BEGIN", "PRIVATE KEY", "—–", "①", "【1】", "第1个", "→", "&", "`",
    "\u200b", "\u00ad", "\u0301", "️", "🔸", "İ", "ｐａｓｓ", "\n", "\n\n", " ", "：", "0x", "492 039", "123456",
    "a7a05f819fa79d626ba702ebea2818cdff80d6dbd2e1c12924d3206cb6212363", "<p>", "</li>", "&nbsp;", "\\n", "\\u9ec4",
])
_TEXT = st.one_of(st.text(max_size=400), st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=80).map("".join))
_FAST = settings(max_examples=150, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(_TEXT, st.sampled_from([None, "text", "multiline", "txhash", "address"]))
def test_scan_text_never_fails_and_spans_stay_inside_the_text(text: str, field_type: str | None) -> None:
    for finding in scan_text(text, field_type=field_type):
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.line == text.count("\n", 0, finding.start) + 1
        assert finding.action in (Action.BLOCK, Action.CONFIRM)


@_FAST
@given(_TEXT)
def test_normalised_spans_map_inside_the_original(text: str) -> None:
    norm = normalize(text)
    for start in range(0, len(norm.text), 7):
        a, b = norm.source_span(start, min(len(norm.text), start + 5))
        assert 0 <= a <= b <= len(text)


@_FAST
@given(st.one_of(st.binary(max_size=600), _TEXT.map(lambda t: t.encode("utf-8")),
                 _TEXT.map(lambda t: t.encode("gb18030")), _TEXT.map(lambda t: t.encode("utf-16"))),
       st.sampled_from(["a.txt", "b.json", "c.html", "d.xml", "e.csv", "f.eml", "g.png", "noname"]))
def test_the_reader_gives_text_or_a_typed_unreadable(data: bytes, name: str) -> None:
    result = reader.read_bytes(data, name)
    if isinstance(result, reader.Unreadable):
        assert result.reason in ("binary", "image", "pdf", "archive", "office", "encoding")
        return
    for found in scan_source(result).findings:
        assert found.finding.start < found.finding.end

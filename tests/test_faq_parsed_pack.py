"""The parsed-pack file (faq/parsed_pack.py): read back, it is the pack it was written from; a search decodes
only what it uses; a file of another signature, pack or format, or a damaged one, is never used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supportcli.core.faq.parsed_pack import MAGIC, LazyList, LazyTable, decode
from supportcli.core.faq.search import Faq
from supportcli.core.pack import load_pack
from supportcli.core.pack_dirs import PackFolder

QUERIES = ("提现", "withdrawal delayed", "pasword reset", "API 密钥 leaked", "质押奖励 没到账", "提現要多久",
           "someone traded on my account without permission", "got liquidated last night", "怎么办", "binance 提现")


@pytest.fixture
def built(tmp_path: Path, pack_root: Path) -> Faq:
    """A FAQ parsed from the pack's files (and its cache written)."""
    return Faq(load_pack(pack_root), tmp_path)


def test_the_file_read_back_holds_what_was_written(built: Faq) -> None:
    raw = built.cache_path.read_bytes()
    assert raw.startswith(MAGIC)
    read = decode(raw, built.signature, built.pack_id)
    assert read is not None
    by_id, memory, synonyms = read
    assert list(by_id) == [e.id for e in built.entries]  # in the order of the files
    assert dict(by_id) == dict(built.by_id)
    assert dict(memory.postings) == built.memory.postings
    assert (memory.ids, memory.lengths, memory.strong) == (
        built.memory.ids, built.memory.lengths, built.memory.strong)
    assert memory.to_json()["postings"] == built.memory.to_json()["postings"]
    assert memory.asked.to_json() == {**built.memory.asked.to_json(), "asked_postings": memory.asked.postings}
    assert dict(memory.asked_postings) == built.memory.asked.postings and len(memory.asked.answers) > 1000
    assert json.dumps({**synonyms.to_json(), "latin": dict(synonyms.latin), "sounds": dict(synonyms.homophones.words),
                       "chinese": dict(synonyms.chinese), "groups": list(synonyms.groups)},
                      sort_keys=True) == json.dumps(built.synonyms.to_json(), sort_keys=True)
    groups = synonyms.groups
    assert len(groups) == len(built.synonyms.groups) and groups[-1] == built.synonyms.groups[-1]
    assert groups[3:40] == built.synonyms.groups[3:40] and groups == built.synonyms.groups


def test_a_search_from_the_file_ranks_as_one_from_the_pack_files(built: Faq, tmp_path: Path, pack_root: Path) -> None:
    cached = Faq(PackFolder(pack_root, builtin=True), tmp_path)
    assert cached._pack is None  # served from the file: the pack was not read
    for query in QUERIES:
        for lang in ("zh", "en"):
            assert cached.search(query, lang) == built.search(query, lang), query
        assert [e.id for e in cached.closest(query)] == [e.id for e in built.closest(query)]
    assert cached.entries == built.entries


def test_a_search_decodes_only_what_it_looks_up(built: Faq, tmp_path: Path, pack_root: Path) -> None:
    cached = Faq(PackFolder(pack_root, builtin=True), tmp_path)
    outcome = cached.search("提现", "en", limit=3)
    postings = cached.memory.postings
    assert isinstance(postings, LazyTable) and isinstance(cached.by_id, LazyTable)
    assert 0 < len(postings._read) < len(postings._spans) / 4
    assert len(cached.by_id._read) == len(outcome.results) < len(built.entries)
    groups = cached.synonyms.groups
    assert isinstance(groups, LazyList) and len(groups._parts) < len(groups._spans) / 4


def test_a_lookup_is_a_dicts_lookup() -> None:
    table = {f"k{i}": [i, str(i)] for i in range(50)}
    raw = encode_table(table)
    lazy = raw_table(raw)
    assert lazy.get("k7") == [7, "7"] and lazy["k8"] == [8, "8"] and "k9" in lazy
    assert lazy.get("nope") is None and lazy.get("nope", 1) == 1 and "nope" not in lazy and 3 not in lazy
    with pytest.raises(KeyError):
        lazy["nope"]
    assert len(lazy) == 50 and dict(lazy) == table and lazy == table and sorted(lazy) == sorted(table)


def encode_table(table: dict[str, list[object]]) -> tuple[bytes, list[list[int]]]:
    body, spans = b"", []
    for n in range(4):
        part = json.dumps({k: v for k, v in table.items() if int(k[1:]) % 4 == n}).encode()
        spans.append([len(body), len(body) + len(part)])
        body += part
    return body, spans


def raw_table(raw: tuple[bytes, list[list[int]]]) -> LazyTable[list[object]]:
    body, spans = raw
    return LazyTable(body, spans, lambda key: int(key[1:]) % 4 if key[1:].isdigit() else None)


@pytest.mark.parametrize("damage", ["signature", "pack", "format", "truncated", "flipped", "not json"])
def test_a_file_of_another_signature_pack_or_format_or_damaged_is_not_used(built: Faq, damage: str) -> None:
    raw = built.cache_path.read_bytes()
    signature, pack_id = built.signature, built.pack_id
    if damage == "signature":
        signature += "|faq/new.toml:1:1"
    elif damage == "pack":
        pack_id = "other"
    elif damage == "format":
        raw = raw.replace(MAGIC, b"supportcli parsed pack 1\n", 1)
    elif damage == "truncated":
        raw = raw[:-100]
    elif damage == "flipped":
        at = len(raw) - 5000
        raw = raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1:]
    else:
        raw = b'{"signature": "' + signature.encode() + b'"}'
    assert decode(raw, signature, pack_id) is None


def test_a_damaged_file_is_written_again(built: Faq, tmp_path: Path, pack_root: Path) -> None:
    path = built.cache_path
    path.write_bytes(path.read_bytes()[:-10])
    again = Faq(PackFolder(pack_root, builtin=True), tmp_path)
    assert again._pack is not None  # the pack was read to build it anew
    assert decode(path.read_bytes(), again.signature, again.pack_id) is not None
    assert again.search("提现", "zh") == built.search("提现", "zh")


def test_entries_encode_nothing_executable(built: Faq) -> None:
    """The file is JSON texts and nothing else: every part decodes with json alone."""
    raw = built.cache_path.read_bytes()
    end = raw.index(b"\n", len(MAGIC))
    header = json.loads(raw[len(MAGIC):end])
    body = raw[end + 1:]
    spans = [header["index"], header["synonyms"], *[span for spans in header["buckets"].values() for span in spans],
             *header["groups"][1], *[[s, e] for _, s, e in header["entries"]]]
    assert sum(e - s for s, e in spans) == len(body) == header["size"]
    for start, stop in spans:
        assert isinstance(json.loads(body[start:stop]), dict | list)


def test_a_table_held_otherwise_than_today_is_stored_whole(built: Faq, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should MemoryIndex.to_json() one day give a copy of its postings (or SynonymTable.to_json() its groups
    otherwise), the file keeps them whole: still read right, only not lazily."""
    from supportcli.core.faq.parsed_pack import encode
    from supportcli.core.faq.rank import MemoryIndex
    from supportcli.core.faq.synonyms import SynonymTable

    to_index, to_table = MemoryIndex.to_json, SynonymTable.to_json
    monkeypatch.setattr(MemoryIndex, "to_json", lambda self: {**to_index(self), "postings": dict(self.postings)})
    monkeypatch.setattr(SynonymTable, "to_json", lambda self: {**to_table(self), "groups": tuple(self.groups)})
    read = decode(encode(built.signature, built.pack_id, built.entries, built.memory, built.synonyms),
                  built.signature, built.pack_id)
    assert read is not None
    _, memory, synonyms = read
    assert type(memory.postings) is dict and memory.postings == built.memory.postings
    assert list(synonyms.groups) == [list(g) for g in built.synonyms.groups]

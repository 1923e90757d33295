"""TOML content parsed once: the cached data is always that of the file's current bytes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from supportcli.core import parsed_cache
from supportcli.core.paths import cache_root, messages_dir


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", refuse)


def test_every_message_table_reads_the_same_from_the_cache(isolated_home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(messages_dir().glob("*.toml"))
    parsed = {p: tomllib.loads(p.read_text(encoding="utf-8")) for p in files}
    for path in files:
        assert parsed_cache.toml_data(path) == parsed[path]
    entries = list((cache_root() / "parsed").iterdir())
    assert len(entries) == len(files)
    for entry in entries:
        assert entry.stat().st_mode & 0o077 == 0
    _no_parsing(monkeypatch)
    for path in files:
        assert parsed_cache.toml_data(path) == parsed[path]


def test_a_changed_file_is_parsed_again_even_at_the_same_size(isolated_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "area.toml"
    path.write_text('[greeting]\nen = "Hello"\n', encoding="utf-8")
    assert parsed_cache.toml_data(path) == {"greeting": {"en": "Hello"}}
    path.write_text('[greeting]\nen = "Hallo"\n', encoding="utf-8")
    assert parsed_cache.toml_data(path) == {"greeting": {"en": "Hallo"}}


def test_a_damaged_entry_is_written_again(isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "area.toml"
    path.write_text('[a]\nen = "x"\n', encoding="utf-8")
    parsed_cache.toml_data(path)
    (entry,) = (cache_root() / "parsed").iterdir()
    good = entry.read_bytes()
    entry.write_bytes(good[:-3] + b"\x00\x01\x02")
    assert parsed_cache.toml_data(path) == {"a": {"en": "x"}}
    assert entry.read_bytes() == good
    _no_parsing(monkeypatch)
    assert parsed_cache.toml_data(path) == {"a": {"en": "x"}}


def test_dates_and_times_come_back_as_parsed(isolated_home: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dated = tmp_path / "dated.toml"
    dated.write_text('verified = 2026-11-20\nat = 2026-11-20T09:15:00.123456+08:00\nlocal = 2026-11-20T09:15:00\n'
                     'time = 09:15:30\n[[source]]\nread = [2026-01-02, 2026-01-03]\nname = "x"\n', encoding="utf-8")
    expected = tomllib.loads(dated.read_text(encoding="utf-8"))
    assert parsed_cache.toml_data(dated) == expected
    _no_parsing(monkeypatch)
    again = parsed_cache.toml_data(dated)
    assert again == expected
    assert again["at"].utcoffset() == expected["at"].utcoffset()
    assert again["local"].tzinfo is None


def test_errors_are_those_of_the_safe_loader(isolated_home: Path, tmp_path: Path) -> None:
    from supportcli.core.safeload import Unparsable

    broken = tmp_path / "broken.toml"
    broken.write_text("a = \n", encoding="utf-8")
    with pytest.raises(Unparsable) as caught:
        parsed_cache.toml_data(broken)
    assert caught.value.line == 1
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(Unparsable):  # never RecursionError, cached or not
        parsed_cache.toml_data(deep)
    with pytest.raises(FileNotFoundError):
        parsed_cache.toml_data(tmp_path / "missing.toml")


def test_a_cache_that_cannot_be_written_costs_only_the_parsing(isolated_home: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    path = tmp_path / "area.toml"
    path.write_text('[a]\nen = "x"\n', encoding="utf-8")
    assert parsed_cache.toml_data(path) == {"a": {"en": "x"}}


def test_every_shipped_content_file_reads_the_same_through_the_cache(isolated_home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from supportcli.core.paths import content_root
    from supportcli.core.tomlfile import TomlFile, read_toml

    files = sorted(content_root().rglob("*.toml"))
    assert len(files) > 60
    expected = {p: tomllib.loads(p.read_text(encoding="utf-8")) for p in files}
    for _ in range(2):  # parsed and kept, then from the cache
        for path in files:
            read = read_toml(path, path.name)
            assert isinstance(read, TomlFile)
            assert read.data == expected[path]
        _no_parsing(monkeypatch)

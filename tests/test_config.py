from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

from tests.conftest import Runner


def test_set_get_roundtrip_writes_private_toml(cli: Runner, isolated_home: Path) -> None:
    r = cli("config", "set", "timezone", "Asia/Shanghai")
    assert r.exit_code == 0, r.output
    assert "timezone = Asia/Shanghai" in r.stdout
    path = isolated_home / ".config" / "supportcli" / "config.toml"
    assert tomllib.loads(path.read_text())["timezone"] == "Asia/Shanghai"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert cli("config", "get", "timezone").stdout.strip() == "Asia/Shanghai"


def test_config_path_honours_xdg(cli: Runner, isolated_home: Path) -> None:
    r = cli("config", "path")
    assert r.stdout.strip() == str(isolated_home / ".config" / "supportcli" / "config.toml")


def test_bad_value_is_refused_with_what_is_allowed(cli: Runner) -> None:
    r = cli("config", "set", "timezone", "Mars/Olympus")
    assert r.exit_code == 2
    assert "timezone" in r.stderr
    assert "Asia/Shanghai" in r.stderr
    r = cli("config", "set", "language", "fr")
    assert r.exit_code == 2
    assert "auto" in r.stderr
    assert "zh" in r.stderr
    r = cli("config", "set", "email", "not-an-email")
    assert r.exit_code == 2
    assert "me@example.com" in r.stderr
    assert cli("config", "get", "language").stdout.strip() == "auto"


def test_unknown_key_lists_keys(cli: Runner) -> None:
    r = cli("config", "set", "colour", "red")
    assert r.exit_code == 2
    for key in ("language", "pack", "name", "email", "timezone", "editor"):
        assert key in r.stderr


def test_show_json_has_every_key(cli: Runner) -> None:
    import json

    cli("config", "set", "name", "Li Lei")
    data = json.loads(cli("config", "show", "--json").stdout)
    assert data["values"]["name"] == "Li Lei"
    assert data["set"] == ["name"]
    assert set(data["values"]) >= {"language", "pack", "name", "email", "timezone", "editor"}


def test_broken_config_file_is_one_clear_line(cli: Runner, isolated_home: Path) -> None:
    path = isolated_home / ".config" / "supportcli" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("language = \n")
    r = cli("config", "show")
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert str(path) in r.stderr
    assert "line 1" in r.stderr


def test_unset_returns_to_default(cli: Runner) -> None:
    cli("config", "set", "language", "zh")
    r = cli("config", "unset", "language")
    assert r.exit_code == 0
    assert cli("config", "get", "language").stdout.strip() == "auto"


def test_unknown_keys_in_file_survive_a_save(cli: Runner, isolated_home: Path) -> None:
    path = isolated_home / ".config" / "supportcli" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('future_key = "kept"\n')
    assert cli("config", "set", "name", "A").exit_code == 0
    assert tomllib.loads(path.read_text())["future_key"] == "kept"


def test_values_are_normalised_where_the_meaning_is_clear(cli: Runner) -> None:
    assert cli("config", "set", "timezone", "asia/shanghai").exit_code == 0
    assert cli("config", "get", "timezone").stdout.strip() == "Asia/Shanghai"
    assert cli("config", "set", "language", "zh_CN").exit_code == 0
    assert cli("config", "get", "language").stdout.strip() == "zh"
    assert cli("config", "set", "language", "klingon").exit_code == 2


def test_pack_must_exist(cli: Runner) -> None:
    r = cli("config", "set", "pack", "nopack")
    assert r.exit_code == 2
    assert "nopack" in r.stderr
    assert "bitfinex" in r.stderr
    assert cli("config", "get", "pack").stdout.strip() == "bitfinex"


def test_content_paths_must_be_existing_folders(cli: Runner, tmp_path: Path) -> None:
    r = cli("config", "set", "content_paths", str(tmp_path / "missing"))
    assert r.exit_code == 2
    assert "content_paths" in r.stderr
    assert cli("config", "set", "content_paths", str(tmp_path)).exit_code == 0

"""Attacks on the settings file: a secret set as a setting or already in the file, values of any
length, a file nested 5,000 levels deep. Each is refused or named in one clear line, and the
`config` commands still work on a file too broken for everything else."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.keys import ENTER, UP

SEED = "abandon ability able about above absent absorb abstract absurd abuse access accident"


def _config_file(home: Path) -> Path:
    path = home / ".config" / "supportcli" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("key", ["name", "editor"])
def test_a_recovery_phrase_is_never_saved_as_a_setting(cli: Runner, isolated_home: Path, key: str) -> None:
    r = cli("config", "set", key, SEED)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"Error: {key}: not saved")
    assert "recovery phrase" in r.stderr
    assert "abandon" not in r.output  # the refusal never echoes the secret
    assert not (isolated_home / ".config" / "supportcli" / "config.toml").exists()


def test_a_password_statement_is_not_a_name(cli: Runner) -> None:
    r = cli("config", "set", "name", "Li Lei password: Hunter2Hunter2")
    assert r.exit_code == 2
    assert "name: not saved" in r.stderr
    assert "Hunter2" not in r.output


@pytest.mark.parametrize(("key", "limit"), [("name", 200), ("email", 320), ("editor", 1000)])
def test_settings_are_bounded_in_length(cli: Runner, key: str, limit: int) -> None:
    value = "x" * (limit + 1) if key != "email" else "a" * (limit - 5) + "@x.com"
    r = cli("config", "set", key, value)
    assert r.exit_code == 2
    assert key in r.stderr
    assert str(limit) in r.stderr
    assert len(r.stderr) < 400  # the value itself is not printed back


def test_a_huge_email_is_refused_quickly(cli: Runner) -> None:
    r = cli("config", "set", "email", "a" * 100_000 + "@example.com")
    assert r.exit_code == 2
    assert "email: too long (100012 characters; at most 320)" in r.stderr


def test_content_paths_with_a_nul_byte_or_a_huge_path_are_refused(cli: Runner) -> None:
    assert cli("config", "set", "content_paths", "/tmp/a\x00b").exit_code == 2
    assert cli("config", "set", "content_paths", "/" + "a" * 5000).exit_code == 2
    r = cli("config", "set", "content_paths", "~nosuchuser0/packs")  # found by the fuzz tests: RuntimeError
    assert r.exit_code == 2
    assert "content_paths: invalid value" in r.stderr


def test_a_secret_already_in_the_file_is_named_with_its_key(cli: Runner, isolated_home: Path) -> None:
    path = _config_file(isolated_home)
    path.write_text(f'language = "en"\nname = "{SEED}"\n')
    r = cli("config", "show")
    assert r.exit_code == 2
    assert "under 'name'" in r.stderr
    assert "supportcli config unset name" in r.stderr
    assert "abandon" not in r.output  # shown hidden, never printed
    assert "(hidden: looks like a secret)" in r.stdout
    r = cli("config", "get", "name")
    assert r.exit_code == 2
    assert "abandon" not in r.output
    # Writing the file again would store the secret again: only unsetting (or setting) that key is allowed.
    r = cli("config", "set", "timezone", "Asia/Shanghai")
    assert r.exit_code == 2
    assert "under 'name'" in r.stderr
    assert cli("config", "unset", "name").exit_code == 0
    assert tomllib.loads(path.read_text()) == {"language": "en"}
    assert cli("config", "show").exit_code == 0


def test_a_secret_hidden_under_an_unknown_key_is_found_too(cli: Runner, isolated_home: Path) -> None:
    path = _config_file(isolated_home)
    path.write_text(f'[notes]\nwallet = ["{SEED}"]\n')
    r = cli("config", "show", "--json")
    assert r.exit_code == 2
    assert "under 'notes.wallet[0]'" in r.stderr
    assert "supportcli config unset notes" in r.stderr
    assert "abandon" not in r.stdout


def test_a_draft_names_the_setting_that_holds_a_secret(cli: Runner, isolated_home: Path) -> None:
    """A secret written into config.toml by hand: the draft is refused naming `name`, not "line 27"."""
    _config_file(isolated_home).write_text(f'name = "{SEED}"\n')
    answers = isolated_home / "a.toml"
    answers.write_text('subject = "Withdrawal stuck"\nwhat_happened = "Pending since Monday, 0.5 BTC."\n')
    r = cli("troubleshoot", "general", "--answers", str(answers))
    assert r.exit_code == 2
    assert "The setting 'name'" in r.stderr
    assert "supportcli config unset name" in r.stderr
    assert "line" not in r.stderr
    assert not (isolated_home / ".local" / "share" / "supportcli" / "drafts").exists()


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000,
    "a = " + "{b = " * 5000,
    "[" + "a." * 5000 + "b]",
    "a." * 40_000 + "b = 1",  # tomllib takes minutes on this (quadratic)
])
def test_a_config_nested_too_deeply_is_damaged_and_can_be_reset(cli: Runner, isolated_home: Path, text: str) -> None:
    path = _config_file(isolated_home)
    path.write_text(text)
    r = cli("faq", "search", "withdrawal")
    assert r.exit_code == 2
    assert "Traceback" not in r.output and "RecursionError" not in r.output
    assert f"The settings file {path} is damaged" in r.stderr
    assert "nested more than" in r.stderr
    assert "supportcli config reset" in r.stderr
    # The config commands still work: path, show (the defaults), unset names the damage, reset fixes it.
    assert cli("config", "path").stdout.strip() == str(path)
    shown = cli("config", "show", "--json")
    assert shown.exit_code == 2
    assert json.loads(shown.stdout)["values"]["pack"] == "bitfinex"
    unset = cli("config", "unset", "name")
    assert unset.exit_code == 2
    assert "config reset" in unset.stderr
    assert path.read_text() == text  # never rewritten half-understood
    assert cli("config", "reset").exit_code == 2  # no terminal: --yes is needed
    r = cli("config", "reset", "--yes")
    assert r.exit_code == 0
    assert not path.exists()
    assert cli("faq", "search", "withdrawal").exit_code in (0, 1)


def test_help_works_with_a_damaged_config(cli: Runner, isolated_home: Path) -> None:
    _config_file(isolated_home).write_text("language = \n")
    r = cli("--help")
    assert r.exit_code == 0
    assert "Commands" in r.stdout


def test_a_bad_value_in_the_file_can_be_unset(cli: Runner, isolated_home: Path) -> None:
    path = _config_file(isolated_home)
    path.write_text('timezone = "Mars/Olympus"\nname = "Li Lei"\n')
    assert cli("config", "show").exit_code == 2
    r = cli("config", "set", "name", "Han Meimei")  # another key: the bad value is kept as it was
    assert r.exit_code == 0
    assert tomllib.loads(path.read_text()) == {"timezone": "Mars/Olympus", "name": "Han Meimei"}
    assert cli("config", "unset", "timezone").exit_code == 0
    assert cli("config", "show").exit_code == 0


def test_reset_asks_in_a_terminal(cli: Runner, isolated_home: Path) -> None:
    path = _config_file(isolated_home)
    path.write_text('name = "Li Lei"\n')
    r = cli("config", "reset", keys=ENTER)  # the default: no
    assert r.exit_code == 0
    assert path.exists()
    r = cli("config", "reset", keys=UP + ENTER)  # yes
    assert r.exit_code == 0
    assert not path.exists()
    assert "no settings file" in cli("config", "reset", "--yes").stdout.lower()

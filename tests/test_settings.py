"""Settings resolved once: defaults < settings file < environment < command line; global options
anywhere on the line; colours; where interrupted sessions live."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from supportcli.core.config import load_config
from supportcli.core.paths import AppPaths
from supportcli.core.settings import CommandLine, resolve_settings
from supportcli.term.terminal import Terminal
from tests.conftest import Runner

NOW = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- language and the settings file

def test_language_precedence_locale_file_environment_flag(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "用法" in cli("--help").stdout  # the locale
    assert cli("config", "set", "language", "en").exit_code == 0
    assert "Usage" in cli("--help").stdout  # the file beats the locale
    monkeypatch.setenv("SUPPORTCLI_LANG", "zh")
    assert "用法" in cli("--help").stdout  # the environment beats the file
    assert "SUPPORTCLI_LANG=zh" in cli("config", "show").stdout  # and `config show` says so
    assert "Usage" in cli("--lang", "en", "--help").stdout  # the command line beats the environment
    monkeypatch.setenv("SUPPORTCLI_LANG", "auto")
    assert "Usage" in cli("--help").stdout  # auto: no override, the file decides


def test_a_bad_supportcli_lang_names_the_variable(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORTCLI_LANG", "klingon")
    r = cli("config", "path")
    assert r.exit_code == 2
    assert "SUPPORTCLI_LANG" in r.stderr
    assert "klingon" in r.stderr


def test_supportcli_config_names_the_settings_file(
    cli: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere" / "my-settings.toml"
    monkeypatch.setenv("SUPPORTCLI_CONFIG", str(other))
    assert cli("config", "path").stdout.strip() == str(other)
    assert cli("config", "set", "name", "Li Lei").exit_code == 0
    assert 'name = "Li Lei"' in other.read_text(encoding="utf-8")
    assert json.loads(cli("config", "show", "--json").stdout)["path"] == str(other)


def test_the_language_setting_and_the_flag_read_language_names_alike(cli: Runner) -> None:
    assert cli("config", "set", "language", "zh-TW").exit_code == 0
    assert cli("config", "get", "language").stdout.strip() == "zh"
    assert "用法" in cli("--help").stdout
    assert "Usage" in cli("--lang", "en-US", "--help").stdout
    r = cli("--lang", "fr", "--help")
    assert r.exit_code == 2
    assert "--lang" in r.stderr


def test_config_refuses_an_email_the_flows_refuse(cli: Runner) -> None:
    r = cli("config", "set", "email", "a..b@example.com")
    assert r.exit_code == 2
    assert "me@example.com" in r.stderr
    assert cli("config", "set", "email", "Li.Lei@Example.COM").exit_code == 0
    assert cli("config", "get", "email").stdout.strip() == "Li.Lei@example.com"  # as the flow writes it


def test_the_settings_file_does_not_look_for_packs(app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking a setting reads no pack: whether a pack is installed is checked where it is used."""

    def scanned(*args: object) -> object:
        raise AssertionError("the settings file scanned the packs")

    monkeypatch.setattr("supportcli.core.pack.discover_pack_dirs", scanned)
    config = load_config(app_paths)
    assert config.set("pack", "my-copy") == "my-copy"


def test_config_set_pack_still_names_the_packs_there_are(cli: Runner) -> None:
    r = cli("config", "set", "pack", "nopack")
    assert r.exit_code == 2
    assert "bitfinex" in r.stderr


# --------------------------------------------------------------------------- the network

def test_network_setting_and_offline_flag(app_paths: AppPaths, cli: Runner) -> None:
    config = load_config(app_paths)
    assert resolve_settings(config, CommandLine(), environ={}, now=NOW, lang="en").network_enabled
    assert not resolve_settings(config, CommandLine(offline=True), environ={}, now=NOW, lang="en").network_enabled
    assert resolve_settings(config, CommandLine(online=True), environ={}, now=NOW, lang="en").online
    assert cli("config", "set", "network", "off").exit_code == 0
    assert not resolve_settings(load_config(app_paths), CommandLine(), environ={}, now=NOW, lang="en").network_enabled
    r = cli("config", "set", "network", "maybe")
    assert r.exit_code == 2
    assert "on" in r.stderr
    assert json.loads(cli("config", "show", "--json").stdout)["values"]["network"] == "off"


def test_offline_and_online_anywhere_on_the_line(cli: Runner) -> None:
    assert cli("config", "get", "network", "--offline").exit_code == 0
    assert cli("--online", "config", "get", "network").exit_code == 0
    r = cli("config", "--offline", "get", "network", "--online")
    assert r.exit_code == 2
    assert "--offline" in r.stderr


def test_today_is_the_day_in_the_user_s_zone(app_paths: AppPaths) -> None:
    config = load_config(app_paths)
    config.set("timezone", "Asia/Shanghai")
    settings = resolve_settings(config, CommandLine(), environ={}, now=NOW, lang="en")
    assert settings.today == dt.date(2026, 11, 28)  # 23:30 UTC is the next morning in Shanghai
    assert settings.zone == "Asia/Shanghai"


# --------------------------------------------------------------------------- --debug and -q

def test_debug_shows_the_traceback_and_timings(cli: Runner) -> None:
    plain = cli("config", "set", "timezone", "Mars/Olympus")
    assert plain.exit_code == 2
    assert "Traceback" not in plain.stderr
    r = cli("config", "set", "timezone", "Mars/Olympus", "--debug")
    assert r.exit_code == 2
    assert "Traceback" in r.stderr
    assert "ms in total" in r.stderr
    assert "timezone" in r.stderr.splitlines()[-2]  # the one clear line is still there, before the timing


def test_an_unexpected_error_is_one_line_and_the_traceback_with_debug(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("supportcli.core.config.Config.as_dict", broken)
    r = cli("config", "show", "--json")
    assert r.exit_code == 1
    assert "Traceback" not in r.stderr
    assert "--debug" in r.stderr
    assert "simulated bug" in r.stderr
    r = cli("-q", "--debug", "config", "show", "--json")
    assert "Traceback" in r.stderr


def test_quiet_leaves_out_hints_only(cli: Runner) -> None:
    loud = cli("cases", "list")
    assert "supportcli drafts mark-sent" in loud.stdout  # the hint on how to start a case
    quiet = cli("cases", "list", "-q")
    assert quiet.exit_code == 0
    assert "No open cases" in quiet.stdout
    assert "supportcli drafts mark-sent" not in quiet.stdout
    assert cli("--quiet", "cases", "list").stdout == quiet.stdout


def test_global_options_are_listed_in_the_help(cli: Runner) -> None:
    out = cli("--help").stdout
    for option in ("--lang", "--pack", "--offline", "--online", "--debug", "--quiet"):
        assert option in out


# --------------------------------------------------------------------------- colours

def _terminal(env: dict[str, str], *, tty: bool) -> Terminal:
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    return Terminal(stdin=Stream(), stdout=Stream(), stderr=Stream(), environ=env)


@pytest.mark.parametrize(
    ("env", "tty", "color"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"TERM": "dumb"}, True, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "3"}, False, True),
        ({"FORCE_COLOR": "0"}, False, False),
        ({"FORCE_COLOR": ""}, False, False),
        ({"CLICOLOR_FORCE": "1"}, False, True),
        ({"CLICOLOR_FORCE": "1", "TERM": "dumb"}, True, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins
    ],
)
def test_colour_follows_the_conventions(env: dict[str, str], tty: bool, color: bool) -> None:
    assert _terminal(env, tty=tty).color is color


def test_forced_colour_reaches_a_pipe(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" not in cli("config", "show").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("config", "show").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("config", "show").stdout


# --------------------------------------------------------------------------- interrupted sessions

def test_sessions_are_state_and_old_ones_are_still_found(app_paths: AppPaths, isolated_home: Path) -> None:
    from supportcli.core.flows.answers import latest_session, remove_session, save_session

    path = save_session(app_paths, "abnormal-trade", {"trade_id": 5}, [], now=NOW)
    assert path.parent == isolated_home / ".local" / "state" / "supportcli" / "sessions"
    remove_session(app_paths, "abnormal-trade")
    old = isolated_home / ".local" / "share" / "supportcli" / "sessions" / "deposit-missing.json"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({"version": 1, "flow": "deposit-missing", "saved_at": "2026-11-20T10:00:00+00:00",
                               "answers": {"asset": "USDT"}, "tried": []}), encoding="utf-8")
    session = latest_session(app_paths)
    assert session is not None
    assert session.flow_id == "deposit-missing"
    assert session.answers == {"asset": "USDT"}
    remove_session(app_paths, "deposit-missing")  # a finished run removes it from the old place too
    assert not old.exists()

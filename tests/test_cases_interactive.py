"""`cases log` in a terminal: its questions go through the questionary prompter and the flows'
ask-until-valid loop (driven here by keys on the injected Terminal); `--answers FILE.toml` without one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.keys import BACKSPACE, DOWN, ENTER, ESC_ENTER
from tests.test_cases_store import new_case

SEED = "abandon ability able about above absent absorb abstract absurd abuse access accident"
TODAY = dt.datetime.now(dt.UTC).date()  # the tests run with TZ=UTC and no configured zone
SENT = TODAY - dt.timedelta(days=7)
# kind: the default (reply); channel: the default (the one the request went through); date: today
DEFAULTS = ENTER + ENTER + ENTER


@pytest.fixture
def case_id(app_paths: AppPaths) -> str:
    return new_case(app_paths, sent_on=SENT, today=TODAY).id


def _last(cli: Runner, case_id: str) -> dict[str, object]:
    timeline = json.loads(cli("cases", "show", case_id, "--json").stdout)["timeline"]
    entry: dict[str, object] = timeline[-1]
    return entry


def test_asks_kind_channel_date_summary_and_text(cli: Runner, case_id: str) -> None:
    keys = DOWN + ENTER + ENTER + ENTER + "Agent called about the hold" + ENTER + "line one\rline two" + ESC_ENTER
    r = cli("cases", "log", case_id, keys=keys)
    assert r.exit_code == 0, r.output
    entry = _last(cli, case_id)
    assert entry["kind"] == "call"
    assert entry["channel"] == "ticket"  # the default: the channel the request was sent through
    assert entry["date"] == TODAY.isoformat()
    assert entry["summary"] == "Agent called about the hold"
    assert entry["text"] == "line one\nline two"


def test_seed_phrase_is_refused_and_asked_again(cli: Runner, case_id: str) -> None:
    keys = DEFAULTS + SEED + ENTER + "They asked for my words; I refused" + ENTER + ESC_ENTER
    r = cli("cases", "log", case_id, keys=keys)
    assert r.exit_code == 0, r.output
    assert _last(cli, case_id)["summary"] == "They asked for my words; I refused"
    assert "recovery phrase" in r.stdout
    assert "absurd" not in r.output + r.screen.split("They asked")[-1]
    assert r.stdout.count("controls the wallet") == 1  # the reason once, not the refusal and then again


def test_a_bad_date_is_asked_again_with_the_typo_offered_back(cli: Runner, case_id: str) -> None:
    too_early = (SENT - dt.timedelta(days=1)).isoformat()
    erase = BACKSPACE * 12
    keys = ENTER + ENTER + erase + too_early + ENTER + erase + TODAY.isoformat() + ENTER + "ok" + ENTER + ESC_ENTER
    r = cli("cases", "log", case_id, keys=keys)
    assert r.exit_code == 0, r.output
    assert _last(cli, case_id)["date"] == TODAY.isoformat()
    assert "before the request was sent" in r.stdout


def test_cases_log_reads_days_as_flows_do(cli: Runner, case_id: str) -> None:
    erase = BACKSPACE * 12
    r = cli("cases", "log", case_id, keys=ENTER + ENTER + erase + "前天" + ENTER + "Replied" + ENTER + ESC_ENTER)
    assert r.exit_code == 0, r.output
    assert _last(cli, case_id)["date"] == (TODAY - dt.timedelta(days=2)).isoformat()


def test_nothing_said_is_asked_again(cli: Runner, case_id: str) -> None:
    keys = DEFAULTS + ENTER + ESC_ENTER + "Phoned, no answer" + ENTER + ESC_ENTER
    r = cli("cases", "log", case_id, keys=keys)
    assert r.exit_code == 0, r.output
    assert _last(cli, case_id)["summary"] == "Phoned, no answer"
    assert "give a summary or the text" in r.stdout


def test_back_goes_to_the_previous_question(cli: Runner, case_id: str) -> None:
    keys = ENTER + ENTER + BACKSPACE * 12 + "<" + ENTER + DOWN + ENTER + ENTER + "Went back" + ENTER + ESC_ENTER
    r = cli("cases", "log", case_id, keys=keys)
    assert r.exit_code == 0, r.output
    assert _last(cli, case_id)["channel"] == "email"  # changed after going back


def test_options_given_are_not_asked(cli: Runner, case_id: str) -> None:
    r = cli("cases", "log", case_id, "--kind", "chat", "--channel", "chat", "--date", TODAY.isoformat(),
            keys="Chat closed" + ENTER + ESC_ENTER)
    assert r.exit_code == 0, r.output
    entry = _last(cli, case_id)
    assert entry["kind"] == "chat"
    assert entry["summary"] == "Chat closed"
    assert "What happened?" not in r.screen


def test_menus_speak_chinese_in_chinese(cli: Runner, case_id: str) -> None:
    r = cli("--lang", "zh", "cases", "log", case_id, keys=DEFAULTS + "客服回复了" + ENTER + ESC_ENTER)
    assert r.exit_code == 0, r.output
    assert "用方向键" in r.screen
    assert "Use arrow keys" not in r.screen
    assert "发生了什么" in r.screen


def test_ctrl_c_records_nothing(cli: Runner, case_id: str) -> None:
    before = json.loads(cli("cases", "show", case_id, "--json").stdout)["timeline"]
    r = cli("cases", "log", case_id, keys=DEFAULTS + "half typed")  # the keys run out: interrupted
    assert r.exit_code == 130
    assert json.loads(cli("cases", "show", case_id, "--json").stdout)["timeline"] == before


# --------------------------------------------------------------------------- without a terminal: an answers file

def test_an_answers_file_logs_without_asking(cli: Runner, case_id: str, tmp_path: Path) -> None:
    answers = tmp_path / "log.toml"
    answers.write_text(
        'kind = "reply"\nchannel = "email"\ndate = "前天"\nsummary = "Asked for the CSV"\n'
        'text = """Dear customer,\nplease send the CSV."""\nticket_number = "#50112"\n',
        encoding="utf-8",
    )
    r = cli("cases", "log", case_id, "--answers", str(answers))
    assert r.exit_code == 0, r.output
    entry = _last(cli, case_id)
    assert entry["channel"] == "email"
    assert entry["date"] == (TODAY - dt.timedelta(days=2)).isoformat()
    assert entry["text"] == "Dear customer,\nplease send the CSV."
    assert entry["ticket_number"] == "50112"


def test_an_answers_file_with_a_bad_or_unknown_answer_names_the_key(
    cli: Runner, case_id: str, tmp_path: Path
) -> None:
    answers = tmp_path / "log.toml"
    answers.write_text('summary = "x"\nkind = "shout"\n', encoding="utf-8")
    r = cli("cases", "log", case_id, "--answers", str(answers))
    assert r.exit_code == 2
    assert "kind:" in r.stderr
    answers.write_text('summry = "x"\n', encoding="utf-8")
    r = cli("cases", "log", case_id, "--answers", str(answers))
    assert r.exit_code == 2
    assert "summry" in r.stderr
    assert "summary" in r.stderr  # did you mean
    answers.write_text(f'summary = "{SEED}"\n', encoding="utf-8")
    r = cli("cases", "log", case_id, "--answers", str(answers))
    assert r.exit_code == 2
    assert "recovery phrase" in r.stderr
    assert "absurd" not in r.output
    answers.write_text('kind = "note"\n', encoding="utf-8")
    r = cli("cases", "log", case_id, "--answers", str(answers))
    assert r.exit_code == 2
    assert "summary" in r.stderr


def test_options_win_over_the_answers_file(cli: Runner, case_id: str, tmp_path: Path) -> None:
    answers = tmp_path / "log.toml"
    answers.write_text('kind = "reply"\nsummary = "from the file"\n', encoding="utf-8")
    r = cli("cases", "log", case_id, "--answers", str(answers), "--kind", "note")
    assert r.exit_code == 0, r.output
    entry = _last(cli, case_id)
    assert entry["kind"] == "note"
    assert entry["summary"] == "from the file"

"""`supportcli troubleshoot`: list, template, answers files, JSON, non-terminal runs, resume, help."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from tests.conftest import Runner

FIVE = '''trade_id = "１２３４５"
occurred_at = "2026-11-20 14:05"
balance = "1,523.40 usdt"
pair = "tBTCUSD"
description = """
Limit sell at 43000 filled at 41000.
"""
'''


def answers_file(tmp_path: Path, text: str, name: str = "answers.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_list_json_has_every_flow_with_stable_keys(cli: Runner) -> None:
    r = cli("troubleshoot", "--list", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    ids = [f["id"] for f in data]
    assert "abnormal-trade" in ids
    assert "escalate" in ids
    assert "general" in ids
    assert set(data[0]) == {"id", "title", "summary", "category", "faq", "questions"}


def test_list_in_chinese(cli: Runner) -> None:
    r = cli("--lang", "zh", "troubleshoot", "--list")
    assert r.exit_code == 0
    assert "充值未到账" in r.stdout
    assert "supportcli troubleshoot 流程名" in r.stdout


def test_five_keys_complete_abnormal_trade_and_write_both_drafts(cli: Runner, tmp_path: Path) -> None:
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers_file(tmp_path, FIVE)), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) == {"flow", "resolved", "resolved_by", "answers", "tried", "id", "draft_id", "ticket", "email",
                         "sidecar", "mailto", "records", "records_csv", "market"}
    assert (data["records"], data["records_csv"], data["market"]) == ([], [], None)  # nothing imported, offline
    assert data["flow"] == "abnormal-trade"
    assert data["resolved"] is False
    assert data["answers"]["trade_id"] == 12345
    assert data["answers"]["pair"] == "BTC/USD"
    assert data["answers"]["balance"] == "1523.40 USDT"
    assert data["answers"]["occurred_at"] == "2026-11-20T14:05+00:00"
    assert data["answers"]["what_kind"] == "other"
    ticket, email = Path(data["ticket"]), Path(data["email"])
    assert ticket.is_file()
    assert email.is_file()
    assert "12345" in ticket.read_text(encoding="utf-8")
    assert stat.S_IMODE(ticket.stat().st_mode) == 0o600


def test_format_and_output_choose_what_is_written_where(cli: Runner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers_file(tmp_path, FIVE)), "--format", "email",
            "--output", str(out), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["ticket"] is None
    assert Path(data["email"]).parent == out.resolve()


def test_text_output_prints_the_paths(cli: Runner, tmp_path: Path) -> None:
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers_file(tmp_path, FIVE)))
    assert r.exit_code == 0, r.output
    assert "Ticket: " in r.stdout
    assert "Email:  " in r.stdout
    assert "https://support.bitfinex.com" in r.stdout


def test_an_invalid_answer_exits_2_naming_the_key(cli: Runner, tmp_path: Path) -> None:
    path = answers_file(tmp_path, FIVE.replace("１２３４５", "12a"))
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(path))
    assert r.exit_code == 2
    assert "trade_id" in r.stderr
    assert "whole numbers" in r.stderr
    assert not AppPaths.default().drafts_dir.exists()


def test_a_missing_answer_exits_2_naming_the_key(cli: Runner, tmp_path: Path) -> None:
    text = "\n".join(line for line in FIVE.splitlines() if not line.startswith("pair"))
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers_file(tmp_path, text)))
    assert r.exit_code == 2
    assert "pair" in r.stderr
    assert "required" in r.stderr


def test_an_unknown_key_exits_2_with_a_suggestion(cli: Runner, tmp_path: Path) -> None:
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers_file(tmp_path, FIVE + 'trade_idd = 5\n')))
    assert r.exit_code == 2
    assert "trade_idd" in r.stderr
    assert "Did you mean: trade_id" in r.stderr


def test_a_broken_answers_file_names_the_file(cli: Runner, tmp_path: Path) -> None:
    path = answers_file(tmp_path, "trade_id = = 5\n")
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(path))
    assert r.exit_code == 2
    assert str(path) in r.stderr


def test_a_secret_in_an_answers_file_exits_2_and_is_not_echoed(cli: Runner, tmp_path: Path) -> None:
    seed = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
    text = FIVE.replace("Limit sell at 43000 filled at 41000.", seed)
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers_file(tmp_path, text)))
    assert r.exit_code == 2
    assert "description" in r.stderr
    assert "recovery phrase" in r.stderr
    assert "abandon" not in r.output


def test_template_round_trips_into_a_complete_run(cli: Runner, tmp_path: Path) -> None:
    from supportcli.core.flows.content import load_flow
    from tests.drafts_fixtures import bitfinex_pack
    from tests.test_flows_template_examples import filled_in

    for flow in ("abnormal-trade", "deposit-missing", "withdrawal-delayed", "verify-account", "password-reset",
                 "trade-dispute", "trade-failed", "escalate", "general"):
        r = cli("troubleshoot", flow, "--template")
        assert r.exit_code == 0, r.output
        assert r.stdout.startswith(f"# Answers for the flow '{flow}'")
        # Filled in as a user would (an unedited template is refused: tests/test_flows_template_examples.py).
        path = answers_file(tmp_path, filled_in(r.stdout, load_flow(bitfinex_pack(), flow)), f"{flow}.toml")
        done = cli("troubleshoot", flow, "--answers", str(path), "--json")
        assert done.exit_code == 0, (flow, done.output)
        assert json.loads(done.stdout)["flow"] == flow


def test_template_lists_tried_steps_and_they_reach_the_result(cli: Runner, tmp_path: Path) -> None:
    text = FIVE + '_tried = ["check-announcements"]\n'
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers_file(tmp_path, text)), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["tried"] == ["check-announcements"]
    assert "_tried = [" in cli("troubleshoot", "abnormal-trade", "--template").stdout


def test_template_in_chinese(cli: Runner) -> None:
    r = cli("--lang", "zh", "troubleshoot", "deposit-missing", "--template")
    assert r.exit_code == 0
    assert "# 流程 'deposit-missing' 的答案" in r.stdout
    assert "类型：txhash" in r.stdout


def test_no_terminal_and_no_answers_exits_2_at_once(cli: Runner) -> None:
    r = cli("troubleshoot", "abnormal-trade")
    assert r.exit_code == 2
    assert "--template > answers.toml" in r.stderr
    assert "--answers answers.toml" in r.stderr
    r = cli("troubleshoot")
    assert r.exit_code == 2


def test_a_mistyped_flow_is_named_before_the_terminal_is_asked_for(cli: Runner) -> None:
    r = cli("troubleshoot", "abnormal-trad")
    assert r.exit_code == 2
    assert "abnormal-trade" in r.stderr  # the suggestion, not advice to run '--template' on a flow that is not there
    assert "--template" not in r.stderr


def test_a_real_pipe_never_hangs(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "supportcli", "troubleshoot", "deposit-missing"], input="", capture_output=True,
        text=True, timeout=30, env=env,
    )
    assert proc.returncode == 2
    assert "--answers" in proc.stderr


def test_unknown_flow_suggests(cli: Runner, tmp_path: Path) -> None:
    r = cli("troubleshoot", "abnormal-trad", "--answers", str(answers_file(tmp_path, FIVE)))
    assert r.exit_code == 2
    assert "Did you mean: abnormal-trade" in r.stderr


def test_bad_format_and_conflicting_options(cli: Runner, tmp_path: Path) -> None:
    assert cli("troubleshoot", "abnormal-trade", "--format", "pdf").exit_code == 2
    r = cli("troubleshoot", "--resume", "--answers", str(answers_file(tmp_path, FIVE)))
    assert r.exit_code == 2
    assert cli("troubleshoot", "--template").exit_code == 2


def test_resume_without_a_session_exits_2(cli: Runner) -> None:
    r = cli("troubleshoot", "--resume", tty=True)
    assert r.exit_code == 2
    assert "no interrupted session" in r.stderr


def test_sessions_are_private_and_resumable(app_paths: AppPaths) -> None:
    import datetime as dt

    from supportcli.core.flows.answers import latest_session, remove_session, save_session

    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    path = save_session(app_paths, "abnormal-trade", {"trade_id": 5, "pair": "BTC/USD"}, ["check-announcements"],
                        now=now, skipped={"order_id"})
    assert path.parent == app_paths.sessions_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    session = latest_session(app_paths)
    assert session is not None
    assert session.flow_id == "abnormal-trade"
    assert session.answers == {"trade_id": 5, "pair": "BTC/USD"}
    assert session.tried == ("check-announcements",)
    assert session.skipped == ("order_id",)
    remove_session(app_paths, "abnormal-trade")
    assert latest_session(app_paths) is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_has_examples_in_both_languages(cli: Runner, lang: str) -> None:
    r = cli("--lang", lang, "troubleshoot", "--help")
    assert r.exit_code == 0
    assert "supportcli troubleshoot deposit-missing --answers answers.toml --json" in r.stdout
    assert ("Examples:" if lang == "en" else "示例：") in r.stdout
    assert "--resume" in r.stdout
    assert "--case" in r.stdout


def test_help_and_list_do_not_import_questionary() -> None:
    code = (
        "import sys; from supportcli.cli import main; "
        "main(['troubleshoot', '--help']); main(['troubleshoot', '--list']); "
        "assert 'questionary' not in sys.modules and 'prompt_toolkit' not in sys.modules, 'imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


def test_escalate_from_a_case_prefills_answers(cli: Runner, tmp_path: Path, app_paths: AppPaths) -> None:
    try:
        from tests.test_cases_store import new_case
    except ImportError:
        pytest.skip("cases are not installed")
    case = new_case(app_paths)
    # support_said is asked only when the reason is "unsatisfied"; the file answers it either way.
    path = answers_file(tmp_path, 'request = "Please pass this to a senior team."\nsupport_said = "Nothing yet."\n')
    r = cli("troubleshoot", "escalate", "--case", case.id, "--answers", str(path), "--json", "--format", "ticket")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["flow"] == "escalate"
    assert data["answers"]["ticket_number"] == "48213"
    assert data["answers"]["sent_on"] == "2026-11-20"
    assert data["answers"]["channel"] == "ticket"
    assert data["answers"]["case_id"] == case.id
    assert data["answers"]["request"] == "Please pass this to a senior team."
    assert data["answers"]["reason"] in ("no_reply", "unsatisfied")


def test_case_needs_the_escalate_flow(cli: Runner, tmp_path: Path) -> None:
    r = cli("troubleshoot", "deposit-missing", "--case", "abc", "--answers", str(answers_file(tmp_path, "")))
    assert r.exit_code == 2
    assert "escalate" in r.stderr


def test_answers_run_keeps_the_draft_when_the_drafts_folder_cannot_be_written(
    cli: Runner, tmp_path: Path, isolated_home: Path
) -> None:
    """Non-interactive, a failed write prints the whole draft (stderr) and exits 1: nothing is lost."""
    data = isolated_home / ".local" / "share" / "supportcli"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("not a folder")  # the data folder cannot be created
    answers = tmp_path / "a.toml"
    answers.write_text(
        'trade_id = 123456\noccurred_at = "2026-11-20 14:05"\nbalance = "1523.40 USDT"\n'
        'pair = "tBTCUSD"\ndescription = "The fill price was far from my limit."\n',
        encoding="utf-8",
    )
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers), "--json")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "The fill price was far from my limit." in r.stderr
    assert "Abnormal trade #123456" in r.stderr


def test_answers_run_shows_the_scam_warning_when_the_text_says_support_dmed(cli: Runner, tmp_path: Path) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text(
        'trade_id = 5551234\noccurred_at = "2026-11-20 14:05"\nbalance = "0.5 BTC"\npair = "ethusd"\n'
        'description = "Someone from Bitfinex support DMed me on Telegram and told me to move funds."\n',
        encoding="utf-8",
    )
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers), "--json")
    assert r.exit_code == 0
    json.loads(r.stdout)  # stdout stays pure JSON
    assert "never send you the first direct message" in r.stderr
    assert "Bitfinex" in r.stderr
    assert "https://support.bitfinex.com" in r.stderr  # the pack's names


def test_an_answers_file_that_is_not_utf8_says_how_to_fix_it(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes('description = "成交价不对"\n'.encode("gb18030"))
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(path))
    assert r.exit_code == 2
    assert "it is not UTF-8 text (save it as UTF-8 in your editor)" in r.stderr


def test_closing_lines_wrap_at_words_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import shutil

    from supportcli.term.flow_session import _say
    from supportcli.term.terminal import Terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((41, 20)))
    out = Tty()
    text = "Submit it as a ticket at https://support.bitfinex.com (log in there yourself)."
    _say(Terminal(stdin=io.StringIO(), stdout=out, stderr=io.StringIO()), text)
    lines = out.getvalue().splitlines()
    assert len(lines) > 1
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == text  # broken between words only
    piped = io.StringIO()
    _say(Terminal(stdin=io.StringIO(), stdout=piped, stderr=io.StringIO()), text)
    assert piped.getvalue() == text + "\n"


def test_an_answer_for_a_question_that_does_not_apply_is_reported_not_dropped_silently(
    cli: Runner, tmp_path: Path
) -> None:
    text = (
        'amount = "250 USDT"\nnetwork = "tron"\nnetwork_name = "Solana"\n'
        'tx_hash = "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"\n'
        'deposit_address = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"\nsent_at = "2026-11-20 14:05"\n'
    )
    path = answers_file(tmp_path, text)
    r = cli("troubleshoot", "deposit-missing", "--answers", str(path), "--output", str(tmp_path), "--json")
    assert r.exit_code == 0, r.stderr
    assert "network_name" not in json.loads(r.stdout)["answers"]
    assert "network_name was left out: that question applies only when network = other." in r.stderr
    assert "sent_at: No time zone given, so this is taken as UTC time: 2026-11-20 14:05 UTC." in r.stderr

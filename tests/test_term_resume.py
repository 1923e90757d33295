"""--resume: which session, and going back into what was resumed."""

from __future__ import annotations

import datetime as dt

from supportcli.core.flows.answers import save_session
from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.keys import BACKSPACE, DOWN, ENTER

NOW = dt.datetime.now(dt.UTC)
TRIED = ["check-announcements", "check-order-history-and-ledgers"]


def _two_sessions(app_paths: AppPaths) -> None:
    save_session(app_paths, "deposit-missing", {}, [], now=NOW - dt.timedelta(hours=2))
    save_session(app_paths, "abnormal-trade", {"what_kind": "other", "trade_id": 1234567890, "pair": "BTC/USD"},
                 TRIED, now=NOW, skipped={"order_id"})
    # newest first: the file times decide, as they do for --resume
    import os

    old = app_paths.sessions_dir / "deposit-missing.json"
    os.utime(old, (NOW.timestamp() - 7200, NOW.timestamp() - 7200))


def test_without_a_terminal_several_sessions_are_listed_with_how_to_pick(cli: Runner, app_paths: AppPaths) -> None:
    _two_sessions(app_paths)
    r = cli("troubleshoot", "--resume")
    assert r.exit_code == 2
    assert "2 interrupted sessions are saved" in r.stderr
    assert "supportcli troubleshoot --resume abnormal-trade" in r.stderr
    lines = [line.strip() for line in r.stderr.splitlines() if " — saved " in line]
    assert [line.split()[0] for line in lines] == ["abnormal-trade", "deposit-missing"]  # newest first
    assert "A trade looks wrong" in lines[0] and "3 answers" in lines[0]
    r = cli("--lang", "zh", "troubleshoot", "--resume")
    assert r.exit_code == 2 and "保存了 2 个中断的会话" in r.stderr


def test_in_a_terminal_several_sessions_are_a_menu(cli: Runner, app_paths: AppPaths) -> None:
    _two_sessions(app_paths)
    r = cli("troubleshoot", "--resume", keys=DOWN + ENTER)  # the second: deposit-missing; then out of keys
    assert r.exit_code == 130
    assert "Which interrupted session should continue?" in r.stdout
    assert "A deposit has not arrived" in r.stdout  # its flow started
    assert (app_paths.sessions_dir / "abnormal-trade.json").exists()  # the other one is untouched


def test_resume_of_a_named_flow_with_no_session_says_so(cli: Runner, app_paths: AppPaths) -> None:
    _two_sessions(app_paths)
    r = cli("troubleshoot", "general", "--resume", tty=True)
    assert r.exit_code == 2
    assert "no interrupted session of 'general'" in r.stderr


def test_back_at_the_first_question_after_resume_goes_into_the_resumed_answers(
    cli: Runner, app_paths: AppPaths,
) -> None:
    save_session(app_paths, "abnormal-trade", {"what_kind": "other", "trade_id": 1234567890, "pair": "BTC/USD"},
                 TRIED, now=NOW, skipped={"order_id"})
    # the first question now is "when"; < goes back to the pair (pre-filled: Enter keeps it), then "when" again
    r = cli("troubleshoot", "abnormal-trade", "--resume", keys="<" + ENTER + ENTER)
    assert r.exit_code == 130  # out of keys at "when", asked again
    out = r.stdout
    assert "Continuing where you stopped" in out
    assert out.index("? Trading pair") > out.index("Continuing where you stopped")
    assert "BTC/USD" in out.split("? Trading pair")[1].splitlines()[0]  # pre-filled, kept with Enter
    erase = BACKSPACE * len("BTC/USD")
    r = cli("troubleshoot", "abnormal-trade", "--resume", keys="<" + ENTER + erase + "<" + ENTER + "<" + ENTER)
    assert r.exit_code == 130
    # further back: the pair, the order id (skipped before), then the trade id, pre-filled
    assert "1234567890" in r.screen.split("Order id")[-1]

"""`supportcli` with no arguments: a short home screen in the user's language."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.test_cases_store import new_case, write_draft

TODAY = dt.datetime.now(dt.UTC).date()


def test_first_run_in_english(cli: Runner) -> None:
    r = cli()
    assert r.exit_code == 0
    assert r.stderr == ""
    assert "No cases or drafts yet" in r.stdout
    for command in ("supportcli faq search", "supportcli troubleshoot", "supportcli draft-ticket"):
        assert command in r.stdout
    assert "Usage:" not in r.stdout  # not a wall of help
    assert len(r.stdout.splitlines()) <= 15


def test_first_run_in_chinese(cli: Runner) -> None:
    r = cli("--lang", "zh")
    assert r.exit_code == 0
    assert "还没有案件或草稿" in r.stdout
    assert "主要命令" in r.stdout
    assert "supportcli faq search 关键词" in r.stdout
    assert "No cases" not in r.stdout


def test_overdue_open_cases_and_unsent_drafts(cli: Runner, app_paths: AppPaths) -> None:
    late = new_case(app_paths, sent_on=TODAY - dt.timedelta(days=30), today=TODAY).id
    fresh = new_case(app_paths, sent_on=TODAY, today=TODAY, draft_id="20261121-080000-fresh", ticket=None).id
    write_draft(app_paths, "20261126-120000-verify", subject="Verification stuck")
    r = cli()
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "Overdue (1)" in out
    assert f"supportcli troubleshoot escalate --case {late}" in out
    assert "Open cases (1)" in out
    assert fresh in out
    assert "Unsent drafts (1)" in out
    assert "Verification stuck" in out
    assert "20261120-091500-withdrawal-delayed" not in out  # sent drafts are cases now
    assert out.index("Overdue") < out.index("Open cases") < out.index("Unsent drafts") < out.index("Main commands")
    r = cli("--lang", "zh")
    assert "已逾期（1）" in r.stdout
    assert "未结案件（1）" in r.stdout
    assert "未发送的草稿（1）" in r.stdout


def test_damaged_files_do_not_break_it(cli: Runner, app_paths: AppPaths) -> None:
    case = new_case(app_paths, sent_on=TODAY, today=TODAY)
    (case.folder / "case.toml").write_bytes(b"\xff\xfe broken")
    app_paths.drafts_dir.mkdir(parents=True, exist_ok=True)
    (app_paths.drafts_dir / "20261126-120000-broken.toml").write_text("subject = ", encoding="utf-8")
    r = cli()
    assert r.exit_code == 0, r.output
    assert "could not be read" in r.stdout
    assert "Main commands" in r.stdout


def test_home_is_cheap() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['supportcli']\n"
        "from supportcli.cli import main\n"
        "rc = main()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('questionary', 'prompt_toolkit', 'rich'))\n"
        "print('LOADED=' + ','.join(bad), file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "LOADED=\n" in r.stderr, r.stderr


def test_many_cases_and_long_chinese_subjects_stay_short(cli: Runner, app_paths: AppPaths) -> None:
    from supportcli.core.cases.sending import mark_sent
    from supportcli.core.drafts.store import DraftStore
    from supportcli.term.wrap import display_width

    subject = "提现一直没有到账，已经等了三天，请尽快帮忙核查这笔提现的处理进度和原因，谢谢"
    for n in range(7):
        draft_id = f"202611{10 + n}-080000-late-{n}"
        write_draft(app_paths, draft_id, subject=subject)
        mark_sent(app_paths, DraftStore(app_paths).get(draft_id), ticket_number=None,
                  sent_on=TODAY - dt.timedelta(days=20 + n), channel="ticket", today=TODAY,
                  reply_window=(5, False, "bitfinex"))
    out = cli("--lang", "zh").stdout
    assert "已逾期（7）" in out
    assert "……还有 2 项" in out
    assert "暂无工单号" in out
    assert "工单 -" not in out
    lines = [line for line in out.splitlines() if "暂无工单号" in line]
    assert len(lines) == 5
    assert all(line.endswith("…") and display_width(line) <= 100 for line in lines)
    assert "… and 2 more" in cli().stdout
    assert "no ticket number" in cli().stdout


def test_a_data_folder_that_cannot_be_used_is_named(cli: Runner, app_paths: AppPaths) -> None:
    app_paths.drafts_dir.parent.mkdir(parents=True, exist_ok=True)
    app_paths.drafts_dir.write_text("not a folder", encoding="utf-8")
    r = cli()
    assert r.exit_code == 0
    assert f"Cannot read your saved data: Could not use {app_paths.drafts_dir}" in r.stdout
    assert "No cases or drafts yet" not in r.stdout
    assert "Main commands" in r.stdout


def _column_of(line: str, text: str) -> int:
    from supportcli.term.wrap import display_width

    return display_width(line[: line.index(text)])


def test_columns_line_up_by_display_width_in_chinese(cli: Runner, app_paths: AppPaths) -> None:
    new_case(app_paths, sent_on=TODAY, today=TODAY, draft_id="20261121-080000-a", ticket="7")
    new_case(app_paths, sent_on=TODAY, today=TODAY, draft_id="20261122-080000-b", ticket=None)
    out = cli("--lang", "zh").stdout.splitlines()
    commands = [line for line in out if line.startswith("  supportcli ")]
    assert len(commands) == 3
    starts = {_column_of(line, what) for line, what in zip(commands, ("在知识库", "一步步", "起草"), strict=True)}
    assert len(starts) == 1  # 关键词 takes six columns, WORDS five: the descriptions still line up
    cases = [line for line in out if "工单 7" in line or "暂无工单号" in line]
    assert len(cases) == 2
    assert len({_column_of(line, "回复截止") for line in cases}) == 1


def test_subjects_take_the_terminal_width(cli: Runner, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    subject = "Funding offer not shown in my wallet after the BTC/USD margin position was closed by the engine"
    write_draft(app_paths, "20261126-120000-funding", subject=subject)
    monkeypatch.setenv("COLUMNS", "140")
    assert subject in cli().stdout  # whole, at 140 columns
    monkeypatch.setenv("COLUMNS", "60")
    line = next(line for line in cli().stdout.splitlines() if "20261126-120000-funding" in line)
    from supportcli.term.wrap import display_width

    assert display_width(line) < 60
    assert line.endswith("…")
    assert line.rstrip("…").split()[-1] in subject.split()  # cut after a whole word, never inside one


def test_interrupted_sessions_are_mentioned_with_how_to_continue(cli: Runner, app_paths: AppPaths) -> None:
    from supportcli.core.flows.answers import save_session

    now = dt.datetime.now(dt.UTC)
    save_session(app_paths, "abnormal-trade", {"trade_id": 1234}, [], now=now)
    r = cli()
    assert "Interrupted troubleshooting (1)" in r.stdout
    assert "abnormal-trade" in r.stdout
    assert "supportcli troubleshoot --resume abnormal-trade" in r.stdout
    assert "No cases or drafts yet" not in r.stdout
    save_session(app_paths, "deposit-missing", {}, [], now=now)
    r = cli("--lang", "zh")
    assert "中断的排查流程（2）" in r.stdout
    assert "supportcli troubleshoot --resume FLOW" in r.stdout

"""`supportcli cases …` end to end, as a user runs it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from supportcli.core.cases.business_days import add_business_days
from supportcli.core.cases.store import CaseStore
from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.test_cases_store import new_case

SEED = "abandon ability able about above absent absorb abstract absurd abuse access accident"
TODAY = dt.datetime.now(dt.UTC).date()  # the tests run with TZ=UTC and no configured zone


def _overdue_case(app_paths: AppPaths) -> str:
    return new_case(app_paths, sent_on=TODAY - dt.timedelta(days=30), today=TODAY).id


def _fresh_case(app_paths: AppPaths) -> str:
    return new_case(app_paths, sent_on=TODAY, today=TODAY, draft_id="20261120-101500-fresh", ticket=None).id


def test_list_when_there_are_no_cases(cli: Runner) -> None:
    r = cli("cases", "list")
    assert r.exit_code == 0
    assert "No open cases" in r.stdout
    assert "supportcli drafts mark-sent" in r.stdout
    r = cli("cases", "list", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == []


def test_list_shows_reply_window_overdue_flag_and_escalation(cli: Runner, app_paths: AppPaths) -> None:
    late = _overdue_case(app_paths)
    fresh = _fresh_case(app_paths)
    r = cli("cases", "list")
    assert r.exit_code == 0, r.output
    assert r.stdout.index(fresh) < r.stdout.index(late)  # newest first
    assert "OVERDUE" in r.stdout
    assert f"supportcli troubleshoot escalate --case {late}" in r.stdout
    assert f"--case {fresh}" not in r.stdout
    assert "unconfirmed" in r.stdout
    assert "2–5 business days" in r.stdout  # the pack's note
    data = json.loads(cli("cases", "list", "--json").stdout)
    assert [c["id"] for c in data] == [fresh, late]
    by_id = {c["id"]: c for c in data}
    assert by_id[late]["overdue"] is True
    assert by_id[fresh]["overdue"] is False
    assert by_id[late]["ticket_number"] == "48213"
    assert by_id[fresh]["ticket_number"] is None
    assert by_id[fresh]["reply_due"] == add_business_days(TODAY, 5).isoformat()
    assert by_id[late]["reply_due"] == add_business_days(TODAY - dt.timedelta(days=30), 5).isoformat()
    assert by_id[late]["sent_on"] == (TODAY - dt.timedelta(days=30)).isoformat()
    assert by_id[late]["status"] == "open"
    assert by_id[late]["reply_window_confirmed"] is False
    assert by_id[late]["escalate"] == f"supportcli troubleshoot escalate --case {late}"


def test_closed_cases_only_with_all(cli: Runner, app_paths: AppPaths) -> None:
    case_id = _overdue_case(app_paths)
    r = cli("cases", "close", case_id[:3], "--resolution", "Funds arrived")
    assert r.exit_code == 0
    assert case_id in r.stdout
    assert json.loads(cli("cases", "list", "--json").stdout) == []
    [closed] = json.loads(cli("cases", "list", "--all", "--json").stdout)
    assert closed["status"] == "closed"
    assert closed["overdue"] is False
    assert closed["resolution"] == "Funds arrived"
    assert cli("cases", "close", case_id).exit_code == 2
    assert cli("cases", "reopen", case_id).exit_code == 0
    assert json.loads(cli("cases", "list", "--json").stdout)[0]["status"] == "open"


def test_the_list_shows_no_due_day_for_a_closed_case_and_says_overdue_once(
    cli: Runner, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    late = _overdue_case(app_paths)
    due = add_business_days(TODAY - dt.timedelta(days=30), 5).isoformat()
    row = next(line for line in cli("cases", "list").stdout.splitlines() if line.startswith(late))
    assert row.count(due) == 1
    assert "OVERDUE by" in row
    cli("cases", "close", late)
    row = next(line for line in cli("cases", "list", "--all").stdout.splitlines() if line.startswith(late))
    assert due not in row
    assert "closed" in row


def test_a_narrow_terminal_gets_two_whole_lines_per_case(
    cli: Runner, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    late = _overdue_case(app_paths)
    due = add_business_days(TODAY - dt.timedelta(days=30), 5).isoformat()
    lines = cli("cases", "list").stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(late))
    assert f"reply due {due}" in lines[first]
    assert "business days" in lines[first]  # the state is not chopped
    assert lines[first + 1].strip() == "提现未到账 / Withdrawal not received"
    zh = cli("--lang", "zh", "cases", "list").stdout
    assert f"回复截止 {due}" in zh
    assert "已逾期" in zh


def test_log_then_show_the_whole_timeline(cli: Runner, app_paths: AppPaths) -> None:
    case_id = _overdue_case(app_paths)
    day = (TODAY - dt.timedelta(days=2)).isoformat()
    r = cli("cases", "log", case_id, "--kind", "reply", "--channel", "email", "--date", day,
            "--summary", "They need the CSV export")
    assert r.exit_code == 0, r.output
    assert "#2" in r.stdout
    r = cli("cases", "log", case_id, "-", "--kind", "chat", input="Agent: still under review\nThanks\n")
    assert r.exit_code == 0, r.output
    r = cli("cases", "show", case_id)
    assert r.exit_code == 0
    for text in ("They need the CSV export", "Agent: still under review", "reply from support", "48213"):
        assert text in r.stdout
    data = json.loads(cli("cases", "show", case_id, "--json").stdout)
    assert [e["kind"] for e in data["timeline"]] == ["sent", "reply", "chat"]
    assert data["timeline"][1]["date"] == day
    assert data["timeline"][2]["text"] == "Agent: still under review\nThanks"
    assert data["overdue"] is False  # support answered


def test_a_corrected_entry_says_which_entry_corrects_it(cli: Runner, app_paths: AppPaths) -> None:
    from supportcli.core.cases.bundle import timeline_markdown

    case_id = _overdue_case(app_paths)
    day = (TODAY - dt.timedelta(days=2)).isoformat()
    cli("cases", "log", case_id, "--kind", "reply", "--date", day, "--summary", "Asked for a selfie")
    r = cli("cases", "log", case_id, "--corrects", "2", "--summary", "Asked for an ID selfie")
    assert r.exit_code == 0, r.output
    shown = cli("cases", "show", case_id).stdout
    assert "(corrected by #3)" in shown
    assert "(corrects #2)" in shown
    markdown = timeline_markdown(CaseStore(app_paths).get(case_id), TODAY)
    assert "Corrected by entry #3." in markdown
    assert "Corrects entry #2." in markdown
    assert markdown.count(f"· {day} ·") == 2  # the correction keeps the day it corrects


def test_log_from_a_file(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    case_id = _overdue_case(app_paths)
    reply = tmp_path / "reply.txt"
    reply.write_text("您好，我们正在处理您的请求。\n", encoding="utf-8")
    r = cli("cases", "log", case_id, "--file", str(reply))
    assert r.exit_code == 0, r.output
    assert "我们正在处理" in cli("cases", "show", case_id).stdout


def test_guard_refuses_a_pasted_seed_phrase(cli: Runner, app_paths: AppPaths, isolated_home: Path) -> None:
    case_id = _overdue_case(app_paths)
    before = sorted((app_paths.cases_dir / case_id / "timeline").iterdir())
    pasted = f"Support asked me to confirm my wallet. My words:\n{SEED}\n"
    r = cli("cases", "log", case_id, "-", "--kind", "reply", input=pasted)
    assert r.exit_code == 2
    assert "text" in r.stderr
    assert "recovery phrase" in r.stderr
    assert "Traceback" not in r.output
    assert sorted((app_paths.cases_dir / case_id / "timeline").iterdir()) == before
    for word in ("ability", "absurd", "accident"):
        assert word not in r.output
        for path in isolated_home.rglob("*"):
            if path.is_file():
                assert word.encode() not in path.read_bytes(), path
    # --not-secret never lets a recovery phrase through.
    r = cli("cases", "log", case_id, "--not-secret", "--text", SEED)
    assert r.exit_code == 2
    assert "recovery phrase" in r.stderr


def test_log_without_input_and_without_a_terminal_says_how(cli: Runner, app_paths: AppPaths) -> None:
    case_id = _overdue_case(app_paths)
    r = cli("cases", "log", case_id)
    assert r.exit_code == 2
    assert "--summary" in r.stderr
    assert "--text" in r.stderr


def test_log_and_mark_sent_read_days_as_the_flows_do(cli: Runner, app_paths: AppPaths) -> None:
    """`11/20`, `20 Nov`, `前天`: what the flows' date questions accept, `--date` and `--sent-on` accept."""
    case_id = _overdue_case(app_paths)
    day_before_yesterday = TODAY - dt.timedelta(days=2)
    written = f"{day_before_yesterday.month}/{day_before_yesterday.day}"
    if day_before_yesterday.month != day_before_yesterday.day and day_before_yesterday.day <= 12:
        written = day_before_yesterday.strftime("%d %b")  # 11/05 could be 5 November or 11 May: a name then
    for typed in ("前天", written):
        r = cli("cases", "log", case_id, "--summary", "They replied", "--date", typed)
        assert r.exit_code == 0, (typed, r.output)
    timeline = json.loads(cli("cases", "show", case_id, "--json").stdout)["timeline"]
    assert [e["date"] for e in timeline[-2:]] == [day_before_yesterday.isoformat()] * 2
    from tests.test_cases_store import write_draft

    write_draft(app_paths, "20261121-080000-another")
    r = cli("drafts", "mark-sent", "20261121-080000-another", "--sent-on", "前天", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["sent_on"] == day_before_yesterday.isoformat()


def test_log_bad_input_names_the_field(cli: Runner, app_paths: AppPaths) -> None:
    case_id = _overdue_case(app_paths)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    r = cli("cases", "log", case_id, "--summary", "x", "--date", future)
    assert r.exit_code == 2
    assert "--date:" in r.stderr
    assert "future" in r.stderr
    r = cli("cases", "log", case_id, "--summary", "x", "--kind", "yell")
    assert r.exit_code == 2
    assert "--kind:" in r.stderr
    assert "followup" in r.stderr
    r = cli("cases", "log", case_id, "--summary", "x", "--channel", "fax")
    assert r.exit_code == 2
    assert "--channel:" in r.stderr
    r = cli("cases", "log", case_id, "--summary", "x", "--ticket-number", "48 213")
    assert r.exit_code == 2
    assert "--ticket-number:" in r.stderr
    r = cli("cases", "log", case_id, "--text", "a", "--file", "b")
    assert r.exit_code == 2


def test_attach_and_bundle(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    import zipfile

    case_id = _overdue_case(app_paths)
    export = tmp_path / "trades.csv"
    export.write_text("ID,PAIR\n1,tBTCUSD\n", encoding="utf-8")
    r = cli("cases", "attach", case_id, str(export))
    assert r.exit_code == 0, r.output
    assert "trades.csv" in r.stdout
    assert export.exists()
    r = cli("cases", "attach", case_id, str(export))
    assert r.exit_code == 0
    assert "already kept with this case as trades.csv" in r.stdout
    assert "originals were left" not in r.stdout  # nothing was copied
    r = cli("cases", "attach", case_id, str(tmp_path / "missing.png"))
    assert r.exit_code == 2
    assert "missing.png" in r.stderr
    r = cli("cases", "bundle", case_id, "--output", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    path = Path(r.stdout.strip())
    assert path.parent == tmp_path / "out"
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as archive:
        assert f"supportcli-case-{case_id}/attachments/trades.csv" in archive.namelist()
    data = json.loads(cli("cases", "bundle", case_id, "--json").stdout)
    assert Path(data["path"]).is_file()
    assert {f["path"] for f in data["files"]} >= {"timeline.md", "timeline.toml", "attachments/trades.csv"}


def test_unknown_and_bad_ids(cli: Runner, app_paths: AppPaths) -> None:
    _overdue_case(app_paths)
    r = cli("cases", "show", "zzzzzz")
    assert r.exit_code == 2
    assert "zzzzzz" in r.stderr
    r = cli("cases", "show", "../../etc")
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_damaged_case_is_listed_and_the_rest_still_works(cli: Runner, app_paths: AppPaths) -> None:
    good = _overdue_case(app_paths)
    bad = _fresh_case(app_paths)
    (app_paths.cases_dir / bad / "case.toml").write_text("id = [", encoding="utf-8")
    r = cli("cases", "list")
    assert r.exit_code == 0
    assert good in r.stdout
    assert str(app_paths.cases_dir / bad / "case.toml") in r.stderr
    assert [c["id"] for c in json.loads(cli("cases", "list", "--json").stdout)] == [good]
    r = cli("cases", "show", bad)
    assert r.exit_code == 1
    assert "case.toml" in r.stderr
    assert "Traceback" not in r.output


def test_help_in_both_languages(cli: Runner) -> None:
    r = cli("cases", "--help")
    assert r.exit_code == 0
    assert "bundle" in r.stdout
    assert "Examples:" in r.stdout
    r = cli("--lang", "zh", "cases", "log", "--help")
    assert r.exit_code == 0
    assert "示例" in r.stdout
    assert "助记词" in r.stdout


def test_chinese_output(cli: Runner, app_paths: AppPaths) -> None:
    case_id = _overdue_case(app_paths)
    r = cli("--lang", "zh", "cases", "list")
    assert r.exit_code == 0
    assert "已逾期" in r.stdout
    assert "未经证实" in r.stdout
    assert f"supportcli troubleshoot escalate --case {case_id}" in r.stdout
    assert CaseStore(app_paths).get(case_id).status == "open"


def test_a_value_that_only_may_be_a_secret_needs_not_secret(cli: Runner, app_paths: AppPaths) -> None:
    case_id = _overdue_case(app_paths)
    value = "ab" * 32  # a lone 64-hex string: a transaction hash, or a private key?
    r = cli("cases", "log", case_id, "--text", f"They quoted: {value}")
    assert r.exit_code == 2
    assert "--not-secret" in r.stderr
    assert value not in r.output
    r = cli("cases", "log", case_id, "--not-secret", "--text", f"They quoted: {value}")
    assert r.exit_code == 0, r.output
    [entry] = [e for e in json.loads(cli("cases", "show", case_id, "--json").stdout)["timeline"] if e["seq"] == 2]
    assert value in entry["text"]


def test_drafts_mark_sent_starts_a_case(cli: Runner, app_paths: AppPaths) -> None:
    from tests.test_cases_store import write_draft

    write_draft(app_paths, "20261120-091500-withdrawal-delayed")
    r = cli("drafts", "mark-sent", "20261120", "--ticket-number", "#48213", "--sent-on", "2026-11-20", "--json")
    assert r.exit_code == 0, r.output
    case_id = json.loads(r.stdout)["case_id"]
    [case] = json.loads(cli("cases", "list", "--json").stdout)
    assert case["id"] == case_id
    assert case["ticket_number"] == "48213"
    assert case["sent_on"] == "2026-11-20"
    assert case["reply_due"] == "2026-11-27"
    assert case["overdue"] is (dt.date(2026, 11, 27) < TODAY)
    r = cli("drafts", "mark-sent", "20261120")
    assert r.exit_code == 2
    assert case_id in r.stderr


def test_user_text_is_shown_as_text_never_as_markup(cli: Runner, app_paths: AppPaths) -> None:
    from supportcli.core.cases.sending import mark_sent
    from supportcli.core.drafts.store import DraftStore
    from tests.test_cases_store import WINDOW, write_draft

    write_draft(app_paths, "20261120-091500-markup", subject="[bold red]Pay the unlock fee[/bold red] :smile:")
    info = DraftStore(app_paths).get("20261120-091500-markup")
    case = mark_sent(app_paths, info, ticket_number=None, sent_on=TODAY, channel="ticket", today=TODAY,
                     reply_window=WINDOW)
    cli("cases", "log", case.id, "--summary", "[link=https://evil.example]click[/link]")
    r = cli("cases", "show", case.id)
    assert "[bold red]Pay the unlock fee[/bold red] :smile:" in r.stdout
    assert "[link=https://evil.example]click[/link]" in r.stdout
    assert "[bold red]Pay" in cli("cases", "list").stdout


def test_log_file_is_read_as_scan_reads_it(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    """One text-or-binary sniffing: UTF-16 (with its BOM) is text, a picture is not."""
    case_id = _overdue_case(app_paths)
    utf16 = tmp_path / "reply-utf16.txt"
    utf16.write_bytes("客服回复：正在核查".encode("utf-16"))
    r = cli("cases", "log", case_id, "--file", str(utf16))
    assert r.exit_code == 0, r.output
    assert json.loads(cli("cases", "show", case_id, "--json").stdout)["timeline"][-1]["text"] == "客服回复：正在核查"
    picture = tmp_path / "screenshot.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    r = cli("cases", "log", case_id, "--file", str(picture))
    assert r.exit_code == 2
    assert "--file" in r.stderr
    assert cli("scan", str(utf16)).exit_code == 0

"""`draft-ticket` and `drafts …` as a user runs them."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.drafts_fixtures import SEED
from tests.keys import ENTER, UP

GENERAL = """
subject = "Funding offer not shown in my wallet"
what_happened = "I placed a funding offer of 500 USD.\\nIt is not in my funding wallet."
occurred_at = "2026-11-20 14:05"
ids = "offer 123456789"
"""

TRADE = """
trade_id = 123456
pair = "tBTCUSD"
occurred_at = "2026-11-20T06:05:00Z"
balance = "1523.40 USDT"
description = "My limit sell at 43000 filled at 41000."
"""


@pytest.fixture
def general_answers(tmp_path: Path) -> Path:
    path = tmp_path / "general.toml"
    path.write_text(GENERAL, encoding="utf-8")
    return path


def _new(cli: Runner, answers: Path, *extra: str) -> dict[str, str]:
    r = cli("draft-ticket", "--answers", str(answers), "--json", *extra)
    assert r.exit_code == 0, r.output
    data: dict[str, str] = json.loads(r.stdout)
    return data


def test_draft_ticket_from_an_answers_file(cli: Runner, general_answers: Path, app_paths: AppPaths) -> None:
    data = _new(cli, general_answers)
    assert data["id"]
    assert data["ticket"].endswith(".md")
    assert data["email"].endswith(".eml")
    ticket = Path(data["ticket"]).read_text(encoding="utf-8")
    assert ticket.startswith("# Funding offer not shown in my wallet\n")
    assert "offer 123456789" in ticket
    assert Path(data["ticket"]).parent == app_paths.drafts_dir
    assert data["mailto"].startswith("mailto:support@bitfinex.com?subject=Funding%20offer")


def test_draft_ticket_from_a_flow_in_chinese(cli: Runner, tmp_path: Path) -> None:
    answers = tmp_path / "trade.toml"
    answers.write_text(TRADE, encoding="utf-8")
    r = cli("--lang", "zh", "draft-ticket", "--from-flow", "abnormal-trade", "--answers", str(answers), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    ticket = Path(data["ticket"]).read_text(encoding="utf-8")
    assert ticket.startswith("# 异常成交 #123456：BTC/USD，2026-11-20 06:05 UTC\n")
    assert data["id"].endswith("-abnormal-trade-123456")


def test_format_and_output_options(cli: Runner, general_answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    data = _new(cli, general_answers, "--format", "email", "--output", str(out), "--bilingual")
    assert data["ticket"] is None
    assert Path(data["email"]).parent == out.resolve()
    import email
    from email.policy import default

    body = email.message_from_bytes(Path(data["email"]).read_bytes(), policy=default).get_content()
    assert "Hello Bitfinex support," in body  # --bilingual: both languages
    assert "Bitfinex 客服您好：" in body
    r = cli("draft-ticket", "--answers", str(general_answers), "--format", "pdf")
    assert r.exit_code == 2
    assert "--format" in r.stderr


def test_draft_ticket_needs_a_terminal_or_an_answers_file(cli: Runner) -> None:
    r = cli("draft-ticket")
    assert r.exit_code == 2
    assert "--answers" in r.stderr
    assert "Traceback" not in r.output


def test_draft_ticket_refuses_a_secret_in_the_answers(cli: Runner, tmp_path: Path, app_paths: AppPaths) -> None:
    answers = tmp_path / "secret.toml"
    answers.write_text(f'subject = "Help"\nwhat_happened = "my words are {SEED}"\n', encoding="utf-8")
    r = cli("draft-ticket", "--answers", str(answers))
    assert r.exit_code == 2
    assert "abandon" not in r.output
    assert not app_paths.drafts_dir.exists() or not any(app_paths.drafts_dir.glob("*.toml"))


def test_list_show_path_in_text_and_json(cli: Runner, general_answers: Path, app_paths: AppPaths) -> None:
    first = _new(cli, general_answers)["id"]
    second = _new(cli, general_answers)["id"]
    assert second != first  # the same second gives "-2"; either way two drafts
    r = cli("drafts", "list")
    assert r.exit_code == 0
    assert r.stdout.index(second) < r.stdout.index(first + " ")  # newest first
    assert "unsent" in r.stdout
    assert "general" in r.stdout
    data = json.loads(cli("drafts", "list", "--json").stdout)
    assert [d["id"] for d in data["drafts"]] == [second, first]
    assert set(data["drafts"][0]) >= {"id", "created", "subject", "flow", "status", "ticket", "email", "sidecar"}
    assert data["unreadable"] == []

    shown = cli("drafts", "show", first)
    assert shown.exit_code == 0
    assert shown.stdout.startswith("# Funding offer not shown in my wallet")
    email_view = cli("drafts", "show", first, "--email")
    assert "Subject: Funding offer not shown in my wallet" in email_view.stdout
    assert "To: support@bitfinex.com" in email_view.stdout
    as_json = json.loads(cli("drafts", "show", first, "--json").stdout)
    assert as_json["id"] == first
    assert as_json["ticket_markdown"].startswith("# Funding")

    paths = json.loads(cli("drafts", "path", second, "--json").stdout)
    assert paths["sidecar"] == str(app_paths.drafts_dir / f"{second}.toml")
    assert cli("drafts", "path", second).stdout.splitlines()[-1] == paths["sidecar"]


def test_prefixes_and_unknown_ids(cli: Runner, general_answers: Path) -> None:
    first = _new(cli, general_answers)["id"]
    _new(cli, general_answers)
    r = cli("drafts", "show", first[:8])
    assert r.exit_code == 2
    assert "more than one draft" in r.stderr
    r = cli("drafts", "show", "20991231")
    assert r.exit_code == 2
    assert "20991231" in r.stderr
    r = cli("drafts", "show", "../../etc/passwd")
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_a_damaged_file_does_not_break_the_list(cli: Runner, general_answers: Path, app_paths: AppPaths) -> None:
    good = _new(cli, general_answers)["id"]
    broken = app_paths.drafts_dir / "20261101-000000-broken.toml"
    broken.write_bytes(b'status = "unsent"\nsubject = "\xff')
    r = cli("drafts", "list")
    assert r.exit_code == 0
    assert good in r.stdout
    assert "unreadable" in r.stdout
    assert str(broken) in r.stdout
    data = json.loads(cli("drafts", "list", "--json").stdout)
    assert data["unreadable"][0]["path"] == str(broken)


def test_rm_asks_or_needs_yes(cli: Runner, general_answers: Path, app_paths: AppPaths) -> None:
    draft_id = _new(cli, general_answers)["id"]
    r = cli("drafts", "rm", draft_id)
    assert r.exit_code == 2
    assert "--yes" in r.stderr
    r = cli("drafts", "rm", draft_id, keys=ENTER)  # the default: no
    assert r.exit_code == 0
    assert (app_paths.drafts_dir / f"{draft_id}.toml").exists()
    r = cli("drafts", "rm", draft_id, keys=UP + ENTER)  # yes
    assert r.exit_code == 0
    assert not list(app_paths.drafts_dir.glob(f"{draft_id}.*"))
    other = _new(cli, general_answers)["id"]
    r = cli("drafts", "rm", other, "--yes")
    assert r.exit_code == 0
    assert f"Removed {other} (3 files deleted)." in r.stdout
    assert cli("drafts", "list", "--json").stdout.count('"id"') == 0


def test_mark_sent_turns_the_draft_into_a_case(cli: Runner, general_answers: Path) -> None:
    draft_id = _new(cli, general_answers)["id"]
    r = cli("drafts", "mark-sent", draft_id, "--ticket-number", "998877", "--sent-on", "2026-11-20", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "sent"
    assert data["ticket_number"] == "998877"
    assert data["sent_on"] == "2026-11-20"
    assert data["reply_due"] == "2026-11-27"
    assert isinstance(data["overdue"], bool)
    assert data["case_id"]
    listed = json.loads(cli("drafts", "list", "--json").stdout)["drafts"][0]
    assert listed["status"] == "sent"
    assert listed["case_id"] == data["case_id"]
    assert "sent (#998877)" in cli("drafts", "list").stdout
    again = cli("drafts", "mark-sent", draft_id)
    assert again.exit_code == 2
    edit = cli("drafts", "edit", draft_id)
    assert edit.exit_code == 2
    assert "already sent" in edit.stderr
    late = cli("drafts", "mark-sent", _new(cli, general_answers)["id"], "--sent-on", "2026-11-02")
    assert late.exit_code == 0
    assert "A reply is due by 2026-11-09. reply window: 5 business days" in late.stdout
    assert "supportcli troubleshoot escalate --case" in late.stdout  # already past the window
    fresh = _new(cli, general_answers)["id"]
    bad = cli("drafts", "mark-sent", fresh, "--sent-on", "someday")
    assert bad.exit_code == 2
    assert "--sent-on" in bad.stderr
    bad = cli("drafts", "mark-sent", fresh, "--channel", "fax")
    assert bad.exit_code == 2
    assert "--channel:" in bad.stderr
    bad = cli("drafts", "mark-sent", fresh, "--ticket-number", "48 213")
    assert bad.exit_code == 2
    assert "--ticket-number:" in bad.stderr
    assert json.loads(cli("drafts", "list", "--json").stdout)["drafts"][0]["status"] == "unsent"


def _editor(tmp_path: Path, code: str) -> str:
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\ntext = p.read_text('utf-8')\n" + code,
                      encoding="utf-8")
    return f"{sys.executable} {script}"


def test_edit_rewrites_ticket_email_and_sidecar(
    cli: Runner, general_answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id = _new(cli, general_answers)["id"]
    monkeypatch.setenv("EDITOR", _editor(tmp_path, (
        "text = text.replace('# Funding offer not shown in my wallet', '# Funding offer #42 missing', 1)\n"
        "p.write_text(text + '\\nAdded by hand: 资金报价。\\n', 'utf-8')\n"
    )))
    r = cli("drafts", "edit", draft_id, tty=True)
    assert r.exit_code == 0, r.output
    info = json.loads(cli("drafts", "show", draft_id, "--json").stdout)
    assert info["subject"] == "Funding offer #42 missing"
    assert info["ticket_markdown"].rstrip().endswith("Added by hand: 资金报价。")
    assert "Subject: Funding offer #42 missing" in info["email_text"]
    sidecar = tomllib.loads(Path(info["sidecar"]).read_text(encoding="utf-8"))
    assert sidecar["edited"] is True
    assert sidecar["subject"] == "Funding offer #42 missing"


def test_closing_the_editor_without_a_change_leaves_the_draft_as_it_was(
    cli: Runner, general_answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id = _new(cli, general_answers)["id"]
    sidecar = Path(json.loads(cli("drafts", "path", draft_id, "--json").stdout)["sidecar"])
    before = sidecar.read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "pass\n"))
    r = cli("drafts", "edit", draft_id, tty=True)
    assert r.exit_code == 0
    assert f"Draft {draft_id} is unchanged." in r.stdout
    assert sidecar.read_bytes() == before  # not marked as edited by hand, not rewritten


def test_an_edit_with_a_secret_or_without_a_subject_is_refused(
    cli: Runner, general_answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id = _new(cli, general_answers)["id"]
    before = cli("drafts", "show", draft_id).stdout
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"p.write_text(text + '\\n{SEED}\\n', 'utf-8')\n"))
    r = cli("drafts", "edit", draft_id, keys=ENTER)  # refused; "edit again?" no (the default)
    assert "abandon" not in r.output
    assert "unchanged" in r.stdout
    assert "secret" in r.stderr.lower()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "p.write_text('no heading here\\n', 'utf-8')\n"))
    r = cli("drafts", "edit", draft_id, keys=ENTER)
    assert "unchanged" in r.stdout
    assert "# <subject>" in r.stderr
    assert cli("drafts", "show", draft_id).stdout == before
    editing = Path(json.loads(cli("drafts", "path", draft_id, "--json").stdout)["sidecar"]).parent / ".editing"
    assert not list(editing.iterdir())  # the edit copies are gone


def test_open_says_where_the_email_is_without_a_mail_opener(
    cli: Runner, general_answers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _new(cli, general_answers)
    monkeypatch.setenv("PATH", "")
    r = cli("drafts", "open", data["id"])
    assert r.exit_code == 1  # nothing was opened
    assert data["email"] in r.stderr
    assert r.stdout == ""


def test_help_in_both_languages(cli: Runner) -> None:
    en = cli("drafts", "--help")
    assert en.exit_code == 0
    assert "mark-sent" in en.stdout
    assert "Examples:" in en.stdout
    zh = cli("--lang", "zh", "draft-ticket", "--help")
    assert zh.exit_code == 0
    assert "示例" in zh.stdout
    assert "--bilingual" in zh.stdout
    assert "中英双语" in zh.stdout


def test_a_wide_terminal_gets_a_table(cli: Runner, general_answers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft_id = _new(cli, general_answers)["id"]
    monkeypatch.setenv("COLUMNS", "160")
    r = cli("drafts", "list")
    header = r.stdout.splitlines()[0].split()
    assert header == ["id", "date", "status", "flow", "subject"]
    assert draft_id in r.stdout
    assert "Funding offer not shown in my wallet" in r.stdout


def test_open_hands_the_email_to_the_desktop_opener(
    cli: Runner, general_answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    data = _new(cli, general_answers)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{marker}"\n', encoding="utf-8")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    r = cli("drafts", "open", data["id"])
    assert r.exit_code == 0
    assert data["email"] in r.stdout
    for _ in range(50):
        if marker.exists() and marker.read_text(encoding="utf-8"):
            break
        time.sleep(0.05)
    assert marker.read_text(encoding="utf-8") == data["email"]


def test_open_ticket_goes_to_the_editor(
    cli: Runner, general_answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _new(cli, general_answers)
    cli("config", "set", "editor", _editor(tmp_path, "p.write_text(text + '\\nOpened in the editor.\\n', 'utf-8')\n"))
    r = cli("drafts", "open", data["id"], "--ticket", tty=True)
    assert r.exit_code == 0, r.output
    assert Path(data["ticket"]).read_text(encoding="utf-8").rstrip().endswith("Opened in the editor.")


def test_edit_without_a_terminal_says_where_the_file_is_and_starts_no_editor(
    cli: Runner, general_answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _new(cli, general_answers)
    marker = tmp_path / "editor-ran"
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"pathlib.Path({str(marker)!r}).write_text('x')\n"))
    for args in (("drafts", "edit", data["id"]), ("drafts", "open", data["id"], "--ticket")):
        r = cli(*args)
        assert r.exit_code == 2
        assert data["ticket"] in r.stderr
    assert not marker.exists()

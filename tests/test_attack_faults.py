"""Attacks by the filesystem: a data, state or settings folder that cannot be read (EACCES), a full disk.
Every filesystem error is one clear line (never a traceback, never "something went wrong inside"), and
nothing the user typed or piped is lost: a draft that cannot be saved is printed (on stderr when
stdout carries JSON), a log entry that cannot be written is printed back, interrupted answers that
cannot be saved are printed as an answers file."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from tests.conftest import Result, Runner
from tests.faults import denied, disk_full
from tests.keys import ENTER
from tests.test_cases_store import new_case, write_draft

ANSWERS = 'subject = "Withdrawal stuck"\nwhat_happened = "My withdrawal of 0.5 BTC has been pending since Monday."\n'


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(ANSWERS)
    return path


def _one_clear_line(r: Result) -> None:
    assert "Traceback" not in r.output
    assert "Something went wrong inside" not in r.output
    assert r.stderr.strip().splitlines()[-1].startswith("Error: ")


@pytest.mark.parametrize("extra", [(), ("--json",), ("--output", "OUT")])
def test_an_unreadable_data_folder_prints_the_draft(
    cli: Runner, app_paths: AppPaths, tmp_path: Path, extra: tuple[str, ...],
) -> None:
    app_paths.data_dir.mkdir(parents=True)
    args = ["troubleshoot", "general", "--answers", str(_answers(tmp_path)),
            *(str(tmp_path / "out") if a == "OUT" else a for a in extra)]
    with denied(app_paths.data_dir):
        r = cli(*args)
    assert r.exit_code == 1
    _one_clear_line(r)
    assert "Permission denied" in r.stderr
    assert "Here is the whole draft" in r.stderr
    assert "My withdrawal of 0.5 BTC" in r.stderr  # the draft itself, on stderr
    if "--json" in extra:
        assert r.stdout == ""  # never a half JSON object


def test_draft_ticket_output_with_an_unreadable_data_folder(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    app_paths.data_dir.mkdir(parents=True)
    with denied(app_paths.data_dir):
        r = cli("draft-ticket", "--answers", str(_answers(tmp_path)), "--output", str(tmp_path / "out"))
    assert r.exit_code == 1
    _one_clear_line(r)
    assert "My withdrawal of 0.5 BTC" in r.stderr


@pytest.mark.parametrize("args", [
    ("drafts", "list"), ("drafts", "show", "2026"), ("cases", "list"), ("cases", "show", "abc"),
    ("records", "list"), ("faq", "search", "withdrawal"), ("faq", "list"),
])
def test_every_command_on_an_unreadable_data_folder_is_one_line(
    cli: Runner, app_paths: AppPaths, args: tuple[str, ...],
) -> None:
    write_draft(app_paths)
    with denied(app_paths.data_dir):
        r = cli(*args)
    if r.exit_code:
        _one_clear_line(r)
        assert "Permission denied" in r.stderr


def test_scan_of_an_unreadable_file_is_one_line(cli: Runner, tmp_path: Path) -> None:
    secret_place = tmp_path / "locked"
    secret_place.mkdir()
    (secret_place / "notes.txt").write_text("hello")
    with denied(secret_place):
        r = cli("scan", str(secret_place / "notes.txt"))
    assert r.exit_code in (1, 2)
    _one_clear_line(r)


def test_an_unreadable_state_folder_does_not_stop_a_run(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    app_paths.state_dir.mkdir(parents=True)
    with denied(app_paths.state_dir):
        r = cli("troubleshoot", "general", "--answers", str(_answers(tmp_path)), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["draft_id"]


def test_an_unreadable_settings_folder_is_named(cli: Runner, app_paths: AppPaths) -> None:
    app_paths.config_dir.mkdir(parents=True)
    (app_paths.config_dir / "config.toml").write_text('name = "Li Lei"\n')
    with denied(app_paths.config_dir):
        r = cli("cases", "list")
        assert r.exit_code == 2
        _one_clear_line(r)
        assert f"Could not read the settings file {app_paths.config_file}" in r.stderr
        assert cli("config", "path").exit_code == 0
        shown = cli("config", "show")
        assert shown.exit_code == 2
        assert "Permission denied" in shown.stderr
        assert "damaged" not in shown.stderr  # unreadable is not damaged


def test_interrupted_answers_that_cannot_be_saved_are_printed(cli: Runner, app_paths: AppPaths) -> None:
    app_paths.state_dir.mkdir(parents=True)
    with denied(app_paths.state_dir):
        # Advice: not solved; the category: the default; the subject typed; then an interruption.
        r = cli("troubleshoot", "general", "--offline", keys=ENTER + ENTER + "Withdrawal stuck" + ENTER)
    assert r.exit_code == 130
    assert "could not be saved, so here they are as an answers file" in r.stderr
    assert "supportcli troubleshoot general --answers answers.toml" in r.stderr
    printed = r.stderr.split("--answers answers.toml\n", 1)[1].split("Interrupted.")[0]
    assert tomllib.loads(printed)["subject"] == "Withdrawal stuck"  # as a file --answers reads


def test_a_full_disk_on_cases_log_prints_the_piped_text_back(
    cli: Runner, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = new_case(app_paths)
    before = sorted((case.folder / "timeline").iterdir())
    disk_full(monkeypatch)
    pasted = "Dear customer,\nyour withdrawal 12345678 is being reviewed.\n"
    r = cli("cases", "log", case.id, "-", "--kind", "reply", "--summary", "Under review", input=pasted)
    assert r.exit_code == 1
    assert "No space left on device" in r.stderr
    assert "Nothing was recorded. Here is what you gave" in r.stderr
    assert "Summary: Under review" in r.stderr
    assert "your withdrawal 12345678 is being reviewed." in r.stderr
    assert sorted((case.folder / "timeline").iterdir()) == before  # nothing half-written


def test_a_full_disk_never_damages_the_settings_file(
    cli: Runner, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli("config", "set", "name", "Li Lei").exit_code == 0
    disk_full(monkeypatch)
    r = cli("config", "set", "name", "Han Meimei")
    assert r.exit_code == 1
    _one_clear_line(r)
    assert tomllib.loads(app_paths.config_file.read_text()) == {"name": "Li Lei"}

"""Attacks through what is said back: a recovery phrase typed where an id, a setting's name, a choice
or a file name goes is never printed back; very long values are cut; `../` never leaves a folder; a
file a hand-edited sidecar names (a pipe, a huge file) never hangs or fills memory."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from mnemonic import Mnemonic

from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.test_cases_store import new_case, write_draft

PHRASE = Mnemonic("english").to_mnemonic(bytes(range(16)))


@pytest.mark.parametrize("args", [
    ("cases", "show", PHRASE), ("cases", "close", PHRASE), ("drafts", "show", PHRASE.replace(" ", "-")),
    ("drafts", "mark-sent", PHRASE), ("config", "get", PHRASE), ("config", "set", PHRASE, "x"),
    ("config", "unset", PHRASE),
])
def test_a_phrase_typed_as_an_id_or_a_key_is_never_said_back(cli: Runner, args: tuple[str, ...]) -> None:
    r = cli(*args)
    assert r.exit_code == 2
    assert PHRASE.split()[2] not in r.output


def test_a_phrase_as_a_choice_or_a_source_is_never_said_back(cli: Runner, app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    for args in (("cases", "log", case.id, "--kind", PHRASE, "--summary", "x"),
                 ("cases", "log", case.id, "--channel", PHRASE, "--summary", "x"),
                 ("cases", "log", case.id, PHRASE)):
        r = cli(*args)
        assert r.exit_code == 2, args
        assert PHRASE.split()[2] not in r.output
        assert "not shown: it looks like a secret" in r.stderr


def test_long_ids_are_cut_and_dot_dot_stays_inside(cli: Runner, app_paths: AppPaths) -> None:
    new_case(app_paths)
    r = cli("cases", "show", "k" * 10_000)
    assert r.exit_code == 2
    assert len(r.stderr) < 300
    for args in (("cases", "show", "../../etc"), ("drafts", "show", "../../etc/passwd"),
                 ("drafts", "rm", "../drafts", "--yes")):
        r = cli(*args)
        assert r.exit_code == 2, args
        assert "is not a" in r.stderr


def _sidecar_naming(app_paths: AppPaths, draft_id: str, target: Path) -> None:
    sidecar = app_paths.drafts_dir / f"{draft_id}.toml"
    text = re.sub(r'(?m)^ticket = .*$', f'ticket = "{target}"', sidecar.read_text())
    sidecar.write_text(text)


def test_a_pipe_named_by_a_sidecar_never_hangs(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    draft_id = write_draft(app_paths)
    pipe = tmp_path / f"{draft_id}.md"  # the name a sidecar may point at, elsewhere (draft-ticket --output)
    os.mkfifo(pipe)
    _sidecar_naming(app_paths, draft_id, pipe)
    assert cli("drafts", "show", draft_id).exit_code in (0, 1)
    r = cli("drafts", "mark-sent", draft_id, "--json")
    assert r.exit_code == 0, r.output


def test_a_ticket_edited_by_hand_to_hold_a_phrase_never_reaches_the_case(
    cli: Runner, app_paths: AppPaths,
) -> None:
    draft_id = write_draft(app_paths)
    ticket = app_paths.drafts_dir / f"{draft_id}.md"
    ticket.write_text(ticket.read_text() + f"\nMy words, in case you need them: {PHRASE}\n")
    r = cli("drafts", "mark-sent", draft_id)
    assert r.exit_code == 2
    assert "recovery phrase" in r.stderr
    assert not app_paths.cases_dir.exists() or not any(p.is_dir() for p in app_paths.cases_dir.iterdir())


def test_drafts_open_never_hands_a_pipe_to_the_opener(
    cli: Runner, app_paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import supportcli.commands.drafts_cmd as drafts_cmd

    draft_id = write_draft(app_paths)
    pipe = tmp_path / f"{draft_id}.eml"
    os.mkfifo(pipe)
    sidecar = app_paths.drafts_dir / f"{draft_id}.toml"
    sidecar.write_text(re.sub(r'(?m)^email = .*$', f'email = "{pipe}"', sidecar.read_text()))
    opened: list[Path] = []
    monkeypatch.setattr(drafts_cmd, "open_in_mail_client", lambda path: opened.append(path) or True)
    r = cli("drafts", "open", draft_id)
    assert opened == []
    assert r.exit_code == 2  # it falls back to the editor, which needs a terminal


def test_a_killed_editing_session_leaves_no_copy_for_long(
    app_paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What was typed into the editor of a session that was killed was never checked: it goes."""
    import sys
    import time

    from supportcli.term.context import AppContext
    from supportcli.term.draft_review import run_editor
    from supportcli.term.terminal import Terminal

    editing = app_paths.drafts_dir / ".editing"
    editing.mkdir(parents=True)
    stale, fresh = editing / "edit-000000000000.md", editing / "edit-111111111111.md"
    stale.write_text(PHRASE)
    fresh.write_text("another editor, still open")
    hours_ago = time.time() - 7 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    editor = tmp_path / "ed.py"
    editor.write_text("import sys\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    assert run_editor(AppContext(paths=app_paths, terminal=Terminal(), lang="en"), "text", ".md") == "text"
    assert sorted(p.name for p in editing.iterdir()) == [fresh.name]

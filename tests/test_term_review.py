"""The draft review talks little: the draft once, what an edit changed, the saved files and how to
open the email (never the mailto: link); cancelling a flow's draft offers to keep its answers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input

from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.keys import DOWN, ENTER, ESC_ENTER
from tests.test_drafts_review import EDIT_TICKET, SAVE, _ctx, _draft, _out, _review

# troubleshoot general: the platform status check (No, the default); not solved; category (default); subject;
# what happened; when (skip); ids (skip); tried (skip); the summary looks right
GENERAL = (ENTER + ENTER + ENTER + "Funding offer gone" + ENTER + "It vanished" + ESC_ENTER + ENTER + ENTER
           + ESC_ENTER + ENTER)
CANCEL = DOWN * 3 + ENTER


def test_an_edit_shows_what_changed_not_the_whole_draft_again(
    app_paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text('utf-8').replace('# Abnormal trade', '# Wrong fill', 1), 'utf-8')\n",
                      encoding="utf-8")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    show_again = DOWN * 4 + ENTER  # after an edit the menu offers the whole draft again, last
    with create_pipe_input() as pipe:
        ctx = _ctx(app_paths, pipe, EDIT_TICKET + EDIT_TICKET + show_again + SAVE)
        saved = _review(ctx, _draft())
    assert saved is not None
    lines = _out(ctx).splitlines()
    headings = [line for line in lines if line.startswith("# ")]
    # the draft as first shown, then once more when asked: not after each of the two edits
    assert headings == ["# Abnormal trade #123456 on BTC/USD at 2026-11-20 06:05 UTC",
                        "# Wrong fill #123456 on BTC/USD at 2026-11-20 06:05 UTC"]
    assert lines.count("2 lines changed:") == 1  # the first edit: the heading, - then +
    assert "  -# Abnormal trade #123456 on BTC/USD at 2026-11-20 06:05 UTC" in lines
    assert "  +# Wrong fill #123456 on BTC/USD at 2026-11-20 06:05 UTC" in lines


def test_after_saving_the_eml_path_and_how_to_open_it_not_the_mailto_link(cli: Runner) -> None:
    r = cli("troubleshoot", "general", keys=GENERAL + SAVE)
    assert r.exit_code == 0, r.output
    assert "mailto:" not in r.stdout
    assert "Email:" in r.stdout and ".eml" in r.stdout
    draft_id = next(line.split()[1] for line in r.stdout.splitlines() if line.startswith("Draft "))
    assert f"open it in your mail client:\n  supportcli drafts open {draft_id}\n" in r.stdout
    shown = json.loads(cli("drafts", "show", draft_id, "--json").stdout)
    assert shown["mailto"].startswith("mailto:support@bitfinex.com?subject=Funding%20offer%20gone")
    assert len(shown["mailto"]) <= 2000


def test_cancel_at_the_review_keeps_the_answers_when_asked(cli: Runner, app_paths: AppPaths) -> None:
    r = cli("troubleshoot", "general", keys=GENERAL + CANCEL + ENTER)  # cancel; keep my answers (the default)
    assert r.exit_code == 0, r.output
    assert "Your answers are kept: supportcli troubleshoot --resume general" in r.stdout
    session = json.loads((app_paths.sessions_dir / "general.json").read_text(encoding="utf-8"))
    assert session["answers"]["subject"] == "Funding offer gone"
    assert not list(app_paths.drafts_dir.glob("*.toml")) if app_paths.drafts_dir.exists() else True
    # … and --resume picks them up: straight to the summary, nothing asked again
    r = cli("troubleshoot", "--resume", keys=ENTER + SAVE)
    assert r.exit_code == 0, r.output
    assert "Draft " in r.stdout and " saved." in r.stdout
    assert not (app_paths.sessions_dir / "general.json").exists()


def test_cancel_can_discard_the_answers_too(cli: Runner, app_paths: AppPaths) -> None:
    r = cli("troubleshoot", "general", keys=GENERAL + CANCEL + DOWN + ENTER)
    assert r.exit_code == 0, r.output
    assert "Draft discarded." in r.stdout and "No draft was saved." in r.stdout
    assert not (app_paths.sessions_dir / "general.json").exists()

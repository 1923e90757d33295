"""Reviewing a draft before it is saved: save / edit / cancel, failed writes, Ctrl-C. Nothing is lost.

The review's questions go through the questionary prompter, driven by keys on a pipe input. The menu
reads: Save it / Edit the ticket / Edit the email / Cancel.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from supportcli.core.drafts.model import Draft, SavedDraft
from supportcli.core.drafts.service import build_draft
from supportcli.core.drafts.store import DraftStore
from supportcli.core.errors import StorageError
from supportcli.core.paths import AppPaths
from supportcli.core.prompting.scripted import ScriptedPrompter
from supportcli.term.context import AppContext
from supportcli.term.draft_review import Cancelled, review_and_save
from supportcli.term.prompter_questionary import QuestionaryPrompter
from supportcli.term.terminal import Terminal
from tests.drafts_fixtures import NOW, SEED, abnormal_trade_flow, abnormal_trade_result, bitfinex_pack
from tests.keys import CTRL_C, DOWN, ENTER, UP

BOTH = ("ticket", "email")
SAVE, EDIT_TICKET, EDIT_EMAIL, CANCEL = ENTER, DOWN + ENTER, DOWN * 2 + ENTER, DOWN * 3 + ENTER
YES, NO = UP + ENTER, ENTER  # a yes/no question starts on "No"


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


def _ctx(
    app_paths: AppPaths, pipe: PipeInput | None = None, keys: str = "", *, tty: bool = True,
    screen: io.StringIO | None = None,
) -> AppContext:
    """A terminal whose questions read `keys`; they are drawn on `screen` when given."""
    cls = _TTY if tty else io.StringIO
    output: object = DummyOutput()
    if screen is not None:
        from prompt_toolkit.data_structures import Size
        from prompt_toolkit.output.vt100 import Vt100_Output

        output = Vt100_Output(screen, lambda: Size(rows=40, columns=100), term="dumb")
    terminal = Terminal(stdin=cls(), stdout=cls(), stderr=cls(), prompt_input=pipe, prompt_output=output)
    if pipe is not None:
        pipe.send_text(keys)
        pipe.close()  # keys used up: the next question gets end of input, never a hang
    return AppContext(paths=app_paths, terminal=terminal, lang="en")


def _review(ctx: AppContext, draft: Draft) -> SavedDraft | Cancelled | None:
    prompter = QuestionaryPrompter(ctx.terminal, "en") if ctx.terminal.interactive else ScriptedPrompter({})
    return review_and_save(ctx, draft, prompter, formats=BOTH, output_dir=None)


def _out(ctx: AppContext) -> str:
    out = ctx.terminal.stdout
    assert isinstance(out, io.StringIO)
    return out.getvalue()


def _err(ctx: AppContext) -> str:
    err = ctx.terminal.stderr
    assert isinstance(err, io.StringIO)
    return err.getvalue()


def _draft() -> Draft:
    return build_draft(bitfinex_pack(), abnormal_trade_flow(), abnormal_trade_result(), lang="en",
                       timezone="UTC", sender_name="Li Lei", sender_email="lilei@example.com", now=NOW)


def test_shows_the_draft_then_saves_it(app_paths: AppPaths, pipe: PipeInput) -> None:
    ctx = _ctx(app_paths, pipe, SAVE)  # Enter: the default, save
    saved = _review(ctx, _draft())
    assert saved is not None
    assert saved.sidecar.exists()
    out = _out(ctx)
    assert "# Abnormal trade #123456 on BTC/USD" in out
    assert "Subject: Abnormal trade #123456" in out
    assert "mailto:" not in out  # thousands of characters: only in --json


def test_cancel_asks_first_and_saves_nothing(app_paths: AppPaths, pipe: PipeInput) -> None:
    ctx = _ctx(app_paths, pipe, CANCEL + NO + CANCEL + YES)
    draft = _draft()
    assert _review(ctx, draft) == Cancelled(keep_answers=False)
    # "no" to discarding: back to the review, whose draft is still on the screen (not printed again)
    assert _out(ctx).count("# Abnormal trade #123456 on BTC/USD") == 1
    assert "Draft discarded." in _out(ctx)
    assert not app_paths.drafts_dir.exists() or not list(app_paths.drafts_dir.glob("*.toml"))


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\ntext = p.read_text('utf-8')\n" + code,
                      encoding="utf-8")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")


def test_edit_the_ticket_then_save(
    app_paths: AppPaths, pipe: PipeInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _editor(tmp_path, monkeypatch, "p.write_text(text.replace('# Abnormal trade', '# Wrong fill', 1), 'utf-8')\n")
    ctx = _ctx(app_paths, pipe, EDIT_TICKET + SAVE)
    saved = _review(ctx, _draft())
    assert saved is not None
    assert saved.ticket is not None
    assert saved.ticket.read_text(encoding="utf-8").startswith("# Wrong fill #123456")
    assert DraftStore(app_paths).get(saved.id).subject.startswith("Wrong fill #123456")
    assert "Draft updated." in _out(ctx)


def test_edit_the_email_body(
    app_paths: AppPaths, pipe: PipeInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _editor(tmp_path, monkeypatch, "p.write_text('Subject: 成交价格不对\\n\\n你好，请核查。\\n', 'utf-8')\n")
    ctx = _ctx(app_paths, pipe, EDIT_EMAIL + SAVE)
    saved = _review(ctx, _draft())
    assert saved is not None
    info = DraftStore(app_paths).get(saved.id)
    assert info.subject == "成交价格不对"
    assert info.data["email_body"] == "你好，请核查。\n"
    assert info.data["ticket_markdown"].startswith("# 成交价格不对\n")


def test_an_invalid_edit_is_offered_back_and_can_be_abandoned(
    app_paths: AppPaths, pipe: PipeInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _editor(tmp_path, monkeypatch, f"p.write_text(text + '\\n{SEED}\\n', 'utf-8')\n")
    screen = io.StringIO()
    ctx = _ctx(app_paths, pipe, EDIT_TICKET + NO + SAVE, screen=screen)  # refused: "edit again?" no; save
    saved = _review(ctx, _draft())
    assert saved is not None
    assert saved.ticket is not None
    assert "abandon" not in saved.ticket.read_text(encoding="utf-8")
    assert "abandon" not in _err(ctx)
    assert "looks like a secret" in _err(ctx)
    assert "Edit again (your changes are kept)?" in screen.getvalue()


def test_a_failed_write_offers_another_folder(
    app_paths: AppPaths, pipe: PipeInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> object:
        raise StorageError("errors.storage_write", path=str(app_paths.drafts_dir / "x.toml"),
                           reason=os.strerror(errno.EROFS))

    monkeypatch.setattr("supportcli.term.draft_review.save_draft", read_only)
    rescue = tmp_path / "rescue"
    ctx = _ctx(app_paths, pipe, SAVE + DOWN + ENTER + f"{rescue}" + ENTER)  # save; another folder; which
    saved = _review(ctx, _draft())
    assert saved is not None
    assert saved.sidecar.parent == rescue.resolve()
    assert saved.ticket is not None
    assert saved.ticket.read_text(encoding="utf-8").startswith("# Abnormal trade")
    assert str(app_paths.drafts_dir / "x.toml") in _err(ctx)
    assert "Read-only file system" in _err(ctx)


def test_a_failed_write_can_print_the_whole_draft(
    app_paths: AppPaths, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> object:
        raise StorageError("errors.storage_write", path="/data/x.toml", reason=os.strerror(errno.ENOSPC))

    monkeypatch.setattr("supportcli.term.draft_review.save_draft", disk_full)
    draft = _draft()
    ctx = _ctx(app_paths, pipe, SAVE + ENTER)  # save; then the default: print it
    assert _review(ctx, draft) is None
    out = _out(ctx)
    assert out.count("# Abnormal trade #123456 on BTC/USD") == 2  # shown for review, then printed to keep
    assert out.count(draft.ticket_markdown.strip()) == 1  # printed to keep: lines whole, to copy
    assert draft.email_body.strip() in out


def test_without_a_terminal_a_failed_write_prints_the_draft_and_fails(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> object:
        raise StorageError("errors.storage_write", path="/data/x.toml", reason=os.strerror(errno.EACCES))

    monkeypatch.setattr("supportcli.term.draft_review.save_draft", denied)
    draft = _draft()
    ctx = _ctx(app_paths, tty=False)
    with pytest.raises(StorageError):
        _review(ctx, draft)
    assert draft.ticket_markdown.strip() in _err(ctx)
    assert "Permission denied" in _err(ctx)
    assert _out(ctx) == ""  # stdout stays clean (it may be JSON)


def test_ctrl_c_keeps_the_draft(app_paths: AppPaths, pipe: PipeInput) -> None:
    ctx = _ctx(app_paths, pipe, CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        _review(ctx, _draft())
    items = DraftStore(app_paths).list()
    assert len(items) == 1
    assert "kept" in _err(ctx)
    assert items[0].id in _err(ctx)


def test_a_secret_is_never_shown(app_paths: AppPaths, pipe: PipeInput) -> None:
    from supportcli.core.drafts.service import DraftSecretError

    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), abnormal_trade_result(f"words: {SEED}"),
                        lang="en", timezone="UTC", sender_name="", sender_email="", now=NOW)
    ctx = _ctx(app_paths, pipe, SAVE)
    with pytest.raises(DraftSecretError):
        _review(ctx, draft)
    assert "abandon" not in _out(ctx) + _err(ctx)

"""Review a draft before it is saved: show it, then save / edit in $EDITOR / cancel.

The user's text is never lost: if a write fails we say where, offer another folder or print the whole
draft; on Ctrl-C the draft is kept in the drafts folder (or printed when that fails too). Every
question (save / edit / cancel, which folder, edit again?, discard?) goes through the run's Prompter.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from supportcli.core.drafts.edit import apply_email_edit, apply_ticket_edit, email_edit_text
from supportcli.core.drafts.model import Draft, SavedDraft
from supportcli.core.drafts.service import DraftSecretError, export_draft, guard_draft, save_draft
from supportcli.core.errors import InputError, StorageError, UsageError
from supportcli.core.i18n import t

if TYPE_CHECKING:
    from supportcli.core.prompting.protocol import Prompter
    from supportcli.term.context import AppContext
    from supportcli.term.terminal import Terminal

FALLBACK_EDITORS = ("nano", "vi")


# --------------------------------------------------------------------------- showing

def email_preview(draft: Draft) -> str:
    lines = [f"To: {draft.to}"]
    if draft.sender_email:
        lines.append(f"From: {draft.sender_name} <{draft.sender_email}>" if draft.sender_name else
                     f"From: {draft.sender_email}")
    lines += [f"Subject: {draft.subject}", "", draft.email_body]
    return "\n".join(lines)


def print_draft(term: Terminal, draft: Draft, formats: tuple[str, ...], *, err: bool = False) -> None:
    """The whole draft, as text (the ticket and/or the email)."""
    if "ticket" in formats:
        term.echo(t("drafts.review.ticket_header"), err=err)
        term.echo(draft.ticket_markdown, err=err)
    if "email" in formats:
        term.echo(t("drafts.review.email_header"), err=err)
        term.echo(email_preview(draft), err=err)


def print_mailto(term: Terminal, saved: SavedDraft) -> None:
    """The mailto: link (the caller reports the id and the paths)."""
    if saved.email is not None:
        term.echo(t("drafts.saved_mailto", mailto=saved.mailto))


# --------------------------------------------------------------------------- the editor

def editor_command(app_ctx: AppContext) -> list[str]:
    """The editor: config `editor`, then $VISUAL, then $EDITOR, then nano or vi if installed."""
    environ = app_ctx.terminal.environ
    for candidate in (app_ctx.settings.editor, environ.get("VISUAL", ""), environ.get("EDITOR", "")):
        if candidate.strip():
            try:
                parts = shlex.split(candidate)
            except ValueError:
                continue
            if parts:
                return parts
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return [found]
    raise UsageError("drafts.no_editor")


def run_editor(app_ctx: AppContext, text: str, suffix: str) -> str | None:
    """Let the user edit `text` in a private file (0600 in a 0700 folder, never /tmp); None if it failed."""
    import secrets
    import subprocess

    from supportcli.core.storage import atomic_write, ensure_private_dir

    command = editor_command(app_ctx)
    root = app_ctx.paths.data_dir
    folder = ensure_private_dir(app_ctx.paths.drafts_dir / ".editing", root=root)
    _forget_stale_edits(folder)
    path = folder / f"edit-{secrets.token_hex(6)}{suffix}"
    atomic_write(path, text, root=root)
    try:
        try:
            completed = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            app_ctx.terminal.error(t("drafts.review.editor_failed", editor=command[0], reason=exc.strerror or str(exc)))
            return None
        if completed.returncode != 0:
            app_ctx.terminal.error(t("drafts.review.editor_status", editor=command[0], code=completed.returncode))
            return None
        try:
            return path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            app_ctx.terminal.error(t("drafts.review.not_utf8"))
            return None
    finally:
        path.unlink(missing_ok=True)


STALE_EDIT_SECONDS = 6 * 3600


def _forget_stale_edits(folder: Path) -> None:
    """Copies left by an editing session that was killed (they were never checked by the guard: the user
    may have typed anything into them) are removed once they are hours old."""
    import contextlib
    import time

    with contextlib.suppress(OSError):
        for leftover in folder.glob("edit-*"):
            with contextlib.suppress(OSError):
                if time.time() - leftover.lstat().st_mtime > STALE_EDIT_SECONDS:
                    leftover.unlink()


def edit_draft(app_ctx: AppContext, draft: Draft, which: str, prompter: Prompter) -> bool:
    """Edit the ticket or the email until it is valid and passes the guard (or the user gives up).

    Returns True when the draft changed. An invalid edit is offered back to the editor as the user
    left it, so nothing they typed is lost by a mistake.
    """
    term = app_ctx.terminal
    text = original = draft.ticket_markdown if which == "ticket" else email_edit_text(draft)
    suffix = ".md" if which == "ticket" else ".txt"
    apply: Callable[[Draft, str], Draft] = apply_ticket_edit if which == "ticket" else apply_email_edit
    while True:
        edited = run_editor(app_ctx, text, suffix)
        if edited is None or edited == original:
            return False  # the editor failed, or the user closed it without a change
        candidate = Draft(**{**draft.__dict__})
        try:
            apply(candidate, edited)
            guard_draft(candidate)
        except (InputError, DraftSecretError) as exc:
            if not prompter.interactive:
                raise  # nobody to ask: the edit is refused with its reason (exit 2)
            term.error(t("cli.error_prefix") + exc.render())
            if not prompter.confirm("edit_again", t("drafts.review.edit_again")):
                return False
            text = edited
            continue
        draft.__dict__.update(candidate.__dict__)
        return True


# --------------------------------------------------------------------------- saving

def save_with_rescue(
    app_ctx: AppContext, draft: Draft, prompter: Prompter, *, formats: tuple[str, ...], output_dir: Path | None,
) -> SavedDraft | None:
    """Save; when a write fails say where, offer another folder or print the whole draft.

    Not interactive (no terminal, or `--answers`): the whole draft is printed to stderr (stdout may
    be JSON) and the StorageError is raised (exit 1).
    """
    term = app_ctx.terminal
    folder: Path | None = None
    while True:
        try:
            if folder is None:
                return save_draft(draft, app_ctx.paths, formats=formats, output_dir=output_dir)
            return export_draft(draft, folder, formats=formats)
        except StorageError as exc:
            term.error(t("drafts.review.write_failed", error=exc.render()))
            if not prompter.interactive:
                term.error(t("drafts.review.printing"))
                print_draft(term, draft, formats, err=True)
                raise
            action = prompter.select("rescue", t("drafts.review.rescue_prompt"), [
                ("print", t("drafts.review.choice_print")), ("folder", t("drafts.review.choice_folder")),
            ], default="print")
            if action == "print":
                print_draft(term, draft, formats)
                term.echo(t("drafts.review.printed"))
                return None
            from supportcli.core.paths import expand_user

            answer = prompter.text("folder", t("drafts.review.folder_prompt")).strip()
            folder = expand_user(answer) if answer else None


def keep_on_interrupt(app_ctx: AppContext, draft: Draft, formats: tuple[str, ...], output_dir: Path | None) -> None:
    """Ctrl-C during the review: keep the draft in the drafts folder, or print it if that fails."""
    term = app_ctx.terminal
    try:
        saved = save_draft(draft, app_ctx.paths, formats=formats, output_dir=output_dir)
    except (StorageError, DraftSecretError):
        print_draft(term, draft, formats, err=True)
        return
    term.error(t("drafts.review.kept", id=saved.id, path=str(saved.sidecar.parent)))


def review_and_save(
    app_ctx: AppContext, draft: Draft, prompter: Prompter, *, formats: tuple[str, ...], output_dir: Path | None,
) -> SavedDraft | None:
    """Show the draft and let the user save, edit or cancel; returns what was saved (None: cancelled).

    Without a terminal there is nothing to ask: the draft is saved as it is. The guard runs before
    the draft is shown and again before anything is written.
    """
    term = app_ctx.terminal
    guard_draft(draft)
    if not prompter.interactive:
        return save_with_rescue(app_ctx, draft, prompter, formats=formats, output_dir=output_dir)
    try:
        while True:
            print_draft(term, draft, formats)
            edits = [("ticket", t("drafts.review.choice_edit"))]
            if "email" in formats:
                edits = [("ticket", t("drafts.review.choice_edit_ticket")),
                         ("email", t("drafts.review.choice_edit_email"))]
            choices = [("save", t("drafts.review.choice_save")), *edits, ("cancel", t("drafts.review.choice_cancel"))]
            action = prompter.select("review", t("drafts.review.prompt"), choices, default="save")
            if action == "save":
                saved = save_with_rescue(app_ctx, draft, prompter, formats=formats, output_dir=output_dir)
                if saved is not None:
                    print_mailto(term, saved)
                return saved
            if action in ("ticket", "email"):
                if edit_draft(app_ctx, draft, action, prompter):
                    term.echo(t("drafts.review.edited"))
                continue
            if prompter.confirm("discard", t("drafts.review.discard")):
                term.echo(t("drafts.review.discarded"))
                return None
    except (KeyboardInterrupt, EOFError):
        keep_on_interrupt(app_ctx, draft, formats, output_dir)
        raise KeyboardInterrupt from None

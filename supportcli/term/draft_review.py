"""Review a draft before it is saved: show it, then save / edit in $EDITOR / cancel.

The user's text is never lost: if a write fails we say where, offer another folder or print the whole
draft; on Ctrl-C the draft is kept in the drafts folder (or printed when that fails too). Every
question (save / edit / cancel, which folder, edit again?, discard?) goes through the run's Prompter.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

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


def print_draft(term: Terminal, draft: Draft, formats: tuple[str, ...], *, err: bool = False,
                preview: bool = False) -> None:
    """The whole draft, as text (the ticket and/or the email). A `preview` (to read, on a terminal) is
    wrapped to the screen by display width; otherwise (to copy) lines are kept whole."""
    stream_is_tty = term.stderr_isatty if err else term.stdout_isatty

    def show(text: str) -> None:
        if preview and stream_is_tty:
            from supportcli.term.wrap import wrap

            text = wrap(text, term.columns() - 1)
        term.echo(text, err=err)

    if "ticket" in formats:
        show(t("drafts.review.ticket_header"))
        show(draft.ticket_markdown)
    if "email" in formats:
        show(t("drafts.review.email_header"))
        show(email_preview(draft))


MAX_CHANGES_SHOWN = 12  # changed lines said after an edit; the whole draft is one choice away


def print_changes(term: Terminal, before: str, after: str) -> None:
    """What an edit changed, as the changed lines (- before, + after), not the whole draft again."""
    import difflib

    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    term.echo(t("drafts.review.changed", count=len(changed)))
    for line in changed[:MAX_CHANGES_SHOWN]:
        term.echo("  " + line, multiline=False)
    if len(changed) > MAX_CHANGES_SHOWN:
        term.echo("  " + t("drafts.review.changed_more", count=len(changed) - MAX_CHANGES_SHOWN))


# --------------------------------------------------------------------------- the editor

_SHELL_SPECIAL = set("|&;<>()$`\\\"' \t\n*?[#~=%")  # git's list: such an editor is run by the shell


def editor_command(app_ctx: AppContext) -> list[str]:
    """The editor, as git runs it: config `editor`, then $VISUAL, then $EDITOR, then nano or vi if
    installed. A value with spaces, quotes or variables (`$HOME/bin/ed`, `"$HOME/my editor" -w`) is
    run by the shell, `sh -c '<editor> "$@"'`, so it means what it means in a shell; a plain name
    or path is run directly. The file to edit is appended to the returned command."""
    environ = app_ctx.terminal.environ
    for candidate in (app_ctx.settings.editor, environ.get("VISUAL", ""), environ.get("EDITOR", "")):
        editor = candidate.strip()
        if not editor:
            continue
        if _SHELL_SPECIAL.isdisjoint(editor):
            return [editor]
        return ["/bin/sh", "-c", f'{editor} "$@"', editor]
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return [found]
    raise UsageError("drafts.no_editor")


def _editor_name(command: list[str]) -> str:
    """The editor as the user wrote it (not /bin/sh), for messages."""
    return command[3] if command[:2] == ["/bin/sh", "-c"] and len(command) > 3 else command[0]


def run_editor(app_ctx: AppContext, text: str, suffix: str) -> str | None:
    """Let the user edit `text` in a private file (0600 in a 0700 folder, never /tmp); None if it failed."""
    import secrets
    import subprocess

    from supportcli.core.storage import atomic_write, ensure_private_dir

    command = editor_command(app_ctx)
    folder = ensure_private_dir(app_ctx.paths.drafts_dir / ".editing")
    path = folder / f"edit-{secrets.token_hex(6)}{suffix}"
    atomic_write(path, text)
    try:
        try:
            completed = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            app_ctx.terminal.error(t("drafts.review.editor_failed", editor=_editor_name(command),
                                     reason=exc.strerror or str(exc)))
            return None
        if completed.returncode != 0:
            app_ctx.terminal.error(t("drafts.review.editor_status", editor=_editor_name(command),
                                     code=completed.returncode))
            return None
        try:
            return path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            app_ctx.terminal.error(t("drafts.review.not_utf8"))
            return None
    finally:
        path.unlink(missing_ok=True)


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
            answer = prompter.text("folder", t("drafts.review.folder_prompt")).strip()
            folder = Path(answer).expanduser() if answer else None


def keep_on_interrupt(app_ctx: AppContext, draft: Draft, formats: tuple[str, ...], output_dir: Path | None) -> None:
    """Ctrl-C during the review: keep the draft in the drafts folder, or print it if that fails."""
    term = app_ctx.terminal
    try:
        saved = save_draft(draft, app_ctx.paths, formats=formats, output_dir=output_dir)
    except (StorageError, DraftSecretError):
        print_draft(term, draft, formats, err=True)
        return
    term.error(t("drafts.review.kept", id=saved.id, path=str(saved.sidecar.parent)))


class Cancelled(NamedTuple):
    """The user cancelled at the review: nothing was saved. `keep_answers`: they chose to keep the
    answers of the flow, to pick up again with `--resume`."""

    keep_answers: bool


def _cancel(term: Terminal, prompter: Prompter, resumable: str | None) -> Cancelled | None:
    """Cancel, once the user confirms (None: back to the review). From a flow (`resumable` is its id)
    the answers can be kept for `supportcli troubleshoot --resume FLOW`, and the choice says so."""
    if resumable is None:
        if not prompter.confirm("discard", t("drafts.review.discard")):
            return None
        term.echo(t("drafts.review.discarded"))
        return Cancelled(keep_answers=False)
    choice = prompter.select("discard", t("drafts.review.cancel_prompt"), [
        ("keep", t("drafts.review.cancel_keep", flow=resumable)),
        ("discard", t("drafts.review.cancel_discard")),
        ("back", t("drafts.review.cancel_back")),
    ], default="keep")
    if choice == "back":
        return None
    if choice == "discard":
        term.echo(t("drafts.review.discarded"))
    return Cancelled(keep_answers=choice == "keep")


def review_and_save(
    app_ctx: AppContext, draft: Draft, prompter: Prompter, *, formats: tuple[str, ...], output_dir: Path | None,
    resumable: str | None = None,
) -> SavedDraft | Cancelled | None:
    """Show the draft and let the user save, edit or cancel; returns what was saved, Cancelled, or
    None when the draft could only be printed.

    The draft is shown once; after an edit only the changed lines are, with a choice to show it all
    again. `resumable`: the flow the draft comes from (cancelling then offers to keep its answers).
    Without a terminal there is nothing to ask: the draft is saved as it is. The guard runs before
    the draft is shown and again before anything is written.
    """
    term = app_ctx.terminal
    guard_draft(draft)
    if not prompter.interactive:
        return save_with_rescue(app_ctx, draft, prompter, formats=formats, output_dir=output_dir)
    try:
        shown = edited = False
        while True:
            if not shown:
                print_draft(term, draft, formats, preview=True)
                shown = True
            edits = [("ticket", t("drafts.review.choice_edit"))]
            if "email" in formats:
                edits = [("ticket", t("drafts.review.choice_edit_ticket")),
                         ("email", t("drafts.review.choice_edit_email"))]
            choices = [("save", t("drafts.review.choice_save")), *edits, ("cancel", t("drafts.review.choice_cancel"))]
            if edited:  # the draft on the screen is not the current one: offer it again
                choices.append(("show", t("drafts.review.choice_show")))
            action = prompter.select("review", t("drafts.review.prompt"), choices, default="save")
            if action == "save":
                return save_with_rescue(app_ctx, draft, prompter, formats=formats, output_dir=output_dir)
            if action == "show":
                shown = False
                continue
            if action in ("ticket", "email"):
                before = draft.ticket_markdown if action == "ticket" else email_preview(draft)
                if edit_draft(app_ctx, draft, action, prompter):
                    edited = True
                    term.echo(t("drafts.review.edited"))
                    print_changes(term, before, draft.ticket_markdown if action == "ticket" else email_preview(draft))
                continue
            cancelled = _cancel(term, prompter, resumable)
            if cancelled is not None:
                return cancelled
    except (KeyboardInterrupt, EOFError):
        keep_on_interrupt(app_ctx, draft, formats, output_dir)
        raise KeyboardInterrupt from None

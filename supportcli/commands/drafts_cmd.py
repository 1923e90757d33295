"""`supportcli drafts list|show|edit|open|path|rm|mark-sent`: the saved drafts.

Each command is a module-level function; `build()` registers them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import DraftIdArg, JsonFlag

WIDE_LIST = 110  # columns needed for the table form of `drafts list`

if TYPE_CHECKING:
    from supportcli.core.drafts.model import DraftInfo
    from supportcli.core.drafts.store import DraftStore


def _store(app_ctx: AppContext) -> DraftStore:
    from supportcli.core.drafts.store import DraftStore

    return DraftStore(app_ctx.paths)


def open_in_mail_client(path: Path) -> bool:
    """Hand `path` to the desktop's opener (xdg-open, or open on macOS); False when there is none."""
    import shutil
    import subprocess
    import sys

    found = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if not found:
        return False
    try:
        subprocess.Popen(
            [found, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
    except OSError:
        return False
    return True


def _local(moment: dt.datetime, zone: str) -> str:
    from supportcli.core.tz import zone_info

    return moment.astimezone(zone_info(zone)).strftime("%Y-%m-%d %H:%M")


def _status(info: DraftInfo) -> str:
    if info.status == "sent":
        number = info.ticket_number
        return t("drafts.status.sent_number", number=number) if number else t("drafts.status.sent")
    return t("drafts.status.unsent")


def _read_text(app_ctx: AppContext, info: DraftInfo, which: str) -> str:
    """The ticket Markdown or the email as saved (the file if readable, else the sidecar's copy)."""
    from supportcli.core.drafts.service import load_draft
    from supportcli.term.draft_review import email_preview

    draft = load_draft(info)
    if which == "email":
        if info.email is not None:
            try:
                return _email_file_text(info.email.read_bytes())
            except OSError:
                pass
        return email_preview(draft)
    return draft.ticket_markdown


def _email_file_text(raw: bytes) -> str:
    import email
    from email.policy import default

    msg = email.message_from_bytes(raw, policy=default)
    head = [f"{name}: {msg[name]}" for name in ("To", "From", "Subject", "Date") if msg[name]]
    body_part = msg.get_body(preferencelist=("plain",))
    body = body_part.get_content() if body_part is not None else ""
    return "\n".join(head) + "\n\n" + str(body).replace("\r\n", "\n")


def _guard_shown(text: str) -> None:
    """What `show` prints passes the guard first (a hand-edited file may now hold a secret)."""
    try:
        from supportcli.core.guard.secrets import blocking, kind_label, scan_text
    except ImportError:
        return
    from supportcli.core.drafts.service import DraftSecretError

    for finding in blocking(scan_text(text)):
        raise DraftSecretError(kind=kind_label(finding.kind), line=finding.line, column=finding.column)


def list_(
    ctx: typer.Context,
    as_json: JsonFlag = False,
    status: str = typer.Option("", "--status", metavar="unsent|sent", help="drafts.opt.status"),
) -> None:
    from supportcli.core.drafts.model import STATUSES, DraftInfo
    from supportcli.core.errors import InputError

    app_ctx = AppContext.of(ctx)
    if status and status not in STATUSES:
        raise InputError("--status", "", "drafts.bad_status", allowed=", ".join(STATUSES))
    items = _store(app_ctx).list()
    drafts = [i for i in items if isinstance(i, DraftInfo) and (not status or i.status == status)]
    broken = [i for i in items if not isinstance(i, DraftInfo)]
    term = app_ctx.terminal
    if as_json:
        term.json({"drafts": [d.as_json() for d in drafts], "unreadable": [b.as_json() for b in broken]})
        return
    if not drafts and not broken:
        term.echo(t("drafts.cmd.none"))
        return
    zone = app_ctx.settings.zone
    console = term.console() if drafts else None
    if console is not None and console.width < WIDE_LIST:
        # Narrow terminal: the id whole on its line (to copy), then the date and the subject, wrapped
        # between words on a terminal.
        from supportcli.term.wrap import fill, fill_fields

        for d in drafts:
            first = f"{d.id}  {_status(d)}  {d.flow_id}"
            if term.stdout_isatty:
                term.echo(fill_fields(first, console.width - 1, "", "    "))
            else:
                term.echo(first, multiline=False)
            second = f"{_local(d.created, zone)}  {' '.join(d.subject.split())}"
            if term.stdout_isatty:
                term.echo(fill(second, console.width - 1, "    ", "    "))
            else:
                term.echo("    " + second, multiline=False)
    elif console is not None:
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, show_header=True, pad_edge=False)
        for key in ("col_id", "col_date", "col_status", "col_flow"):
            table.add_column(t(f"drafts.cmd.{key}"), no_wrap=True)
        table.add_column(t("drafts.cmd.col_subject"), overflow="fold", ratio=1, min_width=16)
        for d in drafts:
            table.add_row(Text(d.id), Text(_local(d.created, zone)), Text(_status(d)), Text(d.flow_id),
                          Text(d.subject))
        console.print(table)
    for b in broken:
        term.echo(t("drafts.cmd.unreadable_row", id=b.id, path=str(b.path), reason=b.reason))


def show(
    ctx: typer.Context,
    draft_id: DraftIdArg,
    email: bool = typer.Option(False, "--email", help="drafts.opt.email"),
    as_json: JsonFlag = False,
) -> None:
    app_ctx = AppContext.of(ctx)
    info = _store(app_ctx).get(draft_id)
    if as_json:
        ticket_text = _read_text(app_ctx, info, "ticket")
        email_text = _read_text(app_ctx, info, "email")
        _guard_shown(ticket_text + "\n" + email_text)
        app_ctx.terminal.json({**info.as_json(), "ticket_markdown": ticket_text, "email_text": email_text,
                               "mailto": info.data.get("mailto")})
        return
    text = _read_text(app_ctx, info, "email" if email else "ticket")
    _guard_shown(text)
    app_ctx.terminal.echo(text.rstrip("\n"))


def edit(
    ctx: typer.Context,
    draft_id: DraftIdArg,
    email: bool = typer.Option(False, "--email", help="drafts.opt.email"),
) -> None:
    from supportcli.core.drafts.service import load_draft, rewrite_saved
    from supportcli.core.errors import UsageError
    from supportcli.term.draft_review import edit_draft

    app_ctx = AppContext.of(ctx)
    info = _store(app_ctx).get(draft_id)
    if info.status != "unsent":
        raise UsageError("drafts.edit_sent", id=info.id)
    if not app_ctx.terminal.interactive:  # an editor needs a terminal; never start one blind
        target = info.email if email else info.ticket
        raise UsageError("drafts.cmd.edit_needs_terminal", path=str(target or info.sidecar))
    from supportcli.term.prompting import interactive

    draft = load_draft(info)
    app_ctx, prompter = interactive(app_ctx)
    if edit_draft(app_ctx, draft, "email" if email else "ticket", prompter):
        rewrite_saved(info, draft)
        app_ctx.terminal.echo(t("drafts.cmd.edited", id=info.id))
    else:
        app_ctx.terminal.echo(t("drafts.cmd.unchanged", id=info.id))


def open_(
    ctx: typer.Context,
    draft_id: DraftIdArg,
    ticket: bool = typer.Option(False, "--ticket", help="drafts.opt.ticket"),
) -> None:
    app_ctx = AppContext.of(ctx)
    info = _store(app_ctx).get(draft_id)
    if not ticket and info.email is not None and info.email.is_file():
        if not open_in_mail_client(info.email):
            from supportcli.core.errors import SupportCliError

            # Nothing was opened: a failure (exit 1) that says where the file is, to open it by hand.
            raise SupportCliError("drafts.cmd.no_opener", path=str(info.email))
        app_ctx.terminal.echo(t("drafts.cmd.opened", path=str(info.email)))
        return
    edit(ctx, draft_id=draft_id, email=False)


def path(ctx: typer.Context, draft_id: DraftIdArg, as_json: JsonFlag = False) -> None:
    app_ctx = AppContext.of(ctx)
    info = _store(app_ctx).get(draft_id)
    files = {"ticket": info.ticket, "email": info.email, "sidecar": info.sidecar}
    if as_json:
        app_ctx.terminal.json({"id": info.id, **{k: str(v) if v else None for k, v in files.items()}})
        return
    for value in files.values():
        if value is not None:
            app_ctx.terminal.echo(str(value))


def rm(
    ctx: typer.Context,
    draft_id: DraftIdArg,
    yes: bool = typer.Option(False, "--yes", "-y", help="drafts.opt.yes"),
) -> None:
    from supportcli.core.errors import UsageError

    app_ctx = AppContext.of(ctx)
    store = _store(app_ctx)
    info = store.get(draft_id)
    term = app_ctx.terminal
    if not yes:
        if not term.interactive:
            raise UsageError("drafts.cmd.rm_needs_yes", id=info.id)
        from supportcli.term.prompting import interactive

        _, prompter = interactive(app_ctx)
        if not prompter.confirm("rm", t("drafts.cmd.rm_confirm", id=info.id, subject=info.subject)):
            term.echo(t("drafts.cmd.rm_kept", id=info.id))
            return
    removed = store.remove(info.id)
    term.echo(t("drafts.cmd.removed", id=info.id, count=len(removed)))
    kept = [p for p in (info.ticket, info.email) if p is not None and p not in removed and p.exists()]
    for p in kept:
        term.echo(t("drafts.cmd.rm_outside", path=str(p)))


def mark_sent(
    ctx: typer.Context,
    draft_id: DraftIdArg,
    ticket_number: str = typer.Option("", "--ticket-number", metavar="N", help="drafts.opt.ticket_number"),
    sent_on: str = typer.Option("", "--sent-on", metavar="DATE", help="drafts.opt.sent_on"),
    channel: str = typer.Option("ticket", "--channel", metavar="ticket|email|chat", help="drafts.opt.channel"),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.cases.inputs import parse_choice, parse_day, parse_ticket_number
    from supportcli.core.cases.model import SEND_CHANNELS
    from supportcli.core.cases.sending import ReplyWindow
    from supportcli.core.cases.sending import mark_sent as mark_draft_sent

    app_ctx = AppContext.of(ctx)
    info = _store(app_ctx).get(draft_id)
    today = app_ctx.settings.today
    # Checked here first so that an error names the option the user typed.
    day = parse_day(sent_on, "--sent-on", today) if sent_on.strip() else None
    channel = parse_choice(channel, "--channel", SEND_CHANNELS)
    number = parse_ticket_number(ticket_number, "--ticket-number")
    # The pack in use (`--pack COPY` included) says how long support has to reply.
    window = ReplyWindow.of(app_ctx.pack())
    case = mark_draft_sent(app_ctx.paths, info, ticket_number=number, sent_on=day, channel=channel, today=today,
                           reply_window=window)
    follow = case.follow_up(today)
    if as_json:
        app_ctx.terminal.json({"id": info.id, "status": "sent", "case_id": case.id,
                               "ticket_number": case.ticket_number or None,
                               "sent_on": case.sent_on.isoformat(), "channel": case.channel,
                               "reply_due": follow.reply_due.isoformat(), "overdue": follow.overdue})
        return
    term = app_ctx.terminal
    term.echo(t("drafts.cmd.marked", id=info.id, case=case.id))
    window_line = t("cases.window_line" if case.reply_window_confirmed else "cases.window_line_unconfirmed",
                    days=case.reply_window_business_days)
    term.echo(t("cases.now_due", due=follow.reply_due.isoformat()) + " " + window_line)
    if follow.overdue:  # sent long ago: the window has already passed
        term.echo(t("cases.offer_escalate", id=case.id))
    term.hint(t("drafts.cmd.marked_next", case=case.id))


def build() -> typer.Typer:
    app = new_app(t("drafts.cmd.help"), t("drafts.cmd.epilog"))
    app.command("list", help="drafts.cmd.list_help")(list_)
    app.command("show", help="drafts.cmd.show_help")(show)
    app.command("edit", help="drafts.cmd.edit_help")(edit)
    app.command("open", help="drafts.cmd.open_help")(open_)
    app.command("path", help="drafts.cmd.path_help")(path)
    app.command("rm", help="drafts.cmd.rm_help")(rm)
    app.command("mark-sent", help="drafts.cmd.mark_sent_help")(mark_sent)
    return app

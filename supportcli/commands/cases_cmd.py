"""`supportcli cases list|show|log|attach|close|reopen|bundle`: follow a sent request to its end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.text import Text

    from supportcli.core.cases.logbook import LogRequest
    from supportcli.core.cases.model import Case, Damaged, TimelineEntry
    from supportcli.term.terminal import Terminal


WIDE_LIST = 110  # columns needed for the table form of `cases list`


def _today(app_ctx: AppContext) -> dt.date:
    return app_ctx.settings.today


def _window_note(app_ctx: AppContext) -> str:
    """The pack's note on the reply window (why it is unconfirmed); empty if the pack is unusable."""
    from supportcli.core.errors import SupportCliError
    from supportcli.core.i18n import pick

    try:
        support = app_ctx.pack().manifest.support
    except SupportCliError:
        return ""
    return pick(support.reply_window_note, app_ctx.lang)


def _state(case: Case, today: dt.date) -> str:
    follow = case.follow_up(today)
    if case.status == "closed":
        return t("cases.state.closed")
    if follow.overdue:
        return t("cases.state.overdue", days=-follow.business_days_left, due=follow.reply_due.isoformat())
    if not follow.awaiting_reply:
        return t("cases.state.answered")
    if follow.business_days_left == 0:
        return t("cases.state.due_today")
    return t("cases.state.waiting", days=follow.business_days_left, due=follow.reply_due.isoformat())


def _report_damaged(terminal: Terminal, damaged: list[Damaged]) -> None:
    for item in damaged:
        terminal.error(t("cases.damaged.line", path=str(item.path), reason=item.reason))


def _window_line(case: Case) -> str:
    key = "cases.window_line" if case.reply_window_confirmed else "cases.window_line_unconfirmed"
    return t(key, days=case.reply_window_business_days)


def _entry_text(entry: TimelineEntry, corrected_by: int | None = None) -> Text:
    from rich.text import Text

    text = Text()
    text.append(f"#{entry.seq}  {entry.on.isoformat()}  ", style="bold")
    text.append(t(f"cases.kind.{entry.kind}"), style="cyan")
    if entry.channel:
        text.append(f" · {t(f'cases.channel.{entry.channel}')}")
    if corrected_by is not None:
        text.append("  " + t("cases.corrected_by", seq=corrected_by), style="yellow")
    if entry.corrects is not None:
        text.append("  " + t("cases.corrects", seq=entry.corrects), style="yellow")
    if entry.ticket_number:
        text.append("\n    " + t("cases.md.ticket_number", number=entry.ticket_number))
    if entry.summary:
        text.append("\n    " + entry.summary)
    if entry.attachment is not None:
        text.append("\n    " + t("cases.attached_line", name=entry.attachment.name, size=entry.attachment.size,
                                  sha256=entry.attachment.sha256[:16]))
    if entry.text:
        for line in entry.text.splitlines():
            text.append("\n    │ " + line, style="dim")
    return text


def _read_source(app_ctx: AppContext, text: str | None, file: Path | None, source: str | None) -> str | None:
    """The pasted text from --text, --file (or --file -), or `-` (stdin)."""
    from supportcli.core.errors import InputError, UsageError

    given = [x for x in (text, file, source) if x is not None]
    if len(given) > 1:
        raise UsageError("cases.one_source")
    if source is not None and source != "-":
        raise InputError("SOURCE", t("cases.input.source_dash", value=source))
    if text is not None:
        return text
    if source == "-" or (file is not None and str(file) == "-"):
        return app_ctx.terminal.stdin.read()
    if file is not None:
        try:
            raw = file.expanduser().read_bytes()
        except OSError as exc:
            raise InputError("--file", t("cases.input.unreadable", reason=exc.strerror or type(exc).__name__)) from exc
        from supportcli.core.sniffing import decode_text, looks_like_text

        if not looks_like_text(raw):
            raise InputError("--file", t("cases.input.not_text"))
        return decode_text(raw)
    return None


def _ask_until_valid(
    terminal: Terminal, ask: Callable[[str], str], check: Callable[[str, bool], object],
    confirm: Callable[[], bool] | None = None,
) -> tuple[str, bool]:
    """Ask, check, and on a refusal say why and ask again with an empty default (never the bad text).

    When the guard is only unsure whether the answer holds a secret, `confirm` may let it through.
    Returns the answer and whether the user confirmed it is not a secret.
    """
    from supportcli.core.errors import SupportCliError
    from supportcli.core.guard.secrets import SecretFoundError, explain

    default = ""
    while True:
        answer = ask(default)
        try:
            check(answer, False)
        except SecretFoundError as exc:
            terminal.error(exc.render())
            if exc.needs_confirmation:  # a refusal already says why; an unsure one says it here
                terminal.error(explain(exc.findings[0]))
            if exc.needs_confirmation and confirm is not None and confirm():
                check(answer, True)
                return answer, True
            default = ""
            continue
        except SupportCliError as exc:
            terminal.error(exc.render())
            default = ""
            continue
        return answer, False


def _ask_log_entry(
    terminal: Terminal, case: Case, today: dt.date, *, kind: str | None, channel: str | None, on: str | None,
    ticket_number: str | None, corrects: int | None,
) -> LogRequest:
    """`cases log` in a terminal: what happened, when, through which channel, what was said."""
    import questionary

    from supportcli.core.cases.guarding import guard_text
    from supportcli.core.cases.inputs import clean_pasted, clean_summary, parse_day
    from supportcli.core.cases.logbook import LogRequest
    from supportcli.core.cases.model import LOG_CHANNELS, LOG_KINDS

    if kind is None:
        kind = str(questionary.select(
            t("cases.ask.kind"), choices=[questionary.Choice(t(f"cases.kind.{k}"), value=k) for k in LOG_KINDS],
            instruction=t("troubleshoot.q.arrows"),
        ).unsafe_ask())
    if channel is None:
        choices = [questionary.Choice(t(f"cases.channel.{c}"), value=c) for c in LOG_CHANNELS]
        channel = str(questionary.select(
            t("cases.ask.channel"), choices=choices,
            default=next((c for c in choices if c.value == case.channel), None),
            instruction=t("troubleshoot.q.arrows"),
        ).unsafe_ask())
    if on is None:
        on, _ = _ask_until_valid(
            terminal,
            lambda default: str(
                questionary.text(t("cases.ask.date"), default=default or today.isoformat()).unsafe_ask()
            ),
            lambda answer, _confirmed: parse_day(answer, "date", today, not_before=case.sent_on),
        )

    def check_summary(answer: str, confirmed: bool) -> None:
        guard_text("summary", clean_summary(answer), field_type="text", confirmed=confirmed)

    def check_text(answer: str, confirmed: bool) -> None:
        guard_text("text", clean_pasted(answer), field_type="multiline", confirmed=confirmed)

    def confirm() -> bool:
        return bool(questionary.confirm(t("cases.ask.not_secret"), default=False).unsafe_ask())

    while True:
        summary, summary_ok = _ask_until_valid(
            terminal, lambda default: str(questionary.text(t("cases.ask.summary"), default=default).unsafe_ask()),
            check_summary, confirm,
        )
        pasted, text_ok = _ask_until_valid(
            terminal,
            lambda default: str(questionary.text(
                t("cases.ask.text"), default=default, multiline=True, instruction=t("cases.ask.text_hint"),
            ).unsafe_ask()),
            check_text, confirm,
        )
        if summary.strip() or pasted.strip():
            break
        terminal.error(t("cases.input.summary_or_text"))
    return LogRequest(kind=kind, channel=channel, on=on, summary=summary, text=pasted, corrects=corrects,
                      ticket_number=ticket_number, confirmed=summary_ok or text_ok)


def _check_log_options(
    case: Case, today: dt.date, *, kind: str | None, channel: str | None, on: str | None, ticket_number: str | None,
) -> None:
    """The options of `cases log`, checked so that an error names the option the user typed."""
    from supportcli.core.cases.inputs import parse_choice, parse_day, parse_ticket_number
    from supportcli.core.cases.model import LOG_CHANNELS, LOG_KINDS

    if kind:
        parse_choice(kind, "--kind", LOG_KINDS)
    if channel:
        parse_choice(channel, "--channel", LOG_CHANNELS)
    if on:
        parse_day(on, "--date", today, not_before=case.sent_on)
    parse_ticket_number(ticket_number, "--ticket-number")


def build() -> typer.Typer:
    app = new_app(t("cases.help"), t("cases.epilog"))

    @app.command("list", help=t("cases.list_help"), epilog=t("cases.list_epilog"))
    def list_(
        ctx: typer.Context,
        all_: bool = typer.Option(False, "--all", help=t("cases.opt.all")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt.json")),
    ) -> None:
        from supportcli.core.cases.store import CaseStore
        from supportcli.core.cases.summary import case_summary

        app_ctx = AppContext.of(ctx)
        terminal = app_ctx.terminal
        listing = CaseStore(app_ctx.paths).list()
        today = _today(app_ctx)
        cases = [c for c in listing.cases if all_ or c.status == "open"]
        _report_damaged(terminal, listing.damaged)
        if as_json:
            terminal.json([case_summary(c, today) for c in cases])
            return
        if not cases:
            terminal.echo(t("cases.none_open") if not all_ else t("cases.none_at_all"))
            terminal.hint(t("cases.how_to_start"))
            return
        from rich.table import Table
        from rich.text import Text

        console = terminal.console()
        if console.width < WIDE_LIST:
            # Narrow terminal: two lines per case, so the state and the subject are never chopped up.
            for case in cases:
                follow = case.follow_up(today)
                due = follow.reply_due.isoformat() if case.status == "open" else "-"
                terminal.echo(t("cases.narrow_line", id=case.id, ticket=case.ticket_number or "-",
                                sent=case.sent_on.isoformat(), due=due, state=_state(case, today)),
                              multiline=False)
                terminal.echo("    " + (case.subject or "-"), multiline=False)
        else:
            table = Table(box=None, pad_edge=False, show_header=True)
            for key in ("id", "ticket", "sent", "due", "state"):
                table.add_column(t(f"cases.col.{key}"), no_wrap=True)
            table.add_column(t("cases.col.subject"), overflow="fold", ratio=1, min_width=16)
            for case in cases:
                follow = case.follow_up(today)
                style = "red" if follow.overdue else None
                due = follow.reply_due.isoformat() if case.status == "open" else "-"
                table.add_row(
                    Text(case.id), Text(case.ticket_number or "-"), Text(case.sent_on.isoformat()), Text(due),
                    Text(_state(case, today)), Text(case.subject or "-"), style=style,
                )
            console.print(table)
        overdue = [c for c in cases if c.follow_up(today).overdue]
        for case in overdue:
            terminal.echo(t("cases.offer_escalate", id=case.id))
        if any(not c.reply_window_confirmed for c in cases):
            note = _window_note(app_ctx)
            terminal.echo(t("cases.window_unconfirmed_note", note=note) if note else t("cases.window_unconfirmed"))

    @app.command("show", help=t("cases.show_help"), epilog=t("cases.show_epilog"))
    def show(
        ctx: typer.Context,
        case_id: str = typer.Argument(..., metavar="ID", help=t("cases.arg.id")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt.json")),
    ) -> None:
        from supportcli.core.cases.store import ATTACHMENTS_DIR, CaseStore
        from supportcli.core.cases.summary import case_summary

        app_ctx = AppContext.of(ctx)
        terminal = app_ctx.terminal
        case = CaseStore(app_ctx.paths).get(case_id)
        today = _today(app_ctx)
        _report_damaged(terminal, case.damaged)
        if as_json:
            data: dict[str, Any] = case_summary(case, today)
            data["folder"] = str(case.folder)
            data["timeline"] = [e.to_json() for e in case.timeline]
            data["attachments"] = [
                {"name": e.attachment.name, "size": e.attachment.size, "sha256": e.attachment.sha256,
                 "path": str(case.folder / ATTACHMENTS_DIR / e.attachment.name)}
                for e in case.effective if e.attachment is not None
            ]
            data["damaged"] = [{"path": str(d.path), "reason": d.reason} for d in case.damaged]
            terminal.json(data)
            return
        from rich.text import Text

        follow = case.follow_up(today)
        console = terminal.console()
        head = Text()
        head.append(t("cases.show_title", id=case.id), style="bold")
        head.append("  " + (case.subject or "-"))
        console.print(head)
        rows = [
            (t("cases.md.ticket"), case.ticket_number or t("cases.none")),
            (t("cases.md.sent"), t("cases.sent_value", date=case.sent_on.isoformat(),
                                   channel=t(f"cases.channel.{case.channel}"))),
            (t("cases.md.status"), _state(case, today)),
        ]
        closing = case.closing
        if closing is not None:
            rows.append((t("cases.label.resolution"), f"{closing.on.isoformat()} — {closing.summary or '-'}"))
        else:
            rows.append((t("cases.label.due"), f"{follow.reply_due.isoformat()} — {_window_line(case)}"))
        rows += [
            (t("cases.md.draft"), case.draft_id or "-"),
            (t("cases.label.folder"), str(case.folder)),
        ]
        for label, value in rows:
            line = Text()
            line.append("  " + t("cases.label_value", label=label), style="dim")
            line.append(value)
            console.print(line)
        console.print(Text(""))
        console.print(Text(t("cases.md.timeline"), style="bold"))
        for entry in case.timeline:
            console.print(_entry_text(entry, case.corrected_by(entry.seq)))
        if follow.overdue:
            terminal.echo("")
            terminal.echo(t("cases.offer_escalate", id=case.id))

    @app.command("log", help=t("cases.log_help"), epilog=t("cases.log_epilog"))
    def log(
        ctx: typer.Context,
        case_id: str = typer.Argument(..., metavar="ID", help=t("cases.arg.id")),
        source: str | None = typer.Argument(None, metavar="[-]", help=t("cases.arg.dash"), show_default=False),
        kind: str | None = typer.Option(None, "--kind", "-k", metavar="reply|call|chat|followup|note",
                                        help=t("cases.opt.kind"), show_default=False),
        channel: str | None = typer.Option(None, "--channel", "-c", metavar="ticket|email|chat|phone|social|other",
                                           help=t("cases.opt.channel"), show_default=False),
        on: str | None = typer.Option(None, "--date", "-d", metavar="YYYY-MM-DD", help=t("cases.opt.date"),
                                      show_default=False),
        summary: str | None = typer.Option(None, "--summary", "-s", help=t("cases.opt.summary"), show_default=False),
        text: str | None = typer.Option(None, "--text", help=t("cases.opt.text"), show_default=False),
        file: Path | None = typer.Option(None, "--file", "-f", metavar="PATH|-", help=t("cases.opt.file"),
                                         show_default=False),
        ticket_number: str | None = typer.Option(None, "--ticket-number", help=t("cases.opt.ticket_number"),
                                                 show_default=False),
        corrects: int | None = typer.Option(None, "--corrects", metavar="N", help=t("cases.opt.corrects"),
                                            show_default=False, min=1),
        not_secret: bool = typer.Option(False, "--not-secret", help=t("cases.opt.not_secret")),
    ) -> None:
        from supportcli.core.cases.logbook import LogRequest, log_entry
        from supportcli.core.cases.store import CaseStore
        from supportcli.core.errors import UsageError

        app_ctx = AppContext.of(ctx)
        terminal = app_ctx.terminal
        case = CaseStore(app_ctx.paths).get(case_id)
        pasted = _read_source(app_ctx, text, file, source)
        today = _today(app_ctx)
        if pasted is None and summary is None:
            if not terminal.interactive:
                raise UsageError("cases.log_needs_input", id=case.id)
            request = _ask_log_entry(terminal, case, today, kind=kind, channel=channel, on=on,
                                     ticket_number=ticket_number, corrects=corrects)
        else:
            _check_log_options(case, today, kind=kind, channel=channel, on=on, ticket_number=ticket_number)
            request = LogRequest(
                kind=kind or "", channel=channel or "", on=on or "", summary=summary or "",
                text=pasted or "", corrects=corrects, ticket_number=ticket_number, confirmed=not_secret,
            )
        from supportcli.core.guard.secrets import SecretFoundError

        try:
            entry = log_entry(app_ctx.paths, case.id, request, today=today)
        except SecretFoundError as exc:
            if exc.needs_confirmation and not request.confirmed:
                raise UsageError("cases.maybe_secret", message=exc.render()) from None
            raise
        terminal.echo(t("cases.logged", seq=entry.seq, kind=t(f"cases.kind.{entry.kind}"), id=case.id,
                        date=entry.on.isoformat()))
        updated = CaseStore(app_ctx.paths).load(case.id)
        follow = updated.follow_up(today)
        if follow.awaiting_reply:
            terminal.echo(t("cases.now_due", due=follow.reply_due.isoformat()) + " " + _window_line(updated))
        if entry.channel == "phone" or entry.kind == "call":
            terminal.echo(t("cases.phone_warning"))

    @app.command("attach", help=t("cases.attach_help"), epilog=t("cases.attach_epilog"))
    def attach(
        ctx: typer.Context,
        case_id: str = typer.Argument(..., metavar="ID", help=t("cases.arg.id")),
        files: list[Path] = typer.Argument(..., metavar="FILE…", help=t("cases.arg.files")),
    ) -> None:
        from supportcli.core.cases.attachments import attach_files
        from supportcli.core.cases.model import AttachmentRef

        app_ctx = AppContext.of(ctx)
        already: list[tuple[Path, AttachmentRef]] = []
        refs = attach_files(app_ctx.paths, case_id, [f.expanduser() for f in files], today=_today(app_ctx),
                            already=already)
        for ref in refs:
            app_ctx.terminal.echo(t("cases.attached", name=ref.name, size=ref.size, sha256=ref.sha256[:16]))
        for given, held in already:
            app_ctx.terminal.echo(t("cases.already_attached", path=str(given), name=held.name,
                                    sha256=held.sha256[:16]))
        if refs:
            app_ctx.terminal.hint(t("cases.attached_note"))

    @app.command("close", help=t("cases.close_help"), epilog=t("cases.close_epilog"))
    def close(
        ctx: typer.Context,
        case_id: str = typer.Argument(..., metavar="ID", help=t("cases.arg.id")),
        resolution: str = typer.Option("", "--resolution", "-r", help=t("cases.opt.resolution"), show_default=False),
    ) -> None:
        from supportcli.core.cases.status import close_case

        app_ctx = AppContext.of(ctx)
        case = close_case(app_ctx.paths, case_id, resolution, today=_today(app_ctx))
        app_ctx.terminal.echo(t("cases.closed", id=case.id))

    @app.command("reopen", help=t("cases.reopen_help"), epilog=t("cases.reopen_epilog"))
    def reopen(
        ctx: typer.Context,
        case_id: str = typer.Argument(..., metavar="ID", help=t("cases.arg.id")),
        reason: str = typer.Option("", "--reason", help=t("cases.opt.reason"), show_default=False),
    ) -> None:
        from supportcli.core.cases.status import reopen_case

        app_ctx = AppContext.of(ctx)
        today = _today(app_ctx)
        case = reopen_case(app_ctx.paths, case_id, reason, today=today)
        app_ctx.terminal.echo(t("cases.reopened", id=case.id))

    @app.command("bundle", help=t("cases.bundle_help"), epilog=t("cases.bundle_epilog"))
    def bundle(
        ctx: typer.Context,
        case_id: str = typer.Argument(..., metavar="ID", help=t("cases.arg.id")),
        output: Path | None = typer.Option(None, "--output", "-o", metavar="DIR", help=t("cases.opt.output"),
                                           show_default=False),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt.json")),
    ) -> None:
        from supportcli.core.cases.bundle import write_bundle

        app_ctx = AppContext.of(ctx)
        result = write_bundle(app_ctx.paths, case_id, output=output, today=_today(app_ctx))
        if as_json:
            app_ctx.terminal.json({"path": str(result.path), "size": result.size, "files": result.files})
            return
        app_ctx.terminal.echo(str(result.path))
        app_ctx.terminal.hint(t("cases.bundle_done", count=len(result.files)), err=True)

    return app

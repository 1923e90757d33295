"""`supportcli cases list|show|log|attach|close|reopen|bundle`: follow a sent request to its end.

Each command is a module-level function; `build()` registers them. Options several commands share
come from `supportcli.term.options`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from supportcli.core.i18n import t
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import AnswersFile, CaseIdArg, JsonFlag

if TYPE_CHECKING:
    from rich.text import Text

    from supportcli.core.cases.model import Case, Damaged, TimelineEntry
    from supportcli.core.prompting.protocol import Prompter
    from supportcli.term.terminal import Terminal


WIDE_LIST = 110  # columns needed for the table form of `cases list`


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


def _manifest(app_ctx: AppContext) -> Any:
    """The pack's names for the scam warning; None (general words) if the pack cannot be used."""
    from supportcli.core.errors import SupportCliError

    try:
        return app_ctx.pack().manifest
    except SupportCliError:
        return None


# --------------------------------------------------------------------------- the commands

def list_cases(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="cases.opt.all")] = False,
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.cases.store import CaseStore
    from supportcli.core.cases.summary import case_summary

    app_ctx = AppContext.of(ctx)
    terminal = app_ctx.terminal
    listing = CaseStore(app_ctx.paths).list()
    today = app_ctx.settings.today
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
        # Narrow terminal: a case's facts, then its subject, each wrapped between words (on a
        # terminal) under the first fact, so neither the state nor the subject is chopped up.
        from supportcli.term.wrap import display_width, fill, fill_fields

        for case in cases:
            follow = case.follow_up(today)
            due = follow.reply_due.isoformat() if case.status == "open" else "-"
            facts = t("cases.narrow_line", id=case.id, ticket=case.ticket_number or "-",
                      sent=case.sent_on.isoformat(), due=due, state=_state(case, today))
            subject = " ".join((case.subject or "-").split())
            if terminal.stdout_isatty:
                hang = " " * (display_width(case.id) + 2)
                terminal.echo(fill_fields(facts, console.width - 1, "", hang))
                terminal.echo(fill(subject, console.width - 1, hang, hang))
            else:
                terminal.echo(facts, multiline=False)
                terminal.echo("    " + subject, multiline=False)
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
        terminal.say(t("cases.offer_escalate", id=case.id))
    if any(not c.reply_window_confirmed for c in cases):
        note = _window_note(app_ctx)
        terminal.say(t("cases.window_unconfirmed_note", note=note) if note else t("cases.window_unconfirmed"))


def show_case(ctx: typer.Context, case_id: CaseIdArg, as_json: JsonFlag = False) -> None:
    from supportcli.core.cases.store import ATTACHMENTS_DIR, CaseStore
    from supportcli.core.cases.summary import case_summary

    app_ctx = AppContext.of(ctx)
    terminal = app_ctx.terminal
    case = CaseStore(app_ctx.paths).get(case_id)
    today = app_ctx.settings.today
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


def log_case(
    ctx: typer.Context,
    case_id: CaseIdArg,
    source: Annotated[str | None, typer.Argument(metavar="[-]", help="cases.arg.dash", show_default=False)] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", metavar="reply|call|chat|followup|note",
                                             help="cases.opt.kind", show_default=False)] = None,
    channel: Annotated[str | None, typer.Option("--channel", "-c", metavar="ticket|email|chat|phone|social|other",
                                                help="cases.opt.channel", show_default=False)] = None,
    on: Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="cases.opt.date",
                                           show_default=False)] = None,
    summary: Annotated[str | None, typer.Option("--summary", "-s", help="cases.opt.summary",
                                                show_default=False)] = None,
    text: Annotated[str | None, typer.Option("--text", help="cases.opt.text", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", metavar="PATH|-", help="cases.opt.file",
                                              show_default=False)] = None,
    answers: AnswersFile = None,
    ticket_number: Annotated[str | None, typer.Option("--ticket-number", help="cases.opt.ticket_number",
                                                      show_default=False)] = None,
    corrects: Annotated[int | None, typer.Option("--corrects", metavar="N", help="cases.opt.corrects",
                                                 show_default=False, min=1)] = None,
    not_secret: Annotated[bool, typer.Option("--not-secret", help="cases.opt.not_secret")] = False,
) -> None:
    """What happened, asked through the run's Prompter: a person at a terminal (each answer checked
    and asked again until valid), or the options and an answers file (nothing is asked)."""
    from supportcli.core.cases.logbook import ask_log_request, log_entry, read_log_answers
    from supportcli.core.cases.store import CaseStore
    from supportcli.core.errors import UsageError
    from supportcli.core.prompting.asking import Asker
    from supportcli.core.prompting.guard import SecretFound
    from supportcli.core.prompting.scripted import ScriptedPrompter

    app_ctx = AppContext.of(ctx)
    terminal = app_ctx.terminal
    case = CaseStore(app_ctx.paths).get(case_id)
    pasted = _read_source(app_ctx, text, file, source)
    today = app_ctx.settings.today
    _check_log_options(case, today, kind=kind, channel=channel, on=on, ticket_number=ticket_number)
    options = {key: value for key, value in (
        ("kind", kind), ("channel", channel), ("date", on), ("summary", summary), ("text", pasted),
    ) if value is not None}
    prompter: Prompter
    given: dict[str, str] = {}  # answered by the options: not asked
    if answers is not None or "summary" in options or "text" in options:
        from_file: dict[str, str] = {}
        if answers is not None:
            from supportcli.core.prompting.answers_file import read_answers_toml

            from_file, corrects_file, number_file = read_log_answers(read_answers_toml(answers))
            corrects = corrects if corrects is not None else corrects_file
            ticket_number = ticket_number if ticket_number is not None else number_file
        prompter = ScriptedPrompter({**from_file, **options}, confirm_unsure=not_secret)
    elif terminal.interactive:
        from supportcli.term.prompting import interactive

        app_ctx, prompter = interactive(app_ctx)
        given = options
    else:
        raise UsageError("cases.log_needs_input", id=case.id)
    asker = Asker(prompter, manifest=_manifest(app_ctx))
    try:
        request = ask_log_request(asker, case, today, given=given, corrects=corrects, ticket_number=ticket_number)
    except SecretFound as exc:
        if exc.needs_confirmation:  # a value the guard is unsure about, in a run that cannot ask
            raise UsageError("cases.maybe_secret", message=exc.render()) from None
        raise
    for warning in dict.fromkeys(prompter.warnings if not prompter.interactive else []):
        terminal.error("⚠ " + warning)
    entry = log_entry(app_ctx.paths, case.id, request, today=today)
    terminal.echo(t("cases.logged", seq=entry.seq, kind=t(f"cases.kind.{entry.kind}"), id=case.id,
                    date=entry.on.isoformat()))
    updated = CaseStore(app_ctx.paths).load(case.id)
    follow = updated.follow_up(today)
    if follow.awaiting_reply:
        terminal.echo(t("cases.now_due", due=follow.reply_due.isoformat()) + " " + _window_line(updated))
    if entry.channel == "phone" or entry.kind == "call":
        terminal.echo(t("cases.phone_warning"))


def attach_to_case(
    ctx: typer.Context,
    case_id: CaseIdArg,
    files: Annotated[list[Path], typer.Argument(metavar="FILE…", help="cases.arg.files")],
) -> None:
    from supportcli.core.cases.attachments import attach_files
    from supportcli.core.cases.model import AttachmentRef

    app_ctx = AppContext.of(ctx)
    already: list[tuple[Path, AttachmentRef]] = []
    refs = attach_files(app_ctx.paths, case_id, [f.expanduser() for f in files], today=app_ctx.settings.today,
                        already=already)
    for ref in refs:
        app_ctx.terminal.echo(t("cases.attached", name=ref.name, size=ref.size, sha256=ref.sha256[:16]))
    for given, held in already:
        app_ctx.terminal.echo(t("cases.already_attached", path=str(given), name=held.name,
                                sha256=held.sha256[:16]))
    if refs:
        app_ctx.terminal.hint(t("cases.attached_note"))


def close(
    ctx: typer.Context,
    case_id: CaseIdArg,
    resolution: Annotated[str, typer.Option("--resolution", "-r", help="cases.opt.resolution",
                                            show_default=False)] = "",
) -> None:
    from supportcli.core.cases.status import close_case

    app_ctx = AppContext.of(ctx)
    case = close_case(app_ctx.paths, case_id, resolution, today=app_ctx.settings.today)
    app_ctx.terminal.echo(t("cases.closed", id=case.id))


def reopen(
    ctx: typer.Context,
    case_id: CaseIdArg,
    reason: Annotated[str, typer.Option("--reason", help="cases.opt.reason", show_default=False)] = "",
) -> None:
    from supportcli.core.cases.status import reopen_case

    app_ctx = AppContext.of(ctx)
    case = reopen_case(app_ctx.paths, case_id, reason, today=app_ctx.settings.today)
    app_ctx.terminal.echo(t("cases.reopened", id=case.id))


def bundle(
    ctx: typer.Context,
    case_id: CaseIdArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="DIR", help="cases.opt.output",
                                                show_default=False)] = None,
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.cases.bundle import write_bundle

    app_ctx = AppContext.of(ctx)
    result = write_bundle(app_ctx.paths, case_id, output=output, today=app_ctx.settings.today)
    if as_json:
        app_ctx.terminal.json({"path": str(result.path), "size": result.size, "files": result.files})
        return
    app_ctx.terminal.echo(str(result.path))
    app_ctx.terminal.hint(t("cases.bundle_done", count=len(result.files)), err=True)


def build() -> typer.Typer:
    app = new_app(t("cases.help"), t("cases.epilog"))
    app.command("list", help="cases.list_help", epilog="cases.list_epilog")(list_cases)
    app.command("show", help="cases.show_help", epilog="cases.show_epilog")(show_case)
    app.command("log", help="cases.log_help", epilog="cases.log_epilog")(log_case)
    app.command("attach", help="cases.attach_help", epilog="cases.attach_epilog")(attach_to_case)
    app.command("close", help="cases.close_help", epilog="cases.close_epilog")(close)
    app.command("reopen", help="cases.reopen_help", epilog="cases.reopen_epilog")(reopen)
    app.command("bundle", help="cases.bundle_help", epilog="cases.bundle_epilog")(bundle)
    return app

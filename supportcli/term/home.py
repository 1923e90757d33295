"""The home screen: what `supportcli` shows when run with no arguments.

Short and cheap: overdue and open cases, unsent drafts, interrupted troubleshooting sessions, and
the three commands to start with. It reads only the cases, drafts and sessions folders (no content
pack, no rich), and a damaged file or a missing folder never stops it. Columns line up by display
width (a Chinese character takes two), and subjects take what the terminal's width leaves them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportcli.core.i18n import t

if TYPE_CHECKING:
    from supportcli.core.cases.model import Case
    from supportcli.core.flows.answers import Session
    from supportcli.term.context import AppContext

SHOWN = 5  # at most this many cases or drafts per section
INDENT = "  "
GAP = "  "
MIN_SUBJECT = 16  # a subject narrower than this goes on a line of its own


def _ticket(case: Case) -> str:
    return t("home.ticket", number=case.ticket_number) if case.ticket_number else t("home.no_ticket")


def _problem(exc: Exception) -> str:
    from supportcli.core.errors import SupportCliError

    if isinstance(exc, SupportCliError):
        return exc.render()
    return str(exc)


def _cases(app_ctx: AppContext, problems: list[str]) -> tuple[list[Case], int]:
    """Open cases (newest first) and how many case files could not be read.

    A cases folder that cannot be read at all adds its error to `problems`.
    """
    from supportcli.core.cases.store import CaseStore
    from supportcli.core.errors import SupportCliError

    try:
        listing = CaseStore(app_ctx.paths).list()
    except (SupportCliError, OSError) as exc:
        problems.append(_problem(exc))
        return [], 0
    return [c for c in listing.cases if c.status == "open"], len(listing.damaged)


def _unsent_drafts(app_ctx: AppContext, problems: list[str]) -> tuple[list[tuple[str, str]], int]:
    """(id, subject) of unsent drafts, newest first, and how many drafts could not be read."""
    from supportcli.core.drafts.model import DraftInfo
    from supportcli.core.drafts.store import DraftStore
    from supportcli.core.errors import SupportCliError

    try:
        items = DraftStore(app_ctx.paths).list()
    except (SupportCliError, OSError) as exc:
        problems.append(_problem(exc))
        return [], 0
    drafts = [(d.id, d.subject) for d in items if isinstance(d, DraftInfo) and d.status != "sent"]
    return drafts, sum(1 for d in items if not isinstance(d, DraftInfo))


def _sessions(app_ctx: AppContext) -> list[Session]:
    """Interrupted troubleshooting sessions, newest first (none if the folder cannot be read)."""
    from supportcli.core.flows.answers import list_sessions

    try:
        return list_sessions(app_ctx.paths)
    except OSError:
        return []


def _more(shown: int, total: int) -> list[str]:
    return [t("home.more", count=total - shown)] if total > shown else []


def table_rows(rows: list[list[str]], width: int) -> list[list[str]]:
    """Rows of cells as aligned lines (by display width), one list of lines per row. The last cell of
    each row, the subject, gets what is left of `width` and is shortened at a word — or goes on a line
    of its own below when too little is left."""
    from supportcli.term.wrap import display_width, pad, shorten

    if not rows:
        return []
    columns = len(rows[0]) - 1
    widths = [max(display_width(row[i]) for row in rows) for i in range(columns)]
    lead = display_width(INDENT) + sum(w + display_width(GAP) for w in widths)
    out: list[list[str]] = []
    for row in rows:
        head = INDENT + GAP.join(pad(cell, widths[i]) for i, cell in enumerate(row[:columns]))
        subject = row[columns]
        if width - lead >= MIN_SUBJECT:
            out.append([(head + GAP + shorten(subject, width - lead)).rstrip()])
        else:
            below = INDENT * 2 + shorten(subject, max(MIN_SUBJECT, width - 2 * display_width(INDENT)))
            out.append([head.rstrip(), below])
    return out


def table(rows: list[list[str]], width: int) -> list[str]:
    return [line for lines_of_row in table_rows(rows, width) for line in lines_of_row]


def _saved_at(session: Session) -> str:
    return session.saved_at.replace("T", " ")[:16]


def lines(app_ctx: AppContext, width: int = 80) -> list[str]:
    """The home screen as lines of text, in the current language, for a screen `width` columns wide."""
    today = app_ctx.settings.today
    problems: list[str] = []
    open_cases, damaged_cases = _cases(app_ctx, problems)
    drafts, damaged_drafts = _unsent_drafts(app_ctx, problems)
    sessions = _sessions(app_ctx)
    out = [t("home.title"), ""]
    overdue = [c for c in open_cases if c.follow_up(today).overdue]
    waiting = [c for c in open_cases if not c.follow_up(today).overdue]
    if overdue:
        out.append(t("home.overdue_heading", count=len(overdue)))
        rows = [[case.id, _ticket(case), t("home.was_due", due=case.follow_up(today).reply_due.isoformat()),
                 case.subject or "-"] for case in overdue[:SHOWN]]
        for case, row_lines in zip(overdue[:SHOWN], table_rows(rows, width), strict=True):
            out += row_lines
            out.append(t("home.overdue_hint", id=case.id))
        out += _more(SHOWN, len(overdue))
        out.append("")
    if waiting:
        out.append(t("home.open_heading", count=len(waiting)))
        rows = []
        for case in waiting[:SHOWN]:
            follow = case.follow_up(today)
            state = t("home.due", due=follow.reply_due.isoformat()) if follow.awaiting_reply else t("home.answered")
            rows.append([case.id, _ticket(case), state, case.subject or "-"])
        out += table(rows, width)
        out += _more(SHOWN, len(waiting))
        out.append("")
    if open_cases:
        out.append(t("home.more_cases"))
        out.append("")
    if drafts:
        out.append(t("home.drafts_heading", count=len(drafts)))
        out += table([[draft_id, subject or "-"] for draft_id, subject in drafts[:SHOWN]], width)
        out += _more(SHOWN, len(drafts))
        out.append(t("home.drafts_hint"))
        out.append("")
    if sessions:
        out.append(t("home.sessions_heading", count=len(sessions)))
        out += table([[s.flow_id, t("home.saved_at", saved_at=_saved_at(s))] for s in sessions[:SHOWN]], width)
        out += _more(SHOWN, len(sessions))
        flow = sessions[0].flow_id if len(sessions) == 1 else "FLOW"
        out.append(t("home.sessions_hint", flow=flow))
        out.append("")
    if damaged_cases or damaged_drafts:
        out.append(t("home.damaged", cases=damaged_cases, drafts=damaged_drafts))
        out.append("")
    for problem in problems:
        out.append(t("home.folder_problem", problem=problem))
    if problems:
        out.append("")
    if not open_cases and not drafts and not problems and not sessions:
        out.append(t("home.first_run"))
        out.append("")
    out.append(t("home.start_heading"))
    commands = [(t("home.cmd_faq"), t("home.what_faq")), (t("home.cmd_troubleshoot"), t("home.what_troubleshoot")),
                (t("home.cmd_draft"), t("home.what_draft"))]
    out += table([[command, what] for command, what in commands], width)
    out.append("")
    out.append(t("home.more_help"))
    out.append(t("home.never_share"))
    return out


def show(app_ctx: AppContext) -> None:
    term = app_ctx.terminal
    width = term.columns() - 1
    text = "\n".join(lines(app_ctx, width))
    if term.stdout_isatty:  # prose is wrapped to the screen; piped, lines stay whole
        from supportcli.term.wrap import wrap

        text = wrap(text, width)
    term.echo(text)

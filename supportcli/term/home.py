"""The home screen: what `supportcli` shows when run with no arguments.

Short and cheap: overdue and open cases, unsent drafts, and the three commands to start with. It
reads only the cases and drafts folders (no content pack, no rich), and a damaged file or a
missing folder never stops it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from supportcli.core.i18n import t

if TYPE_CHECKING:
    from supportcli.core.cases.model import Case
    from supportcli.term.context import AppContext

SHOWN = 5  # at most this many cases or drafts per section
_SUBJECT_WIDTH = 48


def _short(text: str, width: int = _SUBJECT_WIDTH) -> str:
    """One line at most `width` columns wide (a Chinese character takes two)."""
    from supportcli.term.wrap import display_width

    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    while text and display_width(text) > width - 1:
        text = text[:-1]
    return text.rstrip() + "…"


def _ticket(case: Case) -> str:
    return t("home.ticket", number=case.ticket_number) if case.ticket_number else t("home.no_ticket")


def _today(app_ctx: AppContext) -> dt.date:
    return app_ctx.settings.today


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


def _more(shown: int, total: int) -> list[str]:
    return [t("home.more", count=total - shown)] if total > shown else []


def lines(app_ctx: AppContext) -> list[str]:
    """The home screen as lines of text, in the current language."""
    today = _today(app_ctx)
    problems: list[str] = []
    open_cases, damaged_cases = _cases(app_ctx, problems)
    drafts, damaged_drafts = _unsent_drafts(app_ctx, problems)
    out = [t("home.title"), ""]
    overdue = [c for c in open_cases if c.follow_up(today).overdue]
    waiting = [c for c in open_cases if not c.follow_up(today).overdue]
    if overdue:
        out.append(t("home.overdue_heading", count=len(overdue)))
        for case in overdue[:SHOWN]:
            follow = case.follow_up(today)
            out.append(t("home.overdue_line", id=case.id, ticket=_ticket(case),
                         due=follow.reply_due.isoformat(), subject=_short(case.subject or "-")))
            out.append(t("home.overdue_hint", id=case.id))
        out += _more(SHOWN, len(overdue))
        out.append("")
    if waiting:
        out.append(t("home.open_heading", count=len(waiting)))
        for case in waiting[:SHOWN]:
            follow = case.follow_up(today)
            state = t("home.due", due=follow.reply_due.isoformat()) if follow.awaiting_reply else t("home.answered")
            out.append(t("home.open_line", id=case.id, ticket=_ticket(case), state=state,
                         subject=_short(case.subject or "-")))
        out += _more(SHOWN, len(waiting))
        out.append("")
    if open_cases:
        out.append(t("home.more_cases"))
        out.append("")
    if drafts:
        out.append(t("home.drafts_heading", count=len(drafts)))
        for draft_id, subject in drafts[:SHOWN]:
            out.append(t("home.draft_line", id=draft_id, subject=_short(subject or "-")))
        out += _more(SHOWN, len(drafts))
        out.append(t("home.drafts_hint"))
        out.append("")
    if damaged_cases or damaged_drafts:
        out.append(t("home.damaged", cases=damaged_cases, drafts=damaged_drafts))
        out.append("")
    for problem in problems:
        out.append(t("home.folder_problem", problem=problem))
    if problems:
        out.append("")
    if not open_cases and not drafts and not problems:
        out.append(t("home.first_run"))
        out.append("")
    out.append(t("home.start_heading"))
    out.append(t("home.cmd_faq"))
    out.append(t("home.cmd_troubleshoot"))
    out.append(t("home.cmd_draft"))
    out.append("")
    out.append(t("home.more_help"))
    return out


def show(app_ctx: AppContext) -> None:
    for line in lines(app_ctx):
        app_ctx.terminal.echo(line)

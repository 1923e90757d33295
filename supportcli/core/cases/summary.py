"""A case as `cases list --json` and `cases show --json` print it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from supportcli.core.cases.model import Case


def case_summary(case: Case, today: dt.date) -> dict[str, Any]:
    """The `cases list --json` object of a case."""
    follow = case.follow_up(today)
    closing = case.closing
    return {
        "id": case.id,
        "ticket_number": case.ticket_number or None,
        "status": case.status,
        "subject": case.subject,
        "category": case.category,
        "channel": case.channel,
        "sent_on": case.sent_on.isoformat(),
        "last_outgoing": case.last_outgoing.isoformat(),
        "reply_due": follow.reply_due.isoformat(),
        "reply_window_business_days": case.reply_window_business_days,
        "reply_window_confirmed": case.reply_window_confirmed,
        "awaiting_reply": follow.awaiting_reply,
        "overdue": follow.overdue,
        "business_days_left": follow.business_days_left,
        "replies": len(case.support_entries),
        "last_activity": case.last_activity.isoformat(),
        "closed_on": closing.on.isoformat() if closing else None,
        "resolution": closing.summary if closing else None,
        "draft_id": case.draft_id or None,
        "escalate": f"supportcli troubleshoot escalate --case {case.id}" if follow.overdue else None,
    }

"""Cases: a sent request followed to its end. Plain data, no I/O.

A case is its `case.toml` (written once, when the draft is marked sent) plus an append-only
timeline of entries. Everything that changes — status, a ticket number learnt later, a correction —
is a new entry, so the record a user shows in a dispute is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportcli.core.cases.business_days import add_business_days, business_days_between

CASE_FORMAT = 1
# How a request was sent (`drafts mark-sent --channel`).
SEND_CHANNELS = ("ticket", "email", "chat")
# Where something later happened (`cases log --channel`).
LOG_CHANNELS = ("ticket", "email", "chat", "phone", "social", "other")
# What a user records with `cases log`: support answered (reply, call, chat), the user wrote again
# (followup: the reply window starts again), or a note to self.
LOG_KINDS = ("reply", "call", "chat", "followup", "note")
# Entries the program writes itself.
SYSTEM_KINDS = ("sent", "attachment", "closed", "reopened")
ENTRY_KINDS = LOG_KINDS + SYSTEM_KINDS
INCOMING_KINDS = ("reply", "call", "chat")
OUTGOING_KINDS = ("sent", "followup")
STATUSES = ("open", "closed")
MAX_SUMMARY = 300
MAX_WINDOW_DAYS = 260  # a year of business days: a case file saying more was edited by hand
MAX_TEXT = 100_000


@dataclass(frozen=True)
class AttachmentRef:
    """A file kept with the case, under `attachments/`."""

    name: str
    size: int
    sha256: str
    # What the guard could not read ("image", "pdf", … or "parts" of an e-mail), kept because the user
    # said they looked at it; "" when the guard read all of it.
    unchecked: str = ""

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "size": self.size, "sha256": self.sha256}
        if self.unchecked:
            data["unchecked"] = self.unchecked
        return data


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    kind: str
    on: dt.date  # the day it happened (the user's calendar)
    channel: str
    recorded_at: dt.datetime  # when it was written down (UTC)
    summary: str = ""
    text: str = ""
    corrects: int | None = None  # this entry replaces entry number `corrects`
    ticket_number: str | None = None  # a ticket number learnt with this entry
    attachment: AttachmentRef | None = None

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seq": self.seq,
            "kind": self.kind,
            "date": self.on,
            "channel": self.channel,
            "recorded_at": self.recorded_at,
        }
        if self.summary:
            data["summary"] = self.summary
        if self.text:
            data["text"] = self.text
        if self.corrects is not None:
            data["corrects"] = self.corrects
        if self.ticket_number:
            data["ticket_number"] = self.ticket_number
        if self.attachment is not None:
            data["attachment"] = self.attachment.to_data()
        return data

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "date": self.on.isoformat(),
            "channel": self.channel,
            "recorded_at": self.recorded_at.isoformat(),
            "summary": self.summary,
            "text": self.text,
            "corrects": self.corrects,
            "ticket_number": self.ticket_number,
            "attachment": None if self.attachment is None else {
                "name": self.attachment.name, "size": self.attachment.size, "sha256": self.attachment.sha256,
                "unchecked": self.attachment.unchecked or None,
            },
        }


@dataclass(frozen=True)
class Damaged:
    """A file that could not be read; listed, never fatal."""

    path: Path
    reason: str


@dataclass(frozen=True)
class FollowUp:
    """Where a case stands against its reply window on a given day."""

    reply_due: dt.date
    awaiting_reply: bool  # nothing from support since the user last wrote
    overdue: bool  # open, awaiting a reply, and the due day has passed
    business_days_left: int  # negative once overdue


@dataclass
class Case:
    id: str
    folder: Path
    sent_on: dt.date
    channel: str
    created_at: dt.datetime
    reply_window_business_days: int
    reply_window_confirmed: bool
    draft_id: str = ""
    subject: str = ""
    category: str = ""
    pack: str = ""
    initial_ticket_number: str = ""
    draft_files: dict[str, str] = field(default_factory=dict)  # role (ticket/email/sidecar) -> relative path
    timeline: list[TimelineEntry] = field(default_factory=list)
    damaged: list[Damaged] = field(default_factory=list)

    @property
    def effective(self) -> list[TimelineEntry]:
        """The timeline with corrected entries replaced by their corrections."""
        replaced = {e.corrects for e in self.timeline if e.corrects is not None}
        return [e for e in self.timeline if e.seq not in replaced]

    def corrected_by(self, seq: int) -> int | None:
        """The number of the last entry that corrects entry `seq` (None: not corrected)."""
        found = [e.seq for e in self.timeline if e.corrects == seq]
        return max(found) if found else None

    @property
    def status(self) -> str:
        status = "open"
        for entry in self.effective:
            if entry.kind == "closed":
                status = "closed"
            elif entry.kind == "reopened":
                status = "open"
        return status

    @property
    def closing(self) -> TimelineEntry | None:
        """The entry that closed the case, while it is closed."""
        if self.status != "closed":
            return None
        return next((e for e in reversed(self.effective) if e.kind == "closed"), None)

    @property
    def ticket_number(self) -> str:
        for entry in reversed(self.effective):
            if entry.ticket_number:
                return entry.ticket_number
        return self.initial_ticket_number

    @property
    def last_outgoing(self) -> dt.date:
        """The day the user last wrote to support (the original request or a follow-up)."""
        days = [e.on for e in self.effective if e.kind in OUTGOING_KINDS]
        return max([self.sent_on, *days])

    @property
    def support_entries(self) -> list[TimelineEntry]:
        return [e for e in self.effective if e.kind in INCOMING_KINDS]

    @property
    def last_activity(self) -> dt.date:
        return max([self.sent_on, *(e.on for e in self.effective)])

    def follow_up(self, today: dt.date) -> FollowUp:
        since = self.last_outgoing
        due = add_business_days(since, self.reply_window_business_days)
        answered = any(e.on >= since for e in self.support_entries)
        awaiting = self.status == "open" and not answered
        overdue = awaiting and today > due
        return FollowUp(
            reply_due=due, awaiting_reply=awaiting, overdue=overdue,
            business_days_left=business_days_between(today, due),
        )

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": CASE_FORMAT,
            "id": self.id,
            "sent_on": self.sent_on,
            "channel": self.channel,
            "created_at": self.created_at,
            "reply_window_business_days": self.reply_window_business_days,
            "reply_window_confirmed": self.reply_window_confirmed,
            "draft_id": self.draft_id,
            "subject": self.subject,
            "category": self.category,
            "pack": self.pack,
        }
        if self.initial_ticket_number:
            data["ticket_number"] = self.initial_ticket_number
        if self.draft_files:
            data["draft_files"] = dict(self.draft_files)
        return data


class FormatProblem(ValueError):
    """A case or entry file without the expected shape: the key, and what was expected (a message)."""

    def __init__(self, key: str, expected_key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.expected_key = expected_key
        self.params = params

    def render(self) -> str:
        from supportcli.core.i18n import t

        return t("cases.damaged.key", key=self.key, expected=t(self.expected_key, **self.params))


# Days a case can be about (reply windows are counted from them: a year 9999 would overflow).
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(2999, 12, 31)


def _in_range(key: str, day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise FormatProblem(key, "cases.expect.date_range", earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())
    return day


def _date(data: dict[str, Any], key: str) -> dt.date:
    value = data.get(key)
    if isinstance(value, dt.datetime):
        return _in_range(key, value.date())
    if isinstance(value, dt.date):
        return _in_range(key, value)
    if isinstance(value, str):
        try:
            return _in_range(key, dt.date.fromisoformat(value))
        except ValueError:
            pass
    raise FormatProblem(key, "cases.expect.date")


def _datetime(data: dict[str, Any], key: str) -> dt.datetime:
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    raise FormatProblem(key, "cases.expect.datetime")


def _str(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise FormatProblem(key, "cases.expect.text")
    return value


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = data.get(key, "")
    if value not in allowed:
        raise FormatProblem(key, "cases.expect.choice", allowed=", ".join(a for a in allowed if a))
    return str(value)


def _int(data: dict[str, Any], key: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FormatProblem(key, "cases.expect.integer", minimum=minimum)
    if maximum is not None and value > maximum:
        raise FormatProblem(key, "cases.expect.at_most", maximum=maximum)
    return value


def parse_case(data: dict[str, Any], folder: Path) -> Case:
    """A Case (with an empty timeline) from the data of a `case.toml`."""
    case_id = _str(data, "id", required=True)
    if case_id != folder.name:
        raise FormatProblem("id", "cases.expect.folder_id", name=folder.name)
    confirmed = data.get("reply_window_confirmed", False)
    if not isinstance(confirmed, bool):
        raise FormatProblem("reply_window_confirmed", "cases.expect.boolean")
    files = data.get("draft_files", {})
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise FormatProblem("draft_files", "cases.expect.table")
    return Case(
        id=case_id,
        folder=folder,
        sent_on=_date(data, "sent_on"),
        channel=_choice(data, "channel", SEND_CHANNELS),
        created_at=_datetime(data, "created_at"),
        reply_window_business_days=_int(data, "reply_window_business_days", minimum=1, maximum=MAX_WINDOW_DAYS),
        reply_window_confirmed=confirmed,
        draft_id=_str(data, "draft_id"),
        subject=_str(data, "subject"),
        category=_str(data, "category"),
        pack=_str(data, "pack"),
        initial_ticket_number=_str(data, "ticket_number"),
        draft_files={str(k): str(v) for k, v in files.items()},
    )


def parse_entry(data: dict[str, Any]) -> TimelineEntry:
    kind = _str(data, "kind", required=True)
    if kind not in ENTRY_KINDS:
        raise FormatProblem("kind", "cases.expect.choice", allowed=", ".join(ENTRY_KINDS))
    corrects = data.get("corrects")
    if corrects is not None and (isinstance(corrects, bool) or not isinstance(corrects, int)):
        raise FormatProblem("corrects", "cases.expect.integer", minimum=1)
    attachment: AttachmentRef | None = None
    raw = data.get("attachment")
    if raw is not None:
        if not isinstance(raw, dict):
            raise FormatProblem("attachment", "cases.expect.table")
        attachment = AttachmentRef(
            name=_str(raw, "name", required=True), size=_int(raw, "size"), sha256=_str(raw, "sha256", required=True),
            unchecked=_str(raw, "unchecked"),
        )
    ticket = data.get("ticket_number")
    if ticket is not None and not isinstance(ticket, str):
        raise FormatProblem("ticket_number", "cases.expect.text")
    return TimelineEntry(
        seq=_int(data, "seq", minimum=1),
        kind=kind,
        on=_date(data, "date"),
        channel=_choice(data, "channel", ("", *LOG_CHANNELS)),
        recorded_at=_datetime(data, "recorded_at"),
        summary=_str(data, "summary"),
        text=_str(data, "text"),
        corrects=corrects,
        ticket_number=ticket or None,
        attachment=attachment,
    )

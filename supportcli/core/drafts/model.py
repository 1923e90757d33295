"""The shapes drafts are made of: a Draft (built, not yet saved), what saving returns, what the store lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supportcli.core.drafts.formats import FORMATS as FORMATS  # defined there, imported from here too

if TYPE_CHECKING:  # listings import this module: the flow model stays out of them
    from supportcli.core.flows.found import PublicFact, RecordCitation
    from supportcli.core.flows.model import AnswerValue
    from supportcli.core.i18n import Lang

STATUSES = ("unsent", "sent")
SIDECAR_VERSION = 1


@dataclass
class Draft:
    """Everything a ticket and an email are made from, and the texts rendered from it.

    `id` is empty until the draft is saved. `subject` may be in any script; the file name only
    carries an ASCII slug of it.
    """

    flow_id: str
    category: str
    subject: str
    lang: Lang
    created: dt.datetime  # aware
    timezone: str
    ticket_markdown: str
    email_body: str
    answers: dict[str, AnswerValue]
    field_types: dict[str, str]
    tried: list[str]  # ids of the advice steps tried
    tried_text: list[str]  # the same, as the reader sees them
    to: str  # the pack's support address
    sender_name: str = ""
    sender_email: str = ""
    pack_id: str = ""
    bilingual: bool = False
    edited: bool = False  # the user changed the rendered text by hand
    id: str = ""
    send_hint: str = ""  # how to send it when its template says (a follow-up: reply in the same ticket)
    records: list[RecordCitation] = field(default_factory=list)  # rows of the user's records it cites
    public: list[PublicFact] = field(default_factory=list)  # facts from public sources it states


@dataclass
class SavedDraft:
    id: str
    ticket: Path | None
    email: Path | None
    sidecar: Path
    mailto: str
    records_csv: list[Path] = field(default_factory=list)  # the cited rows, one small CSV per export

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ticket": str(self.ticket) if self.ticket else None,
            "email": str(self.email) if self.email else None,
            "sidecar": str(self.sidecar),
            "mailto": self.mailto,
            "records_csv": [str(p) for p in self.records_csv],
        }


@dataclass
class DraftInfo:
    """A saved draft as the store reads it back from its TOML sidecar."""

    id: str
    sidecar: Path
    status: str
    subject: str
    flow_id: str
    category: str
    lang: str
    created: dt.datetime
    ticket: Path | None
    email: Path | None
    data: dict[str, Any] = field(default_factory=dict)  # the whole sidecar

    @property
    def answers(self) -> dict[str, Any]:
        value = self.data.get("answers", {})
        return value if isinstance(value, dict) else {}

    @property
    def records_csv(self) -> list[Path]:
        """The small CSVs of the rows the draft cites (`<id>.<export>.csv`), as the sidecar lists them."""
        from supportcli.core.drafts.store import resolve_records_csv

        return resolve_records_csv(self.sidecar.parent, self.id, self.data.get("records_csv"))

    @property
    def ticket_number(self) -> str | None:
        value = self.data.get("ticket_number")
        return str(value) if value not in (None, "") else None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "created": self.created.isoformat(),
            "subject": self.subject,
            "flow": self.flow_id,
            "category": self.category,
            "lang": self.lang,
            "ticket": str(self.ticket) if self.ticket else None,
            "email": str(self.email) if self.email else None,
            "sidecar": str(self.sidecar),
            "ticket_number": self.ticket_number,
            "sent_on": _iso(self.data.get("sent_on")),
            "channel": self.data.get("channel"),
            "case_id": self.data.get("case_id"),
        }


@dataclass
class UnreadableDraft:
    """A sidecar that could not be read (truncated, not UTF-8, not TOML, missing keys)."""

    id: str
    path: Path
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "path": str(self.path), "reason": self.reason}


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)

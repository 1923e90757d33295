"""The TOML sidecar: everything about a draft, kept next to its ticket and e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from supportcli.core.drafts.model import Draft

def sidecar_data(draft: Draft, *, status: str, files: Mapping[str, str], msg_id: str, mailto: str) -> dict[str, Any]:
    """Everything about the draft, for the TOML sidecar (TOML has no null: empty values are left out)."""
    from supportcli.core.drafts.model import SIDECAR_VERSION

    data: dict[str, Any] = {
        "version": SIDECAR_VERSION,
        "id": draft.id,
        "status": status,
        "subject": draft.subject,
        "flow": draft.flow_id,
        "category": draft.category,
        "lang": draft.lang,
        "bilingual": draft.bilingual,
        "edited": draft.edited,
        "created": draft.created,
        "timezone": draft.timezone,
        "pack": draft.pack_id,
        "to": draft.to,
        "from_name": draft.sender_name,
        "from_email": draft.sender_email,
        "message_id": msg_id,
        "mailto": mailto,
        "files": dict(files),
        "tried": list(draft.tried),
        "tried_text": list(draft.tried_text),
        "answers": dict(draft.answers),
        "field_types": dict(draft.field_types),
        "ticket_markdown": draft.ticket_markdown,
        "email_body": draft.email_body,
    }
    return data

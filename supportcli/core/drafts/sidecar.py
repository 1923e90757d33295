"""The TOML sidecar: everything about a draft, kept next to its ticket and e-mail.

Beside the answers it keeps the rows of the user's records the draft cites (`[[records]]`), the
public facts it states (`[[public]]`) and the small CSVs of those rows (`records_csv`), so a draft
read back says the same.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from supportcli.core.flows.found import PublicFact, RecordCitation

if TYPE_CHECKING:
    from supportcli.core.drafts.model import Draft


def sidecar_data(
    draft: Draft, *, status: str, files: Mapping[str, str], msg_id: str, mailto: str,
    records_csv: Sequence[str] = (),
) -> dict[str, Any]:
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
    if draft.records:
        data["records"] = [
            {"kind": r.kind, "id": r.id, "file": r.file, "line": r.line, "keys": list(r.keys), "cells": list(r.cells),
             "fields": dict(r.fields)}
            for r in draft.records
        ]
    if draft.public:
        data["public"] = [
            {"kind": p.kind, "source": p.source, "fetched_at": p.fetched_at, "text": dict(p.text),
             "data_json": json.dumps(p.data, ensure_ascii=False, sort_keys=True)}
            for p in draft.public
        ]
    if records_csv:
        data["records_csv"] = list(records_csv)
    return data


def records_of(data: Mapping[str, Any]) -> list[RecordCitation]:
    """The cited rows a sidecar keeps (an entry that is not what `sidecar_data` wrote is left out)."""
    out: list[RecordCitation] = []
    for item in data.get("records", []) if isinstance(data.get("records"), list) else []:
        try:
            fields = item["fields"]
            out.append(RecordCitation(
                str(item["kind"]), int(item["id"]), str(item["file"]), int(item["line"]),
                tuple(str(k) for k in item["keys"]), tuple(str(c) for c in item["cells"]),
                tuple((str(k), str(v)) for k, v in fields.items()),
            ))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return out


def public_of(data: Mapping[str, Any]) -> list[PublicFact]:
    """The public facts a sidecar keeps (an entry that is not what `sidecar_data` wrote is left out)."""
    out: list[PublicFact] = []
    for item in data.get("public", []) if isinstance(data.get("public"), list) else []:
        try:
            found = json.loads(str(item.get("data_json", "{}")))
            out.append(PublicFact(
                str(item["kind"]), {str(k): str(v) for k, v in item["text"].items()}, str(item["source"]),
                str(item["fetched_at"]), found if isinstance(found, dict) else {},
            ))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return out

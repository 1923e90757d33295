"""What a flow run found besides the answers: the rows of the user's records it used, and the facts a
public source gave. The engine's `FlowResult` carries them; the drafts cite them (supportcli.core.drafts.sourced)
and keep them in the sidecar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class RecordCitation(NamedTuple):
    """A row of the user's imported records a run used: which export, which row, which answers it gave.

    `cells` are the row in the export's own columns (the small CSV a ticket attaches is made of
    them); `fields` are the row's fields as text (amounts as exact decimals, times ISO 8601 UTC).
    """

    kind: str  # the export: trades, orders, movements
    id: int  # the row's `#`
    file: str  # the file it was imported from
    line: int  # its line there
    keys: tuple[str, ...]  # the answers it filled in (or agreed with)
    cells: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]

    def field(self, name: str) -> str:
        return next((value for key, value in self.fields if key == name), "")


class PublicFact(NamedTuple):
    """Something a run found out from a public source with the user's consent (the market's range at a
    minute): the sentence a ticket states, per language, with its source and when it was fetched."""

    kind: str  # market
    text: dict[str, str]  # language -> the sentence
    source: str  # the URL asked
    fetched_at: str  # ISO 8601, UTC
    data: Mapping[str, Any] = {}  # what the check found, as its JSON (never changed)

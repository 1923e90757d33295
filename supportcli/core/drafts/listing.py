"""Listing the drafts folder through its summary index (`supportcli.core.summary_index`).

`drafts list` and the home screen read every sidecar; with 200 drafts parsing their TOML was most of
the run. The index in the drafts folder keeps what a listing needs of each readable sidecar, checked
against the sidecar's size, inode and times on every listing (a sidecar that changed is read again).

A listed draft carries its whole sidecar except the rendered texts (`LEFT_OUT`: the ticket, the
e-mail body and the mailto link, most of a sidecar's size), whether it came from the index or from
the file, so a listing is the same either way; `DraftStore.get` reads the whole sidecar.
An unreadable sidecar is read, and reported, every time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from supportcli.core.drafts.model import DraftInfo, UnreadableDraft
from supportcli.core.summary_index import INDEX_NAME, SummaryIndex

LEFT_OUT = frozenset({"ticket_markdown", "email_body", "mailto"})

Item = DraftInfo | UnreadableDraft


def summary(item: Item) -> Item:
    """A listed draft: the sidecar without its rendered texts."""
    if isinstance(item, UnreadableDraft):
        return item
    return dataclasses.replace(item, data={k: v for k, v in item.data.items() if k not in LEFT_OUT})


def _readable(item: Item) -> bool:
    return isinstance(item, DraftInfo)


class IndexedDrafts:
    """`read` (the store's sidecar reader) for each sidecar of `folder`, through the folder's index;
    `save()` once the listing is done."""

    def __init__(self, folder: Path, read: Callable[[Path], Item]) -> None:
        self._read = read
        self._index = SummaryIndex(folder / INDEX_NAME, classes=(DraftInfo,), base=folder)

    def __call__(self, sidecar: Path) -> Item:
        return self._index.get(sidecar.name, [sidecar], lambda: summary(self._read(sidecar)), keep=_readable)

    def save(self) -> None:
        self._index.save()

"""Listing the cases folder through its summary index (`supportcli.core.summary_index`).

`cases list` and the home screen load every case (its `case.toml` and each timeline entry). The
index in the cases folder keeps each case as it was loaded, checked on every listing against the
size, inode and times of exactly the files loading reads (`case.toml` and every entry file; a new
or removed entry changes the set): a case whose files changed is loaded again. A case with a damaged
file is loaded, and reported, every time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from supportcli.core.cases.model import AttachmentRef, Case, TimelineEntry
from supportcli.core.cases.store import CASE_FILE, TIMELINE_DIR
from supportcli.core.summary_index import INDEX_NAME, SummaryIndex


def case_files(folder: Path) -> list[Path]:
    """The files loading a case reads: `case.toml` and every timeline entry (not a write in progress)."""
    timeline = folder / TIMELINE_DIR
    try:
        names = sorted(os.listdir(timeline))
    except OSError:
        names = []
    return [folder / CASE_FILE, *(timeline / name for name in names if not name.startswith("."))]


def _whole(case: Case) -> bool:
    return isinstance(case, Case) and not case.damaged


class IndexedCases:
    """`load` (the store's case loader) for each case id under `root`, through the folder's index;
    `save()` once the listing is done. What `load` raises is raised."""

    def __init__(self, root: Path, load: Callable[[str], Case]) -> None:
        self._root = root
        self._load = load
        self._index = SummaryIndex(root / INDEX_NAME, classes=(Case, TimelineEntry, AttachmentRef), base=root)

    def __call__(self, case_id: str) -> Case:
        return self._index.get(case_id, case_files(self._root / case_id), lambda: self._load(case_id), keep=_whole)

    def save(self) -> None:
        self._index.save()

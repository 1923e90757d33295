"""Which of the six date formats a file uses, inferred only where its data proves it.

A field above 12 cannot be a month, a four-digit field is the year, and a reading that puts a
date in the future (after `now`, in any zone) is wrong. When more than one format is left the
caller asks, or the user names it with `--date-format`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from supportcli.core.records.dates import FORMATS, MAX_CACHE, UI_DEFAULT, date_fields, read_date, year_month_day

_AHEAD = dt.timedelta(hours=14)  # the furthest any zone is ahead of UTC


@dataclass
class FormatEvidence:
    """Narrows the six formats down, one date cell at a time."""

    now: dt.datetime  # aware
    candidates: set[str] = field(default_factory=lambda: set(FORMATS))
    ruled_out: dict[str, tuple[int, str]] = field(default_factory=dict)  # format -> (line, cell)
    samples: list[str] = field(default_factory=list)  # a few distinct cells, to show in a question
    dates: int = 0
    last_straw: tuple[int, str] | None = None  # the cell that ruled out the last format
    local_times: bool = False  # some cell is not marked UTC: the zone it was written in matters
    _seen: set[str] = field(default_factory=set)

    def add(self, value: str, line: int) -> None:
        """Take one date cell into account (a cell that is no date at all is left to the row parser)."""
        if not self.local_times and not value.rstrip().endswith(("UTC", "Z")):
            self.local_times = True
        key = value.split(" ", 1)[0] if " " in value else value
        if key in self._seen:
            return
        if len(self._seen) >= MAX_CACHE:
            self._seen.clear()
        self._seen.add(key)
        parts = date_fields(value)
        if parts is None:
            return
        self.dates += 1
        if len(self.samples) < 50:
            self.samples.append(value.strip())
        latest = (self.now.astimezone(dt.UTC) + _AHEAD).date()
        for fmt in FORMATS:
            if fmt in self.ruled_out:
                continue
            ymd = year_month_day(fmt, *parts)
            day: dt.date | None = None
            if ymd is not None:
                try:
                    day = dt.date(*ymd)
                except ValueError:
                    day = None
            if day is None or day > latest:
                self.ruled_out[fmt] = (line, value.strip())
                self.candidates.discard(fmt)
                if not self.candidates:
                    self.last_straw = (line, value.strip())

    def fits(self, fmt: str) -> bool:
        return fmt in self.candidates

    def ordered(self) -> list[str]:
        """The formats still possible, the Reports tool's default first."""
        return sorted(self.candidates, key=lambda f: (f != UI_DEFAULT, FORMATS.index(f)))

    def telling_samples(self, limit: int = 3) -> list[str]:
        """Cells that read differently in the remaining formats (the most useful ones to show)."""
        formats = self.ordered()
        telling = [s for s in self.samples if len({read_date(s, f) for f in formats}) > 1]
        return (telling or self.samples)[:limit]


def infer(values: Iterable[tuple[int, str]], now: dt.datetime) -> FormatEvidence:
    """The evidence from `(line, cell)` pairs; `evidence.candidates` holds what is still possible."""
    evidence = FormatEvidence(now)
    for line, value in values:
        evidence.add(value, line)
    return evidence

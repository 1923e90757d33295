"""Which draft files to write (`--format ticket|email|both`): read before any question is asked, so
it lives apart from the drafting (importing `drafts.service` costs 13 ms before the first prompt)."""

from __future__ import annotations

from collections.abc import Iterable

from supportcli.core.errors import InputError

FORMATS = ("ticket", "email")


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """`ticket`, `email`, `both` (or a list of them) -> the formats to write, in a fixed order."""
    items = [value] if isinstance(value, str) else list(value)
    wanted: set[str] = set()
    for item in items:
        item = item.strip().lower()
        if item == "both":
            wanted.update(FORMATS)
        elif item in FORMATS:
            wanted.add(item)
        else:
            raise InputError("--format", "ticket|email|both", "drafts.bad_format", value=item)
    if not wanted:
        raise InputError("--format", "ticket|email|both", "drafts.bad_format", value="")
    return tuple(f for f in FORMATS if f in wanted)

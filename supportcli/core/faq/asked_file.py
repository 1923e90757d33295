"""The pack's asked questions file (`<pack>/asked.toml`, see asked.py): reading and checking it.

`content check` checks the file: known keys, a question that says something (at most MAX_QUESTION
characters), an id the pack has ("" for a question it cannot answer), no question twice (the same
features: case, punctuation, traditional or simplified characters aside).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from supportcli.core.faq.asked import MAX_QUESTION, features
from supportcli.core.tomlfile import Problem, TomlFile

ASKED_FILE = "asked.toml"
MAX_QUESTIONS = 50_000


class Question(NamedTuple):
    text: str
    answer: str  # entry id, or "" when the pack cannot answer it
    origin: str  # where it was collected: a labelled part, a support log


def read_asked(pack_root: Path, display: str,
               entry_ids: Iterable[str] | None = None) -> tuple[list[Question], list[Problem]]:
    """The pack's asked questions (none when it has no asked.toml) and every problem in the file;
    `entry_ids`, when given, are the ids an answer may name."""
    from supportcli.core.checks import Checker
    from supportcli.core.i18n import t
    from supportcli.core.tomlfile import read_optional_toml

    parsed = read_optional_toml(pack_root / ASKED_FILE, display)
    if not isinstance(parsed, TomlFile):
        return [], [parsed] if parsed else []
    c = Checker(parsed)
    c.no_unknown(parsed.data, (), ("asked",))
    items = c.table_list(parsed.data, ("asked",), required=False)
    known = set(entry_ids) if entry_ids is not None else None
    out: list[Question] = []
    seen: set[str] = set()
    if len(items) > MAX_QUESTIONS:
        c.fail(("asked",), t("faq.expect.asked_count", limit=MAX_QUESTIONS))
        items = items[:MAX_QUESTIONS]
    for i, item in enumerate(items):
        where = ("asked", i)
        c.no_unknown(item, where, ("q", "id", "from"))
        text = c.string(item, (*where, "q"))
        answer = item.get("id", "")
        origin = c.string(item, (*where, "from"), required=False) or ""
        if not isinstance(answer, str) or (answer and known is not None and answer not in known):
            c.fail((*where, "id"), t("faq.expect.asked_id"))
            continue
        if text is None:
            continue
        if len(text) > MAX_QUESTION or not features(text):
            c.fail((*where, "q"), t("faq.expect.asked_question", limit=MAX_QUESTION))
            continue
        key = " ".join(features(text))
        if key in seen:
            c.fail((*where, "q"), t("faq.expect.asked_once"))
            continue
        seen.add(key)
        out.append(Question(text, answer, origin))
    return out, c.problems

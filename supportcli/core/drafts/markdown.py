"""Markdown escaping: user text is inserted into the ticket as text, never read as markup."""

from __future__ import annotations

import re

from supportcli.core.text import clean

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#=+\-])|(\d+)([.)]))", re.MULTILINE)


def md_inline(text: str) -> str:
    """One line of user text, safe inside a Markdown paragraph, heading or table cell."""
    return _MD_INLINE.sub(r"\\\1", clean(text, multiline=False).strip())


def md_block(text: str) -> str:
    """Several lines of user text, kept as lines, with nothing in them read as Markdown."""
    lines = clean(text, multiline=True).strip("\n").split("\n")
    escaped = "\n".join(_MD_INLINE.sub(r"\\\1", line.rstrip()) for line in lines)
    return _MD_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"


def md_unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<>|~#=+\-.)])", r"\1", text)


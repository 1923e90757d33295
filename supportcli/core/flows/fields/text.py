"""Free text, multi-line text, a choice among options, yes or no."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from supportcli.core.flows.fields.base import (
    MAX_MULTILINE,
    MAX_TEXT,
    FieldContext,
    Parsed,
    as_text,
    one_line,
    reject,
)
from supportcli.core.i18n import t
from supportcli.core.text import clean

# --------------------------------------------------------------------------- text

def parse_text(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    text = clean(as_text(value), multiline=False).strip()
    text = re.sub(r"\s{2,}", " ", text)
    if not text:
        raise reject(field_name, "empty", t("fields.example.text"))
    if len(text) > MAX_TEXT:
        raise reject(field_name, "too_long", t("fields.example.text"), limit=MAX_TEXT)
    return Parsed(text)


def parse_multiline(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    lines = [line.rstrip() for line in clean(as_text(value), multiline=True).split("\n")]
    text = "\n".join(lines).strip("\n").strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text:
        raise reject(field_name, "empty", t("fields.example.multiline"))
    if len(text) > MAX_MULTILINE:
        raise reject(field_name, "too_long", t("fields.example.multiline"), limit=MAX_MULTILINE)
    return Parsed(text)


# --------------------------------------------------------------------------- choice / confirm

def parse_choice(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    options = ctx.choices
    ids = ", ".join(c.id for c in options)
    example = options[0].id if options else "-"
    text = one_line(field_name, value, example)
    wanted = unicodedata.normalize("NFKC", text).casefold()
    for choice in options:
        if wanted == choice.id.casefold():
            return Parsed(choice.id)
    for choice in options:
        if any(wanted == label.casefold().strip() for label in choice.label.values()):
            return Parsed(choice.id)
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return Parsed(options[int(wanted) - 1].id)
    raise reject(field_name, "choice", example, allowed=ids)


_YES = frozenset({"y", "yes", "true", "是", "是的", "对", "对的", "好", "有", "ok"})
_NO = frozenset({"n", "no", "false", "否", "不", "不是", "不对", "没有", "没"})


def read_yes_no(field_name: str, value: Any) -> bool:
    """yes/no, true/false, 是/否, 对/不对 … (or a TOML boolean)."""
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", one_line(field_name, value, "yes")).casefold().rstrip("。.!！")
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise reject(field_name, "confirm", "yes")


def parse_confirm(field_name: str, value: Any, ctx: FieldContext) -> Parsed:
    return Parsed(read_yes_no(field_name, value))

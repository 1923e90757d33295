"""Cleaning text before it is shown or stored.

Terminal control sequences (CSI, OSC, other escapes), C0/C1 control characters, NULs and Unicode
bidirectional overrides are removed. Newlines and tabs survive where multi-line text is allowed.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-character escapes.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)? # OSC, terminated by BEL or ST (or unterminated)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?      # DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                      # other two-character escapes
    | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
    """,
    re.VERBOSE,
)
# Bidi embeddings/overrides/isolates and marks that can reorder what the reader sees.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROL_MULTI = "".join(chr(c) for c in range(0x20) if chr(c) not in "\n\t") + "\x7f" + "".join(
    chr(c) for c in range(0x80, 0xA0)
)
_DROP_MULTI = str.maketrans("", "", _CONTROL_MULTI + _BIDI)
_DROP_SINGLE = str.maketrans("", "", _CONTROL_MULTI + _BIDI + "\n\t")


def clean(text: str, *, multiline: bool = True) -> str:
    """Strip escape sequences, control characters, NULs and bidi overrides from `text`.

    With `multiline=False`, newlines and tabs are turned into spaces.
    """
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return text.translate(_DROP_MULTI)
    text = text.replace("\n", " ").replace("\t", " ")
    return text.translate(_DROP_SINGLE)


def slugify(text: str, *, max_length: int = 40, fallback: str = "draft") -> str:
    """An ASCII file-name slug: lower-case letters, digits and single hyphens. Never empty."""
    import unicodedata

    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or fallback

"""Is it text? The one text-or-binary sniffing (`scan`, `cases log --file`, `cases attach`), and the
decoding that goes with it. A richer reader of files is for the secret guard to grow; this is only
the question "can this be read as text, and how?"."""

from __future__ import annotations

HEAD = 8192  # how much of a file the sniffing looks at
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def text_encoding(head: bytes) -> str | None:
    """How to read a file that starts with `head`: `utf-16` (Windows "Unicode" text, with its BOM),
    `utf-8-sig` (UTF-8, a BOM or not; what does not decode is replaced), or None for binary (a NUL
    byte without a UTF-16 BOM: pictures, PDFs, archives)."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in head[:HEAD]:
        return None
    return "utf-8-sig"


def looks_like_text(data: bytes) -> bool:
    return text_encoding(data[:HEAD]) is not None


def decode_text(data: bytes) -> str:
    """`data` as text, by `text_encoding` (binary data is decoded as UTF-8 with replacements)."""
    return data.decode(text_encoding(data[:HEAD]) or "utf-8-sig", errors="replace")

"""Is it text? The one text-or-binary sniffing, and the decoding that goes with it."""

from __future__ import annotations


def looks_like_text(data: bytes) -> bool:
    """Text worth scanning: no NUL in the first 8 KiB and valid UTF-8 (or UTF-16 with a BOM)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 4  # a character cut at the 8 KiB boundary
    return True


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")

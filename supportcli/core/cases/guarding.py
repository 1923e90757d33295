"""The secret guard on what a case keeps: logged text and attached files."""

from __future__ import annotations

from supportcli.core.sniffing import decode_text, looks_like_text


def guard_text(field: str, text: str, *, field_type: str | None = None, confirmed: bool = False) -> None:
    """Refuse text holding a secret: SecretFoundError names the field and the kind, never the secret.

    A value that only might be a secret (say a lone 64-hex string) is refused too unless `confirmed`.
    """
    if not text.strip():
        return
    from supportcli.core.guard.secrets import check_answer

    check_answer(field, text, field_type=field_type, confirmed=confirmed)


def guard_file(name: str, data: bytes) -> None:
    """Refuse a text file that certainly holds a secret (exports full of tx hashes are fine)."""
    if not looks_like_text(data):
        return
    from supportcli.core.guard.secrets import SecretFoundError, blocking, scan_text

    blocked = blocking(scan_text(decode_text(data)))
    if blocked:
        refused = SecretFoundError(name, blocked)
        refused.key = "cases.input.file_secret"  # says what to do with a file, not "answer again"
        raise refused

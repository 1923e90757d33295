"""What a user types into `faq search`, `faq show` and `verify-contact` passes the secret guard first.

A recovery phrase, private key or password pasted as a query is refused before anything looks it
up, prints it or stores it: the error names the argument and the kind of secret, never the value
(exit 2). Only blocking findings refuse: a query is free text, and a number that may be a 2FA
code is no reason to stop a search.
"""

from __future__ import annotations

from supportcli.core.errors import InputError
from supportcli.core.i18n import t

MAX_INPUT_CHARS = 20000  # a query longer than this is cut before it is scanned and searched


def refuse_secrets(field: str, text: str) -> None:
    """Raise InputError (exit 2) naming `field` and the kind of secret when `text` holds one."""
    from supportcli.core.guard.secrets import blocking, kind_label, scan_text

    found = blocking(scan_text(text[:MAX_INPUT_CHARS]))
    if found:
        kind = kind_label(found[0].kind)
        raise InputError(field, kind, "faq.secret_input", kind=kind, advice=t(f"guard.explain.{found[0].kind}"))

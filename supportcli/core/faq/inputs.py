"""What a user types into `faq search`, `faq show` and `verify-contact` passes the secret guard first.

A recovery phrase, private key or password pasted as a query is refused before anything looks it
up, prints it or stores it: the error names the argument and the kind of secret, never the value
(exit 2). Only blocking findings refuse.

The guard's recovery-phrase detector indexes every BIP39 wordlist on first use (about 70 ms, more
than a whole search may take), so a query is only handed to `scan_text` when it could hold a
blocking secret at all: twelve words or more (`bip39.MIN_WORDS`, the shortest phrase), a run of
twelve Chinese characters, a long token (keys, API keys, TOTP secrets), a run of digits (2FA codes),
or a word that names a secret (password, 密码, seed, 私钥 …). tests/test_faq_guard.py checks that no
text of the guard's own corpus that it blocks is let through by this test.
"""

from __future__ import annotations

import re

from supportcli.core.errors import InputError
from supportcli.core.i18n import t

MAX_INPUT_CHARS = 20000  # a query longer than this is scanned (and searched) by its beginning
PHRASE_WORDS = 12  # = supportcli.core.guard.bip39.MIN_WORDS (a test keeps them equal)
_MAYBE_SECRET = re.compile(
    r"[A-Za-z0-9+/=_.:-]{16,}"  # keys, API keys and secrets, TOTP seeds, otpauth:// links
    r"|\d[\d \-]{2,}\d"  # 2FA codes, PINs
    r"|[\u3400-\u4dbf\u4e00-\u9fff]{12,}"  # a Chinese phrase of wordlist characters
    r"|pass|pwd|pin\b|secret|seed|mnemonic|private|priv\b|key|otp|begin|wif|xprv|recovery|phrase|words"
    r"|密码|口令|助记|私钥|密钥|种子|恢复|验证码|秘钥|短语",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\s\d.,;:!?，。；：！？、()（）\[\]【】「」\"'`]+")


def may_hold_secret(text: str) -> bool:
    """False only for a text no blocking detector of the guard could fire on (see the module doc)."""
    return len(_WORD.findall(text)) >= PHRASE_WORDS - 1 or _MAYBE_SECRET.search(text) is not None


def refuse_secrets(field: str, text: str) -> None:
    """Raise InputError (exit 2) naming `field` and the kind of secret when `text` holds one."""
    text = text[:MAX_INPUT_CHARS]
    if not may_hold_secret(text):
        return
    from supportcli.core.guard.secrets import blocking, kind_label, scan_text

    found = blocking(scan_text(text))
    if found:
        kind = kind_label(found[0].kind)
        raise InputError(field, kind, "faq.secret_input", kind=kind, advice=t(f"guard.explain.{found[0].kind}"))

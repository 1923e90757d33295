"""What a user types into `faq search`, `faq show` and `verify-contact` passes the secret guard first.

A recovery phrase, private key or password pasted as a query is refused before anything looks it
up, prints it or stores it: the error names the argument and the kind of secret, never the value
(exit 2). Only blocking findings refuse.

The guard's recovery-phrase detector indexes every BIP39 wordlist on first use (about 70 ms, more
than a whole search may take), so a query is only handed to `scan_text` when it could hold a
blocking secret at all: twelve words or more (`bip39.MIN_WORDS`, the shortest phrase), twelve
Chinese characters, a long token (keys, API keys, TOTP secrets), a run of digits (2FA codes),
a password's name (password, 密码), or the name of another secret (seed, 私钥, 2FA code …) with a
digit somewhere (so "API 密钥 leaked" is searched at once, "2fa code 123456" is scanned).
tests/test_faq_guard.py checks that no text of the guard's own corpus that it blocks is let
through by this test.
"""

from __future__ import annotations

import re

from supportcli.core.errors import InputError
from supportcli.core.i18n import t

MAX_INPUT_CHARS = 20000  # a query longer than this is scanned (and searched) by its beginning
PHRASE_WORDS = 12  # = supportcli.core.guard.bip39.MIN_WORDS (a test keeps them equal)
# Words that name a secret, in lower case: a password or 2FA code is only recognised next to one.
# A password may be any word after its name ("password: dragon"), so a password's name always
# sends the text to the guard; the other names only with a digit in the text: a 2FA code is
# digits, a TOTP secret has some of 2-7, and keys are long tokens (_LONG_TOKEN).
_PASSWORD_CUES = ("pass", "pw", "密码", "口令", "密碼")  # as the guard's password hints
_CUES = ("pin", "secret", "seed", "mnemonic", "private", "priv", "key", "otp", "begin", "wif",
         "xprv", "recovery", "phrase", "words", "code", "auth", "助记", "私钥", "密钥", "种子",
         "恢复", "验证码", "秘钥", "短语", "代码",
         # the same in traditional characters (the guard reads 密碼, 私鑰 … as well)
         "助記", "私鑰", "密鑰", "種子", "恢復", "驗證碼", "祕鑰", "秘鑰", "短語", "代碼")
_LONG_TOKEN = re.compile(r"[A-Za-z0-9+/=_.:-]{16,}|\d[\d \-]{2,}\d", re.ASCII)  # keys, secrets; 2FA codes, PINs


def may_hold_secret(text: str) -> bool:
    """False only for a text no blocking detector of the guard could fire on (see the module doc)."""
    import unicodedata

    from supportcli.core.faq.tokens import PIECE

    lower = unicodedata.normalize("NFKC", text).lower()  # full-width letters, as the guard folds them
    if not lower.isascii():  # 密\u200b码: zero-width and other format characters hide nothing from the guard
        lower = "".join(c for c in lower if unicodedata.category(c) != "Cf")
    if any(cue in lower for cue in _PASSWORD_CUES) or _LONG_TOKEN.search(text):
        return True
    if any(c.isdigit() for c in lower) and any(cue in lower for cue in _CUES):
        return True
    words = chinese = 0
    for piece in PIECE.findall(text):  # Latin words and runs of Chinese characters
        if not piece.isascii():
            chinese += len(piece)  # twelve Chinese wordlist characters, in a row or apart
        elif piece.isalpha():
            words += 1
    if chinese >= PHRASE_WORDS:
        return True
    # twelve words (numbered or not); or words of another script (kana, Hangul, accented Latin)
    return words >= PHRASE_WORDS - 1 or len(text.split()) >= PHRASE_WORDS - 1 or _other_script(text)


def _other_script(text: str) -> bool:
    """Letters of another wordlist's script: accented Latin, Greek to Cyrillic, kana, Hangul."""
    return not text.isascii() and any(
        "\u00c0" <= c <= "\u1fff" or "\u3040" <= c <= "\u30ff" or "\uac00" <= c <= "\ud7af" for c in text)


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

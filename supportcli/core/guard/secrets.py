"""The secret scanner: finds what must never reach a support agent, a draft or a log.

`scan_text(text, field_type=…, field_key=…)` returns findings (kind, position, confidence and an
action: block, confirm or allow). It knows the field the text came from: in a `txhash` field a
64-hex value is a transaction hash; in free text the words next to it decide.

Every detector runs on the same normalised text (`normalize.normalize`: NFKC, format characters
dropped, Chinese numbering blanked), and every finding is mapped back to the exact span, line and
column of the text as written. Patterns are compiled on first use, and each detector first checks
for its keywords or shapes with a cheap test before running its expensive expressions on the small
windows that passed: one pass in C for the long runs of key characters (`_Text.long_runs`), one
pass for the hint words of every detector, word lists written so the engine skips ahead
(`patterns.by_first_character`), and no code pattern where no line holds six digits.

Nothing here prints, logs or keeps the text it scans. A `Finding` holds offsets, never the secret,
and every message built from a finding names the kind of secret only.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from supportcli.core.errors import InputError
from supportcli.core.guard import bip39, keys
from supportcli.core.guard.normalize import Normalized, normalize
from supportcli.core.guard.patterns import FirstCharacters, by_first_character
from supportcli.core.i18n import t

if TYPE_CHECKING:
    from supportcli.core.pack import Manifest


class Action(StrEnum):
    BLOCK = "block"
    CONFIRM = "confirm"
    ALLOW = "allow"


KINDS = (
    "seed_phrase", "private_key_wif", "xprv", "xpub", "pem_private_key", "hex_private_key",
    "api_key", "totp_secret", "two_factor_code", "password", "base58_private_key",
)
_STRENGTH = {Action.BLOCK: 2, Action.CONFIRM: 1, Action.ALLOW: 0}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    line: int
    column: int
    confidence: float
    action: Action


class _Hit(NamedTuple):  # many are made and none is shown: a tuple (a frozen dataclass costs 0.3 ms to define)
    kind: str
    start: int
    end: int
    confidence: float
    action: Action


# --------------------------------------------------------------------------- patterns (compiled on first use)

_B58 = "1-9A-HJ-NP-Za-km-z"
_DASHES = "\\-\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_PATTERNS: dict[str, tuple[str, int]] = {
    "wif": (rf"(?<![{_B58}])[59KLc][{_B58}]{{50,51}}(?![{_B58}])", 0),
    "extended": (rf"(?<![{_B58}])([xtyzuvYZUV])(prv|pub)[{_B58}]{{100,112}}(?![{_B58}])", 0),
    "b58_64": (rf"(?<![{_B58}])[{_B58}]{{86,88}}(?![{_B58}])", 0),
    "hex": (r"(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{64}(?![0-9A-Za-z])", 0),
    # A value may follow `=` (`apiKey=…`); base64 text cannot start a 43-character run after one.
    "api_shape": (r"(?<![A-Za-z0-9_\-+/])[A-Za-z0-9_\-]{43}(?![A-Za-z0-9_\-+/=])", 0),
    # Lower-cased text from here on.
    # "-----BEGIN RSA PRIVATE KEY-----", also with autocorrected dashes, spaced out or without dashes.
    "pem": (
        rf"(?P<lead>(?:[{_DASHES}][ \t]?){{2,}}[ \t]*)?(?<![a-z])b[ \t]?e[ \t]?g[ \t]?i[ \t]?n[ \t]+"
        r"(?:[a-z0-9]+[ \t]+){0,3}?p[ \t]?r[ \t]?i[ \t]?v[ \t]?a[ \t]?t[ \t]?e[ \t]+k[ \t]?e[ \t]?y"
        rf"(?:[ \t]+block)?(?P<tail>[ \t]*(?:[{_DASHES}][ \t]?){{2,}})?",
        0,
    ),
    "pem_end": (
        rf"(?<![a-z])e[ \t]?n[ \t]?d[ \t]+(?:[a-z0-9]+[ \t]+){{0,3}}?p[ \t]?r[ \t]?i[ \t]?v[ \t]?a[ \t]?t[ \t]?e"
        rf"[ \t]+k[ \t]?e[ \t]?y(?:[ \t]+block)?(?:[ \t]*[{_DASHES}]{{2,}})?",
        0,
    ),
    # Any dashed "BEGIN … KEY" header, its words mangled ("PRlVATE", "Pr1vate") or missing ("EC KEY").
    "pem_any": (
        rf"(?:[{_DASHES}][ \t]?){{2,}}[ \t]*b[ \t]?e[ \t]?g[ \t]?i[ \t]?n[ \t]+(?P<words>(?:[a-z0-9]+[ \t]+){{0,4}}?)"
        rf"k[ \t]?e[ \t]?y[ \t]*(?:[{_DASHES}][ \t]?){{2,}}",
        0,
    ),
    "base64_body": (r"\s*[A-Za-z0-9+/=]{32,}", 0),
    "key_words": (
        r"private[\s_-]*key|priv[\s_-]*key|privkey|secret[\s_-]*key|(?<![a-z])secret(?![a-z])|"
        r"(?<!public )(?<!public_)(?<!public-)(?<![a-z])key(?![a-z])|私钥|私鑰|秘钥|秘鑰|密钥|密鑰",
        0,
    ),
    # Words that say a value is a hash, or the record of a movement (a deposit question names none).
    "hash_words": (
        r"(?<![a-z])tx[\s_-]*(?:id|hash)(?![a-z])|(?<![a-z])txn?(?![a-z])|transaction[\s_-]*(?:id|hash)|"
        r"(?<![a-z])hash(?![a-z])|哈希|雜湊|交易\s*(?:id|号|號|编号|編號)|(?<![a-z])block(?![a-z])|区块|區塊|"
        r"(?<![a-z])sha-?(?:256|3|512)|(?<![a-z])sha256sum(?![a-z])|checksum|(?<![a-z])digest(?![a-z])|"
        r"(?<![a-z])signature(?![a-z])|etherscan|explorer|浏览器|瀏覽器|校验|校驗|"
        r"(?<![a-z])(?:deposit|deposited|deposits|withdrawal|withdrawals|withdrew|withdraw|transfer|transferred|"
        r"sent|arrived|confirmations?|credited)(?![a-z])|充值|提现|提現|到账|到賬|转账|轉賬|入金|出金|儲值|记录|記錄",
        0,
    ),
    "url": (r"(?<![a-z])(?:https?://|www\.)\S+", 0),
    "context_words": ("", 0),  # built from key_words, hash_words and address_words in _rx
    "address_words": (r"(?<![a-z])(?:address|wallet)(?![a-z])|地址|钱包|錢包", 0),
    "api_words": (r"(?<![a-z])api|(?<![a-z])(?:key|secret|token)(?![a-z])|密钥|密鑰|秘钥|秘鑰|令牌", 0),
    "api_other_words": (
        r"(?<![a-z])(?:address|wallet|referral|invite|invitation|affiliate|coupon|voucher)(?![a-z])|地址|钱包|錢包|"
        r"邀请|邀請|推荐码|推薦碼",
        0,
    ),
    "blank_line": (r"\n[ \t]*\r?\n", 0),
    "otpauth": (r"otpauth://[^\s\"'<>]*?[?&]secret=([A-Za-z2-7]+=*)", re.IGNORECASE),
    "otpauth_encoded": (r"otpauth%(?:25)*3a[^\s\"'<>]*", 0),
    "base32": (
        r"(?<![A-Za-z0-9])(?:[A-Za-z2-7]{4}[ -]){3,15}[A-Za-z2-7]{4}(?![A-Za-z0-9])"
        r"|(?<![A-Za-z0-9])[A-Za-z2-7]{16,64}(?![A-Za-z0-9])",
        0,
    ),
    "base32_digit": (r"[2-7]", 0),
    # What the grouped half above starts with.
    "base32_groups": (r"[A-Za-z2-7][A-Za-z2-7]{3}[ -][A-Za-z2-7]{4}[ -][A-Za-z2-7]{4}[ -][A-Za-z2-7]{4}", 0),
    # The first half alone, where no long run stands (the second half cannot match there).
    "base32_grouped": (r"(?<![A-Za-z0-9])(?:[A-Za-z2-7]{4}[ -]){3,15}[A-Za-z2-7]{4}(?![A-Za-z0-9])", 0),
    # Whole words only: inside a base64 image, "oTp" or "2Fa" turn up by chance every few kilobytes.
    "totp_words": (
        r"(?<![a-z0-9])(?:2fa|totp|authenticator|two[- ]factor|2[- ]step|two[- ]step|backup\s*(?:key|code)|"
        r"recovery\s*key|otp|authy)(?![a-z0-9])|谷歌验证|谷歌驗證|验证器|驗證器|二次验证|二次驗證|两步验证|兩步驗證|"
        r"双重验证|雙重驗證|备份密钥|備份密鑰|恢复密钥|恢復密鑰",
        0,
    ),
    # What names a 2FA code: the word "2FA", a code word or the app that shows it.
    "code_words": (
        r"(?<![a-z0-9])(?:2fa|two[- ]factor|2[- ]step|two[- ]step|totp|otp|authy|duo|"
        r"(?:google|microsoft|okta|bitfinex)?[ \t]*authenticator|google[ \t]+auth|"
        r"(?:sms|verification|security|auth|login|one[- ]time|2fa|otp|totp|authenticator)[ \t]*"
        r"(?:code|pin|token|password)s?)(?![a-z0-9])"
        r"|(?:谷歌|google[ \t]*)?(?:身份|身分)?(?:验证器|驗證器)|谷歌验证码?|谷歌驗證碼?|验证码|驗證碼|动态码|動態碼|"
        r"动态口令|動態口令|校验码|校驗碼|安全码|安全碼|短信码|簡訊碼|2fa\s*码|两步验证码|兩步驗證碼|二次验证码|二次驗證碼",
        0,
    ),
    # After the name: a few joining words (no digits, no end of sentence), then the code.
    "code_after": (
        r"(?:[ \t]*(?:code|pin|token|码|碼)s?)?[\"'“:=\-]?"
        r"(?:[ \t]*(?:[a-z']{1,12}|[\u4e00-\u9fff]{1,3}|[:=\-\"'“「]))?"
        r"(?:[ \t]*(?:[a-z']{1,12}|[\u4e00-\u9fff]{1,4}|[:=\-\"'“「]))?"
        r"(?:[ \t]*(?:[a-z']{1,12}|[\u4e00-\u9fff]{1,4}|[:=\-\"'“「]))?"
        r"[ \t]*(?P<code>(?<!\d)(?:\d{3}[ \-]?\d{3}|\d{6,8}))",
        0,
    ),
    # Before the name: "317945 from Authy", "882910 是谷歌验证器刚生成的".
    "code_before": (
        r"(?P<code>(?<![\d.,])(?:\d{3}[ \-]?\d{3}|\d{6,8}))(?!\d)"
        r"[ \t]*(?:(?:is|was|from|in|on|by|my|the|your|of|shown|generated|=|-|是|为|為|来自|來自|在)[ \t]*){0,3}$",
        0,
    ),
    # What every code above holds: six digits, perhaps split in two.
    "code_digits": (r"\d{3}[ \-]?\d{3}", 0),
    "not_a_code_after": (
        r"(?:[.,]\d|[ \t]?\d|[ \t]*(?:usdt|usd|usdc|btc|eth|sats?|satoshis?|cny|rmb|eur|gbp|ust|coins?|tokens?|"
        r"k(?![a-z])|m(?![a-z])|元|美元|块|塊|刀|%|分钟|分鐘|秒|小时|小時|天|个|個|次|笔|筆|"
        r"minutes?|hours?|days?|seconds?|times|orders?))",
        0,
    ),
    "sentence_end": (r"[.!?。！？;；\n]", 0),
    # "password is X" keeps X on the same line ("I forgot my password\n- Account locked" is no password,
    # and neither is the compound "password-reset"); after an explicit "password:" label the value may
    # stand on the next line. "pass" counts only with ":" or "=".
    "password_en": (
        r"(?P<label>(?<![a-z0-9])(?:password|passwd|passcode|pass[ \t]+word|pwd|pw|pass)(?![a-z]))[\"']?"
        r"(?P<sep>[ \t]*(?:is|was)[ \t]*:?[ \t]*|[ \t]*(?:[=:]|->|=>|→|⇒|➡)[ \t]*\r?\n?[ \t]*|[ \t]+-[ \t]+"
        r"|(?:[ \t]+(?:i|we|that[ \t]+i|which[ \t]+i|for|on|to|of)(?:[ \t]+[a-z'.]+){0,4}?"
        r"[ \t]+(?:is|was)[ \t]*:?[ \t]*)"
        r"|[ \t]+)",
        0,
    ),
    "password_zh": (
        r"(?P<label>(?:密码|密碼|口令))(?P<sep>[ \t]*(?:就是|用的是|是|为|為|:|=|→)[ \t]*|[ \t]+)",
        0,
    ),
    # `https://name:password@host`: a password inside a link (not `host:443@…`, a port).
    "url_password": (r"(?<![a-z0-9+.\-])[a-z][a-z0-9+.\-]*://[^/\s:@]+:(?P<v>[^/\s@]{4,})@", re.IGNORECASE),
    "masked": (r"[*•·●○■□◆xX#.…_\-]+", 0),
    "placeholder": (r"<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|【[^【】]*】|\([^()]*\)|「[^「」]*」", 0),
    "path": (r"(?:~?/|[A-Za-z]:\\)[\w./\\-]*", 0),
    "quoted": (r"[\"'“「『‘](?P<q>[^\"'”」』’\n]{4,64}?)[\"'”」』’]", 0),
    "unquoted": (r"[\"'“「『‘]?(?P<v>[^\s\"'”」』’，。；、]{4,64})", 0),
    "ascii_value": (r"[\"'“「『‘]?(?P<v>[!-~]{4,64})", 0),
}


@functools.cache
def _hint_pattern() -> re.Pattern[str]:
    hints = {*_TOTP_HINTS, *_CODE_HINTS, *_PASSWORD_HINTS}
    words = "|".join(re.escape(h) for h in sorted(hints, key=len, reverse=True))
    return re.compile(by_first_character({"": words}).source)


@functools.cache
def _rx(name: str) -> re.Pattern[str]:
    source, flags = _PATTERNS[name]
    if name == "context_words":
        source = _context_words().source
    return re.compile(source, flags)


@functools.cache
def _context_words() -> FirstCharacters:
    return by_first_character({group: _PATTERNS[f"{group}_words"][0] for group in ("key", "hash", "address")})


# Words that follow "password" in a description of a problem, not a password.
_NOT_A_PASSWORD = frozenset({
    "8+", "about", "accepted", "choose", "click", "create", "enter", "least", "minimum", "must", "press", "select",
    "tap", "type", "account", "after", "again", "also", "always", "and", "any", "are", "attempt",
    "attempts", "being", "blank", "box", "broken", "but", "case", "change", "changed", "changes", "changing",
    "characters", "chars", "compromised", "correct", "definitely", "did", "didn't", "different", "digits", "does",
    "doesn't", "email", "empty", "error", "errors", "every", "expired", "expires", "fail", "failed", "fails",
    "field", "fine", "for", "forgot", "forgotten", "form", "from", "has", "have", "hidden", "hint", "incorrect",
    "input", "invalid", "isn't", "just", "keeps", "known", "leaked", "length", "letters", "link", "locked", "login",
    "long", "lost", "mail", "manager", "maybe", "mine", "missing", "needed", "never", "none", "not", "null", "okay",
    "omitted", "page", "please", "policy", "private", "probably", "prompt", "protected", "protection", "really",
    "recovery", "redacted", "rejected", "removed", "request", "requested", "required", "reset", "resets", "right",
    "rule", "rules", "safe", "same", "saved", "screen", "secret", "secure", "sensitive", "short", "should", "since",
    "still", "stolen", "stored", "strength", "strong", "that", "the", "there", "this", "today", "too", "twice",
    "unchanged", "undefined", "unknown", "update", "updated", "updates", "valid", "very", "was", "wasn't", "weak",
    "when", "which", "will", "with", "won't", "worked", "working", "works", "wrong", "yesterday", "your", "yours",
})
_VALUE_TRAILING = ".,;:!?)。，；：！？」』”’"  # "Password reset: …" names a topic, not a password "reset:"


# --------------------------------------------------------------------------- the text as the detectors see it

LONG_RUN = 16  # the shortest run of key characters any shape detector looks at
_KEY_BYTES = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")
_RUN_BYTES = bytes(0x61 if b in _KEY_BYTES else 0x20 for b in range(256))
_RUN_NEEDLE = b"a" * LONG_RUN


class _Text:
    """The normalised text, its lower-case twin (same length) and what several detectors need."""

    def __init__(self, norm: Normalized, field_type: str | None, field_key: str | None) -> None:
        self.text = norm.text
        self.low = norm.text.lower()
        self.field_type = field_type
        self.field_key = field_key
        self._long: list[tuple[int, int]] | None = None
        self._urls: list[tuple[int, int]] | None = None
        self._hints: list[tuple[int, int, str]] | None = None

    def long_runs(self) -> list[tuple[int, int]]:
        """Every run of key characters (`[0-9A-Za-z_-]`) long enough to be a key, a hash or a secret.

        One pass in C: the text as Latin-1 bytes (any other character becomes one "?", so offsets
        stay those of the text), key characters turned into "a" and everything else into a space,
        then a substring search for sixteen "a" in a row and for the space that ends each run.
        """
        if self._long is None:
            flat = self.text.encode("latin-1", "replace").translate(_RUN_BYTES)
            runs = []
            start = flat.find(_RUN_NEEDLE)
            while start >= 0:
                end = flat.find(b" ", start + LONG_RUN)
                end = len(flat) if end < 0 else end
                runs.append((start, end))
                start = flat.find(_RUN_NEEDLE, end)
            self._long = runs
        return self._long

    def run_within(self, start: int, end: int) -> bool:
        """Some long run has at least `LONG_RUN` characters inside [start, end)."""
        runs = self.long_runs()
        at = max(0, bisect.bisect_left(runs, (start,)) - 1)  # runs are apart and in order
        for run_start, run_end in itertools.islice(runs, at, None):
            if run_start >= end:
                return False
            if min(run_end, end) - max(run_start, start) >= LONG_RUN:
                return True
        return False

    def in_url(self, start: int) -> tuple[int, int] | None:
        if self._urls is None:
            self._urls = ([(u.start(), u.end()) for u in _rx("url").finditer(self.low)]
                          if "http" in self.low or "www." in self.low else [])
        at = bisect.bisect_right(self._urls, (start, len(self.text))) - 1
        return (0, self._urls[at][0]) if at >= 0 and self._urls[at][1] > start else None

    def windows(self, hints: Sequence[str], before: int, after: int) -> list[tuple[int, int]]:
        """Stretches around every occurrence of a hint, merged (one pass finds all hints of all detectors).

        A detector runs its expression only there: each hint is a part of every match, at most
        `before` characters after the match starts, and the match ends within `after` of the hint.
        """
        if self._hints is None:
            self._hints = [(m.start(), m.end(), m.group()) for m in _hint_pattern().finditer(self.low)]
        wanted = set(hints)
        size = len(self.low)
        merged: list[tuple[int, int]] = []
        for hint_start, hint_end, hint in self._hints:
            if hint not in wanted:
                continue
            start, end = max(0, hint_start - before), min(size, hint_end + after)
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def find_near(self, name: str, hints: Sequence[str], before: int, after: int) -> Iterator[re.Match[str]]:
        for start, end in self.windows(hints, before, after):
            yield from _rx(name).finditer(self.low, start, end)

    def paragraph_start(self, pos: int, limit: int) -> int:
        lo = max(0, pos - limit)
        start = lo
        for m in _rx("blank_line").finditer(self.text, lo, pos):
            start = m.end()
        return start


def _nearest(pattern: re.Pattern[str], text: str, start: int, end: int, *, before: int = 60,
             after: int = 30) -> tuple[int, int] | None:
    """Distance and position of the nearest match of `pattern` around [start, end), if any."""
    best: tuple[int, int] | None = None
    for m in pattern.finditer(text, max(0, start - before), start):
        distance = start - m.end()
        if best is None or distance < best[0]:
            best = (distance, m.start())
    if after:
        found = pattern.search(text, end, min(len(text), end + after))
        if found is not None:
            distance = found.start() - end + 1
            if best is None or distance < best[0]:
                best = (distance, found.start())
    return best


# --------------------------------------------------------------------------- detectors

def _seed_phrases(text: str, low: str | None = None) -> Iterable[_Hit]:
    for match in bip39.find_phrases(text, low):
        if match.whole_field_chinese:
            yield _Hit("seed_phrase", match.start, match.end, 0.6, Action.CONFIRM)
        else:
            yield _Hit("seed_phrase", match.start, match.end, 0.99 if match.checksum_ok else 0.85, Action.BLOCK)


def _in_runs(pattern: str, ctx: _Text, min_len: int) -> Iterable[re.Match[str]]:
    """Matches of a shape pattern, looked for only inside the long runs of key characters."""
    for start, end in ctx.long_runs():
        if end - start >= min_len:
            # Lookbehinds see the text before the run; the run ends where key characters end.
            yield from _rx(pattern).finditer(ctx.text, max(0, start - 2), end)


def _wif_keys(ctx: _Text) -> Iterable[_Hit]:
    for m in _in_runs("wif", ctx, 51):
        if keys.is_wif(m.group()):
            yield _Hit("private_key_wif", m.start(), m.end(), 0.99, Action.BLOCK)


def _extended_keys(ctx: _Text) -> Iterable[_Hit]:
    for m in _in_runs("extended", ctx, 111):
        valid = keys.extended_key_valid(m.group())
        if m.group(2) == "prv":
            yield _Hit("xprv", m.start(), m.end(), 0.99 if valid else 0.8, Action.BLOCK)
        else:
            yield _Hit("xpub", m.start(), m.end(), 0.9 if valid else 0.6, Action.CONFIRM)


def _pem_keys(ctx: _Text) -> Iterable[_Hit]:
    low = ctx.low
    if "begin" not in low and "b e g i n" not in low:
        return
    for m in _rx("pem").finditer(low):
        dashed = m.group("lead") is not None or m.group("tail") is not None
        if not dashed and not _rx("base64_body").match(ctx.text, m.end()):
            continue  # "begin private key" in prose: only with a key body after it
        end = _rx("pem_end").search(low, m.end(), min(len(low), m.end() + 20_000))
        yield _Hit("pem_private_key", m.start(), end.end() if end else m.end(), 0.99, Action.BLOCK)
    for m in _rx("pem_any").finditer(low):
        # A public key or a certificate is no secret; any other dashed key header with a body is.
        if "public" in m.group("words").replace(" ", "") or not _rx("base64_body").match(ctx.text, m.end()):
            continue
        yield _Hit("pem_private_key", m.start(), m.end(), 0.95, Action.BLOCK)


def _raw_keys(ctx: _Text) -> Iterable[_Hit]:
    """64 hex characters, or 64 bytes in base58 (a Solana key pair as wallets export it).

    Both shapes are also what transaction hashes and signatures look like, so the words around the
    value decide: next to "private key"/"私钥" it is a key (block), next to "txid"/"hash"/"signature",
    a deposit or withdrawal, an address or inside a link it is not, and alone it asks.
    """
    if ctx.field_type in ("txhash", "address"):
        return
    field_says_hash = bool(ctx.field_key and re.search(r"tx|hash|txid|sig", ctx.field_key, re.IGNORECASE))
    candidates = [("hex_private_key", m) for m in _in_runs("hex", ctx, 64)]
    candidates += [("base58_private_key", m) for m in _in_runs("b58_64", ctx, 86)
                   if keys.is_base58_64_bytes(m.group())]
    low = ctx.low
    for kind, m in candidates:
        key_near, other = _key_context(low, m.start(), m.end())
        in_url = ctx.in_url(m.start())
        if in_url is not None and (other is None or in_url[0] < other[0]):
            other = in_url
        if key_near is not None and (other is None or key_near[0] <= other[0]):
            yield _Hit(kind, m.start(), m.end(), 0.95, Action.BLOCK)
        elif other is not None or field_says_hash:
            continue
        else:
            yield _Hit(kind, m.start(), m.end(), 0.5, Action.CONFIRM)


def _key_context(low: str, start: int, end: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The nearest word calling a value a key, and the nearest calling it a hash, a movement or an address.

    One pass over the 120 characters before the value and one search in the 30 after it; a key word
    counts within 60 characters before, as an address word does.
    """
    key: tuple[int, int] | None = None
    other: tuple[int, int] | None = None
    words = _context_words()
    for m in _rx("context_words").finditer(low, max(0, start - 120), start):
        distance = start - m.end()
        group = words.group(m)
        if group == "key":
            if distance <= 60 and (key is None or distance < key[0]):
                key = (distance, m.start())
        elif (group == "hash" or distance <= 60) and (other is None or distance < other[0]):
            other = (distance, m.start())
    after = _rx("context_words").search(low, end, min(len(low), end + 30))
    if after is not None:
        distance = after.start() - end + 1
        if words.group(after) == "key":
            if key is None or distance < key[0]:
                key = (distance, after.start())
        elif other is None or distance < other[0]:
            other = (distance, after.start())
    return key, other


def _mixed(value: str) -> bool:
    return (any(c.isdigit() for c in value) and any(c.isupper() for c in value)
            and any(c.islower() for c in value))


# An API label may stand well before its key, within the same paragraph (a sentence about the bot).
API_LABEL_REACH = 600


def _label_paragraph_start(ctx: _Text, pos: int) -> int:
    """Where the label of a value at `pos` may stand: its own paragraph, or, when the value opens its
    paragraph ("API key:", a blank line, then the key), the paragraph before it too."""
    start = ctx.paragraph_start(pos, API_LABEL_REACH)
    if start == 0 or any(ch.isalpha() for ch in ctx.text[start:pos]):
        return start
    gap = ctx.text[max(0, start - API_LABEL_REACH):start]
    end_of_previous = start - (len(gap) - len(gap.rstrip()))
    left = API_LABEL_REACH - (pos - end_of_previous)
    return ctx.paragraph_start(end_of_previous, left) if left > 0 else start


def _api_keys(ctx: _Text) -> Iterable[_Hit]:
    candidates = []
    low = ctx.low
    for m in _in_runs("api_shape", ctx, 43):
        if not _mixed(m.group()):
            continue
        reach = m.start() - _label_paragraph_start(ctx, m.start())
        word = _nearest(_rx("api_words"), low, m.start(), m.end(), before=reach, after=0)
        other = _nearest(_rx("api_other_words"), low, m.start(), m.end(), before=reach, after=0)
        if word is None or (other is not None and other[0] < word[0]):
            continue
        candidates.append(m)
    confidence = 0.95 if len(candidates) >= 2 else 0.8
    for m in candidates:
        yield _Hit("api_key", m.start(), m.end(), confidence, Action.BLOCK)


def _totp_words(ctx: _Text) -> Iterator[re.Match[str]]:
    """The words naming a TOTP secret, in the hint windows where a secret could start (within 64
    characters of a word) with a long run or with four groups of four base32 characters (19
    characters): where neither does, no secret can follow."""
    text = ctx.text
    for start, end in ctx.windows(_TOTP_HINTS, 16, 24):
        reach = min(len(text), end + 64 + 19)
        if not ctx.run_within(start, reach) and _rx("base32_groups").search(text, start, reach) is None:
            continue
        yield from _rx("totp_words").finditer(ctx.low, start, end)


def _totp_secrets(ctx: _Text) -> Iterable[_Hit]:
    from urllib.parse import unquote

    low = ctx.low
    seen: set[int] = set()
    if "otpauth" in low:
        for m in _rx("otpauth").finditer(ctx.text):
            seen.add(m.start(1))
            yield _Hit("totp_secret", m.start(1), m.end(1), 0.99, Action.BLOCK)
        # Inside another link (a QR-code picture), percent-encoded once or more.
        for m in _rx("otpauth_encoded").finditer(low):
            decoded = m.group()
            for _ in range(3):
                decoded = unquote(decoded)
            secret = re.search(r"[?&]secret=([a-z2-7]+=*)", decoded)
            if secret is None:
                continue
            at = ctx.low.find(secret.group(1), m.start(), m.end())
            if at >= 0 and at not in seen:
                seen.add(at)
                yield _Hit("totp_secret", at, at + len(secret.group(1)), 0.95, Action.BLOCK)
    for word in _totp_words(ctx):
        reach = min(len(ctx.text), word.end() + 64 + 80)
        # A secret holds a digit from 2 to 7; one not written in groups is inside a long run.
        if _rx("base32_digit").search(ctx.text, word.end(), reach) is None:
            continue
        shapes = "base32" if ctx.run_within(word.end(), reach) else "base32_grouped"
        for m in _rx(shapes).finditer(ctx.text, word.end(), reach):
            value = m.group()
            if m.start() > word.end() + 64:
                break
            if m.start() in seen:
                continue
            if not any(c in "234567" for c in value) or not any(c.isalpha() for c in value):
                continue
            seen.add(m.start())
            yield _Hit("totp_secret", m.start(), m.end(), 0.85, Action.BLOCK)


# Substrings of every match of `totp_words` and of `code_words` (see `_Text.windows`).
_TOTP_HINTS = ("2fa", "otp", "auth", "factor", "step", "backup", "recovery", "验证", "驗證", "密钥", "密鑰")
_PASSWORD_HINTS = ("pass", "pw", "密码", "密碼", "口令")
_CODE_HINTS = ("2fa", "factor", "step", "otp", "auth", "duo", "sms", "verification", "security", "login", "one-time",
               "one time",
               "验证", "驗證", "动态", "動態", "校验", "校驗", "安全码", "安全碼", "短信码", "簡訊碼")


def _code_ok(ctx: _Text, m: re.Match[str]) -> bool:
    """A 2FA-shaped number that is not an amount, a duration or part of a longer number."""
    return _rx("not_a_code_after").match(ctx.low, m.end("code")) is None


_CODE_REACH = 512  # past this on one line (a text without line breaks), the windows are not sifted


def _code_words(ctx: _Text) -> Iterator[re.Match[str]]:
    """The names of a 2FA code, in the hint windows whose lines hold a code-shaped number at all: a
    code stands on the line of its name, after it or within 40 characters before it ("I reset my
    2FA last week" costs one search for six digits, not the code patterns)."""
    low = ctx.low
    for start, end in ctx.windows(_CODE_HINTS, 24, 24):
        line_end = low.find("\n", end, end + _CODE_REACH)
        too_long = line_end < 0 and end + _CODE_REACH < len(low)  # not sifted: looked at as it is
        if not too_long and _rx("code_digits").search(
                low, max(0, start - 40), len(low) if line_end < 0 else line_end) is None:
            continue
        yield from _rx("code_words").finditer(low, start, end)


def _two_factor_codes(ctx: _Text) -> Iterable[_Hit]:
    low = ctx.low
    if not any(d in low for d in "0123456789"):
        return
    for word in _code_words(ctx):
        after = _rx("code_after").match(low, word.end())
        if after is not None and _code_ok(ctx, after):
            yield _Hit("two_factor_code", after.start("code"), after.end("code"), 0.9, Action.BLOCK)
            continue
        # The number before the name, on the same line and within a few words.
        line_start = max(low.rfind("\n", 0, word.start()) + 1, word.start() - 40)
        for before in _rx("code_before").finditer(low, line_start, word.start()):
            if _code_ok(ctx, before) and not _rx("sentence_end").search(low, before.end("code"), word.start()):
                yield _Hit("two_factor_code", before.start("code"), before.end("code"), 0.9, Action.BLOCK)


def _password_value(ctx: _Text, pos: int, *, ascii_only: bool) -> tuple[int, int] | None:
    text = ctx.text
    quoted = _rx("quoted").match(text, pos)
    if quoted is not None:
        return quoted.start("q"), quoted.end("q")
    m = _rx("ascii_value" if ascii_only else "unquoted").match(text, pos)
    if m is None:
        return None
    value = m.group("v").rstrip(_VALUE_TRAILING)
    return m.start("v"), m.start("v") + len(value)


def _not_a_password(value: str) -> bool:
    return (len(value) < 4 or value.casefold() in _NOT_A_PASSWORD or _rx("masked").fullmatch(value) is not None
            or _rx("path").fullmatch(value) is not None or _rx("placeholder").fullmatch(value) is not None)


def _looks_made_up(value: str) -> bool:
    """Digits, symbols or capitals inside: not an ordinary word that happens to follow "password"."""
    return any(not c.isalpha() for c in value) or any(c.isupper() for c in value[1:])


def _passwords(ctx: _Text) -> Iterable[_Hit]:
    low = ctx.low
    if "pass" in low or "pw" in low:
        for m in ctx.find_near("password_en", ("pass", "pw"), 0, 96):  # "pass" also stands for passwd
            label = m.group("label").replace(" ", "").replace("\t", "")
            sep = m.group("sep")
            bare = not sep.strip()
            if label == "pass" and not any(c in sep for c in "=:"):
                continue  # "pass the documents", "boarding pass"
            if bare and "\n" in sep:
                continue
            span = _password_value(ctx, m.end(), ascii_only=bare)
            if span is None:
                continue
            value = ctx.text[span[0]:span[1]]
            if _not_a_password(value) or (bare and label in ("password", "passcode") and not _looks_made_up(value)):
                continue
            yield _Hit("password", span[0], span[1], 0.8 if bare else 0.9, Action.BLOCK)
    if "密码" in low or "密碼" in low or "口令" in low:
        for m in ctx.find_near("password_zh", _PASSWORD_HINTS[2:], 0, 16):
            span = _password_value(ctx, m.end(), ascii_only=True)
            if span is None:
                continue
            value = ctx.text[span[0]:span[1]]
            if _not_a_password(value):
                continue
            yield _Hit("password", span[0], span[1], 0.9, Action.BLOCK)
    if "://" in low:
        for m in _rx("url_password").finditer(ctx.text):
            if not m.group("v").isdigit() and not _rx("masked").fullmatch(m.group("v")):
                yield _Hit("password", m.start("v"), m.end("v"), 0.9, Action.BLOCK)


_DETECTORS: tuple[Callable[[_Text], Iterable[_Hit]], ...] = (
    _wif_keys, _extended_keys, _pem_keys, _api_keys, _totp_secrets, _two_factor_codes, _passwords, _raw_keys,
)


def _resolve_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Where findings overlap, keep the stronger one (block over confirm, then confidence)."""
    ranked = sorted(hits, key=lambda h: (-_STRENGTH[h.action], -h.confidence, h.start))
    kept: list[_Hit] = []
    for hit in ranked:
        if any(hit.start < k.end and k.start < hit.end for k in kept):
            continue
        kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, h.kind))


# A letter that is in no wordlist: template text is read as these for the phrase detector only.
_BARRIER = bip39.BARRIER


def _barred(text: str, spans: Sequence[tuple[int, int]]) -> str:
    pieces = []
    last = 0
    for start, end in sorted(spans):
        start, end = max(start, last), min(end, len(text))
        if start >= end:
            continue
        pieces.append(text[last:start])
        # Keep line breaks where they were, so the template still separates lines.
        pieces.append("".join(ch if ch == "\n" else _BARRIER for ch in text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def scan_text(text: str, *, field_type: str | None = None, field_key: str | None = None,
              template_spans: Sequence[tuple[int, int]] = ()) -> list[Finding]:
    """Every secret-looking value in `text`, in order of position.

    `field_type` is one of `supportcli.core.flows.model.FIELD_TYPES`, or None for free text.
    `template_spans` marks text the program wrote itself (a draft's headings and labels): its words
    never complete a recovery phrase with the user's words. Every other detector still reads it.
    """
    norm = normalize(text)
    ctx = _Text(norm, field_type, field_key)
    located: list[_Hit] = []
    for detector in _DETECTORS:
        for hit in detector(ctx):
            start, end = norm.source_span(hit.start, hit.end)
            located.append(_Hit(hit.kind, start, end, hit.confidence, hit.action))
    phrase_norm = normalize(_barred(text, template_spans)) if template_spans else norm
    for hit in _seed_phrases(phrase_norm.text, None if template_spans else ctx.low):
        start, end = phrase_norm.source_span(hit.start, hit.end)
        located.append(_Hit(hit.kind, start, end, hit.confidence, hit.action))
    findings = []
    for hit in _resolve_overlaps(located):
        line = text.count("\n", 0, hit.start) + 1
        column = hit.start - (text.rfind("\n", 0, hit.start) + 1) + 1
        findings.append(Finding(hit.kind, hit.start, hit.end, line, column, hit.confidence, hit.action))
    return findings


def template_spans(text: str, user_values: Iterable[str]) -> list[tuple[int, int]]:
    """The parts of `text` that are not one of `user_values` (for `scan_text(template_spans=…)`).

    For a text the program rendered from the user's answers: everything but the answers is template.
    """
    taken: list[tuple[int, int]] = []
    for value in {v for v in user_values if v and v.strip()}:
        start = text.find(value)
        while start != -1:
            taken.append((start, start + len(value)))
            start = text.find(value, start + 1)
    spans = []
    last = 0
    for start, end in sorted(taken):
        if start > last:
            spans.append((last, start))
        last = max(last, end)
    if last < len(text):
        spans.append((last, len(text)))
    return spans


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.action is Action.BLOCK]


def needs_confirmation(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.action is Action.CONFIRM]


# --------------------------------------------------------------------------- refusing

def kind_label(kind: str) -> str:
    """The name of a kind of secret in the current language ("recovery phrase", "助记词")."""
    return t(f"guard.kind.{kind}")


class SecretFoundError(InputError):
    """An answer holds a secret. The message names the field and the kind, never the value."""

    def __init__(self, field: str, findings: list[Finding], *, needs_confirmation: bool = False) -> None:
        first = findings[0]
        key = "guard.refused_confirm" if needs_confirmation else "guard.refused"
        super().__init__(field, kind_label(first.kind), key, kind=kind_label(first.kind),
                         advice=t(f"guard.explain.{first.kind}"), line=first.line, column=first.column)
        self.findings = findings
        self.kind = first.kind
        self.needs_confirmation = needs_confirmation


def check_answer(field_key: str, text: str, *, field_type: str | None = None,
                 confirmed: bool = False) -> list[Finding]:
    """Refuse an answer that holds a secret; return the findings that were let through.

    BLOCK findings always raise SecretFoundError; CONFIRM findings raise it too unless the user has
    confirmed (`confirmed=True`) that the value is not a secret.
    """
    findings = scan_text(text, field_type=field_type, field_key=field_key)
    blocked = blocking(findings)
    if blocked:
        raise SecretFoundError(field_key, blocked)
    unsure = needs_confirmation(findings)
    if unsure and not confirmed:
        raise SecretFoundError(field_key, unsure, needs_confirmation=True)
    return [f for f in findings if f.action is not Action.BLOCK]


def explain(finding: Finding) -> str:
    """Why the value was refused and what to do now, in the current language."""
    lead = "guard.why_confirm" if finding.action is Action.CONFIRM else "guard.why_block"
    return t("guard.explain_line", why=t(lead, kind=kind_label(finding.kind)),
             what=t(f"guard.explain.{finding.kind}"))


# --------------------------------------------------------------------------- being contacted

_SCAM_PATTERNS = (
    r"""
    \b(?:dm|dm'?ed|dms|pm'?ed|direct\s*messaged?|messaged|texted|called|phoned|rang|reached\s+out\s+to|
       contacted|approached|wrote\s+to)\s+me\b
    | \b(?:sent|send)\s+me\s+a\s+(?:dm|direct\s+message|private\s+message|pm)\b
    | \b(?:got|received|had|get)\s+(?:a\s+)?(?:dm|pm|direct\s+message|private\s+message)s?\s+from\b
    | \b(?:in|via|by|through)\s+(?:a\s+)?(?:dm|dms|direct\s+messages?|private\s+messages?|telegram|whatsapp)\b
    | \bask(?:ed|ing|s)?\s+(?:me\s+)?(?:for|to\s+(?:give|send|share|provide|enter|type|confirm|verify))\s+
       (?:my\s+|the\s+|your\s+)?(?:seed|recovery|mnemonic|secret|password|passcode|2fa|two[- ]factor|
       authenticator|verification\s+code|private\s+key|keys|api\s+(?:key|secret)|otp|code)
    | \b(?:asked|told|wanted|instructed|asking|telling)\s+(?:me\s+)?to\s+(?:move|transfer|send|withdraw|deposit)\s+
       (?:my\s+|the\s+|all\s+)?(?:funds|money|coins|crypto|assets|balance|btc|usdt|eth)
    | \b(?:asked|told|wanted|asking|telling)\s+(?:me\s+)?to\s+(?:install|download)\b
    | \b(?:anydesk|teamviewer|remote\s+desktop|screen\s+shar(?:e|ing))\b
    | \b(?:asked|told|wanted|asking|telling)\s+(?:me\s+)?to\s+pay\b
    | \b(?:unlock|verification|activation|release|withdrawal|processing)\s+fee\b
    """
)
_SCAM_PATTERNS_ZH = (
    r"私信|私聊|主动(?:联系|加|找)|(?:打电话|来电|致电)(?:给我|联系)?|(?:电报|Telegram|WhatsApp|微信)\s*(?:上|里)?(?:联系|找)"
    r"|(?:让|要|叫|要求|索要|让我提供|要我提供)[^。！？\n]{0,8}(?:助记词|私钥|密码|验证码|2FA|谷歌验证|密钥|恢复短语)"
    r"|(?:让|要|叫|要求)[^。！？\n]{0,6}(?:转账|转币|转移|转出|把(?:资金|钱|币))"
    r"|(?:让|要|叫|要求)[^。！？\n]{0,6}(?:安装|下载)|AnyDesk|TeamViewer|远程(?:控制|协助|桌面)|屏幕共享"
    # A fee to unlock or release funds; not the ordinary withdrawal fee (手续费) or margin (保证金).
    r"|(?:让|要|叫|要求)[^。！？\n]{0,6}(?:付款|付费|支付|缴纳|交钱)|(?:解冻|激活|验证)(?:费|金)"
    r"|(?:先|必须|需要)(?:交|缴纳?|支付|付)[^。！？\n]{0,3}(?:保证金|手续费|税费?)[^。！？\n]{0,2}(?:才|后)"
)


@functools.cache
def _scam_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (re.compile(_SCAM_PATTERNS, re.IGNORECASE | re.VERBOSE), re.compile(_SCAM_PATTERNS_ZH, re.IGNORECASE))


# Every match of the English patterns holds one of these (their case ignored), and in ASCII text the
# Chinese ones can only match the names of the remote-control programs.
_SCAM_ANCHORS = ("me", "dm", "pm", "message", "telegram", "whatsapp", "ask", "told", "want", "instruct", "tell",
                 "anydesk", "teamviewer", "remote", "screen", "fee")


def mentions_contact_scam(text: str) -> bool:
    """The text says someone claiming to be support contacted the user or asked for what staff never ask."""
    if text.isascii():  # most answers: no pattern compiled when no word they need is there
        low = text.lower()
        if "anydesk" in low or "teamviewer" in low:
            return True
        return any(anchor in low for anchor in _SCAM_ANCHORS) and _scam_patterns()[0].search(text) is not None
    en, zh = _scam_patterns()
    return bool(en.search(text) or zh.search(text))


def scam_warning(manifest: Manifest | None = None) -> str:
    """The reminder shown whenever contact by "support" is involved, in the current language.

    With the pack's manifest it names the exchange and its help center; without one it says the same
    in general words.
    """
    if manifest is None:
        return t("guard.scam_warning_generic")
    from supportcli.core.guard.pack_names import pack_names

    return t("guard.scam_warning", **pack_names(manifest))


"""The secret scanner: finds what must never reach a support agent, a draft or a log.

`scan_text(text, field_type=…, field_key=…)` returns findings (kind, position, confidence and an
action: block, confirm or allow). It knows the field the text came from: in a `txhash` field a
64-hex value is a transaction hash; in free text the words next to it decide.

Nothing here prints, logs or keeps the text it scans. A `Finding` holds offsets, never the secret,
and every message built from a finding names the kind of secret only.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from supportcli.core.errors import InputError
from supportcli.core.guard import bip39, keys
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


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int
    confidence: float
    action: Action


# --------------------------------------------------------------------------- shapes

_B58 = "1-9A-HJ-NP-Za-km-z"
_WIF = re.compile(rf"(?<![{_B58}])[59KLc][{_B58}]{{50,51}}(?![{_B58}])")
_EXTENDED = re.compile(rf"(?<![{_B58}])([xtyzuvYZUV])(prv|pub)[{_B58}]{{100,112}}(?![{_B58}])")
_PEM = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_B58_64 = re.compile(rf"(?<![{_B58}])[{_B58}]{{86,88}}(?![{_B58}])")
_HEX = re.compile(r"(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{64}(?![0-9A-Za-z])")
# A value may follow `=` (`apiKey=…`); base64 text cannot start a 43-character run after one.
_API_SHAPE = re.compile(r"(?<![A-Za-z0-9_\-+/])[A-Za-z0-9_\-]{43}(?![A-Za-z0-9_\-+/=])")
_OTPAUTH = re.compile(r"otpauth://[^\s\"'<>]*?[?&]secret=([A-Za-z2-7]+=*)", re.IGNORECASE)
_BASE32 = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z2-7]{4}[ -]){3,15}[A-Za-z2-7]{4}(?![A-Za-z0-9])"
                     r"|(?<![A-Za-z0-9])[A-Za-z2-7]{16,64}(?![A-Za-z0-9])")

# Words that say what a nearby value is.
_KEY_WORDS = re.compile(
    r"private[\s_-]*key|priv[\s_-]*key|privkey|secret[\s_-]*key|\bsecret\b|"
    r"(?<!public )(?<!public_)(?<!public-)\bkey\b|私钥|秘钥|密钥",
    re.IGNORECASE,
)
_HASH_WORDS = re.compile(
    r"\btx[\s_-]*(?:id|hash)\b|\btxn?\b|transaction[\s_-]*(?:id|hash)|\bhash\b|哈希|交易\s*(?:id|号|编号)|"
    r"\bblock\b|区块|\bsha-?(?:256|3|512)|\bsha256sum\b|checksum|\bdigest\b|\bsignature\b|"
    r"etherscan|explorer|浏览器|校验",
    re.IGNORECASE,
)
# A web address: a 64-hex value inside one is a transaction or a signature in a link.
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_ADDRESS_WORDS = re.compile(r"\baddress\b|地址|\bwallet\b|钱包", re.IGNORECASE)
_API_WORDS = re.compile(r"api|\bkey\b|secret|token|密钥|秘钥|令牌", re.IGNORECASE)
# Whole words only: inside a base64 image, "oTp" or "2Fa" turn up by chance every few kilobytes.
_TOTP_WORDS = re.compile(
    r"(?<![A-Za-z0-9])(?:2fa|totp|authenticator|two[- ]factor|2[- ]step|two[- ]step|backup\s*(?:key|code)|"
    r"recovery\s*key|otp)(?![A-Za-z0-9])|谷歌验证|验证器|二次验证|两步验证|双重验证|备份密钥|恢复密钥",
    re.IGNORECASE,
)
_OTP_CODE = re.compile(
    r"(?:(?:\b2fa|\btwo[- ]factor|\b2[- ]step|\btwo[- ]step|\bauthenticator|\bgoogle\s+auth(?:enticator)?|"
    r"\btotp|\botp|\bsms|\bverification|\bsecurity|\bauth|\blogin|\bone[- ]time)\s*(?:code|pin|token|password)s?"
    r"|\b2fa|\botp|\btotp|\bauthenticator|\bgoogle\s+authenticator)\b"
    r"\s*(?:is|was|=|:|-)?\s*(?:is|was)?\s*:?\s*[\"'“]?"
    r"(?<!\d)(\d{3}[ -]?\d{3}|\d{6,8})(?!\d)"
    r"|(?:验证码|动态码|动态口令|校验码|安全码|短信码|2FA\s*码|两步验证码|二次验证码)"
    r"\s*(?:是|为|：|:|=)?\s*[\"'“「]?(?<!\d)(\d{3}[ -]?\d{3}|\d{6,8})(?!\d)",
    re.IGNORECASE,
)
_PASSWORD_EN = re.compile(
    # "password is X" keeps X on the same line ("I forgot my password\n- Account locked" is no password,
    # and neither is the compound "password-reset"); after an explicit "password:" label the value
    # may stand on the next line. The short labels "pass" and "pw" count only with ":" or "=".
    r"(?:(?<![A-Za-z])(?:password|passwd|passcode|pass[ \t]+word|pwd)\b[\"']?"
    r"(?:[ \t]*(?:is|was)[ \t]*:?[ \t]*|[ \t]*[=:][ \t]*\r?\n?[ \t]*|[ \t]+-[ \t]+)"
    r"|\b(?:pass|pw)\b[\"']?[ \t]*[=:][ \t]*)"
    # A quoted value may hold spaces ("correct horse"); an unquoted one ends at a space.
    r"(?:[\"'“](?P<q>[^\"'”\n]{4,}?)[\"'”]|[\"'“]?(?P<v>[^\s\"'”]{4,}))",
    re.IGNORECASE,
)
_PASSWORD_ZH = re.compile(
    r"(?:密码|口令)[ \t\u3000]*(?:是|为|：|:|=)[ \t\u3000]*[\"'“「]?(?P<v>[!-~]{4,})"
)
# Words that follow "password is" in a description of a problem, not a password.
_NOT_A_PASSWORD = frozenset({
    "8+", "accepted", "also", "always", "being", "blank", "case", "change", "changed", "changing",
    "characters", "chars", "compromised", "correct", "correct.", "definitely", "different", "digits",
    "empty", "expired", "fine", "fine.", "forgot", "forgotten", "hidden", "incorrect", "incorrect.",
    "invalid", "known", "leaked", "letters", "locked", "long", "lost", "maybe", "mine", "missing", "needed",
    "never", "none", "not", "null", "okay", "omitted", "please", "private", "probably", "really", "redacted",
    "rejected", "removed", "required", "required.", "reset", "resets", "right", "right.", "safe", "same",
    "saved", "secret", "secure", "sensitive", "short", "still", "stolen", "stored", "strong", "that",
    "there", "this", "too", "unchanged", "undefined", "unknown", "updated", "valid", "very", "weak",
    "working", "wrong", "wrong.", "yours",
})
_MASKED = re.compile(r"^[*•x#.·]+$", re.IGNORECASE)
# `pwd: /home/me/exports` is a folder (the shell's pwd), not a password.
# A placeholder, not a value: `<redacted>`, `[hidden]`, `{password}`.
_PLACEHOLDER = re.compile(r"^(?:<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\})$")
# `https://name:password@host`: a password inside a link (not `host:443@…`, a port).
_URL_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.\-]*://[^/\s:@]+:(?P<v>[^/\s@]{4,})@", re.IGNORECASE)
_PATH_VALUE = re.compile(r"^(?:~?/|[A-Za-z]:\\)[\w./\\-]*$")


# --------------------------------------------------------------------------- detectors

def _nearest(pattern: re.Pattern[str], text: str, start: int, end: int, *, before: int = 60,
             after: int = 30) -> tuple[int, int] | None:
    """Distance and position of the nearest match of `pattern` around [start, end), if any."""
    best: tuple[int, int] | None = None
    window_start = max(0, start - before)
    for m in pattern.finditer(text, window_start, start):
        distance = start - m.end()
        if best is None or distance < best[0]:
            best = (distance, m.start())
    for m in pattern.finditer(text, end, min(len(text), end + after)):
        distance = m.start() - end + 1
        if best is None or distance < best[0]:
            best = (distance, m.start())
        break
    return best


def _seed_phrases(text: str, field_type: str | None) -> Iterable[_Hit]:
    for match in bip39.find_phrases(text):
        if match.whole_field_chinese:
            yield _Hit("seed_phrase", match.start, match.end, 0.6, Action.CONFIRM)
        else:
            yield _Hit("seed_phrase", match.start, match.end, 0.99 if match.checksum_ok else 0.85, Action.BLOCK)


def _wif_keys(text: str, field_type: str | None) -> Iterable[_Hit]:
    for m in _WIF.finditer(text):
        if keys.is_wif(m.group()):
            yield _Hit("private_key_wif", m.start(), m.end(), 0.99, Action.BLOCK)


def _extended_keys(text: str, field_type: str | None) -> Iterable[_Hit]:
    for m in _EXTENDED.finditer(text):
        valid = keys.extended_key_valid(m.group())
        if m.group(2) == "prv":
            yield _Hit("xprv", m.start(), m.end(), 0.99 if valid else 0.8, Action.BLOCK)
        else:
            yield _Hit("xpub", m.start(), m.end(), 0.9 if valid else 0.6, Action.CONFIRM)


def _pem_keys(text: str, field_type: str | None) -> Iterable[_Hit]:
    for m in _PEM.finditer(text):
        end_marker = f"-----END {m.group(1)}-----"
        end = text.find(end_marker, m.end())
        stop = end + len(end_marker) if end >= 0 else m.end()
        yield _Hit("pem_private_key", m.start(), stop, 0.99, Action.BLOCK)


def _raw_keys(text: str, field_type: str | None, field_key: str | None) -> Iterable[_Hit]:
    """64 hex characters, or 64 bytes in base58 (a Solana key pair as wallets export it).

    Both shapes are also what transaction hashes and signatures look like, so the words around the
    value decide: next to "private key"/"私钥" it is a key (block), next to "txid"/"hash"/"signature",
    an address or inside a link it is not, and alone it asks.
    """
    if field_type in ("txhash", "address"):
        return
    field_says_hash = bool(field_key and re.search(r"tx|hash|txid|sig", field_key, re.IGNORECASE))
    urls: list[tuple[int, int]] | None = None  # (start, end) of every web address, found when first needed
    candidates = [("hex_private_key", m) for m in _HEX.finditer(text)]
    candidates += [("base58_private_key", m) for m in _B58_64.finditer(text) if keys.is_base58_64_bytes(m.group())]
    for kind, m in candidates:
        key_near = _nearest(_KEY_WORDS, text, m.start(), m.end())
        hash_near = _nearest(_HASH_WORDS, text, m.start(), m.end())
        address_near = _nearest(_ADDRESS_WORDS, text, m.start(), m.end())
        if urls is None:
            urls = [(u.start(), u.end()) for u in _URL.finditer(text)]
        at = bisect.bisect_right(urls, (m.start(), len(text))) - 1
        in_url = (0, urls[at][0]) if at >= 0 and urls[at][1] > m.start() else None
        other = min((x for x in (hash_near, address_near, in_url) if x is not None), default=None)
        if key_near is not None and (other is None or key_near[0] <= other[0]):
            yield _Hit(kind, m.start(), m.end(), 0.95, Action.BLOCK)
        elif other is not None or field_says_hash:
            continue
        else:
            yield _Hit(kind, m.start(), m.end(), 0.5, Action.CONFIRM)


def _mixed(value: str) -> bool:
    return (any(c.isdigit() for c in value) and any(c.isupper() for c in value)
            and any(c.islower() for c in value))


def _api_keys(text: str, field_type: str | None) -> Iterable[_Hit]:
    candidates = []
    for m in _API_SHAPE.finditer(text):
        if not _mixed(m.group()):
            continue
        word = _nearest(_API_WORDS, text, m.start(), m.end(), before=64, after=0)
        address = _nearest(_ADDRESS_WORDS, text, m.start(), m.end(), before=64, after=0)
        if word is None or (address is not None and address[0] < word[0]):
            continue
        candidates.append(m)
    confidence = 0.95 if len(candidates) >= 2 else 0.8
    for m in candidates:
        yield _Hit("api_key", m.start(), m.end(), confidence, Action.BLOCK)


def _totp_secrets(text: str, field_type: str | None) -> Iterable[_Hit]:
    seen: set[int] = set()
    for m in _OTPAUTH.finditer(text):
        seen.add(m.start(1))
        yield _Hit("totp_secret", m.start(1), m.end(1), 0.99, Action.BLOCK)
    for m in _BASE32.finditer(text):
        value = m.group()
        if m.start() in seen or not any(c in "234567" for c in value) or not any(c.isalpha() for c in value):
            continue
        if _nearest(_TOTP_WORDS, text, m.start(), m.end(), before=64, after=0) is not None:
            yield _Hit("totp_secret", m.start(), m.end(), 0.85, Action.BLOCK)


def _two_factor_codes(text: str, field_type: str | None) -> Iterable[_Hit]:
    for m in _OTP_CODE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        yield _Hit("two_factor_code", m.start(group), m.end(group), 0.9, Action.BLOCK)


def _passwords(text: str, field_type: str | None) -> Iterable[_Hit]:
    for pattern in (_PASSWORD_EN, _PASSWORD_ZH):
        for m in pattern.finditer(text):
            group = "q" if "q" in pattern.groupindex and m.group("q") is not None else "v"
            value = m.group(group).rstrip(".,;!?)。，；！？")
            if (len(value) < 4 or value.casefold() in _NOT_A_PASSWORD or _MASKED.match(value)
                    or _PATH_VALUE.match(value) or _PLACEHOLDER.match(value)):
                continue
            start = m.start(group)
            end = start + len(value)
            plain_word = value.isalpha() and value.islower()
            if plain_word:
                yield _Hit("password", start, end, 0.6, Action.CONFIRM)
            else:
                yield _Hit("password", start, end, 0.9, Action.BLOCK)
    for m in _URL_PASSWORD.finditer(text):
        if not m.group("v").isdigit() and not _MASKED.match(m.group("v")):
            yield _Hit("password", m.start("v"), m.end("v"), 0.9, Action.BLOCK)


_DETECTORS: tuple[Callable[[str, str | None], Iterable[_Hit]], ...] = (
    _seed_phrases, _wif_keys, _extended_keys, _pem_keys, _api_keys, _totp_secrets,
    _two_factor_codes, _passwords,
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


def scan_text(text: str, *, field_type: str | None = None, field_key: str | None = None) -> list[Finding]:
    """Every secret-looking value in `text`, in order of position.

    `field_type` is one of `supportcli.core.flows.model.FIELD_TYPES`, or None for free text.
    """
    hits: list[_Hit] = []
    for detector in _DETECTORS:
        hits.extend(detector(text, field_type))
    hits.extend(_raw_keys(text, field_type, field_key))
    findings = []
    for hit in _resolve_overlaps(hits):
        line = text.count("\n", 0, hit.start) + 1
        column = hit.start - (text.rfind("\n", 0, hit.start) + 1) + 1
        findings.append(Finding(hit.kind, hit.start, hit.end, line, column, hit.confidence, hit.action))
    return findings


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

_SCAM_PATTERNS = re.compile(
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
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SCAM_PATTERNS_ZH = re.compile(
    r"私信|私聊|主动(?:联系|加|找)|(?:打电话|来电|致电)(?:给我|联系)?|(?:电报|Telegram|WhatsApp|微信)\s*(?:上|里)?(?:联系|找)"
    r"|(?:让|要|叫|要求|索要|让我提供|要我提供)[^。！？\n]{0,8}(?:助记词|私钥|密码|验证码|2FA|谷歌验证|密钥|恢复短语)"
    r"|(?:让|要|叫|要求)[^。！？\n]{0,6}(?:转账|转币|转移|转出|把(?:资金|钱|币))"
    r"|(?:让|要|叫|要求)[^。！？\n]{0,6}(?:安装|下载)|AnyDesk|TeamViewer|远程(?:控制|协助|桌面)|屏幕共享"
    # A fee to unlock or release funds; not the ordinary withdrawal fee (手续费) or margin (保证金).
    r"|(?:让|要|叫|要求)[^。！？\n]{0,6}(?:付款|付费|支付|缴纳|交钱)|(?:解冻|激活|验证)(?:费|金)"
    r"|(?:先|必须|需要)(?:交|缴纳?|支付|付)[^。！？\n]{0,3}(?:保证金|手续费|税费?)[^。！？\n]{0,2}(?:才|后)",
    re.IGNORECASE,
)


def mentions_contact_scam(text: str) -> bool:
    """The text says someone claiming to be support contacted the user or asked for what staff never ask."""
    return bool(_SCAM_PATTERNS.search(text) or _SCAM_PATTERNS_ZH.search(text))


def scam_warning(manifest: Manifest | None = None) -> str:
    """The reminder shown whenever contact by "support" is involved, in the current language.

    With the pack's manifest it names the exchange and its help center; without one it says the same
    in general words.
    """
    if manifest is None:
        return t("guard.scam_warning_generic")
    from supportcli.core.guard.pack_names import pack_names

    return t("guard.scam_warning", **pack_names(manifest))


"""Is this website, e-mail address, account or phone number an official channel?

`verify_contact(value, manifest)` classifies the value (url, domain, email, handle, social, phone),
normalises it the way a browser or a platform would (IDNA/UTS46: full-width letters, case, a
trailing dot; the userinfo part of a URL is dropped), and compares it with the pack's official
channels: OFFICIAL (a channel an official page confirms), UNCONFIRMED (a channel the pack lists as
the exchange's own, e.g. a widely cited social account, that no official page confirms),
NOT_OFFICIAL, or LOOKALIKE (of which official name). Reasons are given in the current language and
name the pack's sources; nothing is fetched from the network.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from supportcli.core.errors import InputError
from supportcli.core.guard.lookalike import Likeness, resemblance, scripts
from supportcli.core.guard.pack_names import PackNames, pack_names
from supportcli.core.i18n import current_language, pick, t
from supportcli.core.pack import Channel, Manifest
from supportcli.core.sources import Sources, describe


class Verdict(StrEnum):
    OFFICIAL = "official"
    UNCONFIRMED = "unconfirmed"  # listed as the exchange's own, but no official page confirms it
    NOT_OFFICIAL = "not_official"
    LOOKALIKE = "lookalike"


_LISTED = (Verdict.OFFICIAL, Verdict.UNCONFIRMED)  # the value is one of the pack's own channels


def channel_verdict(channel: Channel) -> Verdict:
    """A listed channel is OFFICIAL only when an official page confirms it (its confidence says so)."""
    return Verdict.OFFICIAL if channel.confirmed else Verdict.UNCONFIRMED


@dataclass(frozen=True)
class ContactCheck:
    value: str
    kind: str  # url, domain, email, handle, social, phone
    verdict: Verdict
    lookalike_of: str | None
    reasons: list[str]
    official_channels: list[Channel]


# Hosts of the social platforms we recognise, and how a profile path names the account.
PLATFORM_HOSTS = {
    "x": ("x.com", "twitter.com", "mobile.twitter.com", "m.twitter.com", "mobile.x.com"),
    "telegram": ("t.me", "telegram.me", "telegram.dog"),
    "reddit": ("reddit.com", "old.reddit.com", "new.reddit.com"),
    "instagram": ("instagram.com",),
    "facebook": ("facebook.com", "m.facebook.com", "fb.com"),
    "youtube": ("youtube.com", "m.youtube.com"),
    "tiktok": ("tiktok.com",),
    "discord": ("discord.gg", "discord.com"),
    "linkedin": ("linkedin.com",),
    "medium": ("medium.com",),
}
_TWO_LEVEL_SUFFIXES = ("co", "com", "net", "org", "gov", "edu", "ac")
_PHONE = re.compile(r"^\+?[\d\s().\-]{6,}$")
# A vanity number: `1-800-BITFINEX` (letters stand for keypad digits).
_VANITY_PHONE = re.compile(r"^\+?\d[\d\s().\-]*[A-Za-z][A-Za-z\d\s\-]*$")
_HANDLE = re.compile(r"^@[\w.]{1,64}$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):(//)?", re.IGNORECASE)
_TRAILING_DOTS = ".。．｡"
_NAMED_ADDRESS = re.compile(r"^([^<>]*)<([^<>\s]+@[^<>\s]+)>$")


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def registrable(host: str) -> str:
    """The part of a host name its owner registered: `help-desk.io` for `bitfinex.com.help-desk.io`."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _TWO_LEVEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _platform_of(host: str) -> str | None:
    bare = _strip_www(host)
    for platform, hosts in PLATFORM_HOSTS.items():
        if bare in hosts:
            return platform
    return None


def _handle_from_path(platform: str, path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if not parts:
        return None
    if platform == "reddit" and len(parts) >= 2 and parts[0] in ("r", "u", "user"):
        return parts[1]
    if platform == "youtube" and parts[0].startswith("@"):
        return parts[0]
    if platform in ("linkedin", "facebook") and len(parts) >= 2 and parts[0] in ("company", "pages"):
        return parts[1]
    return parts[0]


@dataclass
class _Official:
    """What the manifest calls official, in comparable form."""

    channels: list[Channel]
    domains: set[str] = field(default_factory=set)  # registrable domains of official sites
    hosts: dict[str, Channel] = field(default_factory=dict)
    emails: dict[str, Channel] = field(default_factory=dict)
    social: list[tuple[str, str, Channel]] = field(default_factory=list)  # platform, handle, channel
    brands: set[str] = field(default_factory=set)
    primary_domain: str = ""
    primary_handle: str = ""
    fakes: dict[str, str] = field(default_factory=dict)  # host -> explanation
    names: PackNames = field(default_factory=lambda: PackNames(exchange='', website='', help_url=''))
    phone_support: bool | None = None
    phone_note: str = ""


def _official(manifest: Manifest, sources: Sources) -> _Official:
    lang = current_language()
    support = manifest.support
    off = _Official(
        channels=[c for c in manifest.channels if c.official], names=pack_names(manifest, lang),
        phone_support=support.phone_support,
        phone_note=pick(support.phone_support_note, lang) if support.phone_support_note else "",
    )
    for channel in manifest.channels:
        if channel.kind == "email":
            if channel.official:
                off.emails[channel.value.lower()] = channel
                off.domains.add(registrable(channel.value.lower().split("@", 1)[1]))
            continue
        url = channel.value if "://" in channel.value else "https://" + channel.value
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        platform = _platform_of(host)
        if channel.kind == "social" and platform is not None:
            handle = _handle_from_path(platform, parts.path)
            if handle:
                off.social.append((platform, handle.lower(), channel))
                if channel.official:
                    off.brands.add(handle.lower())
                    off.primary_handle = off.primary_handle or "@" + handle.lower()
            continue
        if channel.official and host:
            off.hosts.setdefault(host, channel)
            domain = registrable(host)
            off.domains.add(domain)
            off.primary_domain = off.primary_domain or domain
    for domain in off.domains:
        off.brands.add(domain.split(".")[0])
    off.primary_domain = off.primary_domain or next(iter(sorted(off.domains)), "")
    off.primary_handle = off.primary_handle or ("@" + sorted(off.brands)[0] if off.brands else "")
    for fake in manifest.known_fakes:
        note = pick(fake.note, lang) if fake.note else ""
        off.fakes[_strip_www(fake.value.strip().lower().rstrip("/").split("://")[-1])] = (
            t("guard.contact.reason.known_fake", note=note or "-", source=describe(fake.sources, sources, lang))
        )
    return off


class _Judgement:
    def __init__(self, names: PackNames, sources: Sources) -> None:
        self.names = names
        self.sources = sources
        self.reasons: list[str] = []
        self.verdict: Verdict | None = None
        self.lookalike_of: str | None = None

    def add(self, key: str, **params: Any) -> None:
        self.reasons.append(t(f"guard.contact.reason.{key}", **{**self.names, **params}))

    def listed(self, channel: Channel) -> Verdict:
        """A channel of the pack matched; say so and how sure the pack is of it; return its verdict."""
        lang = current_language()
        self.add("listed", label=channel.label_in(lang))
        verdict = channel_verdict(channel)
        if verdict is Verdict.UNCONFIRMED:
            self.add("listed_confidence", source=describe(channel.sources, self.sources, lang))
        return verdict

    def lookalike(self, of: str) -> None:
        if self.verdict is not Verdict.LOOKALIKE:
            self.verdict = Verdict.LOOKALIKE
            self.lookalike_of = of


class _Unreadable(Exception):
    """The value is not a URL, domain, e-mail address, handle or phone number."""


def verify_contact(value: str, manifest: Manifest, sources: Sources | None = None) -> ContactCheck:
    """Judge `value` (URL, domain, e-mail, @handle, social profile or phone number) against `manifest`.

    `sources` (the pack's sources.toml) lets the reasons name where a channel or a known fake comes
    from; without it they show the source ids.
    """
    from supportcli.core.text import clean

    raw = clean(value, multiline=False).strip()
    sources = sources or Sources()
    off = _official(manifest, sources)
    j = _Judgement(off.names, sources)
    text = unicodedata.normalize("NFKC", raw)
    try:
        if not raw:
            raise _Unreadable
        kind = _classify(j, text, off)
    except _Unreadable:
        # The message quotes what the user gave, not the part that failed (`file:///x` has no host).
        raise InputError("value", t("guard.contact.unparseable", value=raw)) from None
    verdict = j.verdict or Verdict.NOT_OFFICIAL
    return ContactCheck(
        value=raw, kind=kind, verdict=verdict, lookalike_of=j.lookalike_of if verdict is Verdict.LOOKALIKE else None,
        reasons=j.reasons, official_channels=off.channels,
    )


def _classify(j: _Judgement, text: str, off: _Official) -> str:
    named = _NAMED_ADDRESS.match(text)
    if named:  # `Bitfinex Support <help@bitfinex-desk.com>`, as copied from a From: line
        display, address = named.group(1).strip().strip('"'), named.group(2).strip()
        _judge_email(j, address.removeprefix("mailto:"), off)
        claims_brand = any(resemblance(word, brand) for word in re.split(r"[\s_.\-]+", display) if word
                           for brand in off.brands)
        if claims_brand and j.verdict not in _LISTED:
            j.add("display_name", name=display)
            j.lookalike(next(iter(off.emails), off.primary_domain))
        return "email"
    scheme = _SCHEME.match(text)
    lowered_scheme = scheme.group(1).lower() if scheme else ""
    if not scheme and _VANITY_PHONE.match(text) and 7 <= sum(ch.isalnum() for ch in text) <= 15 \
            and _digits(text) >= 3:
        _judge_phone(j, off)
        return "phone"
    if lowered_scheme == "tel" or (not scheme and _PHONE.match(text) and _digits(text) >= 7):
        number = text.split(":", 1)[1] if lowered_scheme == "tel" else text
        if not _PHONE.match(number.strip()) or not 7 <= _digits(number) <= 15:
            raise _Unreadable()
        _judge_phone(j, off)
        return "phone"
    if lowered_scheme == "mailto":
        _judge_email(j, text.split(":", 1)[1].split("?")[0], off)
        return "email"
    if scheme and scheme.group(2):
        return _judge_url(j, text, off, explicit_scheme=True)
    if _HANDLE.match(text):
        _judge_handle(j, None, text[1:], off)
        return "handle"
    if "@" in text and "/" not in text and not text.startswith("@") and text.count("@") == 1:
        _judge_email(j, text, off)
        return "email"
    has_dot = any(dot in text.strip(_TRAILING_DOTS) for dot in _TRAILING_DOTS)  # `bitfinex。com` too
    if re.search(r"\s", text) or (not has_dot and "/" not in text):
        raise _Unreadable()
    return _judge_url(j, "https://" + text, off, explicit_scheme=False)


def _judge_phone(j: _Judgement, off: _Official) -> None:
    """No pack lists a phone number as an official channel; what to say depends on what the pack knows."""
    if off.phone_support is False:
        note = off.phone_note
        if note and current_language() == "en":
            note += " "
        j.add("phone_none", note=note)
    elif off.phone_support is None:
        j.add("phone_unknown")
    else:
        j.add("phone_unlisted")
    j.verdict = Verdict.NOT_OFFICIAL


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


# A host idna would give back lower-cased and unchanged: letters, digits and inner hyphens in each
# label (not "--" as third and fourth characters: no punycode), at most 63 per label, 253 in all.
_PLAIN_HOST = re.compile(r"(?!.{254})(?:(?!..--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
                         r"(?!..--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.ASCII)


def _normalise_host(j: _Judgement, host: str) -> tuple[str, str] | None:
    """(ASCII host, Unicode host) as a browser would resolve it; None when it is not a host name."""
    written = host.rstrip(_TRAILING_DOTS)
    if not written:
        return None
    if written.isascii() and _PLAIN_HOST.fullmatch(written.lower()):
        ascii_host = written.lower()  # what UTS46 and IDNA 2008 give for it, without importing idna
        if host != ascii_host:
            j.add("normalised", written=host, host=ascii_host)
        return ascii_host, ascii_host
    import idna

    try:
        ascii_host = idna.encode(written, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    try:
        unicode_host = idna.decode(ascii_host)
    except (idna.IDNAError, UnicodeError, ValueError):
        unicode_host = written.casefold()
    if host != ascii_host and "xn--" not in ascii_host:
        j.add("normalised", written=host, host=ascii_host)
    return ascii_host, unicode_host


def _judge_url(j: _Judgement, url: str, off: _Official, *, explicit_scheme: bool) -> str:
    from urllib.parse import unquote

    if url.split(":", 1)[0].lower() in ("http", "https"):
        # Browsers read a backslash in a web address as a slash: `https://evil.io\@bitfinex.com`
        # opens evil.io.
        url = url.replace("\\", "/")
    try:
        parts = urlsplit(url)
        host_part = parts.netloc
    except ValueError as exc:
        raise _Unreadable() from exc
    scheme = parts.scheme.lower()
    userinfo = ""
    if "@" in host_part:
        userinfo, _, host_part = host_part.rpartition("@")
    # Browsers decode `%2e` in a host name before they look it up.
    host = unquote(re.sub(r":\d*$", "", host_part))
    if host.startswith("[") or _is_ip(host):
        j.add("ip_address")
        j.verdict = Verdict.NOT_OFFICIAL
        return "url"
    normalised = _normalise_host(j, host)
    if normalised is None:
        return _unparseable_host(j, host, off, "url" if explicit_scheme else "domain")
    ascii_host, unicode_host = normalised
    if userinfo:
        j.add("userinfo", host=ascii_host)
        if any(resemblance(part, brand) for part in re.split(r"[.\-_:]", userinfo) if part
               for brand in off.brands):
            j.lookalike(off.primary_domain)
    if explicit_scheme and scheme not in ("http", "https"):
        j.add("scheme", scheme=scheme)
    platform = _platform_of(ascii_host)
    if platform is not None:
        handle = _handle_from_path(platform, parts.path)
        if handle is None:
            j.add("platform_home", host=ascii_host)
            j.verdict = j.verdict or Verdict.NOT_OFFICIAL
        else:
            _judge_handle(j, platform, handle.lstrip("@"), off)
        return "social"
    _judge_host(j, ascii_host, unicode_host, off)
    if j.verdict in _LISTED and explicit_scheme and scheme == "http":
        j.add("http")
    if j.verdict in _LISTED and explicit_scheme and scheme not in ("http", "https"):
        j.verdict = Verdict.NOT_OFFICIAL  # `ftp://bitfinex.com` is no channel the pack lists
    if j.verdict not in _LISTED and j.verdict is not Verdict.LOOKALIKE:
        path = parts.path + ("?" + parts.query if parts.query else "")
        if any(resemblance(token, brand) in (Likeness.SAME, Likeness.HOMOGLYPH, Likeness.BRAND_PLUS_WORDS)
               for token in re.split(r"[/?&=.#]", path) if len(token) >= 4 for brand in off.brands):
            j.add("brand_in_path", host=ascii_host)
            j.lookalike(off.primary_domain)
    return "url" if explicit_scheme or parts.path.strip("/") else "domain"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _unparseable_host(j: _Judgement, host: str, off: _Official, kind: str) -> str:
    """Not a valid host name; still a look-alike when it uses or imitates the brand, else bad input."""
    for label in re.split(r"[.。．｡]", host):
        for brand in off.brands:
            if label and resemblance(label, brand) is not None:
                j.add("invalid_host")
                j.lookalike(off.primary_domain)
                return kind
    raise _Unreadable()


def _judge_host(j: _Judgement, ascii_host: str, unicode_host: str, off: _Official) -> None:
    domain = registrable(ascii_host)
    bare = _strip_www(ascii_host)
    fake = off.fakes.get(bare) or off.fakes.get(domain)
    if fake:
        j.reasons.append(fake)
        j.lookalike(off.primary_domain)
        return
    if domain in off.domains:
        channel = off.hosts.get(ascii_host)
        verdict = Verdict.OFFICIAL
        if channel is not None:
            verdict = j.listed(channel)
        elif ascii_host == domain:
            j.add("own_domain", domain=domain)
        else:
            j.add("subdomain", host=ascii_host, domain=domain)
        j.verdict = verdict
        return
    labels = unicode_host.split(".")
    real = registrable(unicode_host)
    for position, label in enumerate(labels[:-1]):
        for brand in sorted(off.brands):
            likeness = _label_likeness(label, brand)
            if likeness is None:
                continue
            is_registered_label = position == len(labels) - len(real.split("."))
            if likeness is Likeness.SAME:
                if is_registered_label:
                    j.add("other_ending", host=ascii_host, domain=off.primary_domain)
                else:
                    j.add("suffix_trick", host=ascii_host, real=domain)
            elif likeness is Likeness.HOMOGLYPH:
                mixed = ", ".join(sorted(scripts(label)))
                j.add("homoglyph", label=label, scripts=mixed, host=ascii_host)
            elif likeness is Likeness.TYPO:
                j.add("typo", label=label, brand=brand)
            else:
                j.add("brand_plus_words", host=ascii_host, domain=off.primary_domain)
                if len(scripts(label)) > 1:  # `bіtfinex-support`: words added and a letter disguised
                    j.add("homoglyph", label=label, scripts=", ".join(sorted(scripts(label))), host=ascii_host)
            if not is_registered_label and likeness is not Likeness.SAME:
                j.add("real_domain", real=domain)
            j.lookalike(off.primary_domain)
            return
    j.add("not_listed", host=ascii_host)
    j.verdict = j.verdict or Verdict.NOT_OFFICIAL


def _label_likeness(label: str, brand: str) -> Likeness | None:
    whole = resemblance(label, brand)
    if whole is not None:
        return whole
    for token in re.split(r"[-_]", label):
        if token and token != label:
            found = resemblance(token, brand)
            if found is not None:
                return Likeness.BRAND_PLUS_WORDS if found is Likeness.SAME else found
    return None


def _judge_email(j: _Judgement, address: str, off: _Official) -> None:
    local, _, host = address.strip().rpartition("@")
    if not local or not host:
        raise _Unreadable()
    normalised = _normalise_host(j, host)
    if normalised is None:
        _unparseable_host(j, host, off, "email")
        return
    ascii_host, unicode_host = normalised
    full = f"{unicodedata.normalize('NFKC', local).casefold()}@{ascii_host}"
    if full in off.emails:
        verdict = j.listed(off.emails[full])
        j.add("spoofing")
        j.verdict = verdict
        return
    primary_email = next(iter(off.emails), off.primary_domain)
    if registrable(ascii_host) in off.domains:
        j.add("email_unlisted", address=full, official=", ".join(sorted(off.emails)) or "-")
        j.add("spoofing")
        j.verdict = Verdict.NOT_OFFICIAL
        return
    _judge_host(j, ascii_host, unicode_host, off)
    if j.verdict is Verdict.LOOKALIKE:
        j.lookalike_of = primary_email
        return
    if any(resemblance(part, brand) for part in re.split(r"[.\-_+]", local) if part for brand in off.brands):
        j.add("brand_in_mailbox", host=ascii_host)
        j.lookalike(primary_email)


def _judge_handle(j: _Judgement, platform: str | None, handle: str, off: _Official) -> None:
    name = unicodedata.normalize("NFKC", handle).casefold()
    matches = [(p, h, c) for p, h, c in off.social if h == name and (platform is None or p == platform)]
    if matches:
        official = [m for m in matches if m[2].official]
        lang = current_language()
        if official:
            verdicts = [j.listed(channel) for _, _, channel in official]
            if platform is None:
                j.add("handle_platform", platforms=", ".join(sorted({p for p, _, _ in official})))
            confirmed = all(v is Verdict.OFFICIAL for v in verdicts)
            j.verdict = Verdict.OFFICIAL if confirmed else Verdict.UNCONFIRMED
            return
        for _, _, channel in matches:
            j.add("listed_not_official", label=channel.label_in(lang))
        j.verdict = Verdict.NOT_OFFICIAL
        return
    on_platform = [h for p, h, c in off.social if c.official and (platform is None or p == platform)]
    of = "@" + on_platform[0] if on_platform else off.primary_handle
    for brand in sorted(off.brands):
        likeness = _label_likeness(name, brand)
        if likeness is None:
            continue
        if likeness is Likeness.SAME:
            j.add("handle_unlisted_platform", handle="@" + name, platform=platform or "-")
            j.verdict = Verdict.NOT_OFFICIAL
            return
        if likeness is Likeness.HOMOGLYPH:
            j.add("handle_homoglyph", handle="@" + name, scripts=", ".join(sorted(scripts(name))))
        elif likeness is Likeness.TYPO:
            j.add("typo", label=name, brand=brand)
        else:
            j.add("handle_brand_plus_words", handle="@" + name, official=of)
            if len(scripts(name)) > 1:
                j.add("handle_homoglyph", handle="@" + name, scripts=", ".join(sorted(scripts(name))))
        j.lookalike(of)
        return
    j.add("handle_not_listed", handle="@" + name)
    j.verdict = j.verdict or Verdict.NOT_OFFICIAL


def reminders(manifest: Manifest) -> list[str]:
    """What real support never does, and that a match is not proof, in the current language."""
    names = pack_names(manifest)
    return [t(f"guard.reminders.{name}", **names) for name in (
        "never_dm_first", "never_ask_secrets", "never_move_funds", "match_not_proof",
    )]

"""Content packs: a folder with `pack.toml`, `faq/`, `flows/` and `templates/`.

`pack.toml` holds the pack's id, name, languages, version, the support facts (official email,
reply window) and the official channels, each citing its `sources` (ids from `sources.toml`, see
sources.py) with a `verified` date. The sections are parsed by their own modules (FAQ, flows,
templates); `check_pack` runs all of them and checks every citation against `sources.toml`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from supportcli.core.assets import AssetFacts, parse_asset_facts
from supportcli.core.checks import Checker
from supportcli.core.errors import ContentError, UsageError
from supportcli.core.i18n import LANGUAGES, Lang, pick, t
from supportcli.core.pack_dirs import discover_pack_dirs as discover_pack_dirs  # (where the commands import it)
from supportcli.core.pack_dirs import pack_folder
from supportcli.core.sources import CONFIDENCE, Sources, cited_ids
from supportcli.core.tomlfile import KeyPath, Problem, TomlFile, read_toml

SECTIONS = ("faq", "flows", "templates")
# Each section module exposes `check_pack(pack: Pack) -> list[Problem]`.
SECTION_CHECKERS = (
    "supportcli.core.faq.content",
    "supportcli.core.flows.content",
    "supportcli.core.drafts.templates",
    "supportcli.core.drafts.collect",  # answer keys the drafts treat specially
    "supportcli.core.cases.prefill",  # what a case pre-fills in the escalate flow
)
CHANNEL_KINDS = ("website", "help-center", "ticket", "email", "social", "app", "reports", "status")
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_EMAIL = re.compile(r"^[a-z0-9._%+-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_VERSION = re.compile(r"^\d+\.\d+(?:\.\d+)?$")


def is_bare_domain_or_https_url(value: str) -> bool:
    """An allowlist entry: `example.com` or `https://example.com[/path]` (lower-case ASCII host)."""
    if value.startswith("https://"):
        rest = value[len("https://"):]
        host = re.split(r"[/?#]", rest, maxsplit=1)[0]
        return bool(_DOMAIN.match(host)) and "@" not in rest.split("/", 1)[0]
    return bool(_DOMAIN.match(value))


@dataclass(frozen=True)
class Channel:
    id: str
    kind: str
    value: str
    label: dict[str, str]
    sources: tuple[str, ...]  # ids in sources.toml
    verified: dt.date
    confidence: str
    official: bool
    platform: str = ""
    note: dict[str, str] = field(default_factory=dict)

    def label_in(self, lang: Lang) -> str:
        return pick(self.label, lang)

    @property
    def confirmed(self) -> bool:
        """Counted as the exchange's own channel and confirmed by an official page."""
        return self.official and self.confidence == "official"


@dataclass(frozen=True)
class KnownFake:
    value: str
    sources: tuple[str, ...]
    note: dict[str, str]


@dataclass(frozen=True)
class SupportFacts:
    email: str
    ticket_url: str
    reply_window_business_days: int
    reply_window_confirmed: bool
    reply_window_sources: tuple[str, ...]
    reply_window_note: dict[str, str]
    # Whether the exchange answers the phone: True, False, or None when the pack does not say.
    phone_support: bool | None = None
    phone_support_sources: tuple[str, ...] = ()
    phone_support_note: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OnlineEndpoints:
    """`[online]`: the public endpoints `status`, `market check` and `faq sync` ask (no trailing slash)."""

    api_base: str  # the exchange's public REST API, e.g. https://api-pub.bitfinex.com
    help_center: str  # a Zendesk Help Center, e.g. https://support.bitfinex.com
    status_page: str  # shown to the user, never requested


@dataclass(frozen=True)
class Manifest:
    id: str
    name: dict[str, str]
    version: str
    languages: tuple[str, ...]
    support: SupportFacts
    channels: tuple[Channel, ...]
    known_fakes: tuple[KnownFake, ...]
    online: OnlineEndpoints | None = None  # a pack without [online] has no online commands
    assets: AssetFacts = field(default_factory=AssetFacts)  # `[assets]`: codes, pair prefix, notes

    def name_in(self, lang: Lang) -> str:
        return pick(self.name, lang)


@dataclass
class Pack:
    root: Path
    manifest: Manifest
    builtin: bool = False

    @property
    def id(self) -> str:
        return self.manifest.id

    def section_dir(self, section: str) -> Path:
        return self.root / section

    def section_paths(self, section: str) -> list[Path]:
        folder = self.section_dir(section)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.toml") if p.is_file())

    def display(self, path: Path) -> str:
        try:
            return str(Path(self.root.name) / path.relative_to(self.root))
        except ValueError:
            return str(path)

    def read_section(self, section: str) -> Iterator[TomlFile | Problem]:
        """Each TOML file of a section, parsed, or the Problem that stopped it from parsing."""
        for path in self.section_paths(section):
            yield read_toml(path, self.display(path))

    def section_ids(self, section: str) -> set[str]:
        """The top-level `id` of every readable file in a section (for cross-references)."""
        ids: set[str] = set()
        for item in self.read_section(section):
            if isinstance(item, TomlFile) and isinstance(item.data.get("id"), str):
                ids.add(item.data["id"])
        return ids

    @property
    def languages(self) -> tuple[str, ...]:
        return self.manifest.languages

    @cached_property
    def source_index(self) -> tuple[Sources, list[Problem]]:
        """`sources.toml`, read once: the sources and every problem in the file."""
        from supportcli.core.sources import SOURCES_FILE, read_sources

        return read_sources(self.root, self.display(self.root / SOURCES_FILE), self.languages)

    @property
    def sources(self) -> Sources:
        """The pack's sources; a broken `sources.toml` raises ContentError naming file, line and key."""
        sources, problems = self.source_index
        if problems:
            raise ContentError([str(p) for p in problems])
        return sources


# --------------------------------------------------------------------------- manifest

def _parse_manifest(file: TomlFile) -> tuple[Manifest | None, list[Problem]]:
    data = file.data
    c = Checker(file)
    c.no_unknown(
        data, (), ("id", "name", "version", "languages", "support", "channels", "known_fakes", "online", "assets")
    )
    pack_id = c.ident(data, ("id",))
    languages = c.string_list(data, ("languages",), required=True) or []
    bad_langs = [lang for lang in languages if lang not in LANGUAGES]
    if bad_langs or (False):
        c.fail(("languages",), t("content.expect.languages", allowed=", ".join(LANGUAGES)))
    if languages:
        c.languages = tuple(lang for lang in languages if lang in LANGUAGES)
    name = c.lang_text(data, ("name",))
    version = c.string(data, ("version",), pattern=_VERSION, hint_key="content.expect.version")

    support_raw = data.get("support")
    support: SupportFacts | None = None
    if not isinstance(support_raw, dict):
        c.fail(("support",), t("content.expect.table"))
    else:
        sp = ("support",)
        c.no_unknown(support_raw, sp, (
            "email", "ticket_url", "reply_window_business_days", "reply_window_confirmed",
            "reply_window_sources", "reply_window_note", "phone_support", "phone_support_sources",
            "phone_support_note",
        ))
        email = c.string(support_raw, (*sp, "email"), pattern=_EMAIL, hint_key="content.expect.email")
        ticket_url = c.string(support_raw, (*sp, "ticket_url"))
        if ticket_url is not None and not is_bare_domain_or_https_url(ticket_url):
            c.fail((*sp, "ticket_url"), t("content.expect.https_or_domain"))
            ticket_url = None
        days = c.integer(support_raw, (*sp, "reply_window_business_days"), minimum=1)
        confirmed = c.boolean(support_raw, (*sp, "reply_window_confirmed"))
        before = len(c.problems)
        rw_sources = cited_ids(c, support_raw, (*sp, "reply_window_sources"), required=True)
        rw_note = c.lang_text(support_raw, (*sp, "reply_window_note"))
        # Optional: a pack that says nothing about phone support leaves it unknown; one that says
        # anything cites its sources.
        phone = c.boolean(support_raw, (*sp, "phone_support"), required=False)
        phone_sources = cited_ids(c, support_raw, (*sp, "phone_support_sources"), required=phone is not None)
        phone_note = c.lang_text(support_raw, (*sp, "phone_support_note"), required=False) or {}
        if len(c.problems) == before and None not in (email, ticket_url, days, confirmed, rw_note):
            support = SupportFacts(
                email=str(email), ticket_url=str(ticket_url), reply_window_business_days=int(days or 0),
                reply_window_confirmed=bool(confirmed), reply_window_sources=tuple(rw_sources),
                reply_window_note=dict(rw_note or {}), phone_support=phone,
                phone_support_sources=tuple(phone_sources), phone_support_note=phone_note,
            )

    channels: list[Channel] = []
    seen: set[str] = set()
    for i, raw in enumerate(c.table_list(data, ("channels",))):
        kp: tuple[str | int, ...] = ("channels", i)
        c.no_unknown(raw, kp, (
            "id", "kind", "value", "label", "sources", "verified", "confidence", "official",
            "platform", "note",
        ))
        before = len(c.problems)
        cid = c.ident(raw, (*kp, "id"))
        if cid is not None:
            if cid in seen:
                c.fail((*kp, "id"), t("content.expect.unique_id", id=cid))
            seen.add(cid)
        kind = c.choice(raw, (*kp, "kind"), CHANNEL_KINDS)
        value = c.string(raw, (*kp, "value"))
        if value is not None and kind is not None:
            if kind == "email":
                if not _EMAIL.match(value):
                    c.fail((*kp, "value"), t("content.expect.email"))
                    value = None
            elif not is_bare_domain_or_https_url(value):
                c.fail((*kp, "value"), t("content.expect.https_or_domain"))
                value = None
        label = c.lang_text(raw, (*kp, "label"))
        channel_sources = cited_ids(c, raw, (*kp, "sources"), required=True)
        verified = c.date(raw, (*kp, "verified"))
        confidence = c.choice(raw, (*kp, "confidence"), CONFIDENCE)
        official = c.boolean(raw, (*kp, "official"))
        platform = c.string(raw, (*kp, "platform"), required=kind == "social") or ""
        note = c.lang_text(raw, (*kp, "note"), required=False) or {}
        if len(c.problems) == before and None not in (cid, kind, value, label, verified, confidence, official):
            channels.append(Channel(
                id=str(cid), kind=str(kind), value=str(value), label=dict(label or {}),
                sources=tuple(channel_sources), verified=verified or dt.date.min, confidence=str(confidence),
                official=bool(official), platform=platform, note=note,
            ))

    fakes: list[KnownFake] = []
    for i, raw in enumerate(c.table_list(data, ("known_fakes",), required=False)):
        kp = ("known_fakes", i)
        c.no_unknown(raw, kp, ("value", "sources", "note"))
        value = c.string(raw, (*kp, "value"))
        fake_sources = cited_ids(c, raw, (*kp, "sources"), required=True)
        note = c.lang_text(raw, (*kp, "note"), required=False) or {}
        if value and fake_sources:
            fakes.append(KnownFake(value=value.lower(), sources=tuple(fake_sources), note=note))

    online = _parse_online(c, data)
    assets = parse_asset_facts(c, data)
    if c.problems or pack_id is None or name is None or version is None or support is None:
        return None, c.problems
    return Manifest(
        id=pack_id, name=name, version=version, languages=c.languages, support=support,
        channels=tuple(channels), known_fakes=tuple(fakes), online=online, assets=assets,
    ), []


def _parse_online(c: Checker, data: dict[str, Any]) -> OnlineEndpoints | None:
    """The optional `[online]` table: three URLs, https (plain http only to a loopback address)."""
    from supportcli.core.net.policy import is_allowed_url

    raw = data.get("online")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        c.fail(("online",), t("content.expect.table"))
        return None
    keys = ("api_base", "help_center", "status_page")
    c.no_unknown(raw, ("online",), keys)
    urls: dict[str, str] = {}
    for key in keys:
        value = c.string(raw, ("online", key))
        if value is None:
            continue
        if not is_allowed_url(value) or "?" in value or "#" in value:
            c.fail(("online", key), t("online.expect.url"))
            continue
        urls[key] = value.rstrip("/") if key != "status_page" else value
    if len(urls) != len(keys):
        return None
    return OnlineEndpoints(**urls)


def load_pack(root: Path, *, builtin: bool = False) -> Pack:
    """Load and validate a pack's manifest; a broken one raises ContentError with every problem."""
    manifest_path = root / "pack.toml"
    if not manifest_path.is_file():
        raise UsageError("errors.pack_missing_manifest", path=str(root))
    parsed = read_toml(manifest_path, str(Path(root.name) / "pack.toml"))
    if isinstance(parsed, Problem):
        raise ContentError([str(parsed)])
    manifest, problems = _parse_manifest(parsed)
    if manifest is None:
        raise ContentError([str(p) for p in problems])
    return Pack(root=root, manifest=manifest, builtin=builtin)


def check_pack(root: Path) -> list[Problem]:
    """Every problem in the pack at `root`: manifest, then each section's own checks."""
    manifest_path = root / "pack.toml"
    if not manifest_path.is_file():
        return [Problem(str(Path(root.name) / "pack.toml"), 1, "(file)", t("content.expect.manifest"))]
    parsed = read_toml(manifest_path, str(Path(root.name) / "pack.toml"))
    if isinstance(parsed, Problem):
        return [parsed]
    manifest, problems = _parse_manifest(parsed)
    if manifest is None:
        return problems
    pack = Pack(root=root, manifest=manifest)
    sources, source_problems = pack.source_index
    problems.extend(source_problems)
    problems.extend(_check_manifest_citations(parsed, manifest, sources))
    for section in SECTIONS:
        if not pack.section_dir(section).is_dir():
            problems.append(Problem(pack.display(pack.section_dir(section)), 1, "(folder)",
                                    t("content.expect.section_dir", section=section)))
    for module_name in SECTION_CHECKERS:
        module: Any = importlib.import_module(module_name)
        problems.extend(module.check_pack(pack))
    return problems


def _check_manifest_citations(file: TomlFile, manifest: Manifest, sources: Sources) -> list[Problem]:
    """Channels, known fakes and support facts cite sources that exist, say what they must, and a
    channel claims no more confidence than its sources give it."""
    from supportcli.core.sources import Citation, best_confidence, check_citation, rank

    def texts(kp: KeyPath, *tables: tuple[str, dict[str, str]]) -> dict[str, tuple[str, KeyPath]]:
        return {
            lang: ("\n".join(table.get(lang, "") for _, table in tables), (*kp, tables[0][0], lang))
            for lang in manifest.languages
        }

    problems: list[Problem] = []
    for i, channel in enumerate(manifest.channels):
        kp: KeyPath = ("channels", i)
        problems += check_citation(file, Citation(
            keypath=(*kp, "sources"), ids=channel.sources,
            texts=texts(kp, ("label", channel.label), ("note", channel.note)),
            verified=channel.verified, verified_keypath=(*kp, "verified"),
        ), sources)
        best = best_confidence(channel.sources, sources)
        if best is not None and rank(channel.confidence) > rank(best):
            problems.append(file.problem((*kp, "confidence"), t("content.expect.confidence_above", best=best)))
    for i, fake in enumerate(manifest.known_fakes):
        # The guard names each fake's source and how sure it is, so the note needs no marker.
        problems += check_citation(file, Citation(keypath=("known_fakes", i, "sources"), ids=fake.sources,
                                                  texts={}), sources)
    support = manifest.support
    problems += check_citation(file, Citation(
        keypath=("support", "reply_window_sources"), ids=support.reply_window_sources,
        texts=texts(("support",), ("reply_window_note", support.reply_window_note)),
    ), sources)
    if support.phone_support_sources:
        problems += check_citation(file, Citation(
            keypath=("support", "phone_support_sources"), ids=support.phone_support_sources,
            texts=texts(("support",), ("phone_support_note", support.phone_support_note)),
        ), sources)
    return problems


# --------------------------------------------------------------------------- discovery (pack_dirs.py)

def resolve_pack(pack_id: str, content_paths: list[Path], explicit: Path | None = None) -> Pack:
    """The pack to use: `--pack PATH` if given, else the configured id among the discovered packs.

    A later content path overrides a built-in pack of the same id.
    """
    if explicit is not None:
        if not (explicit / "pack.toml").is_file():
            raise UsageError("errors.pack_missing_manifest", path=str(explicit))
        return load_pack(explicit)
    named = pack_folder(pack_id, content_paths)
    candidates = [(named.root, named.builtin)] if named is not None else []
    if not candidates:
        # The folder name usually is the id; fall back to reading each manifest's id.
        for path, builtin in discover_pack_dirs(content_paths):
            parsed = read_toml(path / "pack.toml", str(path / "pack.toml"))
            if isinstance(parsed, TomlFile) and parsed.data.get("id") == pack_id:
                candidates.append((path, builtin))
    if not candidates:
        known = sorted({p.name for p, _ in discover_pack_dirs(content_paths)})
        raise UsageError("errors.pack_unknown", pack=pack_id, known=", ".join(known) or "-")
    path, builtin = candidates[-1]
    return load_pack(path, builtin=builtin)

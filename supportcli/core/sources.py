"""Where a pack's facts come from: `<pack>/sources.toml`, cited by id from entries, steps, templates and channels.

    [markers]          # phrases that tell the reader a fact is not officially confirmed, per language
    unconfirmed.zh = ["未经官方证实", …]      unconfirmed.en = ["not confirmed", …]
    third_party.zh = ["第三方", …]            third_party.en = ["third-party", …]

    [[sources]]
    id = "bfx-withdrawal-hold"
    url = "https://support.bitfinex.com/hc/en-us/articles/115003284189"   # where it was read (optional)
    confidence = "official"            # official | third-party | unconfirmed
    checked = 2026-12-01               # when it was last read
    title.zh = "…"   title.en = "…"    # what the source is, in the reader's language
    says.zh = "…"    says.en = "…"     # what it says that the pack relies on
    quotes = ["request to lift withdrawal hold"]   # official wording the text may quote as is (optional)

A text that cites an unconfirmed source must say so in every language (one of the `unconfirmed`
phrases); one that cites a third-party source must name it as such or say it is unconfirmed (any
phrase of either list). A `verified` date may not be older than the `checked` date of a source it
cites: a source read again means the text citing it must be read again too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportcli.core.checks import ID_PATTERN, Checker
from supportcli.core.i18n import Lang, current_language, pick, t
from supportcli.core.tomlfile import KeyPath, Problem, TomlFile, read_toml

SOURCES_FILE = "sources.toml"
CONFIDENCE = ("official", "third-party", "unconfirmed")
MARKER_KINDS = ("unconfirmed", "third_party")
_RANK = {"official": 2, "third-party": 1, "unconfirmed": 0}


@dataclass(frozen=True)
class Source:
    id: str
    url: str | None
    confidence: str
    checked: dt.date
    title: dict[str, str]
    says: dict[str, str]
    quotes: tuple[str, ...] = ()

    def title_in(self, lang: Lang) -> str:
        return pick(self.title, lang)

    def says_in(self, lang: Lang) -> str:
        return pick(self.says, lang)


@dataclass(frozen=True)
class Sources:
    """Every source of a pack by id, and the phrases that mark a fact as unconfirmed or third-party."""

    by_id: Mapping[str, Source] = field(default_factory=dict)
    markers: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def get(self, source_id: str) -> Source | None:
        return self.by_id.get(source_id)

    def phrases(self, kinds: Sequence[str], lang: str) -> tuple[str, ...]:
        return tuple(p for kind in kinds for p in self.markers.get(kind, {}).get(lang, ()))

    def marks(self, text: str, lang: str, kinds: Sequence[str]) -> bool:
        """Whether `text` holds one of the marker phrases of `kinds` in `lang` (case-insensitive)."""
        folded = text.casefold()
        return any(p.casefold() in folded for p in self.phrases(kinds, lang))


def rank(confidence: str) -> int:
    """official > third-party > unconfirmed."""
    return _RANK.get(confidence, 0)


def marker_kinds(confidence: str) -> tuple[str, ...]:
    """The marker lists a text citing a source of `confidence` must draw on (none for official)."""
    if confidence == "unconfirmed":
        return ("unconfirmed",)
    if confidence == "third-party":
        return ("unconfirmed", "third_party")
    return ()


# --------------------------------------------------------------------------- reading

def parse_sources(file: TomlFile, languages: Sequence[str]) -> tuple[Sources, list[Problem]]:
    c = Checker(file, languages)
    data = file.data
    c.no_unknown(data, (), ("markers", "sources"))
    markers: dict[str, dict[str, tuple[str, ...]]] = {}
    raw_markers = data.get("markers")
    if not isinstance(raw_markers, dict):
        c.fail(("markers",), t("content.expect.table"))
    else:
        c.no_unknown(raw_markers, ("markers",), MARKER_KINDS)
        for kind in MARKER_KINDS:
            lists = c.lang_list(raw_markers, ("markers", kind))
            if lists is None:
                continue
            for lang, phrases in lists.items():
                if not phrases or not all(p.strip() for p in phrases):
                    c.fail(("markers", kind, lang), t("content.expect.phrases"))
            markers[kind] = {lang: tuple(p.strip() for p in phrases if p.strip()) for lang, phrases in lists.items()}
    found: dict[str, Source] = {}
    for i, raw in enumerate(c.table_list(data, ("sources",))):
        source = _parse_source(c, raw, ("sources", i))
        if source is None:
            continue
        if source.id in found:
            c.fail(("sources", i, "id"), t("content.expect.unique_id", id=source.id))
        found[source.id] = source
    return Sources(by_id=found, markers=markers), c.problems


def _parse_source(c: Checker, raw: dict[str, Any], kp: KeyPath) -> Source | None:
    before = len(c.problems)
    c.no_unknown(raw, kp, ("id", "url", "confidence", "checked", "title", "says", "quotes"))
    source_id = c.ident(raw, (*kp, "id"))
    url = c.string(raw, (*kp, "url"), required=False)
    if url is not None and not url.startswith("https://"):
        c.fail((*kp, "url"), t("content.expect.https_url"))
    confidence = c.choice(raw, (*kp, "confidence"), CONFIDENCE)
    checked = c.date(raw, (*kp, "checked"))
    title = c.lang_text(raw, (*kp, "title"))
    says = c.lang_text(raw, (*kp, "says"))
    quotes = c.string_list(raw, (*kp, "quotes")) or []
    if len(c.problems) > before or None in (source_id, confidence, checked, title, says):
        return None
    return Source(
        id=str(source_id), url=url, confidence=str(confidence), checked=checked or dt.date.min,
        title=dict(title or {}), says=dict(says or {}), quotes=tuple(q for q in quotes if q.strip()),
    )


def read_sources(root: Path, display: str, languages: Sequence[str]) -> tuple[Sources, list[Problem]]:
    """The sources of the pack at `root`, and every problem in its `sources.toml` (a missing file is one)."""
    path = root / SOURCES_FILE
    if not path.is_file():
        return Sources(), [Problem(display, 1, "(file)", t("content.expect.sources_file"))]
    parsed = read_toml(path, display)
    if isinstance(parsed, Problem):
        return Sources(), [parsed]
    return parse_sources(parsed, languages)


# --------------------------------------------------------------------------- citing

@dataclass(frozen=True)
class Citation:
    """What one entry, step, template or channel cites, and the text that has to carry the markers.

    `texts` maps a language to (the text read in that language, the key a problem names).
    """

    keypath: KeyPath  # the `sources` list
    ids: Sequence[str]
    texts: Mapping[str, tuple[str, KeyPath]]
    verified: dt.date | None = None
    verified_keypath: KeyPath = ("verified",)


def check_citation(file: TomlFile, citation: Citation, sources: Sources) -> list[Problem]:
    """Unknown ids, texts that do not say a fact is unconfirmed or third-party, and stale `verified` dates."""
    problems: list[Problem] = []
    for i, source_id in enumerate(citation.ids):
        source = sources.get(source_id)
        if source is None:
            expected = t("content.expect.reference", what=t("content.expect.what_source"), id=source_id)
            problems.append(file.problem((*citation.keypath, i), expected))
            continue
        kinds = marker_kinds(source.confidence)
        if kinds:
            for lang, (text, keypath) in citation.texts.items():
                if not sources.marks(text, lang, kinds):
                    problems.append(file.problem(keypath, t(
                        "content.expect.marker", id=source.id, confidence=source.confidence,
                        phrases=" / ".join(sources.phrases(kinds, lang)) or "-",
                    )))
        if citation.verified is not None and citation.verified < source.checked:
            problems.append(file.problem(citation.verified_keypath, t(
                "content.expect.verified_after", id=source.id, checked=source.checked.isoformat(),
            )))
    return problems


def cited_ids(c: Checker, table: Mapping[str, Any], keypath: KeyPath, *, required: bool) -> list[str]:
    """A `sources = ["id", …]` list: ids only; whether they exist is `check_citation`'s business."""
    if required and keypath[-1] not in table:
        c.fail(keypath, t("content.expect.sources_list"))
        return []
    ids = c.string_list(table, keypath, required=required)
    if ids is None:
        return []
    if required and not ids:
        c.fail(keypath, t("content.expect.sources_list"))
    for i, source_id in enumerate(ids):
        if not ID_PATTERN.match(source_id):
            c.fail((*keypath, i), t("content.expect.id"))
    return ids


def best_confidence(ids: Sequence[str], sources: Sources) -> str | None:
    """The highest confidence among the cited sources that exist (None when none does)."""
    known = [s.confidence for s in (sources.get(i) for i in ids) if s is not None]
    return max(known, key=rank) if known else None


# --------------------------------------------------------------------------- showing

def confidence_label(confidence: str, lang: Lang | None = None) -> str:
    """`official`, `third-party` or `unconfirmed` in the reader's words (官方 / 第三方 / 未经官方证实)."""
    return t(f"content.confidence.{confidence}", lang=lang)


def describe(ids: Sequence[str], sources: Sources, lang: Lang | None = None) -> str:
    """The cited sources as one line in `lang`: "title (how sure); title (how sure)" (an unknown id as is)."""
    parts = []
    for source_id in ids:
        source = sources.get(source_id)
        if source is None:
            parts.append(source_id)
        else:
            label = confidence_label(source.confidence, lang)
            parts.append(t("content.source.brief", lang=lang, title=source.title_in(lang or current_language()),
                           confidence=label))
    return t("content.source.separator", lang=lang).join(parts) or "-"

"""`faq sync`: a copy of the pack's public help-center articles in the local FAQ index.

The help center is a Zendesk Help Center:

- `GET {help_center}/api/v2/help_center/locales.json` → `{"locales": ["en-us", "zh-cn", …],
  "default_locale": "en-us"}`; by default every locale of our languages (en-*, zh-*) is synced;
- `GET {help_center}/api/v2/help_center/{locale}/articles.json?per_page=100` → `{"articles": [...],
  "next_page": URL|null, "count": N, …}` (offset pagination) or `{"articles": [...], "meta":
  {"has_more": bool}, "links": {"next": URL}}` (cursor pagination). The next-page URL the server
  returns is followed as given, if it stays on the same site, for at most MAX_PAGES pages.

Each article (`id`, `title`, `body` HTML, `locale`, `html_url`, `label_names`, `draft`,
`updated_at`) becomes plain text (importer.html_to_text) stored with origin `synced`, one per id
and language: zh-cn wins over zh-tw, en-us over en-gb. Drafts, articles over MAX_BODY_CHARS (or a
title over MAX_TITLE_CHARS), on another site, and ones that cannot be read are skipped. A re-sync
updates changed articles and removes those no longer listed — only for locales listed to the end.
Everything is written to a copy of the index that replaces it at the end (store.building_copy): an
interrupted sync changes nothing.
Nothing about the user is sent: no query, no account, only these public URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportcli.core.errors import InputError, SupportCliError
from supportcli.core.faq.model import Article
from supportcli.core.i18n import t
from supportcli.core.net.errors import MalformedBodyError
from supportcli.core.net.http import HttpClient
from supportcli.core.net.policy import host_of, is_allowed_url, same_origin

LOCALES_PATH = "/api/v2/help_center/locales.json"
ARTICLES_PATH = "/api/v2/help_center/{locale}/articles.json"
PER_PAGE = 100  # Zendesk's maximum
MAX_PAGES = 100  # per locale (10,000 articles); Zendesk's offset pagination stops there too
MAX_BODY_CHARS = 400_000  # an article's HTML; a larger one is skipped
MAX_TITLE_CHARS = 500
MAX_LOCALES = 50
OUR_LANGUAGES = ("zh", "en")
PREFERRED = ("zh-cn", "en-us")  # the variant kept when an article exists in several
_LOCALE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}$")
_ARTICLE_ID = re.compile(r"^[0-9]{1,20}$")
COMPACT_AFTER = 1000  # changed rows after which the copy's index is merged before the swap


class NoLocaleError(SupportCliError):
    """The help center offers no locale in our languages."""

    key = "online.sync.no_our_locales"


@dataclass
class SyncReport:
    locales: list[str]
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    total: int = 0  # synced articles in the index afterwards (one per id and language)
    incomplete: list[str] = field(default_factory=list)  # listing stopped at MAX_PAGES: nothing removed there

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added, "updated": self.updated, "removed": self.removed, "total": self.total,
            "locales": self.locales, "unchanged": self.unchanged, "skipped": self.skipped,
            "incomplete": self.incomplete,
        }


Progress = Callable[[str, int, int | None], None]  # locale, articles read, articles listed (if known)


def normalize_locale(value: str) -> str:
    return value.strip().lower().replace("_", "-")


def _shape_error(host: str, what: str) -> MalformedBodyError:
    return MalformedBodyError(host=host, detail=t("net.detail.shape", what=what))


def list_locales(client: HttpClient, base: str) -> list[str]:
    url = base + LOCALES_PATH
    data = client.get_json(url, max_bytes=64 * 1024)
    raw = data.get("locales") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise _shape_error(host_of(url), '{"locales": [...]}')
    found = [normalize_locale(x) for x in raw]
    return list(dict.fromkeys(x for x in found if _LOCALE.match(x)))[:MAX_LOCALES]


def _preference(locale: str) -> tuple[int, int]:
    language = locale.split("-")[0]
    return (OUR_LANGUAGES.index(language) if language in OUR_LANGUAGES else len(OUR_LANGUAGES),
            0 if locale in PREFERRED or locale == language else 1)


def choose_locales(available: list[str], requested: list[str]) -> list[str]:
    """The locales to sync, preferred variants first. Requested ones must be offered."""
    if requested:
        chosen: list[str] = []
        for value in requested:
            locale = normalize_locale(value)
            if not _LOCALE.match(locale):
                raise InputError("--locale", t("online.sync.bad_locale", value=value[:40]))
            if locale not in available:
                raise InputError("--locale", t("online.sync.locale_not_offered", value=locale,
                                               available=", ".join(available) or "-"))
            chosen.append(locale)
        return sorted(dict.fromkeys(chosen), key=_preference)
    ours = [x for x in available if x.split("-")[0] in OUR_LANGUAGES]
    if not ours:
        raise NoLocaleError(None, available=", ".join(available) or "-")
    return sorted(ours, key=_preference)


@dataclass(frozen=True)
class Page:
    articles: list[Any]
    listed: int | None  # the server's `count`, when it gives one
    last: bool  # no next page: the locale was listed to the end


def article_pages(client: HttpClient, base: str, locale: str, max_pages: int = MAX_PAGES) -> Iterator[Page]:
    url = base + ARTICLES_PATH.format(locale=locale)
    params: dict[str, str | int] | None = {"per_page": PER_PAGE}
    host = host_of(url)
    for _ in range(max_pages):
        data = client.get_json(url, params)
        articles = data.get("articles") if isinstance(data, dict) else None
        if not isinstance(articles, list):
            raise _shape_error(host, '{"articles": [...]}')
        assert isinstance(data, dict)
        count = data.get("count")
        listed = count if type(count) is int and count >= 0 else None
        next_url = _next_url(data)
        if next_url is not None and not (isinstance(next_url, str) and same_origin(next_url, base)
                                         and is_allowed_url(next_url)):
            raise MalformedBodyError(host=host, detail=t("net.detail.next_page"))
        yield Page(articles, listed, next_url is None)
        if next_url is None:
            return
        url, params = str(next_url), None


def _next_url(data: dict[str, Any]) -> object | None:
    """Offset pagination's `next_page`, else cursor pagination's `links.next` while `meta.has_more`."""
    found: object = data.get("next_page")
    if found:
        return found
    meta, links = data.get("meta"), data.get("links")
    if isinstance(meta, dict) and meta.get("has_more") is True and isinstance(links, dict):
        found = links.get("next")
        return found or None
    return None


def to_article(raw: Any, locale: str, base: str) -> tuple[Article, str] | None:
    """A published article as stored (with its `updated_at` upstream), or None to skip it."""
    from supportcli.core.faq.importer import MalformedFile, article_from, html_to_text

    if not isinstance(raw, dict) or raw.get("draft") is True:
        return None
    body, url, article_id, title = raw.get("body") or "", raw.get("html_url"), raw.get("id"), raw.get("title")
    if isinstance(article_id, int) and not isinstance(article_id, bool):
        article_id = str(article_id)
    if not (isinstance(body, str) and len(body) <= MAX_BODY_CHARS and isinstance(article_id, str)
            and _ARTICLE_ID.match(article_id) and isinstance(url, str) and len(url) <= 2000
            and same_origin(url, base) and is_allowed_url(url)
            and isinstance(title, str) and len(title) <= MAX_TITLE_CHARS):
        return None
    data = {"id": article_id, "title": title, "locale": raw.get("locale") or locale,
            "label_names": raw.get("label_names")}
    try:
        article = article_from(data, html_to_text(body), article_id, url)
    except MalformedFile:
        return None
    updated = raw.get("updated_at")
    return article._replace(origin="synced", url=url), updated if isinstance(updated, str) else ""


def sync_help_center(
    client: HttpClient, base: str, index_file: Path, synced_at: str, *, requested: list[str] | None = None,
    progress: Progress | None = None, max_pages: int = MAX_PAGES,
) -> SyncReport:
    """Sync the help center at `base` into the index at `index_file` (see the module docstring)."""
    from supportcli.core.faq.store import building_copy

    chosen = choose_locales(list_locales(client, base), requested or [])
    report = SyncReport(locales=chosen)
    with building_copy(index_file) as store:
        kept: set[int] = set()
        claimed: set[tuple[str, str]] = set()
        listed_to_end: list[str] = []
        for locale in chosen:
            read, last = 0, True
            for page in article_pages(client, base, locale, max_pages):
                batch: list[tuple[Article, str]] = []
                for raw in page.articles:
                    item = to_article(raw, locale, base)
                    if item is None:
                        report.skipped += 1
                        continue
                    key = (item[0].id, item[0].locale)
                    if key not in claimed:  # zh-tw after zh-cn: the preferred variant stays
                        claimed.add(key)
                        batch.append(item)
                counts, rows = store.put_synced(batch, locale, synced_at)
                kept.update(rows)
                report.added += counts.added
                report.updated += counts.updated
                report.unchanged += counts.unchanged
                read += len(page.articles)
                last = page.last
                if progress is not None:
                    progress(locale, read, page.listed)
            (listed_to_end if last else report.incomplete).append(locale)
        report.removed = store.remove_synced(kept, listed_to_end, None if requested else chosen)
        report.total = store.synced_count()
        if report.added + report.updated + report.removed >= COMPACT_AFTER:
            store.compact()
    return report

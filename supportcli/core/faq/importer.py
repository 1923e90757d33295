"""Reading a help-center export: a folder of Markdown files with front matter, or JSON files.

Markdown front matter is TOML between `+++` lines or YAML between `---` lines, with `title`
(required), `id` (default: the file name), `locale` (zh or en; default: guessed from the text)
and `tags`. A JSON export is a list of objects (or `{"articles": [...]}`) with `id`, `title`,
`body`, `locale` and optional `tags`/`label_names` and `url`/`html_url`; HTML bodies are reduced
to text. A file that cannot be read is reported by name and skipped; the rest is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from supportcli.core.faq.model import Article
from supportcli.core.faq.store import FaqStore, ImportCounts
from supportcli.core.gate import first_secret
from supportcli.core.i18n import t
from supportcli.core.text import clean

MARKDOWN_SUFFIXES = (".md", ".markdown")
BATCH = 2000
MAX_FILE_BYTES = 8_000_000  # an export file larger than this is skipped (a JSON export of many articles fits)
MAX_BODY_CHARS = 1_000_000  # per article: a longer body is skipped, with its size named
MAX_FRONT_MATTER = 64_000  # characters
MAX_DEPTH = 64  # nesting of lists and tables in front matter and JSON
_CJK = re.compile(r"[\u3400-\u9fff]")
_ID = re.compile(r"^[^\s/\\]{1,200}$")


class MalformedFile(Exception):
    """Raised by the parsers with a message for the user; the file is skipped."""


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


@dataclass
class ImportReport:
    files: int
    counts: ImportCounts
    skipped: list[Skipped]


def find_files(path: Path) -> list[Path]:
    """The export files under `path` (itself, if it is a file), in a stable order.

    Hidden files and everything in hidden folders (`.git/`, an editor's `.obsidian/`) are left out.
    """
    if path.is_file():
        return [path]
    return sorted(
        p for p in path.rglob("*")
        if p.suffix.lower() in (*MARKDOWN_SUFFIXES, ".json")
        and not any(part.startswith(".") for part in p.relative_to(path).parts) and p.is_file()
    )


def _locale(value: Any, text: str) -> str:
    if value is None or value == "":
        cjk = len(_CJK.findall(text))
        return "zh" if cjk * 4 > len(text) or cjk > 40 else "en"
    raw = str(value).strip().lower()
    if raw.startswith("zh"):
        return "zh"
    if raw.startswith("en"):
        return "en"
    raise MalformedFile(t("faq.import.bad_locale", value=clean(str(value), multiline=False)))


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items = [v for v in re.split(r"[,，]", value)]
    elif isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        items = [str(v) for v in value]
    else:
        raise MalformedFile(t("faq.import.bad_field", field="tags"))
    return tuple(c for c in (clean(i, multiline=False).strip() for i in items) if c)


def _text(data: dict[str, Any], field: str, *, required: bool = True, multiline: bool = False) -> str:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise MalformedFile(t("faq.import.missing_field", field=field))
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise MalformedFile(t("faq.import.bad_field", field=field))
    return clean(str(value), multiline=multiline).strip()


def article_from(data: dict[str, Any], body: str, default_id: str, source: str) -> Article:
    """One article from its fields (title, id, locale, tags/label_names) and its plain-text body."""
    title = _text(data, "title")
    article_id = _text(data, "id", required=False) or default_id
    if not _ID.match(article_id):
        raise MalformedFile(t("faq.import.bad_field", field="id"))
    body = clean(body).strip()
    if not body:
        raise MalformedFile(t("faq.import.missing_field", field="body"))
    if len(body) > MAX_BODY_CHARS:
        raise MalformedFile(t("faq.import.too_long", field="body", size=len(body), limit=MAX_BODY_CHARS))
    if secret := first_secret(title=title, body=body):  # the one gate every stored text passes (core.gate)
        raise MalformedFile(secret)
    return Article(
        id=article_id, locale=_locale(data.get("locale") or data.get("lang"), title + body), title=title,
        body=body, tags=_tags(data.get("tags", data.get("label_names"))), source=source,
    )


def parse_markdown(text: str, default_id: str, source: str) -> Article:
    text = text.lstrip("\ufeff")
    first, _, rest = text.partition("\n")
    fence = first.strip()
    if fence not in ("+++", "---"):
        raise MalformedFile(t("faq.import.no_front_matter"))
    match = re.search(rf"^{re.escape(fence)}[ \t]*$", rest, re.MULTILINE)
    if match is None:
        raise MalformedFile(t("faq.import.unclosed_front_matter", fence=fence))
    head, body = rest[: match.start()], rest[match.end():]
    if len(head) > MAX_FRONT_MATTER:
        raise MalformedFile(t("faq.import.too_long", field="front matter", size=len(head), limit=MAX_FRONT_MATTER))
    data: Any
    if fence == "+++":
        import tomllib

        _check_depth(head)
        try:
            data = tomllib.loads(head)
        except tomllib.TOMLDecodeError as exc:
            raise MalformedFile(t("faq.import.bad_toml", detail=str(exc))) from exc
        except RecursionError as exc:
            raise MalformedFile(t("faq.import.too_deep", limit=MAX_DEPTH)) from exc
    else:
        data = _load_yaml(head)
    if not isinstance(data, dict):
        raise MalformedFile(t("faq.import.no_front_matter"))
    return article_from(data, body, default_id, source)


def _check_depth(text: str) -> None:
    """Refuse text whose brackets nest deeper than MAX_DEPTH (a parser would recurse that deep).
    Brackets inside strings count too: a real front matter or export never comes near the limit."""
    depth = 0
    for c in text:
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise MalformedFile(t("faq.import.too_deep", limit=MAX_DEPTH))
        elif c in "]}":
            depth = max(0, depth - 1)


def _load_yaml(head: str) -> Any:
    """YAML front matter as plain data. Anchors and aliases are refused (expanding nested aliases,
    "billion laughs", never ends), and so is nesting deeper than MAX_DEPTH."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        depth = 0
        for token in yaml.scan(head, Loader=loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise MalformedFile(t("faq.import.yaml_alias"))
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken,
                                  yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise MalformedFile(t("faq.import.too_deep", limit=MAX_DEPTH))
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)):
                depth -= 1
        return yaml.load(head, Loader=loader)  # a safe loader: plain data only
    except yaml.YAMLError as exc:
        raise MalformedFile(t("faq.import.bad_yaml", detail=str(exc).splitlines()[0])) from exc
    except RecursionError as exc:
        raise MalformedFile(t("faq.import.too_deep", limit=MAX_DEPTH)) from exc


# Elements whose content is never text a reader sees, and those that start a new line.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "title", "svg", "iframe", "object"})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "thead", "tr", "ul",
})


class _TextParser(HTMLParser):
    """Collects the visible text; block elements end a line, list items start with '- '."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden.append(tag)
        elif not self._hidden and tag in _BLOCK:
            self._parts.append("\n- " if tag == "li" else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._hidden and tag in _BLOCK:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            if tag == self._hidden[-1]:
                self._hidden.pop()
        elif tag in _BLOCK:
            self._parts.append("\n")
        elif tag in ("td", "th"):
            self._parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._parts).split("\n"))
        return "\n".join(line for line in lines if line and line != "-")


def html_to_text(body: str) -> str:
    """An article's HTML as plain text, read with the standard library's parser: one line per
    paragraph, heading, list item or table row; scripts, styles, templates and comments dropped;
    entities decoded. Text without tags is returned as it is."""
    if "<" not in body or ">" not in body:
        return body
    parser = _TextParser()
    parser.feed(body)
    parser.close()
    return parser.text()


def parse_json(text: str, source: str) -> Iterator[Article | Skipped]:
    import json

    _check_depth(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedFile(t("faq.import.bad_json", line=exc.lineno, detail=exc.msg)) from exc
    except RecursionError as exc:
        raise MalformedFile(t("faq.import.too_deep", limit=MAX_DEPTH)) from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if not isinstance(data, list):
        raise MalformedFile(t("faq.import.json_shape"))
    for i, item in enumerate(data):
        where = f"{source}[{i}]"
        try:
            if not isinstance(item, dict):
                raise MalformedFile(t("faq.import.json_item"))
            if "id" not in item or item["id"] in ("", None):
                raise MalformedFile(t("faq.import.missing_field", field="id"))
            body = item.get("body")
            if not isinstance(body, str):
                raise MalformedFile(t("faq.import.missing_field", field="body"))
            url = item.get("html_url") or item.get("url")
            yield article_from(item, html_to_text(body), str(item["id"]), str(url) if isinstance(url, str) else where)
        except MalformedFile as exc:
            yield Skipped(where, str(exc))


def _read_file(path: Path, display: str) -> Iterator[Article | Skipped]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Skipped(display, t("faq.import.too_long", field="file", size=size, limit=MAX_FILE_BYTES))
            return
        text = path.read_text(encoding="utf-8-sig")  # exports saved on Windows often start with a BOM
    except UnicodeDecodeError:
        yield Skipped(display, t("faq.import.not_utf8"))
        return
    except OSError as exc:
        yield Skipped(display, exc.strerror or str(exc))
        return
    try:
        if path.suffix.lower() == ".json":
            yield from parse_json(text, display)
        else:
            yield parse_markdown(text, path.stem, display)
    except MalformedFile as exc:
        yield Skipped(display, str(exc))


Progress = Callable[[int, int], None]


def import_export(
    store: FaqStore, root: Path, progress: Progress | None = None, reserved: frozenset[str] = frozenset()
) -> ImportReport:
    """Import every export file under `root` into `store`, in batches; report what was skipped.

    `reserved`: ids of the pack's own entries; an article using one could never be shown
    (`faq show ID` finds the pack's entry), so it is reported and skipped.
    """
    files = find_files(root)
    base = root if root.is_dir() else root.parent
    counts = ImportCounts()
    skipped: list[Skipped] = []
    batch: list[Article] = []
    first_seen: dict[tuple[str, str], str] = {}  # (id, locale) -> where it was read first

    def flush() -> None:
        done = store.add_articles(batch)
        counts.added += done.added
        counts.updated += done.updated
        counts.unchanged += done.unchanged
        batch.clear()

    for n, path in enumerate(files, start=1):
        try:
            display = str(path.relative_to(base))
        except ValueError:
            display = str(path)
        for item in _read_file(path, display):
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            first = first_seen.get((item.id, item.locale))
            if item.id in reserved:
                skipped.append(Skipped(display, t("faq.import.reserved_id", id=item.id)))
            elif first is not None:
                # Keeping the first copy makes a re-import idempotent; the last would flip-flop.
                skipped.append(Skipped(display, t("faq.import.duplicate_id", id=item.id, locale=item.locale,
                                                  first=first)))
            else:
                first_seen[(item.id, item.locale)] = item.source
                batch.append(item)
        if len(batch) >= BATCH:
            flush()
        if progress is not None:
            progress(n, len(files))
    if batch:
        flush()
    if counts.added + counts.updated >= max(1000, store.rows() // 10):
        store.compact()
    return ImportReport(files=len(files), counts=counts, skipped=skipped)

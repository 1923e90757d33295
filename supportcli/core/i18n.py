"""One mechanism for every user-facing string: message tables under `content/messages/`.

A key `area.name` (or `area.group.name`) is looked up in `content/messages/<area>.toml` under the
table `[name]` (or `[group.name]`), which holds one string per language:

    [no_match]
    en = "No entry matches {query}."
    zh = "没有与 {query} 匹配的条目。"

The language is chosen at start-up by the entry point (`set_language`); nothing is read at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pathlib import Path

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "en"

_current: Lang = DEFAULT_LANG
_tables: dict[str, dict[str, Any]] = {}


def parse_language(value: str) -> Lang | None:
    """The one reader of a language name: `zh` or `en`, alone or with a region or script (`zh-CN`,
    `zh_TW`, `zh-Hans`, `en-US`); None for anything else. `--lang`, `SUPPORTCLI_LANG`, the `language`
    setting and the locale all go through it."""
    parts = value.strip().lower().replace("_", "-").split("-")
    if parts[0] not in LANGUAGES or not all(part.isalnum() for part in parts[1:]):
        return None
    return "zh" if parts[0] == "zh" else "en"


def normalize_lang(value: str | None) -> Lang | None:
    """The language of a locale name (`zh_CN.UTF-8`, `zh-Hans`, `en_US`, `fr_FR`): `zh` or `en` (any
    other language reads English); None for an empty, `C` or `POSIX` locale."""
    if not value:
        return None
    name = value.strip().split(".", 1)[0].split("@", 1)[0]
    if not name or name.lower() in ("c", "posix"):
        return None
    return parse_language(name) or DEFAULT_LANG


def lang_from_environment(environ: Mapping[str, str] | None = None) -> Lang:
    """The language the locale asks for: the first set of LANGUAGE, LC_ALL, LC_MESSAGES, LANG."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        raw = env.get(var, "")
        if not raw:
            continue
        lang = normalize_lang(raw.split(":")[0])
        return DEFAULT_LANG if lang is None else lang
    return DEFAULT_LANG


def set_language(lang: Lang) -> None:
    global _current
    _current = lang


def current_language() -> Lang:
    return _current


def _messages_dir() -> Path:
    from supportcli.core.paths import messages_dir

    return messages_dir()


def load_area(area: str) -> dict[str, Any]:
    table = _tables.get(area)
    if table is None:
        import tomllib

        path = _messages_dir() / f"{area}.toml"
        try:
            with path.open("rb") as fh:
                table = tomllib.load(fh)
        except FileNotFoundError:
            table = {}
        _tables[area] = table
    return table


def lookup(key: str, lang: Lang) -> str | None:
    area, _, rest = key.partition(".")
    node: Any = load_area(area)
    for part in rest.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        value = node.get(lang) or node.get(DEFAULT_LANG)
        return value if isinstance(value, str) else None
    return None


def plural(count: Any, forms: str, lang: Lang | None = None) -> str:
    """The word in `forms` ("one|other", e.g. "result|results") that goes with `count`.

    English has two forms: "one" for exactly 1, "other" for anything else (0, 2, 1.5). Chinese has no
    plural: it always takes the last form. A count that is no number (a string of digits, commas
    allowed, counts) takes "other".
    """
    words = forms.split("|")
    if (lang or _current) == "zh" or len(words) < 2:
        return words[-1]
    number: Any = count
    if isinstance(count, str):
        digits = count.strip().replace(",", "").replace("_", "")
        number = int(digits) if digits.isdigit() else None
    return words[0] if number == 1 and not isinstance(number, bool) else words[1]


def _fill(template: str, params: Mapping[str, Any], lang: Lang) -> str:
    """`str.format` plus plural forms: `{count:result|results}` is the word for `count` (see `plural`)."""
    import string

    class Formatter(string.Formatter):
        def format_field(self, value: Any, format_spec: str) -> str:
            if "|" in format_spec:
                return plural(value, format_spec, lang)
            return str(super().format_field(value, format_spec))

    return Formatter().vformat(template, (), params)


def t(key: str, /, lang: Lang | None = None, **params: Any) -> str:
    """The message `key` in `lang` (default: the current language), with `params` filled in.

    Parameters are inserted as plain text; `{count:day|days}` is the word that goes with `count` in
    that language (see `plural`). A missing key shows the key itself rather than crash.
    """
    language = lang or _current
    template = lookup(key, language)
    if template is None:
        return key
    if not params:
        return template
    try:
        if "|" in template:
            return _fill(template, params, language)
        return template.format_map(params)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template


def pick(texts: Mapping[str, str], lang: Lang | None = None) -> str:
    """Choose the text for `lang` from a per-language table of content (`{"en": …, "zh": …}`)."""
    want = lang or _current
    if want in texts:
        return texts[want]
    for other in LANGUAGES:
        if other in texts:
            return texts[other]
    return next(iter(texts.values()), "")

"""Small, reusable checks for content files. Each failed check records a Problem and returns None.

Expectations are phrased through the message table (`content.expect.*`), so `content check`
speaks the user's language like everything else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from supportcli.core.i18n import t
from supportcli.core.tomlfile import KeyPath, Problem, TomlFile

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class Checker:
    def __init__(self, file: TomlFile, languages: Sequence[str] = ("zh", "en")) -> None:
        self.file = file
        self.languages = tuple(languages)
        self.problems: list[Problem] = []

    def fail(self, keypath: KeyPath, expected: str) -> None:
        self.problems.append(self.file.problem(keypath, expected))

    def _get(self, table: Mapping[str, Any], keypath: KeyPath) -> tuple[bool, Any]:
        key = keypath[-1]
        if isinstance(key, str) and key in table:
            return True, table[key]
        return False, None

    def string(
        self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True,
        pattern: re.Pattern[str] | None = None, hint_key: str = "",
    ) -> str | None:
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.required_string"))
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(keypath, t("content.expect.string"))
            return None
        if pattern is not None and not pattern.match(value):
            self.fail(keypath, t(hint_key) if hint_key else t("content.expect.pattern", pattern=pattern.pattern))
            return None
        return value

    def ident(self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True) -> str | None:
        return self.string(
            table, keypath, required=required, pattern=ID_PATTERN, hint_key="content.expect.id"
        )

    def choice(
        self, table: Mapping[str, Any], keypath: KeyPath, allowed: Iterable[str], *,
        required: bool = True,
    ) -> str | None:
        options = list(allowed)
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.one_of", allowed=", ".join(options)))
            return None
        if value not in options:
            self.fail(keypath, t("content.expect.one_of", allowed=", ".join(options)))
            return None
        return str(value)

    def boolean(self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True) -> bool | None:
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.bool"))
            return None
        if not isinstance(value, bool):
            self.fail(keypath, t("content.expect.bool"))
            return None
        return value

    def integer(
        self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True,
        minimum: int | None = None,
    ) -> int | None:
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.integer"))
            return None
        if isinstance(value, bool) or not isinstance(value, int) or (
            minimum is not None and value < minimum
        ):
            self.fail(keypath, t("content.expect.integer_min", minimum=minimum if minimum is not None else "-"))
            return None
        return value

    def date(self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True) -> dt.date | None:
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.date"))
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.fail(keypath, t("content.expect.date"))
            return None
        return value

    def lang_text(
        self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True
    ) -> dict[str, str] | None:
        """A table with one non-empty string per pack language: `{zh = "…", en = "…"}`."""
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.lang_table", languages=", ".join(self.languages)))
            return None
        if not isinstance(value, dict):
            self.fail(keypath, t("content.expect.lang_table", languages=", ".join(self.languages)))
            return None
        ok = True
        for lang in self.languages:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.fail((*keypath, lang), t("content.expect.lang_string", language=lang))
                ok = False
        return {k: v for k, v in value.items() if isinstance(v, str)} if ok else None

    def lang_list(
        self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True
    ) -> dict[str, list[str]] | None:
        """A table with a list of strings per pack language: `{zh = ["…"], en = ["…"]}`."""
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.lang_list", languages=", ".join(self.languages)))
            return None
        if not isinstance(value, dict):
            self.fail(keypath, t("content.expect.lang_list", languages=", ".join(self.languages)))
            return None
        out: dict[str, list[str]] = {}
        for lang in self.languages:
            items = value.get(lang, [])
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                self.fail((*keypath, lang), t("content.expect.string_list"))
                return None
            out[lang] = list(items)
        return out

    def string_list(
        self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = False
    ) -> list[str] | None:
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.string_list"))
            return None if required else []
        if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
            self.fail(keypath, t("content.expect.string_list"))
            return None
        return list(value)

    def table_list(self, table: Mapping[str, Any], keypath: KeyPath, *, required: bool = True) -> list[dict[str, Any]]:
        present, value = self._get(table, keypath)
        if not present:
            if required:
                self.fail(keypath, t("content.expect.table_list"))
            return []
        if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
            self.fail(keypath, t("content.expect.table_list"))
            return []
        return value

    def no_unknown(self, table: Mapping[str, Any], keypath: KeyPath, allowed: Iterable[str]) -> None:
        known = set(allowed)
        for key in table:
            if key not in known:
                self.fail((*keypath, key), t("content.expect.known_key", allowed=", ".join(sorted(known))))

"""Every message exists in both languages, and every key the code uses exists."""

from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path
from typing import Any

import pytest

from supportcli.core import i18n
from supportcli.core.paths import messages_dir

ROOT = Path(__file__).resolve().parent.parent


def _leaves(node: dict[str, Any], prefix: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if any(isinstance(v, str) for v in node.values()):
        out[prefix] = node
        return out
    for key, value in node.items():
        if isinstance(value, dict):
            out.update(_leaves(value, f"{prefix}.{key}" if prefix else key))
    return out


def all_messages() -> dict[str, dict[str, Any]]:
    messages: dict[str, dict[str, Any]] = {}
    for path in sorted(messages_dir().glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if path.stem == "click":
            for msgid, entry in data["strings"].items():
                messages[f"click.strings.{msgid}"] = entry
            continue
        messages.update(_leaves(data, path.stem))
    return messages


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    problems = []
    for key, entry in all_messages().items():
        for lang in ("en", "zh"):
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                problems.append(f"{key}: missing {lang}")
        both = isinstance(entry.get("en"), str) and isinstance(entry.get("zh"), str)
        if both and _fields(entry["en"]) != _fields(entry["zh"]):
            problems.append(f"{key}: placeholders differ {_fields(entry['en'])} vs {_fields(entry['zh'])}")
        extra = set(entry) - {"en", "zh"}
        if extra:
            problems.append(f"{key}: unexpected languages {extra}")
    assert not problems, "\n".join(problems)


def test_chinese_messages_are_chinese() -> None:
    """A zh text that is the English text verbatim is a missed translation (commands and codes aside)."""
    same = []
    for key, entry in all_messages().items():
        en, zh = entry.get("en", ""), entry.get("zh", "")
        if en == zh and re.search(r"[A-Za-z]{4,}\s+[A-Za-z]{4,}\s+[A-Za-z]{4,}", en):
            same.append(key)
    assert not same, same


def _literal_keys() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "supportcli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
            if isinstance(node, ast.keyword) and node.arg == "hint_key" and isinstance(node.value, ast.Constant):
                keys.add(str(node.value.value))  # a message key rendered only when a check fails
            if (
                isinstance(node, ast.keyword) and node.arg in ("help", "epilog")
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                and re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", node.value.value)
            ):
                keys.add(node.value.value)  # command and option help, put in the interface language at build
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                # Errors take a message key as their first argument.
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                value = node.args[0].value
                if name.endswith("Error") and isinstance(value, str) and re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", value):
                    keys.add(value)
    return keys


def test_every_key_used_in_the_code_exists() -> None:
    missing = sorted(k for k in _literal_keys() if i18n.lookup(k, "en") is None or i18n.lookup(k, "zh") is None)
    assert not missing, missing


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_language_from_environment(env: dict[str, str], expected: str) -> None:
    assert i18n.lang_from_environment(env) == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "0 results"), (1, "1 result"), (2, "2 results"),
                                                  ("1", "1 result"), ("1,000", "1,000 results"), (1.5, "1.5 results")])
def test_english_plurals(count: object, expected: str) -> None:
    assert f"{count} {i18n.plural(count, 'result|results', 'en')}" == expected


def test_chinese_has_one_form() -> None:
    assert i18n.plural(1, "个结果|个结果", "zh") == "个结果"
    assert i18n.plural(3, "天", "zh") == "天"


def test_messages_use_plural_forms_not_parenthesised_s() -> None:
    assert i18n.t("cases.state.waiting", "en", days=1, due="2026-11-27") == "waiting, 1 business day left"
    assert i18n.t("cases.state.waiting", "en", days=3, due="2026-11-27") == "waiting, 3 business days left"
    assert i18n.t("cases.state.waiting", "zh", days=1, due="2026-11-27") == "等待中，还剩 1 个工作日"
    leftovers = [key for key, entry in all_messages().items() if "(s)" in str(entry.get("en", ""))]
    assert not leftovers, leftovers


def test_every_plural_form_in_english_has_two_words() -> None:
    import string as strings

    bad = []
    for key, entry in all_messages().items():
        for _, name, spec, _ in strings.Formatter().parse(str(entry.get("en", ""))):
            if name and spec and "|" in spec and len(spec.split("|")) != 2:
                bad.append(key)
    assert not bad, bad

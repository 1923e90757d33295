"""Ticket templates: content-pack data (`templates/<category>.toml`), checked on load.

A template gives, per language, lists of candidate subject lines and summary paragraphs (the first
whose placeholders all have values is used, so the last candidate carries no placeholder), evidence
items, the Reports exports to attach, optional field labels, and `[tried.<advice step id>]`: how each
self-help step of the category's flows reads in the ticket's "what I already tried" list (first
person, past tense; the advice text itself speaks to the user and would confuse a support agent).

The placeholder syntax is deliberately tiny: `{name}` (lower-case letters, digits, underscores) is
replaced by a value, `{{` and `}}` are literal braces, and nothing else is special. Substitution is a
single pass, so a value is inserted as text and never read as template code.

A template that states facts (the official wording of a request, a review time) cites its `sources`
(ids in the pack's sources.toml) with a `verified` date, checked by `content check` like the FAQ's.

Values: every answer by its key (a choice shows its label, yes/no in words); for a date-time answer
`{key}` is the UTC time, `{key_local}` the configured zone's, `{key_date}` the UTC day and `{key_when}`
"UTC (my local time …)" (just UTC when the zone is UTC); always `{exchange}` and `{support_email}`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from supportcli.core.checks import Checker
from supportcli.core.errors import ContentError
from supportcli.core.i18n import Lang, t
from supportcli.core.pack import Pack
from supportcli.core.sources import Citation, check_citation, cited_ids
from supportcli.core.tomlfile import KeyPath, Problem, TomlFile

CATEGORIES = (
    "abnormal-trade", "trade-failed", "deposit-missing", "withdrawal-delayed", "verify-account",
    "password-reset", "trade-dispute", "escalate", "general",
)
FALLBACK_CATEGORY = "general"
GLOBAL_PLACEHOLDERS = ("exchange", "support_email")  # always have a value
REPORTS = ("Ledgers", "Trades", "Orders", "Movements")  # what report.bitfinex.com exports
_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]{0,63})\}|[{}]")
_KEYS = (
    "id", "name", "subject", "summary", "evidence", "reports", "labels", "tried", "note", "by_choice", "sources",
    "verified",
)


class TemplateSyntaxError(ValueError):
    """A stray brace or a malformed placeholder; `position` is the character offset."""

    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


def placeholders(template: str) -> list[str]:
    """The placeholder names in `template`, in order; TemplateSyntaxError on a stray brace."""
    names: list[str] = []
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise TemplateSyntaxError(match.start())
        names.append(match.group(1))
    return names


_CJK = re.compile(r"[\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _cjk(char: str) -> bool:
    return bool(char) and _CJK.match(char) is not None


def fill(template: str, values: Mapping[str, str]) -> str | None:
    """`template` with every placeholder replaced, or None when one has no (non-empty) value.

    Chinese templates put a space around a placeholder for Latin values (通过 ERC-20 网络); when the
    value itself starts or ends with Chinese (波场（TRC-20）), that space goes: 通过波场（TRC-20）网络.
    """
    out: list[str] = []
    position = 0
    glue_after = False  # the last value ended in Chinese: a space then Chinese after it is dropped
    for match in _TOKEN.finditer(template):
        literal = template[position:match.start()]
        if glue_after and literal.startswith(" ") and _cjk(literal[1:2]):
            literal = literal[1:]
        out.append(literal)
        position = match.end()
        token = match.group(0)
        glue_after = False
        if token in ("{{", "}}"):
            out.append(token[0])
            continue
        name = match.group(1)
        value = values.get(name) if name is not None else None
        if not value:
            return None
        text = "".join(out)
        if _cjk(value[:1]) and text.endswith(" ") and _cjk(text[-2:-1]):
            out = [text[:-1]]
        out.append(value)
        glue_after = _cjk(value[-1:])
    rest = template[position:]
    if glue_after and rest.startswith(" ") and _cjk(rest[1:2]):
        rest = rest[1:]
    out.append(rest)
    return "".join(out)


def first_fit(candidates: list[str], values: Mapping[str, str]) -> str:
    for candidate in candidates:
        result = fill(candidate, values)
        if result is not None:
            return result
    return ""


@dataclass(frozen=True)
class Template:
    id: str
    name: dict[str, str]
    subject: dict[str, list[str]]
    summary: dict[str, list[str]]
    evidence: dict[str, list[str]]
    reports: tuple[str, ...] = ()
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    tried: dict[str, dict[str, str]] = field(default_factory=dict)  # advice step id -> lang -> line
    # `[by_choice.<answer key>.<choice id>]`: subject/summary lines tried first when that choice was made
    by_choice: dict[tuple[str, str], dict[str, dict[str, list[str]]]] = field(default_factory=dict)
    source_file: str = ""
    sources: tuple[str, ...] = ()  # ids in the pack's sources.toml
    verified: str | None = None  # ISO date the text was last read against them

    def _candidates(self, part: str, lang: Lang, chosen: Mapping[str, str]) -> list[str]:
        first: list[str] = []
        for (key, choice), texts in self.by_choice.items():
            if chosen.get(key) == choice:
                first += texts.get(part, {}).get(lang, [])
        own = self.subject if part == "subject" else self.summary
        return first + own.get(lang, [])

    def name_in(self, lang: Lang) -> str:
        return self.name.get(lang) or next(iter(self.name.values()), self.id)

    def subject_in(self, lang: Lang, values: Mapping[str, str], chosen: Mapping[str, str] | None = None) -> str:
        return first_fit(self._candidates("subject", lang, chosen or {}), values)

    def summary_candidates(self, lang: Lang, chosen: Mapping[str, str] | None = None) -> list[str]:
        return self._candidates("summary", lang, chosen or {})

    def evidence_in(self, lang: Lang, values: Mapping[str, str]) -> list[str]:
        items = (fill(item, values) for item in self.evidence.get(lang, []))
        return [item for item in items if item]

    def label(self, key: str, lang: Lang) -> str | None:
        table = self.labels.get(key)
        return table.get(lang) if table else None

    def tried_in(self, step_id: str, lang: Lang) -> str | None:
        """How the advice step `step_id` reads as something the user already did (None: not given)."""
        table = self.tried.get(step_id)
        return table.get(lang) if table else None


# --------------------------------------------------------------------------- checking

def _check_lines(c: Checker, keypath: KeyPath, lines: list[str], *, need_fallback: bool) -> None:
    for i, line in enumerate(lines):
        try:
            placeholders(line)
        except TemplateSyntaxError as exc:
            c.fail((*keypath, i), t("drafts.expect.placeholder", position=exc.position + 1))
    if need_fallback:
        if not lines:
            c.fail(keypath, t("drafts.expect.candidates"))
        else:
            try:
                if set(placeholders(lines[-1])) - set(GLOBAL_PLACEHOLDERS):
                    c.fail((*keypath, len(lines) - 1), t("drafts.expect.fallback"))
            except TemplateSyntaxError:
                pass  # already reported


def _parse(file: TomlFile, languages: tuple[str, ...]) -> tuple[Template | None, list[Problem]]:
    c = Checker(file, languages)
    data = file.data
    c.no_unknown(data, (), _KEYS)
    template_id = c.ident(data, ("id",))
    expected_id = file.path.stem
    if template_id is not None and template_id != expected_id:
        c.fail(("id",), t("drafts.expect.id_matches_file", name=expected_id))
    name = c.lang_text(data, ("name",))
    texts: dict[str, dict[str, list[str]]] = {}
    for key in ("subject", "summary", "evidence"):
        lists = c.lang_list(data, (key,), required=key != "evidence") or {}
        for lang, lines in lists.items():
            _check_lines(c, (key, lang), lines, need_fallback=key != "evidence")
        texts[key] = lists
    reports = c.string_list(data, ("reports",)) or []
    for i, report in enumerate(reports):
        if report not in REPORTS:
            c.fail(("reports", i), t("content.expect.one_of", allowed=", ".join(REPORTS)))
    labels = _parse_text_table(c, data, "labels")
    tried = _parse_text_table(c, data, "tried")
    c.lang_text(data, ("note",), required=False)
    by_choice = _parse_by_choice(c, data.get("by_choice"))
    cites = "sources" in data or "verified" in data
    sources = cited_ids(c, data, ("sources",), required=cites)
    verified = c.date(data, ("verified",), required=cites)
    if c.problems or template_id is None or name is None:
        return None, c.problems
    return Template(
        id=template_id, name=name, subject=texts["subject"], summary=texts["summary"],
        evidence=texts.get("evidence", {}), reports=tuple(reports), labels=labels, tried=tried,
        by_choice=by_choice, source_file=file.display, sources=tuple(sources),
        verified=verified.isoformat() if verified else None,
    ), []


def _all_text(template: Template, lang: str) -> str:
    """Every line a template can put in a ticket in `lang` (what a marker phrase has to be found in)."""
    lines = [*template.subject.get(lang, []), *template.summary.get(lang, []), *template.evidence.get(lang, [])]
    lines += [text[lang] for text in template.tried.values() if lang in text]
    for parts in template.by_choice.values():
        for per_lang in parts.values():
            lines += per_lang.get(lang, [])
    return "\n".join(lines)


def _check_citations(file: TomlFile, template: Template, pack: Pack) -> list[Problem]:
    if not template.sources:
        return []
    sources, _ = pack.source_index
    texts = {lang: (_all_text(template, lang), ("summary", lang)) for lang in pack.languages}
    verified = dt.date.fromisoformat(template.verified) if template.verified else None
    return check_citation(file, Citation(keypath=("sources",), ids=template.sources, texts=texts,
                                         verified=verified), sources)


def _parse_text_table(c: Checker, data: dict[str, Any], key: str) -> dict[str, dict[str, str]]:
    """`[<key>]` whose every entry is a per-language text: `name.zh = "…"`, `name.en = "…"`."""
    out: dict[str, dict[str, str]] = {}
    raw = data.get(key, {})
    if not isinstance(raw, dict):
        c.fail((key,), t("content.expect.table"))
        return out
    for name in raw:
        text = c.lang_text(raw, (key, name))
        if text is not None:
            out[str(name)] = text
    return out


def _parse_by_choice(c: Checker, raw: Any) -> dict[tuple[str, str], dict[str, dict[str, list[str]]]]:
    out: dict[tuple[str, str], dict[str, dict[str, list[str]]]] = {}
    if raw is None:
        return out
    if not isinstance(raw, dict):
        c.fail(("by_choice",), t("content.expect.table"))
        return out
    for key, choices in raw.items():
        if not isinstance(choices, dict):
            c.fail(("by_choice", key), t("content.expect.table"))
            continue
        for choice, texts in choices.items():
            kp: KeyPath = ("by_choice", key, choice)
            if not isinstance(texts, dict):
                c.fail(kp, t("content.expect.table"))
                continue
            c.no_unknown(texts, kp, ("subject", "summary"))
            parts: dict[str, dict[str, list[str]]] = {}
            for part in ("subject", "summary"):
                lists = c.lang_list(texts, (*kp, part), required=False) or {}
                for lang, lines in lists.items():
                    _check_lines(c, (*kp, part, lang), lines, need_fallback=False)
                parts[part] = lists
            out[(str(key), str(choice))] = parts
    return out


def _flow_categories(pack: Pack) -> list[tuple[TomlFile, str]]:
    found: list[tuple[TomlFile, str]] = []
    for item in pack.read_section("flows"):
        if isinstance(item, TomlFile) and isinstance(item.data.get("category"), str):
            found.append((item, item.data["category"]))
    return found


def _advice_ids(flow_file: TomlFile) -> list[str]:
    steps = flow_file.data.get("steps")
    if not isinstance(steps, list):
        return []
    return [
        str(s["id"]) for s in steps
        if isinstance(s, dict) and s.get("kind") == "advice" and isinstance(s.get("id"), str)
    ]


def _check_tried(file: TomlFile, template: Template, flows: list[tuple[TomlFile, str]]) -> list[Problem]:
    """Every advice step of the template's flows has a `tried` line, and every line names such a step."""
    advice: list[str] = []
    for flow_file, category in flows:
        if category == template.id:
            advice += [a for a in _advice_ids(flow_file) if a not in advice]
    problems = [
        file.problem(("tried", step_id), t("drafts.expect.tried_step", steps=", ".join(advice) or "-"))
        for step_id in template.tried if step_id not in advice
    ]
    missing = [a for a in advice if a not in template.tried]
    if missing:
        problems.append(file.problem(("tried",), t("drafts.expect.tried_missing", steps=", ".join(missing))))
    return problems


def check_pack(pack: Pack) -> list[Problem]:
    """Every problem in the pack's templates, and every flow category that has no template."""
    problems: list[Problem] = []
    ids: set[str] = set()
    flows = _flow_categories(pack)
    for item in pack.read_section("templates"):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        template, found = _parse(item, pack.languages)
        problems.extend(found)
        if template is not None:
            ids.add(template.id)
            problems.extend(_check_tried(item, template, flows))
            problems.extend(_check_citations(item, template, pack))
    if pack.section_paths("templates") and FALLBACK_CATEGORY not in ids:
        problems.append(Problem(pack.display(pack.section_dir("templates")), 1, FALLBACK_CATEGORY,
                                t("drafts.expect.general_template")))
    for file, category in flows:
        if category not in ids:
            problems.append(file.problem(("category",), t("content.expect.reference",
                                                          what=t("drafts.expect.template_what"), id=category)))
    return problems


# --------------------------------------------------------------------------- loading

def load_template(pack: Pack, category: str) -> Template:
    """The template for `category` (the `general` one if the pack has none for it).

    A broken template file raises ContentError naming file, line and key.
    """
    folder = pack.section_dir("templates")
    for name in (category, FALLBACK_CATEGORY):
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", name):
            continue
        path = folder / f"{name}.toml"
        if not path.is_file():
            continue
        from supportcli.core.tomlfile import read_toml

        parsed = read_toml(path, pack.display(path))
        if isinstance(parsed, Problem):
            raise ContentError([str(parsed)])
        template, problems = _parse(parsed, pack.languages)
        if template is None:
            raise ContentError([str(p) for p in problems])
        return template
    raise ContentError([str(Problem(pack.display(folder), 1, FALLBACK_CATEGORY,
                                    t("drafts.expect.general_template")))])


def load_templates(pack: Pack) -> dict[str, Template]:
    out: dict[str, Template] = {}
    for path in pack.section_paths("templates"):
        template = load_template(pack, path.stem)
        out[template.id] = template
    return out


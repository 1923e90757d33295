"""Ticket templates: content-pack data (`templates/<category>.toml`), checked on load.

A template says, per language, what a ticket of its category may say, and for each sentence what the
answers must be for it to be said:

    [[subject]]                      # the heading: the first entry whose condition holds and that fits
    when = [{ key = "problem", equals = ["withdrawal_hold"] }]
    en = "request to lift withdrawal hold"
    zh = "request to lift withdrawal hold（申请提前解除提现冻结）"

    [[summary]]                      # the summary: every entry whose condition holds, in order
    when = [{ key = "chain_status", equals = ["confirmed"] }]
    en = ["On {sent_at_when} I sent {amount} …", "I sent {amount} …"]   # alternatives: the first that fits
    zh = [...]

`[[evidence]]` items and `[[send]]` lines (how to send the draft, first fit; `{url}` is the ticket
form) have the same shape. A text fits when every placeholder in it has an answer, so a sentence is
said only when its condition holds *and* the answers it quotes were given. `when` is the flows'
condition language (supportcli.core.flows.model.Condition): `equals`/`not_equals` for a choice or a
yes/no question, `answered = true/false` for any. The last `[[subject]]` entry has no condition and a
last wording without placeholders; some `[[summary]]` sentence has a last wording without them (the
test over every answer combination, tests/test_drafts_conditions.py, proves a summary is never empty). `content
check` checks every condition and placeholder against the questions of the flows that use the template.

`reports` lists the Reports exports to attach: names, or `{ name = "Movements", when = [...] }`.
Optional field `labels`, and `[tried.<advice step id>]`: how each self-help step of the category's
flows reads in the ticket's "what I already tried" list (first person, past tense; the advice text
itself speaks to the user and would confuse a support agent).

The placeholder syntax is deliberately tiny: `{name}` (lower-case letters, digits, underscores) is
replaced by a value, `{{` and `}}` are literal braces, and nothing else is special. Substitution is a
single pass, so a value is inserted as text and never read as template code.

A template that states facts (the official wording of a request, a review time) cites its `sources`
(ids in the pack's sources.toml) with a `verified` date, checked by `content check` like the FAQ's.

Values: every answer by its key (a choice shows its label, yes/no in words); for a date-time answer
`{key}` is the UTC time, `{key_local}` the configured zone's, `{key_date}` the UTC day and `{key_when}`
"UTC (my local time …)" (just UTC when the zone is UTC); always `{exchange}` and `{support_email}`.
Conditions read the answers themselves (a choice's id, true/false).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from supportcli.core.checks import Checker
from supportcli.core.errors import ContentError
from supportcli.core.flows.model import AnswerValue, Condition, Step, all_hold
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
SEND_PLACEHOLDERS = ("url",)  # a [[send]] line may also name the pack's ticket form
DATETIME_FORMS = ("when", "date", "local")  # `{key_when}`, `{key_date}`, `{key_local}` of a date-time answer
REPORTS = ("Ledgers", "Trades", "Orders", "Movements")  # what report.bitfinex.com exports
_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]{0,63})\}|[{}]")
_KEYS = (
    "id", "name", "subject", "summary", "evidence", "send", "reports", "labels", "tried", "note", "sources",
    "verified",
)
LINE_PARTS = ("subject", "summary", "evidence", "send")
_FULL_WIDTH_END = tuple("。！？；：，）」』”")


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


def join_sentences(sentences: list[str]) -> str:
    """Sentences as one paragraph: a space after one that ends in Latin punctuation, none after `。`."""
    out = ""
    for sentence in sentences:
        if out and not out.endswith(_FULL_WIDTH_END):
            out += " "
        out += sentence
    return out


@dataclass(frozen=True)
class Line:
    """One subject line, summary sentence, evidence item or way to send: per language its wordings (the
    first whose placeholders all have values is used) and the condition it needs."""

    texts: dict[str, tuple[str, ...]]
    when: tuple[Condition, ...] = ()

    def wording(self, lang: Lang, values: Mapping[str, str], answers: Mapping[str, AnswerValue]) -> str | None:
        """The wording to fill in (not filled: the caller fills it, plain or escaped), or None when the
        condition does not hold or no wording has all its values."""
        if not all_hold(self.when, answers):
            return None
        return next((text for text in self.texts.get(lang, ()) if fill(text, values) is not None), None)

    def say(self, lang: Lang, values: Mapping[str, str], answers: Mapping[str, AnswerValue]) -> str | None:
        wording = self.wording(lang, values, answers)
        return fill(wording, values) if wording is not None else None


@dataclass(frozen=True)
class Report:
    """A Reports export to attach (one of REPORTS), when its condition holds."""

    name: str
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Template:
    id: str
    name: dict[str, str]
    subject: tuple[Line, ...]
    summary: tuple[Line, ...]
    evidence: tuple[Line, ...] = ()
    reports: tuple[Report, ...] = ()
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    tried: dict[str, dict[str, str]] = field(default_factory=dict)  # advice step id -> lang -> line
    send: tuple[Line, ...] = ()
    source_file: str = ""
    sources: tuple[str, ...] = ()  # ids in the pack's sources.toml
    verified: str | None = None  # ISO date the text was last read against them

    def name_in(self, lang: Lang) -> str:
        return self.name.get(lang) or next(iter(self.name.values()), self.id)

    def subject_in(self, lang: Lang, values: Mapping[str, str], answers: Mapping[str, AnswerValue]) -> str:
        return _first(self.subject, lang, values, answers)

    def summary_wordings(
        self, lang: Lang, values: Mapping[str, str], answers: Mapping[str, AnswerValue]
    ) -> list[str]:
        """The wording of every summary sentence to say, in order (to be filled by the caller)."""
        found = (line.wording(lang, values, answers) for line in self.summary)
        return [w for w in found if w is not None]

    def evidence_in(self, lang: Lang, values: Mapping[str, str], answers: Mapping[str, AnswerValue]) -> list[str]:
        found = (line.say(lang, values, answers) for line in self.evidence)
        return [item for item in found if item]

    def reports_for(self, answers: Mapping[str, AnswerValue]) -> list[str]:
        return list(dict.fromkeys(r.name for r in self.reports if all_hold(r.when, answers)))

    def send_in(self, lang: Lang, values: Mapping[str, str], answers: Mapping[str, AnswerValue]) -> str:
        """How to send this draft, when the template says (empty: the pack's usual way)."""
        return _first(self.send, lang, values, answers)

    def label(self, key: str, lang: Lang) -> str | None:
        table = self.labels.get(key)
        return table.get(lang) if table else None

    def tried_in(self, step_id: str, lang: Lang) -> str | None:
        """How the advice step `step_id` reads as something the user already did (None: not given)."""
        table = self.tried.get(step_id)
        return table.get(lang) if table else None

    def lines(self) -> list[tuple[str, int, Line]]:
        """Every line of the template with where it stands: (part, index, line)."""
        parts = {"subject": self.subject, "summary": self.summary, "evidence": self.evidence, "send": self.send}
        return [(part, i, line) for part, lines in parts.items() for i, line in enumerate(lines)]


def _first(lines: tuple[Line, ...], lang: Lang, values: Mapping[str, str], answers: Mapping[str, AnswerValue]) -> str:
    for line in lines:
        said = line.say(lang, values, answers)
        if said is not None:
            return said
    return ""


# --------------------------------------------------------------------------- reading and checking

def _parse_lines(
    c: Checker, data: Mapping[str, Any], part: str, questions: Mapping[str, Step] | None,
) -> tuple[Line, ...]:
    from supportcli.core.flows.content import parse_conditions

    if part not in data:
        if part in ("subject", "summary"):
            c.fail((part,), t("drafts.expect.candidates"))
        return ()
    lines: list[Line] = []
    for i, raw in enumerate(c.table_list(data, (part,))):
        kp: KeyPath = (part, i)
        start = len(c.problems)
        c.no_unknown(raw, kp, (*c.languages, "when"))
        texts: dict[str, tuple[str, ...]] = {}
        for lang in c.languages:
            value = raw.get(lang)
            wordings = [value] if isinstance(value, str) else value
            if not isinstance(wordings, list) or not wordings or not all(
                isinstance(w, str) and w.strip() for w in wordings
            ):
                c.fail((*kp, lang), t("drafts.expect.wordings", language=lang))
                continue
            for j, wording in enumerate(wordings):
                try:
                    placeholders(wording)
                except TemplateSyntaxError as exc:
                    c.fail((*kp, lang) if isinstance(value, str) else (*kp, lang, j),
                           t("drafts.expect.placeholder", position=exc.position + 1))
            texts[lang] = tuple(wordings)
        when = parse_conditions(c, raw, kp, questions, unknown_key="drafts.expect.when_key")
        if len(c.problems) == start:
            lines.append(Line(texts=texts, when=when))
    return tuple(lines)


def _always(line: Line) -> bool:
    """The line has no condition and a last wording (in every language) without placeholders."""
    return not line.when and _fallback(line)


def _fallback(line: Line) -> bool:
    """The line's last wording (in every language) has no placeholders: it can be said whatever is missing."""
    try:
        return all(
            wordings and not set(placeholders(wordings[-1])) - set(GLOBAL_PLACEHOLDERS)
            for wordings in line.texts.values()
        )
    except TemplateSyntaxError:
        return True  # already reported


def _parse_reports(c: Checker, data: Mapping[str, Any], questions: Mapping[str, Step] | None) -> tuple[Report, ...]:
    from supportcli.core.flows.content import parse_conditions

    raw = data.get("reports", [])
    if not isinstance(raw, list):
        c.fail(("reports",), t("drafts.expect.reports"))
        return ()
    out: list[Report] = []
    for i, item in enumerate(raw):
        kp: KeyPath = ("reports", i)
        if isinstance(item, dict):
            c.no_unknown(item, kp, ("name", "when"))
            name = item.get("name")
            when = parse_conditions(c, item, kp, questions, unknown_key="drafts.expect.when_key")
            kp = (*kp, "name")
        else:
            name, when = item, ()
        if name not in REPORTS:
            c.fail(kp, t("content.expect.one_of", allowed=", ".join(REPORTS)))
            continue
        out.append(Report(str(name), when))
    return tuple(out)


def _parse(
    file: TomlFile, languages: tuple[str, ...], questions: Mapping[str, Step] | None = None,
) -> tuple[Template | None, list[Problem]]:
    """The template in `file`. With `questions` (the questions of the flows that use it, by key) every
    condition and placeholder is checked against them too."""
    c = Checker(file, languages)
    data = file.data
    c.no_unknown(data, (), _KEYS)
    template_id = c.ident(data, ("id",))
    expected_id = file.path.stem
    if template_id is not None and template_id != expected_id:
        c.fail(("id",), t("drafts.expect.id_matches_file", name=expected_id))
    name = c.lang_text(data, ("name",))
    parts = {part: _parse_lines(c, data, part, questions) for part in LINE_PARTS}
    if "subject" in data and parts["subject"] and not _always(parts["subject"][-1]):
        c.fail(("subject", len(parts["subject"]) - 1), t("drafts.expect.fallback"))
    if "summary" in data and parts["summary"] and not any(_fallback(line) for line in parts["summary"]):
        c.fail(("summary",), t("drafts.expect.summary_fallback"))
    reports = _parse_reports(c, data, questions)
    labels = _parse_text_table(c, data, "labels")
    tried = _parse_text_table(c, data, "tried")
    c.lang_text(data, ("note",), required=False)
    cites = "sources" in data or "verified" in data
    sources = cited_ids(c, data, ("sources",), required=cites)
    verified = c.date(data, ("verified",), required=cites)
    if questions is not None:
        _check_placeholders(c, data, questions)
    if c.problems or template_id is None or name is None:
        return None, c.problems
    return Template(
        id=template_id, name=name, subject=parts["subject"], summary=parts["summary"], evidence=parts["evidence"],
        send=parts["send"], reports=reports, labels=labels, tried=tried, source_file=file.display,
        sources=tuple(sources), verified=verified.isoformat() if verified else None,
    ), []


def known_placeholders(questions: Mapping[str, Step], extra: tuple[str, ...] = ()) -> set[str]:
    """The placeholder names the answers to `questions` can give a value to."""
    names = set(GLOBAL_PLACEHOLDERS) | set(extra)
    for key, step in questions.items():
        names.add(key)
        if step.type == "datetime":
            names.update(f"{key}_{form}" for form in DATETIME_FORMS)
    return names


def _check_placeholders(c: Checker, data: Mapping[str, Any], questions: Mapping[str, Step]) -> None:
    """Every placeholder names an answer the template's flows can give (a typo would silently drop the line)."""
    for part in LINE_PARTS:
        known = known_placeholders(questions, SEND_PLACEHOLDERS if part == "send" else ())
        raw = data.get(part)
        if not isinstance(raw, list):
            continue
        for i, entry in enumerate(raw):
            if not isinstance(entry, dict):
                continue
            for lang in c.languages:
                value = entry.get(lang)
                for j, wording in enumerate([value] if isinstance(value, str) else value or []):
                    if not isinstance(wording, str):
                        continue
                    try:
                        names = placeholders(wording)
                    except TemplateSyntaxError:
                        continue
                    for unknown in dict.fromkeys(n for n in names if n not in known):
                        kp: KeyPath = (part, i, lang) if isinstance(value, str) else (part, i, lang, j)
                        c.fail(kp, t("drafts.expect.placeholder_key", name=unknown,
                                     known=", ".join(sorted(known))))


def _all_text(template: Template, lang: str) -> str:
    """Every line a template can put in a ticket in `lang` (what a marker phrase has to be found in)."""
    lines = [wording for _, _, line in template.lines() for wording in line.texts.get(lang, ())]
    lines += [text[lang] for text in template.tried.values() if lang in text]
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


def _category_questions(pack: Pack) -> tuple[dict[str, dict[str, Step]], dict[str, list[str]]]:
    """For each category: the questions of the flows that use it (by key), and their advice step ids."""
    from supportcli.core.flows.content import parsed_flows

    questions: dict[str, dict[str, Step]] = {}
    advice: dict[str, list[str]] = {}
    for flow in parsed_flows(pack):
        table = questions.setdefault(flow.category, {})
        for step in flow.questions:
            table.setdefault(step.id, step)
        ids = advice.setdefault(flow.category, [])
        ids += [s.id for s in flow.steps if s.kind == "advice" and s.id not in ids]
    return questions, advice


def _flow_categories(pack: Pack) -> list[tuple[TomlFile, str]]:
    found: list[tuple[TomlFile, str]] = []
    for item in pack.read_section("flows"):
        if isinstance(item, TomlFile) and isinstance(item.data.get("category"), str):
            found.append((item, item.data["category"]))
    return found


def _check_tried(file: TomlFile, template: Template, advice: list[str]) -> list[Problem]:
    """Every advice step of the template's flows has a `tried` line, and every line names such a step."""
    problems = [
        file.problem(("tried", step_id), t("drafts.expect.tried_step", steps=", ".join(advice) or "-"))
        for step_id in template.tried if step_id not in advice
    ]
    missing = [a for a in advice if a not in template.tried]
    if missing:
        problems.append(file.problem(("tried",), t("drafts.expect.tried_missing", steps=", ".join(missing))))
    return problems


def check_pack(pack: Pack) -> list[Problem]:
    """Every problem in the pack's templates (conditions and placeholders read against the questions of
    the flows that use each template), and every flow category that has no template."""
    problems: list[Problem] = []
    ids: set[str] = set()
    questions, advice = _category_questions(pack)
    for item in pack.read_section("templates"):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        category = item.path.stem
        template, found = _parse(item, pack.languages, questions.get(category, {}))
        problems.extend(found)
        if template is not None:
            ids.add(template.id)
            problems.extend(_check_tried(item, template, advice.get(template.id, [])))
            problems.extend(_check_citations(item, template, pack))
    if pack.section_paths("templates") and FALLBACK_CATEGORY not in ids:
        problems.append(Problem(pack.display(pack.section_dir("templates")), 1, FALLBACK_CATEGORY,
                                t("drafts.expect.general_template")))
    for file, category in _flow_categories(pack):
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


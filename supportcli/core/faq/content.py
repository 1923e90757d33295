"""Loading and checking the FAQ section of a content pack (`<pack>/faq/*.toml`, one entry per file).

An entry file:

    id = "withdraw"                  # the file name without .toml
    category = "funding"             # one of model.CATEGORIES
    related = ["deposit"]            # other FAQ ids
    flow = "withdrawal-delayed"      # optional: a troubleshooting flow id
    sources = ["bfx-withdrawal-hold"]   # ids in sources.toml: where the facts come from
    verified = 2026-12-01            # when the text was last read against them
    [title]     zh = "…"  en = "…"
    [body]      zh = "…"  en = "…"
    [keywords]  zh = ["提币", …]  en = ["withdrawal", …]
    [notes]     zh = "…"  en = "…"   # optional: where the official fact differs from the source article
    [questions] zh = ["提币好慢啊", …]  en = ["withdrawal taking forever", …]   # 8 to 15 each: how users ask

Example questions are written the way worried users type them (colloquial, with amounts); the
entry must back every word of them (backing.py), so they cannot stuff in words it says nothing about.

The pack's synonyms.toml is checked here too (synonyms.py). Citations are checked by
`content check` (`check_pack`): every id exists, a text citing an
unconfirmed or third-party source says so in each language, and `verified` is not older than the
sources' `checked` dates (see sources.py). Loading entries for a search does not read sources.toml.
"""

from __future__ import annotations

import datetime as dt

from supportcli.core.checks import ID_PATTERN, Checker
from supportcli.core.errors import ContentError
from supportcli.core.faq.model import CATEGORIES, FaqEntry
from supportcli.core.i18n import LANGUAGES, t
from supportcli.core.pack import Pack
from supportcli.core.sources import Citation, Sources, check_citation, cited_ids
from supportcli.core.tomlfile import Problem, TomlFile

KEYS = ("id", "category", "title", "body", "keywords", "related", "flow", "sources", "verified", "notes", "questions")
QUESTIONS = (8, 15)  # example questions per language: at least, at most
MAX_QUESTION = 120  # characters


def _parse(file: TomlFile, checker: Checker) -> FaqEntry | None:
    data = file.data
    c = checker
    before = len(c.problems)
    c.no_unknown(data, (), KEYS)
    entry_id = c.ident(data, ("id",))
    if entry_id is not None and entry_id != file.path.stem:
        c.fail(("id",), t("faq.expect.id_is_file_name", name=file.path.stem))
    category = c.choice(data, ("category",), CATEGORIES)
    title = c.lang_text(data, ("title",))
    body = c.lang_text(data, ("body",))
    keywords = c.lang_list(data, ("keywords",))
    if keywords is not None:
        for lang, words in keywords.items():
            if not words or not all(w.strip() for w in words):
                c.fail(("keywords", lang), t("faq.expect.keywords"))
    related = c.string_list(data, ("related",)) or []
    flow = c.ident(data, ("flow",), required=False)
    sources = cited_ids(c, data, ("sources",), required=True)
    verified = c.date(data, ("verified",))
    notes = c.lang_text(data, ("notes",), required=False) or {}
    questions = c.lang_list(data, ("questions",))
    if questions is not None:
        for lang, items in questions.items():
            if not QUESTIONS[0] <= len(items) <= QUESTIONS[1]:
                c.fail(("questions", lang), t("faq.expect.questions", least=QUESTIONS[0], most=QUESTIONS[1],
                                              limit=MAX_QUESTION))
            for i, item in enumerate(items):
                if not item.strip() or len(item) > MAX_QUESTION or "\n" in item:
                    c.fail(("questions", lang, i), t("faq.expect.question", limit=MAX_QUESTION))
    if len(c.problems) > before or None in (entry_id, category, title, body, keywords, verified, questions):
        return None
    return FaqEntry(
        id=str(entry_id), category=str(category), title=dict(title or {}), body=dict(body or {}),
        keywords=dict(keywords or {}), related=tuple(related), flow=flow, source=", ".join(sources),
        verified=verified.isoformat() if verified else None, notes=notes, sources=tuple(sources),
        questions=dict(questions or {}),
    )


def _read(pack: Pack) -> tuple[list[tuple[TomlFile, FaqEntry | None]], list[Problem]]:
    problems: list[Problem] = []
    parsed: list[tuple[TomlFile, FaqEntry | None]] = []
    for item in pack.read_section("faq"):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        checker = Checker(item, pack.languages)
        entry = _parse(item, checker)
        problems.extend(checker.problems)
        parsed.append((item, entry))
    return parsed, problems


def check_pack(pack: Pack) -> list[Problem]:
    """Every problem in the pack's FAQ: each file's shape, unique ids, the `related`/`flow` references,
    and the citations (sources.toml problems themselves are reported once, by pack.check_pack)."""
    from supportcli.core.faq.synonyms import SYNONYMS_FILE, read_groups

    parsed, problems = _check(pack)
    groups, synonym_problems = read_groups(pack.root, pack.display(pack.root / SYNONYMS_FILE), pack.languages)
    problems += synonym_problems
    problems += _check_questions(parsed, groups, pack)
    problems += _check_scope(parsed, groups, pack)
    problems += _check_asked(parsed, pack)
    sources, _ = pack.source_index
    for file, entry in parsed:
        if entry is None:
            continue
        texts = {
            lang: ("\n".join((entry.body.get(lang, ""), entry.notes.get(lang, ""))), ("body", lang))
            for lang in pack.languages
        }
        verified = dt.date.fromisoformat(entry.verified) if entry.verified else None
        problems += check_citation(file, Citation(
            keypath=("sources",), ids=entry.sources, texts=texts, verified=verified,
        ), sources)
        problems += _check_languages(file, entry, pack, sources)
    return problems


def _check_questions(parsed: list[tuple[TomlFile, FaqEntry | None]], groups: list[dict[str, list[str]]],
                     pack: Pack) -> list[Problem]:
    """Each example question is in its language, and the entry backs every word of it (backing.py)."""
    from supportcli.core.faq.backing import unbacked
    from supportcli.core.faq.language import foreign_phrases
    from supportcli.core.faq.rank import MemoryIndex
    from supportcli.core.faq.scope import SCOPE_FILE, read_scope
    from supportcli.core.faq.synonyms import SynonymTable

    entries = [entry for _, entry in parsed if entry is not None]
    scope, _ = read_scope(pack.root, pack.display(pack.root / SCOPE_FILE), pack.languages)
    table = SynonymTable.build(groups, (k for e in entries for ks in e.keywords.values() for k in ks),
                               pack.manifest.assets.known, scope)
    index = MemoryIndex.build((e.id, e.search_fields()) for e in entries)
    problems: list[Problem] = []
    for file, entry in parsed:
        if entry is None:
            continue
        for lang, items in entry.questions.items():
            for i, question in enumerate(items):
                found = foreign_phrases(question, "zh" if lang == "zh" else "en")
                if found or (lang == "zh") != any(not c.isascii() for c in question):
                    problems.append(file.problem(("questions", lang, i), t(
                        "content.expect.one_language", language=lang, phrase=found[0] if found else question)))
        for miss in unbacked(entry, table, index.known_pairs):
            problems.append(file.problem(("questions", miss.lang, miss.position),
                                         t("faq.expect.question_backed", word=miss.word)))
    return problems


def _check_asked(parsed: list[tuple[TomlFile, FaqEntry | None]], pack: Pack) -> list[Problem]:
    """asked.toml's shape, and an answer that names an entry of the pack."""
    from supportcli.core.faq.asked_file import ASKED_FILE, read_asked

    ids = [e.id for _, e in parsed if e is not None]
    return read_asked(pack.root, pack.display(pack.root / ASKED_FILE), ids)[1]


def _check_scope(parsed: list[tuple[TomlFile, FaqEntry | None]], groups: list[dict[str, list[str]]],
                 pack: Pack) -> list[Problem]:
    """scope.toml's shape, and no expression in it that is a synonym or that an entry is about."""
    from supportcli.core.faq.scope import SCOPE_FILE, check_pack

    strong = {e.id: "\n".join(e.search_fields()[:3]).splitlines() for _, e in parsed if e is not None}
    return check_pack(pack.root, pack.display(pack.root / SCOPE_FILE), pack.languages, groups, strong)


def _check_languages(file: TomlFile, entry: FaqEntry, pack: Pack, sources: Sources) -> list[Problem]:
    """Each language's title, body and notes are in that language (see language.py)."""
    from supportcli.core.faq.language import foreign_phrases

    literals = [q for i in entry.sources if (s := sources.get(i)) is not None for q in s.quotes]
    problems: list[Problem] = []
    for field, texts in (("title", entry.title), ("body", entry.body), ("notes", entry.notes)):
        for lang in LANGUAGES:
            if lang not in pack.languages or lang not in texts:
                continue
            found = foreign_phrases(texts[lang], lang, literals)
            if found:
                problems.append(file.problem((field, lang), t("content.expect.one_language", language=lang,
                                                               phrase=found[0])))
    return problems


def _check(pack: Pack) -> tuple[list[tuple[TomlFile, FaqEntry | None]], list[Problem]]:
    parsed, problems = _read(pack)
    # References are checked against every id a file declares, even when another key of that
    # file is wrong, so one mistake is reported once and not again in every file that links to it.
    ids: dict[str, int] = {}
    for file, _ in parsed:
        own = file.data.get("id")
        if isinstance(own, str):
            ids[own] = ids.get(own, 0) + 1
    flow_ids = pack.section_ids("flows")
    what_entry, what_flow = t("faq.expect.what_entry"), t("faq.expect.what_flow")
    for file, _ in parsed:
        own, related, flow = file.data.get("id"), file.data.get("related"), file.data.get("flow")
        if isinstance(own, str) and ids[own] > 1:
            problems.append(file.problem(("id",), t("content.expect.unique_id", id=own)))
        for i, other in enumerate(related if isinstance(related, list) else []):
            if isinstance(other, str) and (other == own or other not in ids):
                problems.append(file.problem(("related", i), t("content.expect.reference", what=what_entry, id=other)))
        if isinstance(flow, str) and ID_PATTERN.match(flow) and flow not in flow_ids:
            problems.append(file.problem(("flow",), t("content.expect.reference", what=what_flow, id=flow)))
    return parsed, problems


def load_entries(pack: Pack) -> list[FaqEntry]:
    """The pack's FAQ entries, validated; any problem raises ContentError naming file, line and key."""
    parsed, problems = _check(pack)
    if problems:
        raise ContentError([str(p) for p in problems])
    return [entry for _, entry in parsed if entry is not None]

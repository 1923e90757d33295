"""The pack's synonyms and phrasings (`<pack>/synonyms.toml`): words people type for the same thing.

    [[group]]
    zh = ["私信", "私聊"]
    en = ["dm", "direct message", "private message"]

    [[group]]                       # a broader word and the names of its kinds
    zh = ["网络", "链"]
    en = ["network", "chain"]
    narrower.en = ["trc20", "arbitrum"]

Each `[[group]]` lists, per language, expressions that mean the same to a user asking for help:
a word (爆仓, liquidated), a phrasing (不是我下的, "did not place"), a name (谷歌验证, google
authenticator). When a query holds one expression of a group, search also looks for the others,
so "got liquidated" finds the entry that says 强平 and "有人私信我" the one that says "DM". An
expression made of function words only (不是我下的) finds nothing by itself: it only brings the
others along. A `narrower` expression brings its group's expressions along, but they do not bring it,
nor does it bring the group's other narrower ones (trc20 finds "network", not erc20). A group that
holds one of the pack's asset codes names a coin or a currency (ripple, xrp, 瑞波币): its expressions
say which coin, like the code, and weigh as context (tokens.is_context).

`content check` checks the file: known keys, lists of non-empty strings, Chinese expressions with
Chinese characters and English ones without, at least two expressions per group, one that can be
searched for, and no expression in two groups (each problem as file:line: key: expected).
The table is compiled once per pack change and cached with the pack's index (search.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the file is read and checked only when the pack's cached index is stale
    from supportcli.core.faq.homophones import Homophones
    from supportcli.core.faq.scope import Scope
    from supportcli.core.tomlfile import Problem, TomlFile

SYNONYMS_FILE = "synonyms.toml"
# a group's key for its narrower expressions of a language: "narrower.zh", "narrower.en"
NARROWER = "narrower."
# Asset codes that are everyday English words: typed alone they are the word ("near", "dot"). LINK stays a code:
# its group (link, url, 网址, 官网) says where, not what ("帮助中心网址" asks for the help center).
_EVERYDAY_CODES = frozenset(("near", "dot", "bat", "comp", "omg", "op", "uni", "ton", "fil", "apt", "leo", "pol",
                             "sol", "dash", "neo"))
_MAX_EXPRESSION = 40  # characters


class SynonymTable:
    """Compiled synonym groups: each expression with its search terms, found by its first word."""

    def __init__(self, groups: list[list[list[str]]], latin: dict[str, list[list[Any]]],
                 chinese: dict[str, list[list[Any]]], lexicon: list[str], context: Iterable[str] = (),
                 kinds: list[str] | None = None, broader: list[int] | None = None, domain: Iterable[str] = (),
                 sounds: Mapping[str, str] | None = None) -> None:
        self.groups = groups  # group -> expressions -> content terms
        self.latin = latin  # first stem -> [[stems…], group, expression], longest first
        self.chinese = chinese  # first character -> [[text, group, expression]], longest first
        self.lexicon = frozenset(lexicon)  # Chinese words for the segmenter
        # the lexicon's words by their toneless pinyin (homophones.py); built from the lexicon when not given
        self.sounds = sounds
        self._homophones: Homophones | None = None
        self.context = frozenset(context)  # asset codes and their names, lower case (tokens.is_context)
        # per group: "" for synonyms, "exchange" or "topic" for an expression of scope.toml (not searched)
        self.kinds = kinds or [""] * len(groups)
        # per group: the group a narrower expression belongs under (trc20 under network), or -1
        self.broader = broader or [-1] * len(groups)
        # the terms of the pack's titles, keywords and synonyms: the words of its domain (rank.resolve)
        self.domain = frozenset(domain)

    # ------------------------------------------------------------------ building

    @property
    def homophones(self) -> Homophones:
        """The lexicon's words by their sound (homophones.py), indexed when first asked for."""
        if self._homophones is None:
            from supportcli.core.faq.homophones import Homophones

            if self.sounds is None:
                self.sounds = Homophones.index(self.lexicon)
            self._homophones = Homophones(self.sounds)
        return self._homophones

    @classmethod
    def build(cls, groups: list[dict[str, list[str]]], keywords: Iterable[str] = (),
              assets: Iterable[str] = (), scope: Scope | None = None, titles: Iterable[str] = ()) -> SynonymTable:
        from supportcli.core.faq.tokens import PIECE, content_terms, is_latin, normalize, stem, terms

        compiled: list[list[list[str]]] = []
        latin: dict[str, list[list[Any]]] = {}
        chinese: dict[str, list[list[Any]]] = {}
        keywords = list(keywords)
        lexicon = {w for w in (normalize(k) for k in keywords) if 2 <= len(w) <= 6 and _all_cjk(w)}
        domain = {t for text in (*keywords, *titles) for t in terms(text)}
        outside = scope.items() if scope is not None else []
        # (expressions, kind, broader group): the groups, scope's expressions, then each narrower expression
        specs: list[tuple[list[str], str, int]] = [
            ([raw for lang in sorted(grp) if not lang.startswith(NARROWER) for raw in grp[lang]], "", -1)
            for grp in groups]
        specs += [([e], kind, -1) for kind, e in outside]
        specs += [([raw], "", g) for g, grp in enumerate(groups) for lang in sorted(grp) if lang.startswith(NARROWER)
                  for raw in grp[lang]]
        # an asset code that is an everyday word ("link", "near", "dot") says which coin only when its group
        # says it is a coin: alone it is the word
        codes = {a.casefold() for a in assets}
        context = {c for c in codes if c not in _EVERYDAY_CODES}
        for g, (items, kind, _) in enumerate(specs):
            expressions: list[list[str]] = []
            texts: list[str] = []
            for raw in items:
                text = normalize(raw).strip()
                pieces = [m.group() for m in PIECE.finditer(text)]
                if not pieces:
                    continue
                e = len(expressions)
                if all(is_latin(p) for p in pieces):
                    expressions.append(content_terms(pieces))
                    latin.setdefault(stem(pieces[0]), []).append([[stem(p) for p in pieces], g, e])
                    texts.append(" ".join(pieces))
                else:
                    joined = "".join(pieces)
                    expressions.append(_expression_terms(pieces))
                    texts.append(joined)
                    if _all_cjk(joined):
                        for form in _passive_forms(joined):
                            chinese.setdefault(form[0], []).append([form, g, e])
                        if 2 <= len(joined) <= 6:
                            lexicon.add(joined)
            named = set(texts)
            # a coin's or currency's names say which: a group holding a code that is no everyday word, or
            # an everyday one beside another name of the coin (sol = 索拉纳)
            if not kind and ((codes - _EVERYDAY_CODES) & named or (codes & named and len(named) > 1)):
                context.update(texts)
            if not kind:  # a one-word expression, or a Chinese word (its pairs); not the parts of a phrase
                domain.update(t for e, text in zip(expressions, texts, strict=True) if " " not in text for t in e)
            compiled.append(expressions)
        for entries in (*latin.values(), *chinese.values()):
            entries.sort(key=lambda item: -len(item[0]))
        from supportcli.core.faq.homophones import Homophones

        return cls(compiled, latin, chinese, sorted(lexicon), sorted(context), [k for _, k, _ in specs],
                   [b for _, _, b in specs], sorted(domain), Homophones.index(lexicon))

    def to_json(self) -> dict[str, Any]:
        return {"groups": self.groups, "latin": self.latin, "chinese": self.chinese, "lexicon": sorted(self.lexicon),
                "context": sorted(self.context), "kinds": self.kinds, "broader": self.broader,
                "domain": sorted(self.domain), "sounds": self.homophones.words}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SynonymTable:
        return cls(data["groups"], data["latin"], data["chinese"], data["lexicon"], data.get("context", ()),
                   data.get("kinds"), data.get("broader"), data.get("domain", ()), data.get("sounds"))

    # ------------------------------------------------------------------ matching

    def match_chinese(self, run: str, i: int) -> tuple[str, int] | None:
        """The longest expression starting at `run[i]`: (its text as typed, its group)."""
        for text, group, _ in self.chinese.get(run[i], ()):
            if run.startswith(text, i):
                return str(text), int(group)
        return None

    def match_word(self, word: str) -> int | None:
        for text, group, _ in self.chinese.get(word[0], ()):
            if text == word:
                return int(group)
        return None

    def match_latin(self, words: list[str], i: int) -> tuple[int, int] | None:
        """The longest expression starting at `words[i]`: (how many words, its group)."""
        from supportcli.core.faq.tokens import stem

        first = stem(words[i])
        for stems, group, _ in self.latin.get(first, ()):
            size = len(stems)
            if i + size <= len(words) and [stem(w) for w in words[i: i + size]] == stems:
                return size, int(group)
        return None

    def group_of_stem(self, term: str) -> int | None:
        """The group holding the one-word expression whose stem is `term` (a repaired typo)."""
        for stems, group, _ in self.latin.get(term, ()):
            if len(stems) == 1:
                return int(group)
        return None

    def own_terms(self, group: int, text: str) -> tuple[str, ...]:
        """The search terms of the expression `text` of `group` (as compiled)."""
        from supportcli.core.faq.tokens import PIECE, is_latin, stem

        pieces = [m.group() for m in PIECE.finditer(text)]
        if pieces and all(is_latin(p) for p in pieces):
            stems = [stem(p) for p in pieces]
            for items in self.latin.get(stems[0], ()):
                if items[0] == stems and items[1] == group:
                    return tuple(self.groups[group][items[2]])
        for joined, g, e in self.chinese.get(text[:1], ()):
            if joined == text and g == group:
                return tuple(self.groups[group][e])
        return ()

    def kind(self, group: int) -> str:
        """"" for a synonym group, "exchange" or "topic" for what the pack does not answer (scope.py)."""
        return self.kinds[group]

    def others(self, group: int, own: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """The other expressions of `group` that can be searched for (their terms), and for a narrower
        expression those of the group it belongs under (trc20: network, chain, 网络 …; not erc20)."""
        out: list[tuple[str, ...]] = []
        up = self.broader[group]
        for expression in [*self.groups[group], *(self.groups[up] if up >= 0 else [])]:
            item = tuple(expression)
            if item and item != own and item not in out:
                out.append(item)
        return tuple(out)


def _expression_terms(pieces: list[str]) -> list[str]:
    """The search terms of a Chinese expression: those of its words (被平掉 is 平掉, 不是我下的 has none:
    it only brings the other expressions along), or all its character pairs when cutting it into
    words would leave out a lone character that is not a function word (子账户 is 子账 账户, not 账户)
    or a negation (没解决 is 没解 解决, not 解决)."""
    from supportcli.core.faq.tokens import STOP_ZH, analyze, cjk_pairs, is_latin, segment, stem

    concepts = analyze("".join(pieces))
    words = [w for p in pieces if not is_latin(p) for w in segment(p)]
    lone = [i for i, w in enumerate(words) if len(w) == 1 and w not in STOP_ZH
            and not (i > 0 and len(words[i - 1]) == 1 and words[i - 1] not in STOP_ZH)
            and not (i + 1 < len(words) and len(words[i + 1]) == 1 and words[i + 1] not in STOP_ZH)]
    negated = any(c in "没不未无别" for p in pieces if not is_latin(p) for c in p)  # 没解决 is not 解决
    # a function word that says who or what was said (说是客服, 让我转账, 有人登录) is part of the meaning: the
    # expression is not its last word (客服, 转账, 登录); a particle (被, 了, 的) or 提示 is not
    telling = any(w in STOP_ZH and any(c in _TELLING for c in w) for w in words)
    if concepts and (lone or negated or telling):
        return [t for p in pieces for t in ([stem(p)] if is_latin(p) else cjk_pairs(p))]
    return [t for c in concepts for t in c.terms]


_TELLING = "说让要叫是我你他她人"  # who says or asks: 说是, 让我, 要我, 有人


def _passive_forms(text: str) -> list[str]:
    """An expression as written and with Chinese's optional passive 被 (账号被封 and 账号封了, 账户冻结 and
    账户被冻结): without it where it stands after the first word, with it after a first word of two
    characters where a verb of two or more follows."""
    forms = [text]
    at = text.find("被", 1)
    if at > 0 and len(text) > 3:
        forms.append(text[:at] + text[at + 1:])
    elif at < 0 and len(text) >= 4 and text[0] not in "没不未无别":
        forms.append(text[:2] + "被" + text[2:])
    return forms


def _all_cjk(text: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


# ---------------------------------------------------------------------- the file


def read_groups(pack_root: Path, display: str, languages: tuple[str, ...]) -> tuple[list[dict[str, list[str]]],
                                                                                    list[Problem]]:
    """The groups of `synonyms.toml` (none when the pack has no such file) and every problem in it."""
    from supportcli.core.tomlfile import TomlFile, read_optional_toml

    parsed = read_optional_toml(pack_root / SYNONYMS_FILE, display)
    if not isinstance(parsed, TomlFile):
        return [], [parsed] if parsed else []
    return _check(parsed, languages)


def _check(file: TomlFile, languages: tuple[str, ...]) -> tuple[list[dict[str, list[str]]], list[Problem]]:
    from supportcli.core.checks import Checker
    from supportcli.core.faq.tokens import PIECE, analyze, content_terms, normalize
    from supportcli.core.i18n import t

    c = Checker(file, languages)
    c.no_unknown(file.data, (), ("group",))
    groups: list[dict[str, list[str]]] = []
    first_seen: dict[str, int] = {}
    for g, table in enumerate(c.table_list(file.data, ("group",))):
        c.no_unknown(table, ("group", g), (*languages, "narrower"))
        group: dict[str, list[str]] = {}
        searchable = False
        narrower = table.get("narrower")
        if narrower is not None and not isinstance(narrower, dict):
            c.fail(("group", g, "narrower"), t("content.expect.lang_list", languages=", ".join(languages)))
            narrower = None
        elif narrower is not None:
            c.no_unknown(narrower, ("group", g, "narrower"), languages)
        lists: list[tuple[tuple[str, ...], str, dict[str, Any] | None]] = [((lang,), lang, table) for lang in languages]
        lists += [(("narrower", lang), NARROWER + lang, narrower) for lang in languages if narrower is not None]
        for path, name, holder in lists:
            lang = path[-1]
            items = c.string_list(holder, ("group", g, *path)) if holder is not None else []
            if items is None:
                continue
            kept = []
            for i, raw in enumerate(items):
                where: tuple[str | int, ...] = ("group", g, *path, i)
                text = normalize(raw).strip()
                pieces = [m.group() for m in PIECE.finditer(text)]
                has_cjk = any(not p.isascii() for p in pieces)
                if not pieces or len(raw) > _MAX_EXPRESSION:
                    c.fail(where, t("faq.expect.synonym", limit=_MAX_EXPRESSION))
                    continue
                if (lang == "zh") != has_cjk:
                    c.fail(where, t("faq.expect.synonym_language", language=lang))
                    continue
                key = " ".join(pieces) if not has_cjk else "".join(pieces)
                if key in first_seen and first_seen[key] != g:
                    c.fail(where, t("faq.expect.synonym_once", other=first_seen[key] + 1))
                    continue
                first_seen[key] = g
                terms = [x for cpt in analyze(key) for x in cpt.terms] if has_cjk else content_terms(pieces)
                searchable |= bool(terms) and holder is table
                kept.append(raw)
            if kept or holder is table:
                group[name] = kept
        if sum(len(v) for v in group.values()) < 2 or not searchable:
            c.fail(("group", g), t("faq.expect.synonym_group"))
        groups.append(group)
    return groups, c.problems

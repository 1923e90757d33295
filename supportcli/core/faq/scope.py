"""What the pack does not answer (`<pack>/scope.toml`): other exchanges and wallets, and crypto topics.

    [exchanges]   # a question about another exchange is not ours, unless something moves to or from it
    zh = ["币安", "火币", …]
    en = ["binance", "coinbase", …]

    [wallets]     # the same for wallets: how one works is not ours, a withdrawal to one is
    zh = ["冷钱包", "小狐狸钱包", …]
    en = ["cold wallet", "metamask", …]

    [services]    # another service's own account (微信账号被盗, "my facebook got hacked"): not ours, unless
    zh = ["微信", …]  # it is only how someone reached the user (加我微信, "messaged me on whatsapp")
    en = ["wechat", …]

    [topics]      # general crypto that no entry is about
    zh = ["冷钱包", "挖矿", …]
    en = ["proof of stake", "cold wallet", …]

A query that names one of these says something the pack cannot answer: the expression is not
searched (冷钱包 must not find the entries that say 钱包, "proof of stake" those that say "stake"),
and it weighs in the query's coverage like a word no entry holds, so the search declines to answer
confidently ("冷钱包和热钱包有什么区别", "how does proof of stake work"). An exchange or a wallet named
as where funds come from or go to ("sent btc from coinbase", "币安转过来的", "提币到冷钱包") stands
for a deposit or a withdrawal (tokens.py), and in a question that names Bitfinex too it is context.
So is a service named as the way someone got in touch ("加我微信", "on whatsapp", "via wechat"), or in a
question about email (its mail is the user's mail): otherwise the service is what the question is about.

`content check` checks the file: known keys, lists of short expressions in their key's language, no
expression twice or also in synonyms.toml, and none that an entry is about (held by its title,
keywords or example questions): the list must not hide what the pack does answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from supportcli.core.checks import Checker
from supportcli.core.i18n import t
from supportcli.core.tomlfile import Problem, TomlFile, read_optional_toml

SCOPE_FILE = "scope.toml"
KINDS = ("exchanges", "wallets", "services", "topics")
PLACES = ("exchanges", "wallets", "services")  # named as where funds come from or go to, they are part of the question
_MAX_EXPRESSION = 40  # characters


@dataclass(frozen=True)
class Scope:
    tables: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # kind -> language -> expressions

    def items(self) -> list[tuple[str, str]]:
        """(kind, expression) for every expression: kind is "place" (an exchange), "wallet", "service" or "topic"."""
        names = {"exchanges": "place", "wallets": "wallet", "services": "service"}
        return [(names.get(kind, "topic"), e) for kind in KINDS for items in self.tables.get(kind, {}).values()
                for e in items]


def read_scope(pack_root: Path, display: str, languages: tuple[str, ...]) -> tuple[Scope, list[Problem]]:
    """The pack's scope.toml (empty when there is none) and every problem in its shape."""
    parsed = read_optional_toml(pack_root / SCOPE_FILE, display)
    if not isinstance(parsed, TomlFile):
        return Scope(), [parsed] if parsed else []
    scope, problems, _ = _check(parsed, languages)
    return scope, problems


Position = tuple[str, str, int, str]  # kind, language, index in the file's list, the expression


def _check(file: TomlFile, languages: tuple[str, ...]) -> tuple[Scope, list[Problem], list[Position]]:
    from supportcli.core.faq.tokens import PIECE, normalize

    c = Checker(file, languages)
    c.no_unknown(file.data, (), KINDS)
    tables: dict[str, dict[str, list[str]]] = {}
    positions: list[Position] = []
    seen: set[str] = set()
    for kind in KINDS:
        lists = c.lang_list(file.data, (kind,), required=False) or {}
        kept: dict[str, list[str]] = {}
        for lang, items in lists.items():
            kept[lang] = []
            for i, raw in enumerate(items):
                where = (kind, lang, i)
                pieces = [m.group() for m in PIECE.finditer(normalize(raw))]
                if not pieces or len(raw) > _MAX_EXPRESSION:
                    c.fail(where, t("faq.expect.synonym", limit=_MAX_EXPRESSION))
                    continue
                if (lang == "zh") != any(not p.isascii() for p in pieces):
                    c.fail(where, t("faq.expect.synonym_language", language=lang))
                    continue
                key = " ".join(pieces)
                if key in seen:
                    c.fail(where, t("faq.expect.scope_once"))
                    continue
                seen.add(key)
                kept[lang].append(raw)
                positions.append((kind, lang, i, raw))
        tables[kind] = kept
    return Scope(tables), c.problems, positions


def check_pack(pack_root: Path, display: str, languages: tuple[str, ...], synonyms: list[dict[str, list[str]]],
               strong: dict[str, list[str]]) -> list[Problem]:
    """Every problem of the pack's scope.toml: its shape, then an expression that is also a synonym,
    or that an entry is about: it stands in the entry's title, keywords or an example question
    (`strong`: entry id -> those lines)."""
    from supportcli.core.faq.tokens import PIECE, normalize, terms

    parsed = read_optional_toml(pack_root / SCOPE_FILE, display)
    if not isinstance(parsed, TomlFile):
        return [parsed] if parsed else []
    _, problems, positions = _check(parsed, languages)
    synonym_keys = {" ".join(m.group() for m in PIECE.finditer(normalize(raw)))
                    for group in synonyms for items in group.values() for raw in items}
    lines = {entry: [" " + " ".join(terms(line)) + " " for line in texts] for entry, texts in strong.items()}
    for kind, lang, i, raw in positions:
        where = (kind, lang, i)
        if " ".join(m.group() for m in PIECE.finditer(normalize(raw))) in synonym_keys:
            problems.append(parsed.problem(where, t("faq.expect.scope_not_synonym")))
            continue
        phrase = " " + " ".join(terms(raw)) + " "
        about = sorted(e for e, held in lines.items() if phrase.strip() and any(phrase in x for x in held))
        if about:
            problems.append(parsed.problem(where, t("faq.expect.scope_outside", id=about[0])))
    return problems

"""Is a text written in one language? English phrases in Chinese text, Chinese in English text.

Some things are the same in every language and are left out before looking: web addresses, domains,
e-mail addresses and handles, `backquoted` commands and `supportcli …` command lines, ids such as
`withdrawal-hold`, and official wording the text quotes as it is (a form subject, a label on the page:
the `quotes` of the sources the text cites). What is left of a Chinese text may hold names of one or
two words (Basic Plus, Google Authenticator), never an English phrase of three words or more; what
is left of an English text holds no Chinese characters or full-width punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from supportcli.core.i18n import Lang

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SAME_IN_EVERY_LANGUAGE = re.compile(
    r"https?://[^\s" + _CJK + r"]+"                       # web addresses
    r"|`[^`\n]*`"                                           # `commands`
    r"|\bsupportcli(?:[ \t]+[a-z0-9][a-z0-9-]*)*"           # supportcli troubleshoot escalate
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                        # e-mail addresses
    r"|(?<![\w@])@\w+"                                      # @handles
    r"|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/[\w./-]*)?"      # domains and paths: bitfinex.com/verification
    r"|\b[a-z]/\w+"                                         # r/bitfinex
    r"|\b[a-z0-9]+(?:-[a-z0-9]+)+\b",                       # ids: withdrawal-hold
    re.ASCII,  # \w and \b: letters of the Latin alphabet only, so a Chinese word is never part of a match
)
_ENGLISH_PHRASE = re.compile(r"[A-Za-z][\w'’.+&/-]*(?:[ \t]+[A-Za-z][\w'’.+&/-]*){2,}", re.ASCII)
_CHINESE = re.compile(r"[" + _CJK + r"]+")


def _without(text: str, literals: Iterable[str]) -> str:
    for literal in sorted({q for q in literals if q.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(literal), " ", text, flags=re.IGNORECASE)
    return _SAME_IN_EVERY_LANGUAGE.sub(" ", text)


def foreign_phrases(text: str, lang: Lang, literals: Iterable[str] = ()) -> list[str]:
    """The phrases of `text` that are in the other language than `lang` (empty when there are none).

    `literals` are quoted official wording allowed as they are (e.g. "request to lift withdrawal hold").
    """
    rest = _without(text, literals)
    if lang == "zh":
        return [m.group(0) for m in _ENGLISH_PHRASE.finditer(rest)]
    return [m.group(0) for m in _CHINESE.finditer(rest)]

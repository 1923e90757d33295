"""Turning text into search terms, the same way for the shipped pack and the SQLite index.

Index side (`terms`, `index_text`):

- Text is NFKC-normalised (full-width letters and digits become ASCII) and case-folded, and
  traditional Chinese characters become simplified ones (`提現` -> `提现`, hant.py).
- Latin words are stemmed conservatively (`withdrawals` -> `withdraw`, `verification` and
  `verified` -> `verifi`, `DMed` -> `dm`), never across meanings (`faster` stays apart from `fast`,
  `close` from `lose`).
- Runs of Chinese characters become overlapping character pairs (`提现没到账` -> 提现 现没 没到 到账);
  a single character stands alone.

Query side (`analyze`): the query becomes *concepts*, one per thing the user said:

- English function words ("after", "someone", "how", "the") are left out; so are bare numbers.
- Chinese is cut into words (dynamic programming over the general word list of lexicon.py, the
  pack's own words and the index's known pairs), function words (我, 的, 怎么, 不是 …) are left
  out, and each word is searched as its character pairs. A single character is never searched on
  its own; two or more unknown characters in a row become an unknown word of their own (几笔), so
  the query keeps saying something the index may not hold (it lowers confidence, see rank.py).
- Words and phrasings of the pack's synonyms.toml (DM ↔ 私信, 不是我下的 ↔ unauthorized trade)
  are found first, longest first, and bring the other expressions of their group along.

Every term is a run of `[a-z0-9]` or of CJK characters, so SQLite's `unicode61` tokenizer keeps
the space-joined terms exactly as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from supportcli.core.faq.synonyms import SynonymTable

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RANGES = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"))


class _Span:
    """A piece found inside a longer run of letters (the part of 中文é that is Chinese), as a match is."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def group(self) -> str:
        return self._text[self._start: self._end]

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _is_cjk(c: str) -> bool:
    return any(low <= c <= high for low, high in _CJK_RANGES)


class _Pieces:
    """Latin words and runs of Chinese characters: what `re.compile(f"[A-Za-z0-9]+|[{_CJK}]+")` finds, without
    compiling a class of Chinese ranges (0.8 ms of every search's start: the compiler maps each of their
    28,000 characters). A cheap pattern finds Latin words and runs of other letters; a run that is Chinese
    from end to end (nearly all: its smallest and largest characters say so) is a piece, and any other is
    cut to its Chinese stretches."""

    _runs = re.compile(r"[A-Za-z0-9]+|[^\W\dA-Za-z_]+")

    def finditer(self, text: str) -> Iterator[re.Match[str] | _Span]:
        for m in self._runs.finditer(text):
            run = m.group()
            # between U+3400 and U+9FFF every letter is Chinese (the hexagrams between the blocks are no letters)
            if run[0].isascii() or (min(run) >= "\u3400" and max(run) <= "\u9fff"):
                yield m
                continue
            base, start = m.start(), None
            for i, c in enumerate(run):
                if _is_cjk(c):
                    if start is None:
                        start = i
                elif start is not None:
                    yield _Span(text, base + start, base + i)
                    start = None
            if start is not None:
                yield _Span(text, base + start, base + len(run))

    def findall(self, text: str) -> list[str]:
        return [m.group() for m in self.finditer(text)]


PIECE = _Pieces()
MAX_QUERY_CHARS = 1000  # a pasted page is searched by its beginning
MAX_WORD = 40  # longer Latin "words" (a pasted key, a run of letters) are not words anyone searches for
MAX_CONCEPTS = 40

# Function words: they say how something is asked, not what about. Only used on the query side.
_STOP_EN_WORDS = """
a about above after again against all also am an and any anyone anything anyway are around as at be because
been before being below between both but by can cannot cant could couldnt did didnt do does doesnt doing done
dont down during each either else even ever every everything few for from further get gets getting go goes
going gone got gotten had hadnt has hasnt have havent having he her here hers herself him himself his how i id
if im in into is isnt it its itself ive just know last let lets like ll lot lots made make many may me might
mine more most much must my myself need needs neither never no nor not now of off ok okay on once one only or
other others our ours ourselves out over own please pls plz re really s same say says she should shouldnt
since so some somebody someone something somehow still such sure t tell than thank thanks that thats the
their theirs them themselves then there these they thing things this those though through thru to too try
trying under until up upon us ve very via want wanted wants was wasnt way we well went were werent what
whats when where whether which while who whom whose why will with within without wont would wouldnt yet you
youre your yours yourself anybody someones
don doesn didn isn wasn aren weren won couldn wouldn shouldn haven hasn hadn ain right ago nothing yet already
anymore u show shows showed shown keep keeps kept think look looks looking saying vs versus per instead inside
another tips tip advice idea ideas
available possible fix solve giving showing use used using
two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand couple
set setup anywhere somewhere everywhere literally basically actually
"""
# Filler around a question: left out of a query, yet part of a phrase ("help center"); and chat shorthand
# that says how the user feels, not what is wrong ("wtf", "lol", "rn" = right now, "tho").
_FILLER_EN_WORDS = ("help hi hello hey dear guys thanks thank please pls plz "
                    "wtf lol lmao omg bruh ugh smh tho rn idk ffs")
_FILLER_EN = frozenset(_FILLER_EN_WORDS.split())
STOP_EN = frozenset(_STOP_EN_WORDS.split()) | _FILLER_EN
# Chinese function words: question words, pronouns, particles, adverbs of time and degree.
_STOP_ZH_WORDS = """
怎么办 为什么 怎么样 是不是 能不能 可不可以 有没有 会不会 要不要 怎么回事 什么意思 为啥 咋办
咋回事 怎么 怎样 如何 什么 请问 我的 我们 你们 他们 一下 可以 是否 应该 需要 这个 那个 这些
那些 还是 的话 有人 还没 一直 已经 总是 老是 到底 突然 现在 刚才 刚刚 不是 没有 两个 一个
几个 多少 哪里 哪儿 哪个 在哪 这样 那样 然后 但是 因为 所以 而且 或者 如果 还有 就是 只是
真的 非常 特别 有点 一点 一些 谢谢 你好 您好 麻烦 帮忙 帮我 告诉 知道 能否 能够 为何 咋样
啥 咋 嘛 哦 哈 嗯 吗 呢 吧 啊 呀 么 我 你 您 他 她 它 们 的 了 是 要 想 都 也 就
很 又 再 在 有 被 把 给 和 与 或 及 从 向 对 于 个 些 这 那 哪 怎 谁 会 能 可 还
没 不 才 刚 让 跟 用 去 来 得 地 着 过 说 该 吗 啦 喔 上 里 中 找 做 弄 搞 问 看
办 请 帮 才能 以后 之后 根本 时候 里面 自己 直接 可能 一定 不会 不敢 一般 哪些 全部 一堆
正常 马上 好几 很多 不了 不能 得到 出来 那边 操作 提示 显示 问题 想开 想要 想问 之间 入口
注意 能干什么 干什么 干嘛 对方 必须 不用 从来 从来不 从没 可是 出现 不小心 明显 严重 到底是
是真的吗 真的假的 靠谱吗 有用吗 咋整 咋弄 急 急急急 求助 求救 救命 过来 过去 办法 方法 法子 这么 那么
别的 其他 其它 变成 变为 成了 对面 这边 我这边 那头 这头 崩溃了
"""
STOP_ZH = frozenset(_STOP_ZH_WORDS.split())

# Context: words that say which coin, how much or when, not what the problem is ("2000u", "三天",
# "hours", "昨晚"). They are searched, but weigh little in coverage (rank.CONTEXT_WEIGHT) and an
# example question needs no backing for them (backing.py). The pack's asset codes are context too.
_TIME_EN_WORDS = """
second seconds sec secs minute minutes min mins hour hours hr hrs day days week weeks month months year years
today yesterday tonight overnight morning evening afternoon weekend recently lately night nights noon midnight
earlier moment est edt pst pdt cst cdt utc gmt bst cet cest hkt sgt jst
"""
_TIME_ZH_WORDS = """
今天 昨天 前天 昨晚 今晚 半夜 凌晨 早上 上午 中午 下午 晚上 一夜 一夜之间
上周 上个月 去年 今年 全年 周末 最近 这几天 以前 之前 以往 年底 年初 月底 月初 一会儿 一会 过了一会儿 不久 几分钟 前几天
这两天 那天 当天 第二天
"""
TIME_EN = frozenset(_TIME_EN_WORDS.split())
# Question frames: they ask for a duration of the thing named ("提现冻结要多久", "how long is the withdrawal hold")
# or how two things compare ("difference between btc and eth"), so they weigh half and at most like an everyday
# word (rank.resolve), whichever entry happens to say "how long" or "difference".
FRAMES = frozenset(("how long", "how many days", "多久", "多长时间", "要几天", "多少天", "多长", "difference",
                    "differences", "compared", "区别", "不同", "差别"))
_TIME_ZH = frozenset(_TIME_ZH_WORDS.split())
AMOUNT_UNITS = frozenset(("u", "k", "w", "m", "h", "x"))  # 2000u (USDT), 10k, 3w (万), 24h, 10x (leverage)


@lru_cache(maxsize=1)
def _count_zh() -> re.Pattern[str]:  # compiled when a Chinese query needs it (a CJK class costs a fraction of a ms)
    return re.compile("^[零〇一二三四五六七八九十百千万两几半多每好]*个?"
                      "(?:天|日|小时|钟头|分钟|秒|周|星期|礼拜|月|年|次|笔|块|刀|万|千|百|封|张|份|条|点|点钟|点半)$")


_COUNT_ENDS = frozenset("天日时头钟秒周期拜月年次笔块刀万千百封张份条点半")  # the last characters _count_zh() can match


def is_context(word: str, assets: frozenset[str] = frozenset()) -> bool:
    """A coin or a currency (the pack's asset codes and, through synonyms.toml, their names), a time or a
    count: "usdt", "ripple", "以太坊", "hours", "三天", "一个月", "几笔"."""
    if word in assets:
        return True
    if is_latin(word):
        return word in TIME_EN
    return word in _TIME_ZH or (word[-1:] in _COUNT_ENDS and bool(_count_zh().match(word)))


_CLOCK = frozenset(("am", "pm"))


def _amounts(words: list[str]) -> list[str]:
    """Amounts written as one word are split from their unit: 2000u and 10k are numbers, 500usdt is
    a number and a coin; 2fa and u2f stay as they are."""
    out: list[str] = []
    for word in words:
        match = re.fullmatch(r"(\d+)([a-z]+)", word) if "0" <= word[0] <= "9" else None
        if match is None:
            out.append(word)
        elif match.group(2) in AMOUNT_UNITS or match.group(2) in _CLOCK:  # 2000u, 10k; 9am, 6pm: a time
            out.append(match.group(1))
        elif len(match.group(2)) >= 3:
            out.extend(match.groups())
        else:
            out.append(word)
    return out

_KEEP = frozenset(("news", "address", "access", "process", "less", "loss", "status", "bonus", "bitfinex",
                   "always", "series", "gas", "yes", "this", "has", "was", "does"))
_IRREGULAR = {
    "withdrawn": "withdraw", "withdrew": "withdraw", "lost": "lose", "stolen": "steal", "stole": "steal",
    "sent": "send", "complaint": "complain", "complaints": "complain", "paid": "pay", "bought": "buy",
    "sold": "sell", "froze": "freez", "frozen": "freez", "canceled": "cancel", "cancelled": "cancel",
    "cancelling": "cancel", "canceling": "cancel", "used": "use", "using": "use", "dmed": "dm", "dmd": "dm",
    "dms": "dm", "dming": "dm", "pmed": "pm", "pms": "pm", "kyced": "kyc", "logged": "log", "login": "login",
    "held": "hold", "risky": "risk", "info": "inform",
}
_VOWEL = re.compile("[aeiouy]")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A conservative English stem: plurals and -ed/-ing endings, a few derivations (-ation, -al),
    never a dictionary. `faster` stays `faster` (not `fast`) and `close` never meets `lose`."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha() or word in _KEEP or len(word) > MAX_WORD:
        return word
    base = word
    # plurals and the third person
    if base.endswith("ies") and len(base) > 4:
        base = base[:-3] + "y"
    elif base.endswith(("sses", "ches", "shes", "xes", "zes")):
        base = base[:-2]
    elif base.endswith("s") and not base.endswith(("ss", "us", "is")):
        base = base[:-1]
    # -ed and -ing, when a word with a vowel is left ("speed" and "bring" stay as they are)
    for suffix in ("ing", "ed"):
        if base.endswith(suffix) and not base.endswith("eed"):
            rest = base[: -len(suffix)]
            if len(rest) >= 3 and _VOWEL.search(rest):
                if suffix == "ed" and rest.endswith("i"):  # verified -> verify
                    rest = rest[:-1] + "y"
                if len(rest) > 3 and rest[-1] == rest[-2] and rest[-1] not in "lsz":
                    rest = rest[:-1]  # stopped -> stop, transferred -> transfer
                base = rest
            break
    # derivations that name the same action
    if base.endswith("ication") and len(base) > 9:
        base = base[:-7] + "y"  # verification -> verify
    elif base.endswith("ation") and len(base) - 5 >= 5:
        base = base[:-5]  # confirmation -> confirm, liquidation -> liquid
    elif base.endswith("al") and len(base) - 2 >= 5 and not base.endswith(("ial", "ual", "tal")):
        base = base[:-2]  # withdrawal -> withdraw, arrival -> arriv
    if base.endswith("e") and len(base) > 4:
        base = base[:-1]  # close/closed/closing -> clos
    if base.endswith("at") and len(base) - 2 >= 5:
        base = base[:-2]  # liquidate/liquidated -> liquid
    if base.endswith("y") and len(base) > 4:
        base = base[:-1] + "i"  # verify/verified -> verifi
    return base


# Past forms that do not end in -ed: with -ed, -ing and -ly words they say what happened or how, not what about.
_IRREGULAR_PAST_WORDS = """
became began bent bit blew broke brought built burnt caught chose came cost cut dealt did drew drove ate fell
fed felt fought found flew forgot froze gave went grew hung had heard hid hit held hurt kept knew laid led left
lent let lay lit lost made meant met paid put quit read rode rang rose ran said saw sought sold sent set shook
shot shut sang sank sat slept slid spoke spent split spread stood stole stuck struck swore swept swam took
taught tore told thought threw understood woke wore won wound wrote broken chosen done drawn driven eaten fallen
forgotten frozen given gone grown hidden known ridden risen seen shaken shown spoken stolen sworn taken thrown
woken worn written
"""
_IRREGULAR_PAST = frozenset(_IRREGULAR_PAST_WORDS.split())


def modifier_form(word: str) -> bool:
    """An English word in a form that says what happened or how ("disappeared", "trying", "permanently",
    "chose"), not what the question is about ("passport", "poem")."""
    return word in _IRREGULAR_PAST or (len(word) > 4 and word.endswith(("ed", "ing", "ly")))


@lru_cache(maxsize=1)
def _to_simplified() -> dict[int, int]:
    from supportcli.core.faq.hant import TO_SIMPLIFIED  # loaded only for text that is not ASCII

    return TO_SIMPLIFIED


def simplified(text: str) -> str:
    """`text` with traditional Chinese characters in their simplified form, one for one."""
    return text if text.isascii() else text.translate(_to_simplified())


def normalize(text: str) -> str:
    text = simplified(unicodedata.normalize("NFKC", text).casefold())
    if "'" in text or "\u2019" in text:  # "hasn't", "didn’t": one word, as users who skip the apostrophe type it
        text = _contraction().sub("nt", text)
    return text


@lru_cache(maxsize=1)
def _contraction() -> re.Pattern[str]:
    return re.compile("(?<=[a-z])n['\u2019]t\\b")


def is_latin(piece: str) -> bool:
    return "a" <= piece[0] <= "z" or "0" <= piece[0] <= "9"


def cjk_pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i: i + 2] for i in range(len(run) - 1)]


def terms(text: str) -> list[str]:
    """All index terms of `text`, in order (repeats kept: they count as term frequency)."""
    out: list[str] = []
    for match in PIECE.finditer(normalize(text)):
        piece = match.group()
        if is_latin(piece):
            out.append(stem(piece))
        else:
            out.extend(cjk_pairs(piece))
    return out


_LATIN_WORD = re.compile("[A-Za-z0-9]+")


def term_counts(text: str, wanted: Iterable[str]) -> dict[str, int]:
    """How often each of the `wanted` terms occurs in `text`: exactly what counting `terms(text)` gives,
    without building every term (re-scoring a candidate's body reads only the query's few terms).

    A Latin term is the stem of a whole word; a pair of Chinese characters occurs wherever the two
    stand side by side (they then belong to one run); a lone character only where it stands alone.
    """
    text = normalize(text)
    out: dict[str, int] = {}
    latin = {w for w in wanted if is_latin(w)}
    if latin:
        heads = {w[:2] for w in latin}
        irregular = {k for k, v in _IRREGULAR.items() if v in latin}
        for word in _LATIN_WORD.findall(text):
            if word[:2] in heads or word in irregular:
                s = stem(word)
                if s in latin:
                    out[s] = out.get(s, 0) + 1
    for term in wanted:
        if is_latin(term):
            continue
        if len(term) == 2:
            n = text.count(term) if term[0] != term[1] else sum(
                1 for i in range(len(text) - 1) if text.startswith(term, i))
        else:
            n = len(re.findall(rf"(?<![{_CJK}]){re.escape(term)}(?![{_CJK}])", text))
        if n:
            out[term] = n
    return out


def index_text(text: str) -> str:
    """`text` as space-separated terms, ready for the FTS5 `unicode61` tokenizer."""
    return " ".join(terms(text))


# ---------------------------------------------------------------------------- queries


class Concept(NamedTuple):
    """One thing the user said: a word, a Chinese word, or a phrasing from synonyms.toml."""

    word: str  # as typed (normalised), for typo notes
    terms: tuple[str, ...]  # its own index terms (a Chinese word: its pairs); may be empty for a phrasing
    synonyms: tuple[tuple[str, ...], ...] = ()  # the terms of each other expression of its synonym group
    latin: bool = False  # a single Latin word: typo repair may apply
    context: bool = False  # a coin, an amount's unit, a time ("usdt", "三天", "hours"): it says which, not what
    foreign: str = ""  # "place" (an exchange), "wallet", "service" or "topic": what the pack does not answer (scope.py)
    fragment: bool = False  # lone characters in a row that no word list holds (币丢 of 币丢了): it weighs little
    stressed: bool = False  # what the user suffers, said after the cause ("重置2FA后不能提现", "… but nothing arrived")
    reported: bool = False  # what a message claims ("an email saying my account will be suspended"), not the problem


KnownPairs = Callable[[list[str]], set[str]]


def content_terms(words: list[str]) -> list[str]:
    """The stems of a Latin word or phrase; none when it is only function words ("how", "says they
    are"). A phrase keeps its function words: "top up" is not "top", "not moving" is not "moving"."""
    if all(w in STOP_EN and w not in _FILLER_EN for w in words):
        return []
    return [stem(w) for w in words if not (len(words) == 1 and w.isdigit())]


def segment(run: str, lexicon: Iterable[str] | None = None, known: set[str] | None = None) -> list[str]:
    """A run of Chinese characters cut into words: function words, words of the general list or of
    `lexicon`, pairs `known` to the index, else single characters. Fewest pieces win."""
    from supportcli.core.faq.lexicon import chinese

    general = chinese()
    extra = set(lexicon or ())
    pairs = known or set()
    n = len(run)
    inf = float("inf")
    best: list[float] = [0.0] + [inf] * n
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        for size in range(1, min(i, 6) + 1):
            piece = run[i - size: i]
            if size == 1:
                cost = 1.0 if piece in STOP_ZH else 1.3
            elif piece in STOP_ZH or piece in extra or (size <= 4 and piece in general):
                cost = 1.0
            elif size == 2 and piece in pairs:  # the index holds the pair: better than two unknown characters,
                cost = 2.4  # worse than a function word and a character (哪里提 is 哪里 + 提, not 哪 + 里提)
            else:
                continue
            if best[i - size] + cost < best[i]:
                best[i] = best[i - size] + cost
                back[i] = i - size
    out: list[str] = []
    i = n
    while i > 0:
        out.append(run[back[i]: i])
        i = back[i]
    return out[::-1]


def _longer_keyword(run: str, i: int, size: int, lexicon: frozenset[str]) -> bool:
    """Whether a word of the pack's lexicon (its entries' keywords) longer than `size` starts at `run[i]`."""
    return any(run[i: i + n] in lexicon for n in range(size + 1, min(6, len(run) - i) + 1))


def _chinese_concepts(run: str, table: SynonymTable | None, known: KnownPairs | None) -> Iterator[Concept]:
    # Synonym expressions first (longest first at each position), then words in what is left.
    pieces: list[tuple[str, int]] = []  # (text, group or -1)
    rest = ""
    i = 0
    while i < len(run):
        found = table.match_chinese(run, i) if table is not None else None
        if found is not None and table is not None and _longer_keyword(run, i, len(found[0]), table.lexicon):
            found = None  # an entry's keyword holds more than the synonym at its start (账号被冻结, not 账号)
        if found is None:
            rest += run[i]
            i += 1
            continue
        expression, group = found
        if rest:
            pieces.append((rest, -1))
            rest = ""
        pieces.append((expression, group))
        i += len(expression)
    if rest:
        pieces.append((rest, -1))
    for text, group in pieces:
        if group >= 0 and table is not None:
            own = table.own_terms(group, text)
            kind = table.kind(group)
            yield Concept(text, own, table.others(group, own)) if not kind else Concept(text, own, foreign=kind)
            continue
        pairs = known(cjk_pairs(text)) if known is not None and len(text) > 1 else set()
        lexicon = table.lexicon if table is not None else ()
        singles = ""
        for word in [*segment(text, lexicon, pairs), ""]:
            if len(word) == 1 and word not in STOP_ZH:
                singles += word
                continue
            if len(singles) >= 2:  # unknown characters in a row: an unknown word, words of one character, or
                # a slip of the input method that sounds like a word of the pack (工丹 for 工单, homophones.py)
                for piece in table.homophones.repair(singles) if table is not None else [singles]:
                    if table is not None and piece in table.lexicon:
                        yield _chinese_word(piece, table)
                    elif len(piece) >= 2:
                        yield Concept(piece, tuple(cjk_pairs(piece)), fragment=True)
            singles = ""
            if len(word) >= 2 and word not in STOP_ZH:
                yield _chinese_word(word, table)


def _chinese_word(word: str, table: SynonymTable | None) -> Concept:
    syn = table.match_word(word) if table is not None else None
    own = tuple(cjk_pairs(word))
    return Concept(word, own, table.others(syn, own) if syn is not None and table is not None else ())


def analyze(text: str, table: SynonymTable | None = None, known: KnownPairs | None = None) -> list[Concept]:
    """The concepts of a query, in order, without repeats. A query of function words only ("how",
    "怎么办", "的") has none: it matches nothing, rather than every entry a little.

    `known` says which character pairs the index holds (to cut Chinese words the general list lacks).
    """
    found: list[Concept] = []
    seen: set[tuple[str, ...]] = set()
    plain = normalize(text[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
    if "邮箱" in plain:  # 163邮箱, 126邮箱: NetEase's mail service, whose name is a number
        plain = re.sub(r"(?<!\d)(?:163|126)邮箱", "网易邮箱", plain)
    if not plain.isascii():  # 我個帳號俾人鎖咗，點解: 我个账号被人锁了，为什么
        from supportcli.core.faq.cantonese import standard_chinese

        plain = standard_chinese(plain)
    fakes = _lookalikes(plain) if ("bitfinex" in plain or "." in plain) and table is not None else []
    words = plain
    for domain in fakes:  # a lookalike address is one thing, not its parts (secure, org, verify)
        words = words.replace(domain, " bitfinex ")
    pieces = _complements([m.group() for m in PIECE.finditer(words)])
    i = 0
    while i < len(pieces) and len(found) < MAX_CONCEPTS:
        piece = pieces[i]
        concepts: list[Concept] = []
        if not is_latin(piece):
            concepts = list(_chinese_concepts(piece, table, known))
            i += 1
        else:
            latin = []
            j = i
            while j < len(pieces) and is_latin(pieces[j]):
                latin.append(pieces[j])
                j += 1
            concepts = list(_latin_concepts(_amounts(latin), table))
            i = j
        assets = table.context if table is not None else frozenset()
        for concept in concepts:
            key = concept.terms or (concept.word,)
            if key not in seen:
                seen.add(key)
                found.append(concept._replace(context=True) if is_context(concept.word, assets) else concept)
    if fakes and table is not None:
        found += _lookalike(table, seen)
    if any(c.foreign in _PLACES for c in found):
        # a wallet in a question about a deposit or a withdrawal is where the funds went ("withdrawal … my
        # ledger wallet"); an exchange is not ("binance 提现要多久" is about Binance's withdrawals)
        moves = table is not None and any(_moves(c, table) for c in found)
        sent = not moves and _moved(plain)  # funds sent, no deposit or withdrawal named: the wallet says which
        found = [_place(c, plain, table, (moves or sent) and c.foreign == "wallet", sent) if c.foreign in _PLACES
                 else c for c in found]
    if "bitfinex" in plain and table is not None:
        found = _towards_bitfinex(found, plain, table)
    elif table is not None:
        found = _into_balance(found, plain, table)
    if "out" in plain and table is not None and not any(_moves(c, table) for c in found) and _sent_out().search(plain):
        found = _with_concept(found, "withdraw", table)  # "sent eth out to my ledger": funds left Bitfinex
    if ("-" in plain or "\u2212" in plain) and table is not None and _minus_amount().search(plain):
        found = _with_concept(found, "negative", table)  # "funding wallet shows -0.0002 usd": a negative balance
    return _reported(_stress(found[:MAX_CONCEPTS], plain), plain)


# A question that asks what something is or how it works ("what is a blockchain fork", "助记词是什么意思",
# "how does a hardware wallet work", "闪电网络的原理"), how two compare ("difference between btc and eth") or
# what to pick ("recommend a good vpn", 推荐): general
# knowledge unless an entry is about that very thing (confidence.signal). "what is the fee" asks for a value,
# "提现显示已取消是什么原因" for a cause: neither is a definition.
_DEFINITION_ZH = ("是什么意思|什么意思|啥意思|什么是|什么叫|是什么东西|指的是什么|是指什么|是啥东西|怎么理解"
                  "|是怎么运作的|怎么运作|如何运作|工作原理|的原理|原理是什么|是什么原理|什么原理|是干什么的|是干嘛的|是做什么的"
                  "|有什么区别|有啥区别|什么区别|的区别|有什么不同|哪个好|哪个更好|推荐")
_DEFINITION_EN = (r"^(?:so |hey |hi |please |pls )?(?:what(?: is|s| s) "
                  r"(?!the |my |your |this |that |it |bitfinex|\w+ing\b|wrong|up\b)"
                  r"|what are (?!the |my |your |bitfinex)"
                  r"\w+s\b|define|definition of|meaning of|explain what)\b|\bwhat does .+ mean\b|\bwhat is meant by\b"
                  r"|^how (?:does|do) (?!i |my |you |we |bitfinex).+ work\b|\bwhat is .+ used for\b"
                  r"|\bdifference between\b|\bwhich is better\b|\bis .+ better than\b|\brecommend\b")


@lru_cache(maxsize=1)
def _definition() -> re.Pattern[str]:
    return re.compile(f"{_DEFINITION_ZH}|{_DEFINITION_EN}")


# Every pattern above holds one of these: a query without any is no definition question (and compiles nothing)
_DEFINITION_HINTS = ("意思", "什么", "东西", "原理", "运作", "区别", "不同", "哪个", "推荐", "干嘛", "理解", "what",
                     "mean", "define", "definition", "explain", "work", "difference", "better", "recommend")


def asks_definition(text: str) -> bool:
    """Whether the query asks what something is, rather than how to do something or what went wrong."""
    plain = " ".join(PIECE.findall(normalize(text[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]))
    return any(h in plain for h in _DEFINITION_HINTS) and bool(_definition().search(plain))


# What the user suffers is said after the cause: in Chinese after 后 / 之后 / 结果 … ("重置两步验证后不能提现"),
# in English after "but" / "now" ("withdrawal says completed but nothing arrived"); the words of an
# English clause opened by "after" / "since" / "because" are the cause ("can't withdraw after a 2fa reset").
_EFFECT_ZH_MARKS = "之后|以后|然后|结果|导致|变成|变为|成了|但是|可是|却|(?<![前之以然最落])后(?![台面续端悔来果])"
_EFFECT_EN = frozenset(("but", "however", "now", "yet"))
_CAUSE_EN = frozenset(("after", "since", "because", "once"))
# stems, as the words' stems are compared with them: "moved" is "mov", "wired" "wir"
_MOVED_EN = frozenset(("send", "transfer", "move", "mov", "wire", "wir", "pay", "withdraw", "deposit"))
_ARRIVED_EN = _MOVED_EN | frozenset(("receiv", "got", "get", "bridg", "cash", "arriv", "credit"))
_MESSAGES_EN = frozenset(("email", "mail", "messag", "ticket", "dm", "letter", "request", "complain", "form"))
_MESSAGES_ZH = ("邮件", "消息", "工单", "私信", "信息", "投诉")
_CLAUSE_END_EN = frozenset(("and", "but", "now", "so", "then", "i", "it"))


@lru_cache(maxsize=1)
def _effect_zh() -> re.Pattern[str]:
    return re.compile(_EFFECT_ZH_MARKS)


def _stress(concepts: list[Concept], text: str) -> list[Concept]:
    """The concepts of what the user suffers (see above), when the query also says a cause."""
    if len(concepts) < 2:
        return concepts
    at: list[int] = []
    cursor = 0
    for c in concepts:
        places = [x for x in (text.find(w, cursor) for w in c.word.split()) if x >= 0]  # "cannot withdraw": withdraw
        found = min(places) if places else -1
        at.append(found if found >= 0 else cursor)
        cursor = max(cursor, at[-1])
    marks = [m.end() for m in _effect_zh().finditer(text)] if not text.isascii() else []
    words = [(m.start(), m.group()) for m in _LATIN_WORD.finditer(text)]
    marks += [pos + len(w) for pos, w in words if w in _EFFECT_EN]
    cause: set[int] = set()
    for k, (pos, w) in enumerate(words):
        if w in _CAUSE_EN:
            end = next((p for p, x in words[k + 2:] if x in _CLAUSE_END_EN), len(text))
            end = min([end, *(i for i in (text.find(",", pos), text.find("，", pos)) if i > pos)])
            cause.update(i for i, a in enumerate(at) if pos < a < end)
    if marks:
        after = {i for i, a in enumerate(at) if a >= max(marks)}
        if after and len(after) < len(concepts):
            return [c._replace(stressed=True) if i in after else c for i, c in enumerate(concepts)]
    if cause and len(cause) < len(concepts):
        return [c if i in cause else c._replace(stressed=True) for i, c in enumerate(concepts)]
    return concepts


@lru_cache(maxsize=1)
def _domain() -> re.Pattern[str]:  # compiled only for a query that names bitfinex or holds a dot
    return re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+")
_OFFICIAL = "bitfinex.com"


def _lookalikes(text: str) -> list[str]:
    """Web addresses that name Bitfinex but are not bitfinex.com or one of its subdomains
    (bitfinex-support.net, bitfinex.com.verify-login.io): lookalikes, the question is about a phishing site."""
    out = []
    for match in _domain().finditer(text):
        domain = match.group().strip(".-")
        if "bitfinex" in domain and domain != _OFFICIAL and not domain.endswith("." + _OFFICIAL):
            out.append(domain)
        elif "bitfinex" not in domain and "." in domain and _resembles_bitfinex(domain):
            out.append(domain)  # a typo of the name (bitfilinex.com, bitfinnex.io): a lookalike too
    return out


def _resembles_bitfinex(domain: str) -> bool:
    from supportcli.core.guard.lookalike import resemblance  # the guard's test of a name that looks like a brand

    labels = [label for label in domain.split(".")[:-1] if len(label) >= 5]  # the last label is the TLD
    return any(resemblance(label, "bitfinex") is not None for label in labels)


def _lookalike(table: SynonymTable, seen: set[tuple[str, ...]]) -> list[Concept]:
    """The concept of a lookalike site (synonyms.toml's group of "lookalike")."""
    found = table.match_latin(["lookalike"], 0)
    if found is None:
        return []
    own = table.own_terms(found[1], "lookalike")
    return [] if own in seen else [Concept("lookalike", own, table.others(found[1], own), latin=True)]


# A message that claims something: what it says is the claim, not the user's problem ("got an email saying my
# account will be suspended" is about the email; 收到短信说我的账户异常 about the text message).
_CLAIM_EN = frozenset(("saying", "says", "said", "claiming", "claims", "claimed", "telling", "threatening", "warning"))
_MESSAGE_EN = frozenset(("email", "mail", "message", "messag", "text", "sms", "letter", "call", "notification",
                         "notic", "dm", "emails", "messages", "texts", "called", "calling", "phoned", "texted",
                         "emailed", "messaged", "wrote"))
_CLAIM_END_EN = frozenset(("and", "but", "then", "so"))
_CLAIM_END_ZH = ("然后", "还", "让我", "要我", "并且", "而且", "，", ",")
_MESSAGE_ZH = frozenset(("邮件", "短信", "消息", "信息", "电话", "私信", "通知", "来电", "假邮件", "钓鱼邮件",
                         "邮件说"))
_CLAIM_MARKS_ZH = ("说", "称", "提示", "通知", "告诉")


@lru_cache(maxsize=1)
def _claim_zh() -> re.Pattern[str]:  # compiled only for a Chinese query that holds a verb of saying
    return re.compile("(?:邮件|短信|消息|信息|电话|私信|通知|来电)(?:里|上|中)?(?:说|称|声称|提示|通知我|告诉我)")


def _reported(concepts: list[Concept], text: str) -> list[Concept]:
    """The concepts of what a message claims, said after its claim (see above)."""
    if len(concepts) < 2:
        return concepts
    end = -1
    chinese = not text.isascii() and any(m in text for m in _CLAIM_MARKS_ZH)
    match = _claim_zh().search(text) if chinese else None
    if match is not None:
        end = match.end()
    words = [(m.start(), m.end(), m.group()) for m in _LATIN_WORD.finditer(text)]
    for k, (_, stop, w) in enumerate(words):
        if w in _CLAIM_EN and any(x in _MESSAGE_EN for _, _, x in words[max(0, k - 3): k]):
            end = stop if end < 0 else min(end, stop)
            break
    if end < 0:
        return concepts
    # the claim runs to the end of its clause ("… saying my account is hacked and asked for my code")
    stops = [p for p, _, w in words if p > end and w in _CLAIM_END_EN]
    stops += [i for i in (text.find(m, end) for m in _CLAIM_END_ZH) if i > end]
    until = min(stops, default=len(text))
    out = []
    for c in concepts:
        at = text.find(c.word.split()[0]) if c.word else -1
        if end <= at < until:
            out.append(c._replace(reported=True))
        elif any(w in _MESSAGE_EN or w in _MESSAGE_ZH for w in (c.word, *c.word.split())):
            out.append(c._replace(stressed=True))  # the message itself is what the user asks about
        else:
            out.append(c)
    return out if any(not c.reported for c in out) else concepts


def _moves(concept: Concept, table: SynonymTable) -> bool:
    """Whether the concept is a deposit or a withdrawal (its group holds "deposit" or "withdraw")."""
    return any(alt in ((stem("deposit"),), (stem("withdraw"),)) for alt in (concept.terms, *concept.synonyms))


_MOVED_ZH = ("转了", "转出", "转过去", "转到", "提了", "提到", "发了", "发到", "打了", "打到", "充了", "汇了")


def _moved(text: str) -> bool:
    """Whether the text says funds were sent ("sent eth out", 转了1个eth): a wallet it names is where they went."""
    return bool({stem(w) for w in _LATIN_WORD.findall(text)} & _MOVED_EN) or any(w in text for w in _MOVED_ZH)


def _into_balance(concepts: list[Concept], text: str, table: SynonymTable) -> list[Concept]:
    """Coins sent with the balance still unchanged ("i transferred 2 eth and my balance is still zero",
    "转了0.5个eth进来余额还是0") were sent to the user's balance here: a deposit, unless the question
    already says which way they went (a deposit, a withdrawal, another exchange or wallet)."""
    if not _moved(text) or not any(c.context for c in concepts) or any(c.foreign for c in concepts):
        return concepts
    words = {stem(w) for w in _LATIN_WORD.findall(text)}
    if not ("余额" in text or "balanc" in words) or any(_moves(c, table) and c.terms != () for c in concepts
                                                         if not c.word.startswith(("转进", "转入"))):
        return concepts
    return _with_concept(concepts, "deposit", table)


def _with_concept(concepts: list[Concept], word: str, table: SynonymTable) -> list[Concept]:
    """The concepts and one more, `word` (a deposit, a withdrawal, "negative"), as its synonym group says it."""
    match = table.match_latin([word], 0)
    if match is None or any(c.word == word for c in concepts):
        return concepts
    own = table.own_terms(match[1], word)
    return [*concepts, Concept(word, own, table.others(match[1], own), latin=True)]


@lru_cache(maxsize=1)
def _minus_amount() -> re.Pattern[str]:
    """An amount below zero ("-0.0002 usd", "余额 -5"), not a range ("2-3 days") nor a word joined by a hyphen."""
    return re.compile(r"(?<![A-Za-z0-9.\-])[-\u2212]\s?\d")  # a Chinese word may stand right before: 余额-5


@lru_cache(maxsize=1)
def _sent_out() -> re.Pattern[str]:
    """Funds sent out ("sent eth out", "moved my btc out", "sending 2 btc out to my wallet")."""
    return re.compile(r"\b(?:sent|send|sending|moved|move|moving|transferred|transfer|took|take|taking)"
                      r"(?:\s+[a-z0-9.]+){0,3}?\s+out\b(?!\s+(?:of\s+)?(?:my|the)\s+(?:wallet|ledger|metamask))")


def _towards_bitfinex(concepts: list[Concept], text: str, table: SynonymTable) -> list[Concept]:
    """Funds sent to Bitfinex are a deposit ("sent eth to bitfinex", "转到bitfinex"), funds taken from it a
    withdrawal ("moved my btc from bitfinex to my wallet"): the direction is a concept of its own."""
    at = text.find("bitfinex")
    before = text[:at].rstrip()
    said = {stem(w) for w in _LATIN_WORD.findall(before)}
    after = text[at + len("bitfinex"):].lstrip()
    # 转到bitfinex, 从bitfinex(把币)转到币安: the verb before it, or (a Chinese 从…) in the words after it
    moved = said & _MOVED_EN or any(c in _MOVES for c in before[-12:]) or (
        before.endswith(("从", "自")) and any(c in _MOVES for c in re.split("[，,。？?！!]", after[:10])[0]))
    if not moved or said & _MESSAGES_EN or any(w in before for w in _MESSAGES_ZH):
        return concepts  # "an email from bitfinex", "send an email to bitfinex": nothing moved but words
    previous = (PIECE.findall(before[-20:])[-1:] or [""])[0]
    direction = ""
    if previous in _OUTGOING_BEFORE_EN or before.endswith(_OUTGOING_BEFORE_ZH) or before.endswith(("进", "入")):
        direction = "deposit"
    elif previous in _INCOMING_BEFORE_EN or before.endswith(("从", "自", "out of")):
        direction = "withdraw"
    match = table.match_latin([direction], 0) if direction else None
    if match is None or any(table.match_latin([w], 0) == match for c in concepts for w in c.word.split()[:1]):
        return concepts
    return _with_concept(concepts, direction, table)


_DIRECTIONS = ("进去", "进来", "过去", "过来", "出去", "出来")
_MOVES = "转打充存提汇"
_CANNOT_ZH = ("不能", "无法", "没法", "不了", "不可以")
_MEASURES = frozenset("个枚笔颗块刀万千次张份")


def _complements(pieces: list[str]) -> list[str]:
    """A verb and its direction split by what moved ("转了1000u进去", "打了0.5 eth进来") read as the verb and
    its direction together (转进去), the amount or coin between them staying a word of its own."""
    out = list(pieces)
    for i in range(1, len(out)):  # 3笔卖单: the measure word counts with the number, the rest is a word
        if out[i - 1].isdigit() and not is_latin(out[i]) and len(out[i]) > 2 and out[i][0] in _MEASURES:
            out[i] = out[i][1:]
    for i in range(len(out) - 1):  # 充了500u, 提了0.1个btc: the one-character verb of what moved
        if not is_latin(out[i]) and is_latin(out[i + 1]):
            for verb, word in (("充", "充值"), ("提", "提现")):
                for tail in (verb + "了", verb + "的", verb):
                    if out[i].endswith(tail) and not out[i].endswith(("补" + tail, "前" + tail)):
                        out[i] = out[i][: -len(tail)] + word + tail[1:]
                        break
    for i, piece in enumerate(out):  # 充的币, 提的钱: the coin or money of a deposit or a withdrawal
        if not is_latin(piece) and "的" in piece:
            out[i] = _verb_of().sub(lambda m: {"充": "充值", "提": "提现"}[m.group(1)] + "的", piece)
    for i in range(len(out) - 1, 0, -1):  # 为什么不能 withdraw: the Chinese "can't" of an English verb
        if is_latin(out[i]) and not is_latin(out[i - 1]) and out[i - 1].endswith(_CANNOT_ZH):
            out.insert(i, "cannot")
    for i in range(2, len(out)):
        if is_latin(out[i]) or not out[i].startswith(_DIRECTIONS) or not is_latin(out[i - 1]):
            continue
        j = i - 1
        while j > 0 and (is_latin(out[j]) or out[j] in _MEASURES):
            j -= 1
        verb = out[j].rstrip("了")
        if not is_latin(out[j]) and verb and verb[-1] in _MOVES:
            out[i] = verb[-1] + out[i]
    return out


@lru_cache(maxsize=1)
def _verb_of() -> re.Pattern[str]:
    return re.compile("(?<![补前冲])([充提])的(?=[币钱款])")


_PLACES = ("place", "wallet", "service")
# A service named as how someone got in touch: 加我微信, 在微信上, 通过 whatsapp, "on whatsapp", "via wechat".
_CHANNEL_BEFORE_ZH = ("加我", "加了我", "加", "通过", "用", "在", "发", "打", "拉我进", "拉进")
_CHANNEL_BEFORE_EN = frozenset(("on", "via", "through", "over", "in", "by", "using"))
_MAIL = frozenset(("email", "mail", "邮箱", "邮件"))
_INCOMING_BEFORE_EN = frozenset(("from",))
_DETERMINERS = frozenset(("my", "the", "a", "an", "our", "his", "her", "their", "your", "own"))
_OUTGOING_BEFORE_EN = frozenset(("to", "into", "onto"))
_INCOMING_AFTER_ZH = ("提过来", "转过来", "打过来", "充过来", "过来", "转来", "提来", "来的", "转入", "提到这")
_OUTGOING_BEFORE_ZH = ("到", "往", "向", "去", "提到", "转到", "充到", "提现到", "发到", "打到")


def _place(concept: Concept, text: str, table: SynonymTable | None, moving: bool = False,
           sent: bool = False) -> Concept:
    """Another exchange or a wallet named as where funds come from ("sent btc from coinbase",
    "从币安提过来") stands for a deposit here, as where they go ("withdraw to my metamask", "提币到冷钱包")
    for a withdrawal; in a question that names Bitfinex too it is context. Otherwise the question is
    about that place: the concept stays foreign."""
    word = concept.word
    at = text.find(word.split()[0])
    before, after = (text[:at].rstrip(), text[at + len(word):].lstrip()) if at >= 0 else ("", "")
    pieces = PIECE.findall(before[-24:])
    while len(pieces) > 1 and pieces[-1] in _DETERMINERS:  # "to my coinbase": the word before "my"
        pieces.pop()
    previous = pieces[-1:] or [""]
    direction = ""
    if previous[0] in _INCOMING_BEFORE_EN or before.endswith(("从", "自")) or after.startswith(_INCOMING_AFTER_ZH):
        direction = "deposit"
    elif previous[0] in _OUTGOING_BEFORE_EN or before.endswith(_OUTGOING_BEFORE_ZH):
        direction = "withdraw"
    if direction and text.isascii() and not {stem(w) for w in _LATIN_WORD.findall(text)} & _ARRIVED_EN:
        direction = ""  # "what happened to ftx": nothing moved, the question is about the place
    if concept.foreign == "service":
        direction = ""  # "a refund from amazon": funds do not reach Bitfinex from another service's account
    if not direction and sent and concept.foreign == "wallet" and "bitfinex" not in text:
        direction = "withdraw"  # "sent usdt out and my trust wallet shows nothing": the user's wallet got it
    if direction and table is not None:
        match = table.match_latin([direction], 0)
        if match is not None:
            return Concept(word, (), table.others(match[1], ()))
    if direction or "bitfinex" in text or moving:
        return concept._replace(foreign="", context=True)
    # a mail service's own name ("gmail", qq邮箱, "yahoo mail") is not a word about mail
    rest = before + " " + after.removeprefix("邮箱").removeprefix("mail")
    if concept.foreign == "service" and (previous[0] in _CHANNEL_BEFORE_EN or before.endswith(_CHANNEL_BEFORE_ZH)
                                         or any(w in rest for w in _MAIL)):
        return concept._replace(foreign="", context=True)  # how someone reached the user, or the user's mail
    return concept


def _latin_concepts(words: list[str], table: SynonymTable | None) -> Iterator[Concept]:
    i = 0
    while i < len(words):
        match = table.match_latin(words, i) if table is not None else None
        if match is not None and table is not None and words[i] in TIME_EN and table.kind(match[1]):
            match = None  # "5 min" is a time, not mining (both stem to "min")
        if match is not None:
            size, group = match
            phrase = words[i: i + size]
            own = tuple(content_terms(phrase))
            if table is not None:
                own = table.own_terms(group, " ".join(phrase)) or own
                kind = table.kind(group)
                yield (Concept(" ".join(phrase), own, table.others(group, own), latin=size == 1) if not kind
                       else Concept(" ".join(phrase), own, foreign=kind))
            i += size
            continue
        word = words[i]
        i += 1
        if word in STOP_EN or word.isdigit() or len(word) > MAX_WORD:
            continue
        # a lone letter ("b" of b网, "c" of "plan c") names nothing on its own: it weighs like a fragment
        yield Concept(word, (stem(word),), latin=len(word) > 1, fragment=len(word) == 1)


# ---------------------------------------------------------------------------- typos

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MAX_TYPO_WORD = 24  # typo repair looks at words up to this long (a longer one is not a typo of ours)


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def typo_candidates(word: str) -> set[str]:
    """Index terms a mistyped `word` may have meant (stems of its one-edit neighbours).

    A four-letter word is only tried with two letters swapped: every other edit of so short a
    word lands on some other word too often (`usdt` -> `usd`, `cant` -> `can`). Words longer than
    MAX_TYPO_WORD are not tried (a few hundred neighbours per letter would be built).
    """
    if len(word) < 4 or len(word) > MAX_TYPO_WORD or not word.isalpha() or not word.isascii():
        return set()
    if len(word) == 4:
        near = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(3)} - {word}
    else:
        near = edits1(word)
    return {stem(w) for w in near} - {stem(word)}

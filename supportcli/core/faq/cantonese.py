"""Written Cantonese in a query, said in standard written Chinese: 我個帳號俾人鎖咗，點解 asks what
我个账号被人锁了，为什么 asks, and the pack is written in the second.

Hong Kong users type the words of spoken Cantonese: 咗 (了), 唔 (不), 冇 (没), 嘅 (的), 喺 (在),
點解 (为什么), 點算 (怎么办), 幾耐 (多久), 戶口 (账户). Only the query is rewritten (the pack holds no
Cantonese), after traditional characters are folded to simplified ones (tokens.normalize), so the
table is in simplified characters. It holds only what is Cantonese alone: a character that is also
common standard Chinese (呢 of 你呢, 未 of 未到账, 仲 of 仲裁) is rewritten only in the words that
make it Cantonese (呢个, 仲系, 仲未).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Longest first where one holds another (俾人 before 俾, 系唔系 before 唔系 before 唔).
CANTONESE = (
    ("系唔系", "是不是"), ("系咪", "是不是"), ("唔系", "不是"), ("唔该", "请问"),
    ("点解", "为什么"), ("点算", "怎么办"), ("点样", "怎样"), ("点先", "怎样才"), ("点会", "怎么会"),
    ("几耐", "多久"), ("几时", "什么时候"), ("几多", "多少"), ("边度", "哪里"), ("边个", "哪个"),
    ("乜嘢", "什么"), ("咩事", "什么事"), ("做咩", "为什么"), ("咩", "什么"),
    ("佢哋", "他们"), ("我哋", "我们"), ("你哋", "你们"), ("佢", "他"),
    ("呢个", "这个"), ("呢度", "这里"), ("嗰个", "那个"), ("嗰", "那"),
    ("俾人", "被人"), ("畀人", "被人"), ("俾", "给"), ("畀", "给"),
    ("仲系", "还是"), ("仲未", "还没"), ("仲有", "还有"), ("仲要", "还要"),
    ("冇晒", "没了"), ("冇得", "不能"), ("冇", "没"), ("都未", "都没"),
    ("唔", "不"), ("咗", "了"), ("嘅", "的"), ("喺", "在"), ("嚟", "来"), ("啲", "些"),
    ("咁耐", "这么久"), ("好耐", "很久"), ("咁", "这么"), ("睇", "看"), ("揾", "找"), ("攞", "拿"),
    ("户口", "账户"),
)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(word) for word, _ in CANTONESE))


@lru_cache(maxsize=1)
def _standard() -> dict[str, str]:
    return dict(CANTONESE)


# Characters found only in written Cantonese (or in the words above): a query without any is left alone.
_MARKS = frozenset("咗唔冇嘅喺嚟啲咁睇揾攞俾畀佢哋嗰咩乜点几边仲呢户系好都")


def standard_chinese(text: str) -> str:
    """`text` (normalised: simplified, case folded) with its Cantonese words in standard written Chinese."""
    if not _MARKS.intersection(text):
        return text
    standard = _standard()
    return _pattern().sub(lambda m: standard[m.group()], text)

"""`faq show` speaks one language: no English phrase in the Chinese view of an entry, no Chinese in the English one.

URLs, ids, commands and the official wording an entry quotes (its sources' `quotes`) are allowed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from supportcli.core.faq.content import load_entries
from supportcli.core.faq.language import foreign_phrases
from supportcli.core.faq.model import FaqEntry
from supportcli.core.i18n import Lang
from supportcli.core.pack import load_pack
from tests.conftest import Runner

ROOT = Path(__file__).resolve().parent.parent / "content" / "bitfinex"
PACK = load_pack(ROOT)
ENTRIES = load_entries(PACK)


def _quotes(entry_sources: tuple[str, ...]) -> list[str]:
    sources = PACK.sources
    return [q for i in entry_sources if (s := sources.get(i)) is not None for q in s.quotes]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_every_entry_is_shown_in_one_language(cli: Runner, entry: FaqEntry, lang: Lang) -> None:
    r = cli("--lang", lang, "faq", "show", entry.id)
    assert r.exit_code == 0, r.output
    assert "\n  - " in r.stdout  # the sources are part of what is checked
    found = foreign_phrases(r.stdout, lang, _quotes(entry.sources))
    assert found == [], (entry.id, lang, found)


def test_the_check_catches_what_the_old_views_showed() -> None:
    # The source line of the Chinese view used to read like this.
    old = "来源：unofficial Chinese guide (pause, collect, check announcements, contact support)（核实于 2026-11-27）"
    assert foreign_phrases(old, "zh") == ["unofficial Chinese guide"]
    assert foreign_phrases("Source: 一篇非官方的中文指南", "en") == ["一篇非官方的中文指南"]
    # A quoted form subject is fine only when the entry's sources say it is official wording.
    subject = "主题写“request to lift withdrawal hold”"
    assert foreign_phrases(subject, "zh") == ["request to lift withdrawal hold"]
    assert foreign_phrases(subject, "zh", _quotes(("bfx-withdrawal-hold",))) == []


def test_urls_ids_and_commands_are_the_same_in_every_language() -> None:
    text = ("打开 https://support.bitfinex.com/hc/en-us/articles/115003284189，或运行 "
            "`supportcli faq search 你的问题`；下一步：supportcli troubleshoot password-reset；"
            "相关：withdrawal-address-lock；邮箱 support@bitfinex.com；账号 @bitfinex")
    assert foreign_phrases(text, "zh") == []

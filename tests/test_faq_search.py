"""`supportcli faq search|show|list`: what a user sees, in both languages, and how fast it starts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from supportcli.core.faq.rank import Phrase, resolve
from supportcli.core.faq.snippet import make_snippet
from supportcli.core.faq.tokens import analyze, stem, terms, typo_candidates
from tests.conftest import Runner

# ------------------------------------------------------------------ tokens


def test_chinese_becomes_character_pairs_and_filler_is_cut() -> None:
    assert terms("提现没到账") == ["提现", "现没", "没到", "到账"]
    # words, not pairs across them: no 现怎, 么还 or 还没
    assert [c.terms for c in analyze("我的提现怎么还没到账？")] == [("提现",), ("到账",)]
    assert analyze("充") == []  # a single character is never searched on its own


def test_light_stemming_and_full_width_text() -> None:
    assert stem("withdrawals") == stem("withdrawal") == stem("withdrawing") == stem("withdraw")
    assert stem("verification") == stem("verify") == stem("verified")
    assert stem("fees") == "fee" and stem("address") == "address"
    assert terms("ＫＹＣ ２FA") == ["kyc", "2fa"]


def test_amounts_coins_and_times_are_context_not_what_is_asked(pack_root: Path, tmp_path: Path) -> None:
    from supportcli.core.faq.search import Faq
    from supportcli.core.pack import load_pack

    table = Faq(load_pack(pack_root), tmp_path).synonyms
    concepts = analyze("withdrew 500usdt 3 hours ago, 2000u and 10k still nothing", table)
    words = {c.word: c.context for c in concepts}
    assert words["usdt"] and words["hours"]  # which coin and when: searched, but context
    assert not any(w in words for w in ("500", "2000u", "u", "10k", "k", "ago"))
    assert [c.word for c in analyze("2FA u2f")] == ["2fa", "u2f"]  # not amounts
    zh = {c.word: c.context for c in analyze("提了2000u三天了，昨晚还没到", table)}
    assert zh.get("三天") and zh.get("昨晚") and "u" not in zh


@pytest.mark.parametrize(
    ("typo", "meant"), [("pasword", "password"), ("withdrawl", "withdraw"), ("verfication", "verify")]
)
def test_one_edit_typos_reach_the_right_stem(typo: str, meant: str) -> None:
    assert stem(meant) in typo_candidates(typo)


def test_four_letter_words_are_only_repaired_by_swapping_two_letters(cli: Runner) -> None:
    assert "help" in typo_candidates("hlep")
    assert "usd" not in typo_candidates("usdt") and "can" not in typo_candidates("cant")
    r = cli("faq", "search", "USDT", "充值", "pending", "--lang", "zh", "--json")
    ids = [d["id"] for d in json.loads(r.stdout)]
    assert ids[0] in ("deposit", "deposit-confirmations") and "fiat-wire" not in ids[:2]  # deposits, not US dollars
    assert "拼写容错" not in cli("faq", "search", "USDT", "充值", "pending", "--lang", "zh").stdout


def test_snippet_marks_matches_and_cuts_around_them() -> None:
    text = "An introduction that says nothing. " * 5 + "Your withdrawal is held for 5 days. " + "Filler. " * 20
    snip = make_snippet(text, [Phrase(stem("withdrawals"), "withdrawals")])
    assert snip.text.startswith("…") and snip.text.endswith("…")
    (start, end), = snip.spans
    assert snip.text[start:end] == "withdrawal"


# ------------------------------------------------------------------ search


def test_search_in_english_shows_title_snippet_and_follow_up(cli: Runner) -> None:
    r = cli("faq", "search", "withdrawal", "not", "arrived")
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[1]
    assert first.startswith("1. How do I withdraw?")
    assert "supportcli faq show withdraw" in r.stdout
    assert "supportcli troubleshoot withdrawal-delayed" in r.stdout


def test_search_in_chinese_without_spaces(cli: Runner) -> None:
    r = cli("--lang", "zh", "faq", "search", "提现没到账")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1].startswith("1. 如何提现")
    assert "阅读：supportcli faq show withdraw" in r.stdout


def test_query_in_the_other_language_than_the_interface(cli: Runner) -> None:
    r = cli("--lang", "en", "faq", "search", "忘记密码", "--json")
    data = json.loads(r.stdout)
    assert data[0]["id"] == "password-reset"
    assert data[0]["title"].startswith("I forgot my password")  # the interface language
    assert "忘记密码" in data[0]["snippet"] and data[0]["snippet_lang"] == "zh"  # where it matched


def test_typos_are_forgiven_and_said(cli: Runner) -> None:
    r = cli("faq", "search", "pasword", "reset")
    assert r.exit_code == 0
    assert "typos in: pasword" in r.stdout
    assert "1. I forgot my password" in r.stdout


def test_json_is_an_array_best_first_with_stable_keys(cli: Runner) -> None:
    r = cli("faq", "search", "提现", "--json", "--limit", "3")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert 1 <= len(data) <= 3
    assert data[0]["id"] == "withdraw"
    assert {"id", "title", "score", "category", "snippet", "snippet_lang", "flow", "source", "origin"} <= set(data[0])
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)


def test_highlighting_is_styled_text_on_a_terminal(cli: Runner) -> None:
    r = cli("faq", "search", "withdrawal", tty=True)
    assert r.exit_code == 0
    assert "\x1b[1;33mwithdrawal\x1b[0m" in r.stdout or "\x1b[1;33mWithdrawal" in r.stdout


def test_no_match_says_so_suggests_and_exits_1(cli: Runner) -> None:
    # (not "weather forecast": the typo repair reads "weather" as "death", a word of the inheritance entry)
    r = cli("faq", "search", "lasagna", "recipe", "tonight")
    assert r.exit_code == 1
    assert "Nothing in the knowledge base matches" in r.stdout
    assert "Maybe related:" in r.stdout
    assert "supportcli troubleshoot" in r.stdout and "supportcli draft-ticket" in r.stdout
    r = cli("faq", "search", "天气预报", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout) == []


@pytest.mark.parametrize("query", ["how", "a", "怎么办", "的", "I need help", "!!!", "😀"])
def test_a_query_of_filler_words_matches_nothing_and_says_how_to_ask(cli: Runner, query: str) -> None:
    r = cli("faq", "search", query, "--lang", "zh")
    assert r.exit_code == 1
    assert "没有可搜索的词" in r.stdout and "可以从这些条目开始" in r.stdout
    assert "contact-channels" in r.stdout and "supportcli troubleshoot" in r.stdout
    r = cli("faq", "search", query, "--json")
    assert r.exit_code == 1 and json.loads(r.stdout) == []


def test_greetings_and_thanks_do_not_change_the_answer(cli: Runner) -> None:
    r = cli("faq", "search", "hi, I need help, my deposit is missing, thanks", "--json")
    polite = [d["id"] for d in json.loads(r.stdout)]
    plain = [d["id"] for d in json.loads(cli("faq", "search", "my deposit is missing", "--json").stdout)]
    assert polite == plain and polite[0] == "deposit"


def test_bad_limit_and_empty_query_are_exit_2_naming_the_field(cli: Runner) -> None:
    r = cli("faq", "search", "deposit", "--limit", "0")
    assert r.exit_code == 2 and "--limit" in r.stderr
    r = cli("faq", "search", "  ")
    assert r.exit_code == 2 and "QUERY" in r.stderr
    assert "Traceback" not in r.output


# ------------------------------------------------------------------ show and list


def test_show_prints_the_entry_with_source_related_and_flow(cli: Runner) -> None:
    r = cli("faq", "show", "withdrawal-hold")
    assert r.exit_code == 0
    assert r.stdout.startswith("Withdrawals on hold after a password reset or security change")
    assert "request to lift withdrawal hold" in r.stdout
    assert "Next step: supportcli troubleshoot password-reset" in r.stdout
    assert "withdrawal-cancelled" in r.stdout  # related
    lines = r.stdout.splitlines()
    at = lines.index("Sources (this entry checked on 2026-12-01):")
    assert lines[at + 1] == "  - Help center: why do I have a withdrawal hold? (official)"
    assert lines[at + 2] == "    https://support.bitfinex.com/hc/en-us/articles/115003284189, read on 2026-12-01"


def test_show_names_each_source_and_how_sure_it_is_in_the_readers_language(cli: Runner) -> None:
    r = cli("--lang", "zh", "faq", "show", "social-media-support")
    assert r.exit_code == 0
    assert "来源（本条核实于 2026-12-01）：" in r.stdout
    assert "  - 帮助中心：如何防范钓鱼诈骗（官方）" in r.stdout
    assert "  - X（Twitter）@bitfinex，被许多第三方网站引用（第三方，未经官方证实）" in r.stdout
    assert "  - Telegram 账号 t.me/bitfinex（尚未确认）" in r.stdout
    assert "unofficial" not in r.stdout and "third-party" not in r.stdout


def test_show_in_chinese_with_notes(cli: Runner) -> None:
    r = cli("--lang", "zh", "faq", "show", "verify-account")
    assert r.exit_code == 0
    assert "2–3 个工作日" in r.stdout and "说明：" in r.stdout


def test_show_json(cli: Runner) -> None:
    data = json.loads(cli("faq", "show", "deposit", "--json").stdout)
    assert data["id"] == "deposit" and data["flow"] == "deposit-missing"
    assert data["related"][0] == {"id": "deposit-confirmations", "title": "How many confirmations does a deposit need?"}
    assert set(data) == {"id", "category", "title", "body", "notes", "related", "flow", "source", "verified",
                         "origin", "languages"}
    assert data["source"][0] == {
        "id": "bfx-memo", "url": "https://support.bitfinex.com/hc/en-us/articles/45840790725785",
        "title": "Help center: using a memo/tag (payment ID) for deposits and withdrawals",
        "confidence": "official", "checked": "2026-12-01",
    }
    zh = json.loads(cli("--lang", "zh", "faq", "show", "deposit", "--json").stdout)
    assert zh["source"][0]["title"] == "帮助中心：充提时如何使用标签/Memo（支付 ID）"
    assert zh["source"][0]["confidence"] == "official"  # a stable value, not a translation


def test_show_unknown_id_is_exit_2_with_did_you_mean(cli: Runner) -> None:
    r = cli("faq", "show", "withdrawl")
    assert r.exit_code == 2
    assert "No FAQ entry with the id 'withdrawl'" in r.stderr and "Did you mean: withdraw" in r.stderr
    r = cli("--lang", "zh", "faq", "show", "提现")
    assert r.exit_code == 2 and "withdraw" in r.stderr and "你是不是要找" in r.stderr


def test_show_takes_an_id_typed_in_capitals(cli: Runner) -> None:
    r = cli("faq", "show", "Withdraw")
    assert r.exit_code == 0 and r.stdout.startswith("How do I withdraw?")


def test_list_is_grouped_by_category(cli: Runner) -> None:
    r = cli("faq", "list")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "Contacting support"
    assert lines.index("Security and scams") < next(i for i, ln in enumerate(lines) if "phishing-fake-support" in ln)
    data = json.loads(cli("faq", "list", "--json").stdout)
    assert data["pack"] == "bitfinex" and data["imported"] == 0
    groups = {g["category"]: [e["id"] for e in g["entries"]] for g in data["categories"]}
    assert "withdraw" in groups["funding"] and "contact-channels" in groups["contact"]


def test_help_is_bilingual_with_examples(cli: Runner) -> None:
    r = cli("faq", "--help")
    assert "Examples:" in r.stdout and "supportcli faq search" in r.stdout
    r = cli("--lang", "zh", "faq", "search", "--help")
    assert "最多显示多少条结果" in r.stdout


# ------------------------------------------------------------------ the cache and start-up


def test_the_parsed_pack_is_cached_and_refreshed_when_a_file_changes(
    cli: Runner, tmp_path: Path, pack_root: Path, isolated_home: Path
) -> None:
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    assert cli("--pack", str(copy), "faq", "search", "deposit").exit_code == 0
    (cache,) = (isolated_home / ".local" / "share" / "supportcli" / "index").glob("pack-bitfinex-*.json")
    assert (cache.stat().st_mode & 0o777) == 0o600
    entry = copy / "faq" / "fees.toml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("What are the fees?", "Zebra fees?"), encoding="utf-8")
    stamp = time.time() + 5
    os.utime(entry, (stamp, stamp))
    data = json.loads(cli("--pack", str(copy), "faq", "search", "zebra", "--json").stdout)
    assert data[0]["id"] == "fees" and data[0]["title"].startswith("Zebra")


def test_two_copies_of_the_pack_keep_their_own_cache_instead_of_rebuilding_each_other(
    cli: Runner, tmp_path: Path, pack_root: Path, isolated_home: Path
) -> None:
    """Two installed versions (or --pack copies) used in turn each find their parsed pack still cached."""
    first, second = tmp_path / "a" / "bitfinex", tmp_path / "b" / "bitfinex"
    shutil.copytree(pack_root, first)
    shutil.copytree(pack_root, second)
    index = isolated_home / ".local" / "share" / "supportcli" / "index"
    assert cli("--pack", str(first), "faq", "search", "deposit").exit_code == 0
    (cache_a,) = index.glob("pack-bitfinex-*.json")
    written = cache_a.stat().st_mtime_ns
    assert cli("--pack", str(second), "faq", "search", "deposit").exit_code == 0
    assert cli("--pack", str(first), "faq", "search", "deposit").exit_code == 0
    assert len(list(index.glob("pack-bitfinex-*.json"))) == 2
    assert cache_a.stat().st_mtime_ns == written  # read, not rebuilt


def test_old_parsed_packs_are_pruned_but_never_another_packs(tmp_path: Path, pack_root: Path) -> None:
    from supportcli.core.faq.search import CACHE_FILES_KEPT, Faq
    from supportcli.core.pack import load_pack

    other = tmp_path / "pack-bitfinex-eu-0123456789abcdef.json"
    names = [other.name, "pack-bitfinex.json", *(f"pack-bitfinex-{i:016x}.json" for i in range(6))]
    for i, name in enumerate(names):
        (tmp_path / name).write_text("{}", encoding="utf-8")
        os.utime(tmp_path / name, (1000 + i, 1000 + i))
    faq = Faq(load_pack(pack_root), tmp_path)
    ours = sorted(p.name for p in tmp_path.glob("pack-bitfinex-*.json") if p != other)
    assert len(ours) == CACHE_FILES_KEPT and faq.cache_path.name in ours
    assert "pack-bitfinex-0000000000000005.json" in ours and "pack-bitfinex.json" not in ours
    assert other.is_file()


def test_the_cache_of_a_changed_indexing_code_is_not_used(
    tmp_path: Path, pack_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new version of the search code with the same pack files builds its own parsed pack."""
    from supportcli.core.faq import search as search_module
    from supportcli.core.pack import load_pack

    pack = load_pack(pack_root)
    before = search_module.pack_signature(pack)
    code = tmp_path / "faq-code"
    code.mkdir()
    (code / "tokens.py").write_text("# another version\n", encoding="utf-8")
    monkeypatch.setattr(search_module, "_CODE_DIRS", (code,))
    assert search_module.pack_signature(pack) != before


def test_search_loads_no_prompt_libraries_no_rich_for_json_and_no_sqlite_without_an_index(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from supportcli.cli import main\n"
        "rc = main(['faq', 'search', '提现', '--json'])\n"
        "heavy = {'questionary', 'prompt_toolkit', 'rich', 'sqlite3', 'yaml'}\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & heavy)\n"
        "print('RC=%d LOADED=%s' % (rc, ','.join(bad)), file=sys.stderr)\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert "RC=0 LOADED=\n" in r.stderr, r.stderr


def test_common_words_in_a_large_index_are_matched_through_the_strong_fields() -> None:
    from supportcli.core.faq.store import fts_query

    very = Phrase("提现", "提现", rows=30000)
    common = Phrase("password", "password", rows=8000)
    rare = Phrase("reset", "reset", rows=40)
    assert fts_query([very, common, rare], rows=100000) == \
        '{title questions} : "提现" OR {title keywords questions} : "password" OR "reset"'
    assert fts_query([very, rare], rows=1000) == '"提现" OR "reset"'  # a small index scores everything


def test_a_word_in_most_rows_keeps_a_small_positive_weight() -> None:
    from supportcli.core.faq.rank import idf

    counts = {"account": 60, "lock": 3}
    query = resolve(analyze("account locked"), lambda w: {k: counts[k] for k in w if k in counts}, 100)
    weights = {n.word: n.weight for n in query.needs}
    assert 0 < weights["account"] < weights["locked"]  # no cliff at half the rows
    assert idf(100, 100) > 0


def test_snippet_cuts_between_words_not_inside_them() -> None:
    text = ("Change your password, reset 2FA or your e-mail, or change a withdrawal address? "
            "Withdrawals are then held for 5 days, see the entry on holds after security changes. ") * 3
    for query in ("withdrawals", "held", "security"):
        snip = make_snippet(text, [Phrase(stem(query), query)])
        body = snip.text.strip("…")
        assert snip.text != body  # it was cut
        assert text.startswith(body) or f" {body}" in text, snip.text
        assert body.endswith((" ", ".", ",", "?")) or f"{body} " in text, snip.text
        assert any(snip.text[a:b].lower().startswith(query[:4]) for a, b in snip.spans)


@pytest.mark.parametrize(
    ("lang", "query"), [("zh", "提现没到账"), ("en", "withdraw 2fa"), ("zh", "withdrawal pending")]
)
def test_snippets_fit_on_one_line_of_a_narrow_terminal(
    cli: Runner, monkeypatch: pytest.MonkeyPatch, lang: str, query: str
) -> None:
    import unicodedata

    monkeypatch.setenv("COLUMNS", "60")
    r = cli("faq", "search", query, "--lang", lang)
    snippets = [line for line in r.stdout.splitlines() if line.startswith("   ") and "→" not in line]
    assert len(snippets) >= 2
    for line in snippets:
        assert sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) <= 60, line
        assert not line.strip("… ").startswith((",", "，")), line


def test_a_pasted_page_of_unknown_words_repairs_only_the_first_few() -> None:
    from supportcli.core.faq.rank import MAX_REPAIRS, resolve

    lookups: list[int] = []

    def doc_freq(words: list[str]) -> dict[str, int]:
        lookups.append(len(words))
        return {"withdraw": 3} if "withdraw" in words else {}

    words = " ".join(f"zq{chr(97 + i % 26)}{chr(97 + i // 26)}xv" for i in range(300))
    phrases = resolve(analyze("withdrawl " + words), doc_freq, 20).phrases
    assert [p.term for p in phrases] == ["withdraw"] and phrases[0].corrected
    assert len(lookups) == 1 + MAX_REPAIRS


def test_traditional_chinese_finds_the_simplified_entries_and_is_highlighted(cli: Runner) -> None:
    r = cli("faq", "search", "提現沒到帳", "--lang", "zh", "--json")
    assert json.loads(r.stdout)[0]["id"] == "withdraw"
    assert json.loads(cli("faq", "search", "帳戶被鎖", "--json").stdout)[0]["id"] == "account-locked"
    phrases = resolve(analyze("提现 到账"), lambda words: dict.fromkeys(words, 1), 9).phrases
    snip = make_snippet("我的賬戶：提現一直沒有到帳。", phrases)
    assert [snip.text[a:b] for a, b in snip.spans] == ["提現", "到帳"]


def test_a_large_index_repairs_a_typo_only_to_a_word_with_the_same_first_letters() -> None:
    counts = {"password": 300}

    def doc_freq(words: list[str]) -> dict[str, int]:
        return {w: counts[w] for w in words if w in counts}

    assert [p.term for p in resolve(analyze("apssword"), doc_freq, 1000).corrected] == ["password"]
    assert resolve(analyze("apssword"), doc_freq, 1000, typo_head=2).corrected == []
    assert [p.term for p in resolve(analyze("pasword"), doc_freq, 1000, typo_head=2).corrected] == ["password"]

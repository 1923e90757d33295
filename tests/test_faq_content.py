"""The shipped FAQ: required ids, both languages, facts with sources, and checks that name file:line: key."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from supportcli.core.faq.content import check_pack, load_entries
from supportcli.core.faq.model import CATEGORIES
from supportcli.core.pack import load_pack
from tests.conftest import Runner

REQUIRED = (
    "contact-channels", "submit-ticket", "email-support", "social-media-support", "help-docs",
    "verify-account", "deposit", "withdraw", "trade-failed", "password-reset", "abnormal-trade",
    "faster-support", "escalate-complaint", "trade-dispute", "protect-account-info", "response-times",
    # what exchange users also expect
    "lost-2fa-device", "withdrawal-hold", "phishing-fake-support", "api-keys", "account-locked", "fees",
    # issue 12: the questions real users ask (a contract: exactly these ids)
    "wrong-network-deposit", "missing-memo", "account-closure", "margin-funding", "liquidation", "reports-export",
    "sub-accounts", "inheritance", "old-deposit-address", "fiat-wire", "withdrawal-address-lock", "usdt-networks",
    "live-chat", "withdrawal-cancelled", "negative-balance", "us-residents", "wallet-transfer", "lost-email-access",
    "hacked-account",
)


def test_required_entries_exist_with_both_languages(pack_root: Path) -> None:
    pack = load_pack(pack_root)
    entries = {e.id: e for e in load_entries(pack)}
    assert set(REQUIRED) <= set(entries)
    assert len(entries) >= 45
    sources = pack.sources
    for entry in entries.values():
        assert entry.category in CATEGORIES
        for lang in ("zh", "en"):
            assert entry.title[lang].strip() and entry.body[lang].strip()
            assert entry.keywords[lang], (entry.id, lang)
        assert entry.sources and all(sources.get(i) is not None for i in entry.sources), entry.id
        assert entry.verified == "2026-12-01"
        assert entry.related, entry.id


def test_every_contract_entry_leads_to_a_flow(pack_root: Path) -> None:
    entries = {e.id: e for e in load_entries(load_pack(pack_root))}
    for entry_id in REQUIRED[22:]:
        assert entries[entry_id].flow, entry_id


def test_the_shipped_faq_has_no_problems(pack_root: Path) -> None:
    assert check_pack(load_pack(pack_root)) == []


def test_official_facts_win_and_the_difference_is_noted(pack_root: Path) -> None:
    entries = {e.id: e for e in load_entries(load_pack(pack_root))}
    verify = entries["verify-account"]
    assert "2–3" in verify.body["en"] and "2–3" in verify.body["zh"]
    assert "1–3" in verify.notes["en"] and "1–3" in verify.notes["zh"]
    assert "not officially confirmed" in entries["response-times"].notes["en"]
    hold = entries["withdrawal-hold"]
    assert "5-day" in hold.title["en"] and "request to lift withdrawal hold" in hold.body["en"]
    # the official conditions: Intermediate or higher, a handwritten note, cancelled withdrawals
    assert "Intermediate or higher" in hold.body["en"] and "中级或以上" in hold.body["zh"]
    assert "handwritten note" in hold.body["en"] and "手写纸条" in hold.body["zh"]
    assert "cancelled" in hold.body["en"] and "取消" in hold.body["zh"]
    # what triggers it: a withdrawal address unlocked or changed, never "unlocking the account"
    for entry_id in ("withdrawal-hold", "account-locked"):
        for lang in ("zh", "en"):
            assert "unlocking the account" not in entries[entry_id].body[lang]
            assert "解锁账户后提现" not in entries[entry_id].body[lang]
    assert "Verification raises" not in entries["verify-account"].body["en"]
    assert "unlocks features, not limits" in entries["verify-account"].body["en"]
    assert "Lightning" in entries["fees"].body["en"] and "闪电网络" in entries["fees"].body["zh"]
    assert "12 hours" in entries["withdraw"].body["en"] and "12 小时" in entries["withdraw"].body["zh"]
    assert "Basic Plus" in entries["missing-memo"].body["en"] and "costs a fee" in entries["missing-memo"].body["en"]
    # an @bitfinex.com sender is no proof; lookalike domains are labelled third-party
    email = entries["email-support"].body
    assert "Trust only addresses ending in @bitfinex.com" not in email["en"]
    assert "proves nothing" in email["en"] and "third-party" in email["en"] and "第三方" in email["zh"]
    # no phone line is promised anywhere, and none is denied as a fact either: none was found
    assert "found no official phone" in entries["contact-channels"].body["en"]
    for entry in entries.values():
        assert "there is no official phone" not in entry.body["en"].lower(), entry.id
        assert "官方没有客服电话" not in entry.body["zh"], entry.id


def test_flows_and_related_point_at_existing_ids(pack_root: Path) -> None:
    pack = load_pack(pack_root)
    entries = load_entries(pack)
    ids = {e.id for e in entries}
    flows = pack.section_ids("flows")
    for entry in entries:
        assert set(entry.related) <= ids
        assert entry.flow is None or entry.flow in flows


@pytest.fixture
def pack_copy(tmp_path: Path, pack_root: Path) -> Path:
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    return copy


def _line(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_broken_entries_are_reported_by_file_line_and_key(cli: Runner, pack_copy: Path) -> None:
    faq = pack_copy / "faq"
    withdraw = faq / "withdraw.toml"
    text = withdraw.read_text(encoding="utf-8")
    text = text.replace('flow = "withdrawal-delayed"', 'flow = "no-such-flow"')
    text = text.replace('related = ["withdrawal-hold",', 'related = ["nope",')
    text = text.replace('category = "funding"', 'category = "money"')
    withdraw.write_text(text, encoding="utf-8")
    fees = faq / "fees.toml"
    fees.write_text(fees.read_text(encoding="utf-8").replace('id = "fees"', 'id = "fee-schedule"'), encoding="utf-8")
    r = cli("content", "check", str(pack_copy))
    assert r.exit_code == 1
    out = r.stdout.splitlines()
    assert f"bitfinex/faq/withdraw.toml:{_line(withdraw, 'no-such-flow')}: flow: " \
        "the id of an existing troubleshooting flow ('no-such-flow' does not exist)" in out
    assert f"bitfinex/faq/withdraw.toml:{_line(withdraw, 'related =')}: related[0]: " \
        "the id of an existing FAQ entry ('nope' does not exist)" in out
    category = f"bitfinex/faq/withdraw.toml:{_line(withdraw, 'money')}: category: one of"
    assert any(line.startswith(category) for line in out)
    assert f"bitfinex/faq/fees.toml:{_line(fees, 'fee-schedule')}: id: the file name without .toml ('fees')" in out


def test_missing_language_and_bad_toml(cli: Runner, pack_copy: Path) -> None:
    deposit = pack_copy / "faq" / "deposit.toml"
    data = deposit.read_text(encoding="utf-8")
    start = data.index("[keywords]")
    data = data[:start] + '[keywords]\nen = ["deposit"]\nzh = []\n'
    deposit.write_text(data, encoding="utf-8")
    (pack_copy / "faq" / "broken.toml").write_text('id = "broken"\ntitle = = 1\n', encoding="utf-8")
    r = cli("content", "check", str(pack_copy))
    assert r.exit_code == 1
    assert f"bitfinex/faq/deposit.toml:{_line(deposit, 'zh = []')}: keywords.zh: a non-empty list" in r.stdout
    assert "bitfinex/faq/broken.toml:2: (syntax): valid TOML" in r.stdout


def test_a_broken_pack_stops_search_with_the_problems(cli: Runner, pack_copy: Path) -> None:
    faq = pack_copy / "faq" / "deposit.toml"
    faq.write_text(faq.read_text(encoding="utf-8").replace('category = "funding"', 'category = "x"'), encoding="utf-8")
    r = cli("--pack", str(pack_copy), "faq", "search", "deposit")
    assert r.exit_code == 1
    assert "bitfinex/faq/deposit.toml:" in r.stderr and "category" in r.stderr
    assert "Traceback" not in r.output


def test_every_entry_file_is_plain_toml_in_utf8(pack_root: Path) -> None:
    for path in sorted((pack_root / "faq").glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        assert data["id"] == path.stem


def test_every_entry_says_how_users_ask_for_it_in_both_languages(pack_root: Path) -> None:
    for entry in load_entries(load_pack(pack_root)):
        for lang in ("zh", "en"):
            questions = entry.questions[lang]
            assert 8 <= len(questions) <= 15, (entry.id, lang)
            assert len(set(questions)) == len(questions), (entry.id, lang)
            assert all(any(not c.isascii() for c in q) == (lang == "zh") for q in questions), (entry.id, lang)


def _list_line(path: Path, lang: str) -> int:
    """The line of `<lang> = [` in the file's [questions] table."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("[questions]")
    return lines.index(f"{lang} = [", start) + 1


def test_an_example_question_with_a_word_the_entry_does_not_hold_is_refused(cli: Runner, pack_copy: Path) -> None:
    withdraw = pack_copy / "faq" / "withdraw.toml"
    text = withdraw.read_text(encoding="utf-8")
    text = text.replace('"how do i withdraw",', '"how do i withdraw on binance",')  # stuffing a name
    text = text.replace('"怎么提现",', '"挖矿怎么提现",')  # a topic the entry never mentions
    withdraw.write_text(text, encoding="utf-8")
    r = cli("content", "check", str(pack_copy))
    assert r.exit_code == 1
    out = r.stdout.splitlines()
    # a problem names the list's line (the first line of `en = [`) and the item's index
    en_list, zh_list = _list_line(withdraw, "en"), _list_line(withdraw, "zh")
    assert f"bitfinex/faq/withdraw.toml:{en_list}: questions.en[0]: an example question " \
        "whose every word the entry backs ('binance' is not in its title, keywords, body or notes, " \
        "nor a synonym of a word there)" in out
    assert any(line.startswith(f"bitfinex/faq/withdraw.toml:{zh_list}: questions.zh[1]: ")
               for line in out), out
    # binance and 挖矿 are also what the pack's scope.toml says it does not answer: that an entry now
    # holds them in an example question is named there too
    for key in ("exchanges.en[0]", "topics.zh[0]"):
        assert any(line.startswith("bitfinex/scope.toml:") and f": {key}: " in line and "'withdraw'" in line
                   for line in out), out
    assert len(out) == 4, out  # amounts, coins and times ("2000u", "5 hours") need no backing


def test_example_questions_are_counted_and_kept_to_their_language(cli: Runner, pack_copy: Path) -> None:
    fees = pack_copy / "faq" / "fees.toml"
    data = fees.read_text(encoding="utf-8")
    few = '[questions]\nzh = ["手续费是多少"]\nen = ["what are the fees"]\n'
    fees.write_text(data[:data.index("[questions]")] + few, encoding="utf-8")
    withdraw = pack_copy / "faq" / "withdraw.toml"
    withdraw.write_text(withdraw.read_text(encoding="utf-8").replace('"how do i withdraw",', '"怎么提现 withdraw",'),
                        encoding="utf-8")
    out = cli("content", "check", str(pack_copy)).stdout.splitlines()
    one = 'zh = ["手续费是多少"]'
    assert f"bitfinex/faq/fees.toml:{_line(fees, one)}: questions.zh: 8 to 15 example " \
        "questions, each one line of at most 120 characters" in out
    en_list = _list_line(withdraw, "en")
    assert any(line.startswith(f"bitfinex/faq/withdraw.toml:{en_list}: questions.en[0]: "
                               "text in 'en' only") for line in out), out


def test_scope_toml_is_checked_against_what_the_pack_answers(cli: Runner, pack_copy: Path) -> None:
    scope = pack_copy / "scope.toml"
    scope.write_text(scope.read_text(encoding="utf-8") + '\n[unknown]\nzh = ["x"]\n', encoding="utf-8")
    text = scope.read_text(encoding="utf-8")
    text = text.replace('zh = ["币安", ', 'zh = ["binance again", "币安", ')  # English under zh
    text = text.replace('"mining", ', '"mining", "mining", "greenlane", "telegram", ')  # twice; answered
    scope.write_text(text, encoding="utf-8")
    out = cli("content", "check", str(pack_copy)).stdout.splitlines()
    lines = scope.read_text(encoding="utf-8").splitlines()
    line = lines.index("en = [", lines.index("[topics]")) + 1  # a problem names the list's first line
    assert f"bitfinex/scope.toml:{_line(scope, 'binance again')}: exchanges.zh[0]: an expression in the " \
        "language of its key (zh)" in out
    assert any(x.startswith(f"bitfinex/scope.toml:{line}: topics.en[3]: an expression not already listed") for x in out)
    assert f"bitfinex/scope.toml:{line}: topics.en[4]: something no entry is about ('greenlane' holds it in " \
        "its title, keywords or example questions)" in out
    assert f"bitfinex/scope.toml:{line}: topics.en[5]: an expression that is not also in synonyms.toml (what " \
        "the pack answers)" in out
    assert any(x.startswith(f"bitfinex/scope.toml:{_line(scope, '[unknown]')}: unknown") for x in out), out

"""How search ranks and when it is sure: the entry about something beats one that mentions it, what
the pack does not answer is declined, and both engines rank alike, imported articles included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from supportcli.core.faq.model import Article
from supportcli.core.faq.rank import MemoryIndex, resolve
from supportcli.core.faq.search import Faq
from supportcli.core.faq.tokens import analyze
from supportcli.core.pack import load_pack
from tests.conftest import Runner


def _top(cli: Runner, query: str) -> tuple[str, bool]:
    data = json.loads(cli("faq", "search", query, "--json").stdout)
    return (data[0]["id"], data[0]["confident"]) if data else ("", False)


@pytest.mark.parametrize(("query", "entry"), [
    ("工单在哪里提", "submit-ticket"),  # 工单 is in most bodies ("submit a ticket"), the topic of one entry
    ("should i blur my screenshot", "protect-account-info"),  # not the entry that says "screenshot" in passing
    ("转了1000u进去还没显示", "deposit"),  # 1000u is an amount, 进去 a deposit, 没显示 not credited
    ("提币到冷钱包，一直没到", "withdraw"),  # a wallet named as where funds go: a withdrawal
    ("sent btc from coinbase, where is it", "deposit"),  # an exchange named as where funds come from
    ("帐号被冻结了怎么办", "account-locked"),  # 帐 is an everyday spelling of 账; the keyword 账号被冻结 is
    ("帳號被凍結了", "account-locked"),  # one word, not the synonym 账号 and then 冻结 (withdrawals on hold)
    ("sent usdt out an hour ago and my trust wallet shows nothing", "withdraw"),  # a wallet where funds were sent
    ("从B网提了200u到火币 还没到", "withdraw"),  # B of B网 is a letter, not a subject of its own
    ("有什麼管道可以聯絡客服", "contact-channels"),  # 管道, 聯絡: how Taiwan says 渠道, 联系
    ("where do i find my deposit address for sol", "deposit"),  # sol = 索拉纳: which coin
])
def test_the_entry_about_what_is_asked_answers_confidently(cli: Runner, query: str, entry: str) -> None:
    assert _top(cli, query) == (entry, True)


@pytest.mark.parametrize("query", [
    "how does proof of stake work", "冷钱包和热钱包有什么区别",  # crypto topics no entry covers
    "币安的合约手续费是多少", "kraken vs coinbase which is cheaper",  # other exchanges
    "account", "我的账户", "bitfinex",  # generic words only: many entries alike
])
def test_what_the_pack_does_not_answer_is_declined(cli: Runner, query: str) -> None:
    r = cli("faq", "search", query, "--json")
    assert r.exit_code == 1 and not any(d["confident"] for d in json.loads(r.stdout)), r.stdout


@pytest.mark.parametrize("query", [
    "my car was stolen last night",  # steal is a word of the pack, the car is not
    "my phone screen is cracked",  # phone is an everyday word: it is no evidence alone
    "how to lose weight fast",  # lose is
    "洗衣机坏了找谁修", "电脑蓝屏了怎么修",  # a subject of its own (洗衣机, 蓝屏) that no entry holds
])
def test_a_question_about_something_else_sharing_one_word_is_declined(cli: Runner, query: str) -> None:
    r = cli("faq", "search", query, "--json")
    assert r.exit_code == 1 and not any(d["confident"] for d in json.loads(r.stdout)), r.stdout


@pytest.mark.parametrize(("query", "entry"), [
    ("my account got frozen for no reason", "account-locked"),  # 'reason' is an everyday word: it weighs little
    ("why did my short get liquidated", "liquidation"),
    ("my bitcoin was stolen from my bitfinex account", "hacked-account"),  # bitcoin is a coin: context
    ("除了工单还有别的渠道找客服吗", "contact-channels"),  # 渠道 is what the entry calls a way in
])
def test_everyday_words_around_the_topic_do_not_stop_a_confident_answer(cli: Runner, query: str, entry: str) -> None:
    assert _top(cli, query) == (entry, True)


@pytest.mark.parametrize(("query", "entry"), [
    ("改了邮箱之后不能提现", "withdrawal-hold"),  # the cause first, what the user suffers after 之后
    ("i cant withdraw since i changed my password", "withdrawal-hold"),  # the cause in the clause after 'since'
    ("充了500u一直没到", "deposit"),  # 充 with what moved: a deposit
    ("提了0.3个eth对方没收到", "withdraw"),
    ("我提了工单没人回", "response-times"),  # 提 of a ticket is not a withdrawal
])
def test_what_the_user_suffers_and_what_moved_decide(cli: Runner, query: str, entry: str) -> None:
    assert _top(cli, query) == (entry, True)


@pytest.mark.parametrize(("query", "entry"), [
    ("how much is the fee to withdraw ltc", "fees"),  # both hold fee and withdraw; the fees entry's title says both
    ("deposit confirmations needed for ltc", "deposit-confirmations"),  # not the deposit entry that mentions them
])
def test_the_entry_whose_title_says_the_whole_question_wins(cli: Runner, query: str, entry: str) -> None:
    assert _top(cli, query) == (entry, True)


@pytest.mark.parametrize("query", [
    "我的支付宝被冻结了", "my instagram account was hacked",  # another service's own account is its subject
    "my hotmail got hacked how do i get it back", "qq邮箱密码忘了怎么办",  # a mail service's own name is not mail
    "how do i renew my passport", "美股账户怎么开",
])
def test_another_services_own_account_is_declined(cli: Runner, query: str) -> None:
    r = cli("faq", "search", query, "--json")
    assert r.exit_code == 1 and not any(d["confident"] for d in json.loads(r.stdout)), r.stdout


@pytest.mark.parametrize(("query", "entry"), [
    ("有人在微信上自称bitfinex官方", "phishing-fake-support"),  # 微信 is how the impostor reached the user
    ("someone messaged me on whatsapp pretending to be support", "phishing-fake-support"),
])
def test_a_service_named_as_how_someone_got_in_touch_is_context(cli: Runner, query: str, entry: str) -> None:
    assert _top(cli, query) == (entry, True)


@pytest.mark.parametrize(("query", "defining"), [
    ("what is a hash rate", True), ("What's an NFT?", True), ("what does slippage mean", True),
    ("什么是冷钱包", True), ("杠杆是什么意思", True),
    ("what is the withdrawal fee", False), ("客服邮箱是什么", False), ("提现被取消是什么原因", False),
    ("what are my limits", False), ("whats ethereum", True), ("what is going on with my withdrawal", False),
])
def test_a_question_that_asks_what_something_is(query: str, defining: bool) -> None:
    from supportcli.core.faq.tokens import asks_definition

    assert asks_definition(query) is defining


def test_what_something_is_is_answered_only_by_the_entry_about_it(cli: Runner) -> None:
    assert _top(cli, "什么是子账户") == ("sub-accounts", True)  # its title says 子账户
    assert _top(cli, "private key") == ("protect-account-info", True)  # never share it: the entry says so
    r = cli("faq", "search", "what is a private key", "--json")  # a lesson in crypto the entry does not give
    assert r.exit_code == 1 and not any(d["confident"] for d in json.loads(r.stdout)), r.stdout


@pytest.mark.parametrize(("query", "lookalike"), [
    ("is bitfinex-help.net real", True), ("bitfinex.com.login-check.io asked for my 2fa", True),
    ("is support.bitfinex.com the help center", False), ("bitfinex.com is slow", False),
])
def test_an_address_that_names_bitfinex_but_is_not_its_own_is_a_lookalike(
        query: str, lookalike: bool, pack_root: Path, tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    words = [c.word for c in analyze(query, faq.synonyms, faq.memory.known_pairs)]
    assert ("lookalike" in words) is lookalike, words
    assert not {"help", "net", "login", "check", "io"} & set(words)  # the address is one thing, not its parts


def test_a_query_of_coins_and_amounts_only_is_not_a_confident_answer(cli: Runner) -> None:
    r = cli("faq", "search", "1 btc to usd", "--json")  # which coins, but nothing about them
    assert r.exit_code == 1 and not any(d["confident"] for d in json.loads(r.stdout)), r.stdout
    assert _top(cli, "btc withdrawal") == ("withdraw", True)  # a coin with a topic is answered


def test_a_phrasing_keeps_who_said_it(pack_root: Path, tmp_path: Path) -> None:
    """说是客服 (says they are support) is searched as the phrase, not as the word 客服 that half the entries hold."""
    faq = Faq(load_pack(pack_root), tmp_path)
    group = faq.synonyms.match_word("说是客服")
    assert group is not None
    assert faq.synonyms.own_terms(group, "说是客服") == ("说是", "是客", "客服")


def test_the_effect_after_its_cause_is_stressed(pack_root: Path, tmp_path: Path) -> None:
    table = Faq(load_pack(pack_root), tmp_path).synonyms

    def stressed(text: str) -> list[tuple[str, bool]]:
        return [(c.word, c.stressed) for c in analyze(text, table)]

    assert stressed("重置两步验证后提不了币") == [("重置", False), ("两步验证", False), ("提不了币", True)]
    assert stressed("withdrawal shows completed but nothing arrived") == [
        ("withdrawal", False), ("completed", False), ("nothing arrived", True)]
    assert stressed("cant withdraw after resetting my 2fa") == [  # cant = can't: the phrasing of the group
        ("cant withdraw", True), ("resetting", False), ("2fa", False)]
    assert not any(flag for _, flag in stressed("后台显示提现成功"))  # 后台 is a word, not "after"
    assert not any(flag for _, flag in stressed("withdrawal stuck for hours"))


@pytest.mark.parametrize("query", ["提币好慢啊", "withdraw taking forever", "提现三天了还是处理中"])
def test_a_complaint_finds_the_withdrawal_entries_confidently(cli: Runner, query: str) -> None:
    top, confident = _top(cli, query)
    assert top in ("withdraw", "greenlane") and confident  # 好慢 and "taking forever" are late, slow


def test_a_generic_word_is_answered_when_one_entry_stands_out(cli: Runner) -> None:
    assert _top(cli, "提现") == ("withdraw", True)
    assert _top(cli, "how to open a support ticket") == ("submit-ticket", True)


def test_a_synonym_of_several_words_counts_only_where_its_words_stand_together(pack_root: Path,
                                                                              tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    index = MemoryIndex.build([
        ("scattered", ("Someone moved funds", "", "is my account safe\nmy phone", "")),
        ("together", ("How to fund my account", "", "", "")),
    ])
    query = resolve(analyze("充值", faq.synonyms), index.doc_freq, 2, faq.synonyms)
    ranked = index.search(query)
    assert [r.id for r in ranked] == ["together"]  # "fund", "my", "account" apart are not "fund my account"


def test_a_body_only_mention_is_not_a_confident_answer(pack_root: Path, tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    store = faq.open_store()
    store.sync_pack(faq.entries, faq.signature)
    store.add_articles([
        Article("a1", "en", "Staking rewards", "Rewards are paid weekly to the exchange wallet; see the capybara."),
        Article("a2", "en", "Capybara payouts", "How the capybara programme pays out."),
    ])
    outcome = faq.search("capybara", "en")
    assert outcome.results[0].entry.id == "a2" and outcome.results[0].confident
    assert all(not r.confident for r in outcome.results if r.entry.id == "a1")
    faq.close()


def _store_rows(faq: Faq) -> list[tuple[str, tuple[str, str, str, str]]]:
    store = faq.store
    assert store is not None
    rows = store.db.execute("SELECT rowid, origin, id, title, keywords, questions, body FROM article").fetchall()
    return [(f"{origin}\x00{item}", (title, keywords, questions, store._unpack(body)))
            for _, origin, item, title, keywords, questions, body in rows]


def test_both_engines_rank_an_imported_set_alike(pack_root: Path, tmp_path: Path) -> None:
    """The SQLite engine (candidates from FTS5, re-scored in Python) and an in-memory index over the
    same rows give the same order and the same scores, on the pack plus imported articles."""
    pack = tmp_path / "bitfinex"
    shutil.copytree(pack_root, pack)
    faq = Faq(load_pack(pack), tmp_path / "index")
    store = faq.open_store()
    store.sync_pack(faq.entries, faq.signature)
    store.add_articles([
        Article("hc-1", "en", "When are staking rewards paid?", "Staking rewards are paid every Monday.",
                ("staking", "rewards")),
        Article("hc-1", "zh", "质押奖励什么时候发放", "质押奖励每周一发放到交易钱包。", ("质押",)),
        Article("hc-2", "en", "Withdrawal limits per level", "Each level has its own withdrawal limit; "
                "a withdrawal over it waits for review.", ("withdrawal",)),
        Article("hc-3", "zh", "提现审核需要多久", "大额提现需要人工审核，一般 24 小时内完成。", ("提现",)),
        Article("hc-4", "en", "Lost your 2FA device?", "Contact support with a photo ID to reset 2FA.", ()),
    ])
    memory = MemoryIndex.build(_store_rows(faq))
    for query in ("提现要多久", "staking rewards", "质押奖励", "withdrawal limit", "lost 2fa phone", "提现没到账",
                  "reset 2fa", "what is the withdrawal review", "冷钱包"):
        concepts = analyze(query, faq.synonyms, store.known_pairs)
        resolved = resolve(concepts, store.doc_freq, store.rows(), faq.synonyms)
        sqlite = [(h.origin + "\x00" + h.id, round(h.score, 6)) for h in store.search(resolved, 100)]
        seen: set[str] = set()
        mem = []
        for r in memory.search(resolved):
            key = r.id
            if key not in seen:
                seen.add(key)
                mem.append((key, round(r.score, 6)))
        assert sqlite == mem[: len(sqlite)] and len(sqlite) == min(len(mem), 100), query
    faq.close()


def test_a_lone_letter_weighs_little_and_an_everyday_coin_code_beside_its_name_is_a_coin(
        pack_root: Path, tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    letter = next(c for c in analyze("从b网提了0.3个btc", faq.synonyms, faq.memory.known_pairs) if c.word == "b")
    assert letter.fragment and not letter.latin  # a lone letter is no word to repair nor a subject
    sol = next(c for c in analyze("deposit sol", faq.synonyms, faq.memory.known_pairs) if c.word == "sol")
    assert sol.context


def test_coins_sent_with_the_balance_unchanged_are_a_deposit(pack_root: Path, tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    words = [c.word for c in analyze("i transferred 2 eth and my balance is still 0", faq.synonyms,
                                     faq.memory.known_pairs)]
    assert "deposit" in words
    for other in ("i transferred 2 eth to my ledger wallet", "my balance is still 0", "how do transfers work"):
        assert "deposit" not in [c.word for c in analyze(other, faq.synonyms, faq.memory.known_pairs)], other


@pytest.mark.parametrize(("query", "word"), [
    ("sent eth out to my ledger and nothing showed up", "withdraw"),  # funds sent out: they left Bitfinex
    ("moved 2 btc out of bitfinex this morning", "withdraw"),
    ("i sent 1 eth from my exodus wallet and my balance hasnt changed", "deposit"),
])
def test_which_way_funds_went_is_read_from_the_words_around_them(query: str, word: str, pack_root: Path,
                                                                 tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)
    words = [c.word for c in analyze(query, faq.synonyms, faq.memory.known_pairs)]
    assert word in words and ({"deposit", "withdraw"} - {word}).isdisjoint(words), words


def test_contractions_times_and_units_read_as_users_type_them(pack_root: Path, tmp_path: Path) -> None:
    from supportcli.core.faq.tokens import terms

    assert terms("balance hasn't changed") == terms("balance hasnt changed") == terms("balance hasn’t changed")
    assert terms("bitfinex's fee")[:1] == ["bitfinex"]  # a possessive is not a contraction
    faq = Faq(load_pack(pack_root), tmp_path)
    concepts = analyze("sent at 9am, still nothing at 6pm, price off for 5 min", faq.synonyms, faq.memory.known_pairs)
    words = {c.word: c for c in concepts}
    assert "9am" not in words and "6pm" not in words  # a clock time is a number, not a word of its own
    assert not words["min"].foreign and words["min"].context  # minutes, not mining (both stem to "min")


@pytest.mark.parametrize(("query", "entry"), [
    ("is bitfilinex.com the real site", "phishing-fake-support"),  # a typo of the name is a lookalike too
    ("cashed out 3k usdc to my coinbase yesterday and coinbase shows nothing", "withdraw"),  # to *my* coinbase
    ("funding wallet shows -0.0002 usd", "negative-balance"),  # an amount below zero
    ("资金钱包余额-12 usd 是怎么回事", "negative-balance"),  # right after a Chinese word too
])
def test_typo_domains_possessives_and_minus_signs(cli: Runner, query: str, entry: str) -> None:
    assert _top(cli, query) == (entry, True)


@pytest.mark.parametrize("query", [
    "what's the difference between btc and eth",  # a question frame and coins only: which, not what is wrong
    "163邮箱怎么改密码",  # NetEase's mail service, whose name is a number
    "how to reset my router password", "is docs.python.org a good site",  # a dot alone is no lookalike
])
def test_more_of_what_the_pack_does_not_answer_is_declined(cli: Runner, query: str) -> None:
    r = cli("faq", "search", query, "--json")
    assert r.exit_code == 1 and not any(d["confident"] for d in json.loads(r.stdout)), r.stdout


def test_times_feelings_and_moves_read_as_users_mean_them(pack_root: Path, tmp_path: Path) -> None:
    faq = Faq(load_pack(pack_root), tmp_path)

    def concepts(text: str) -> dict[str, bool]:
        return {c.word: c.context for c in analyze(text, faq.synonyms, faq.memory.known_pairs)}

    assert concepts("moved 0.3 btc to kraken around 9am est").get("est") is True  # a time zone is a time
    kraken = next(c for c in analyze("moved 0.3 btc to kraken", faq.synonyms, faq.memory.known_pairs)
                  if c.word == "kraken")
    assert ("withdraw",) in kraken.synonyms and not kraken.foreign  # moved is a move: kraken is where it went
    assert concepts("今天下午三点转了1万u进来").get("三点") is True  # 三点 is o'clock
    assert not {"wtf", "rn", "lol"} & set(concepts("bitfinex down rn wtf lol"))  # how the user feels
    assert not {"这边", "对面"} & set(concepts("对面说已经成功了，我这边啥也没有"))
    assert "negative" not in concepts("withdrawal took 2-3 days")  # a range is no minus sign

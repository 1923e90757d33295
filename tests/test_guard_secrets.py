"""The secret guard's public API: refusing answers, explaining why, and noticing fake "support"."""

from __future__ import annotations

import pytest

from supportcli.core import i18n
from supportcli.core.errors import ExitCode, InputError
from supportcli.core.guard import bip39
from supportcli.core.guard.secrets import (
    Action,
    SecretFoundError,
    blocking,
    check_answer,
    explain,
    mentions_contact_scam,
    needs_confirmation,
    scam_warning,
    scan_text,
)

SEED = "bid physical draft gold trouble enrich measure kingdom orient stadium cradle behave"
HEX = "0a7651ded856f511eb4616feed8b64ab5d9dfb032de4c1e42a6c186d7fa36451"
API = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f"


def test_blocked_answer_raises_input_error_naming_field_and_kind_not_the_secret() -> None:
    with pytest.raises(SecretFoundError) as info:
        check_answer("description", f"please restore my wallet: {SEED}", field_type="multiline")
    err = info.value
    assert isinstance(err, InputError) and err.exit_code == ExitCode.USAGE
    assert err.field == "description" and err.kind == "seed_phrase"
    message = err.render()
    assert "description" in message and "recovery phrase" in message
    for word in SEED.split():
        assert word not in message
    assert SEED not in str(err.args) and "physical" not in repr(err)


def test_refusal_is_in_chinese_when_the_language_is_chinese() -> None:
    i18n.set_language("zh")
    with pytest.raises(SecretFoundError) as info:
        check_answer("备注", "我的密码是Abc12345")
    assert "备注" in info.value.render() and "密码" in info.value.render()
    assert "Abc12345" not in info.value.render()


def test_unsure_finding_needs_confirmation_then_passes() -> None:
    with pytest.raises(SecretFoundError) as info:
        check_answer("note", HEX)
    assert info.value.needs_confirmation and info.value.kind == "hex_private_key"
    allowed = check_answer("note", HEX, confirmed=True)
    assert [f.kind for f in allowed] == ["hex_private_key"]
    assert allowed[0].action is Action.CONFIRM


def test_confirmation_never_lets_a_blocking_secret_through() -> None:
    with pytest.raises(SecretFoundError):
        check_answer("note", f"private key {HEX}", confirmed=True)


def test_tx_hash_field_accepts_a_hash_without_asking() -> None:
    assert check_answer("txid", HEX, field_type="txhash") == []
    assert check_answer("txid", "0x" + HEX, field_type="txhash") == []


def test_clean_answers_pass() -> None:
    for text in ("I forgot my password", "我忘记了密码", "Order 1234567890 was cancelled", "1523.40 USDT", ""):
        assert check_answer("text", text) == []


def test_blocking_and_needs_confirmation_split_findings() -> None:
    findings = scan_text(f"private key: {HEX}\nxpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu"
                         "1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8")
    assert [f.kind for f in blocking(findings)] == ["hex_private_key"]
    assert [f.kind for f in needs_confirmation(findings)] == ["xpub"]


def test_an_api_key_and_secret_together_raise_confidence() -> None:
    single = scan_text(f"API key: {API}")
    pair = scan_text(f"API key: {API}\nAPI secret: {API[::-1]}")
    assert [f.confidence for f in single] == [0.8]
    assert [f.confidence for f in pair] == [0.95, 0.95]


def test_positions_are_one_based_lines_and_columns() -> None:
    text = "line one\n  2FA code 492039\n"
    (finding,) = scan_text(text)
    assert (finding.line, finding.column) == (2, 12)
    assert text[finding.start:finding.end] == "492039"


def test_explain_says_what_to_do_now_in_each_language() -> None:
    (api,) = [f for f in scan_text(f"API key: {API}") if f.kind == "api_key"]
    (seed,) = scan_text(SEED)
    assert "revoke" in explain(api)
    assert "new wallet" in explain(seed)
    i18n.set_language("zh")
    assert "撤销" in explain(api)
    assert "新钱包" in explain(seed)


def test_every_kind_has_an_explanation_in_both_languages() -> None:
    from supportcli.core.guard.secrets import KINDS, Finding

    for lang in ("en", "zh"):
        i18n.set_language(lang)
        for kind in KINDS:
            text = explain(Finding(kind, 0, 1, 1, 1, 0.9, Action.BLOCK))
            assert f"guard.explain.{kind}" not in text and "guard.kind" not in text


@pytest.mark.parametrize("text", [
    "Someone from Bitfinex support DMed me on Telegram about my withdrawal",
    "The agent asked me for my seed phrase to verify the account",
    "They told me to move my funds to a safe wallet",
    "He asked me to install AnyDesk so he could help",
    "They want me to pay an unlock fee first",
    "客服私信我，说要帮我处理提现",
    "对方让我提供助记词和谷歌验证码",
    "他们要求我把资金转到一个安全账户",
    "对方让我安装远程控制软件",
    "说要先交解冻费才能提现",
    "I got a DM from @Bitfinex_Support_Help offering to speed up my withdrawal",
    "对方说要先交保证金才能解冻账户",
])
def test_contact_scam_is_noticed(text: str) -> None:
    assert mentions_contact_scam(text)


@pytest.mark.parametrize("text", [
    "My withdrawal has been pending for three days.",
    "I submitted a ticket and support replied by e-mail.",
    "我的提现三天了还没到账。",
    "我提交了工单，客服通过邮件回复了我。",
    "提现手续费是 0.0004 BTC，太高了。",
    "保证金不足，仓位被强平了。",
])
def test_ordinary_text_is_not_a_scam_story(text: str) -> None:
    assert not mentions_contact_scam(text)


def test_scam_warning_in_both_languages_names_the_packs_exchange_and_help_center() -> None:
    from supportcli.core.pack import load_pack
    from supportcli.core.paths import builtin_packs_dir

    manifest = load_pack(builtin_packs_dir() / "bitfinex").manifest
    assert "never" in scam_warning(manifest) and "https://support.bitfinex.com" in scam_warning(manifest)
    assert "Bitfinex staff" in scam_warning(manifest)
    i18n.set_language("zh")
    assert "私信" in scam_warning(manifest) and "助记词" in scam_warning(manifest)
    assert "Bitfinex 的真实工作人员" in scam_warning(manifest)


def test_scam_warning_without_a_pack_names_no_exchange() -> None:
    assert "never ask for your password" in scam_warning()
    assert "bitfinex" not in scam_warning().lower()
    i18n.set_language("zh")
    assert "助记词" in scam_warning() and "bitfinex" not in scam_warning().lower()


def test_wordlists_load_once_for_many_answers() -> None:
    """Speed itself is measured in bench/, not here; what matters is the wordlists load only once."""
    bip39.wordlists()
    answer = ("My withdrawal of 1523.40 USDT to 3EGFeEYromEXHPHiechnd9i1obfzpUzk9u has been pending since "
              "2026-11-20 14:05 UTC; order 1234567890 was filled at a worse price. 我的提现还没到账，请帮忙查看。")
    for _ in range(100):
        assert scan_text(answer, field_type="multiline") == []
    assert bip39.wordlists.cache_info().misses == 1


def test_unsure_refusal_says_how_to_get_past_it_without_a_prompt() -> None:
    """In an answers file nobody can confirm: the message must say what to write instead."""
    with pytest.raises(SecretFoundError) as info:
        check_answer("ids", f"order 18273645, {HEX}", field_type="text")
    message = str(info.value)
    assert info.value.needs_confirmation and HEX not in message
    assert "txid:" in message and "answers file" in message
    i18n.set_language("zh")
    with pytest.raises(SecretFoundError) as info:
        check_answer("ids", HEX, field_type="text")
    assert "交易哈希：" in str(info.value) and "答案文件" in str(info.value)


def test_tx_before_a_hash_is_enough() -> None:
    assert scan_text(f"withdrawal 18273645, tx {HEX}", field_type="text") == []


def test_a_misspelt_word_is_forgiven_only_inside_a_phrase() -> None:
    """The near-word index is built only for a run of wordlist words long enough to be a phrase."""
    bip39._near_index.cache_clear()
    prose = ("Withdrawals are pending because the wallet maintenance took longer than announced; "
             "please confirm whether deposits made during maintenance will be credited automatically.")
    assert scan_text(prose, field_type="multiline") == []
    assert bip39._near_index.cache_info().misses == 0
    typed = SEED.replace("physical", "physcal").replace("stadium", "stadum")  # two typos in twelve words
    assert scan_text(typed) == []
    one = SEED.replace("physical", "physcal")
    assert [(f.kind, f.action) for f in scan_text(one)] == [("seed_phrase", Action.BLOCK)]

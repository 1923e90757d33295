"""Field parsers: what is accepted, how it is normalised, and how a refusal reads."""

from __future__ import annotations

import datetime as dt

import pytest

from supportcli.core import i18n
from supportcli.core.errors import ExitCode, InputError
from supportcli.core.flows.fields import FieldContext, NeedsClarification, parse
from supportcli.core.flows.model import FIELD_TYPES, Choice
from supportcli.core.pack import load_pack
from supportcli.core.paths import builtin_packs_dir

NOW = dt.datetime(2026, 11, 27, 0, 15, tzinfo=dt.UTC)
# What the Bitfinex pack says about its assets and pairs (known codes, the `t` prefix, the UST note).
BITFINEX = load_pack(builtin_packs_dir() / "bitfinex").manifest.assets
SHANGHAI = FieldContext(now=NOW, zone="Asia/Shanghai", assets=BITFINEX)
UTC = FieldContext(now=NOW, zone="UTC", assets=BITFINEX)


def value(kind: str, raw: object, ctx: FieldContext = UTC) -> object:
    return parse(kind, "the_field", raw, ctx).value


def refusal(kind: str, raw: object, ctx: FieldContext = UTC) -> InputError:
    with pytest.raises(InputError) as info:
        parse(kind, "the_field", raw, ctx)
    return info.value


# --------------------------------------------------------------------------- integer ids

@pytest.mark.parametrize(("raw", "expected"), [
    ("1234567890", 1234567890), ("１２３４", 1234), (" 42 ", 42), ("#77", 77), (99, 99),
])
def test_integer_ids_accept_ascii_and_full_width_digits(raw: object, expected: int) -> None:
    assert value("integer_id", raw) == expected


@pytest.mark.parametrize("raw", ["²", "12a", "1 2", "-5", "0", "٣٤", "1.0", "1e3", "", True])
def test_integer_ids_refuse_everything_else(raw: object) -> None:
    error = refusal("integer_id", raw)
    assert error.field == "the_field"
    assert error.exit_code == ExitCode.USAGE
    assert "Example:" in error.render()


# --------------------------------------------------------------------------- amounts

@pytest.mark.parametrize(("raw", "expected"), [
    ("1523.40 USDT", "1523.40 USDT"), ("1523.40usdt", "1523.40 USDT"), ("USDT 5", "5 USDT"),
    ("1,234.56 BTC", "1234.56 BTC"), ("12,345,678 USD", "12345678 USD"), (".5 eth", "0.5 ETH"),
    ("１００ USDT", "100 USDT"), ("0.00012 BTC", "0.00012 BTC"), ("3 XYZQ", "3 XYZQ"),
])
def test_amounts_keep_their_digits_and_name_the_asset(raw: str, expected: str) -> None:
    assert value("amount", raw) == expected


@pytest.mark.parametrize(("raw", "why"), [
    ("NaN USDT", "no exponent (1e5), NaN or Infinity"), ("Infinity BTC", "no exponent"), ("1e5 BTC", "no exponent"),
    ("-3 BTC", "negative"), ("1,234 BTC", "unambiguous"), ("1,5 BTC", "write 1.5 BTC"),
    ("1.523,40 USDT", "write 1523.40 USDT"), ("$1523.40", "number followed by the asset code"), ("1523.40", "asset"),
    ("3 USTD", "Did you mean USDT"), ("3 BTCC", "Did you mean BTC"),
])
def test_amounts_refuse_with_a_reason(raw: str, why: str) -> None:
    assert why in refusal("amount", raw).render()


# --------------------------------------------------------------------------- pairs

@pytest.mark.parametrize(("raw", "expected"), [
    ("BTC/USD", "BTC/USD"), ("tBTCUSD", "BTC/USD"), ("btcusd", "BTC/USD"), ("BTC-USD", "BTC/USD"),
    ("BTC:USD", "BTC/USD"), ("btc_usd", "BTC/USD"), ("tTESTBTC:TESTUSD", "TESTBTC/TESTUSD"),
    ("BTCUSDT", "BTC/USDT"), ("ethusdt", "ETH/USDT"), ("tXAUTUSD", "XAUT/USD"),
])
def test_pairs_have_one_normal_form(raw: str, expected: str) -> None:
    assert value("pair", raw) == expected


@pytest.mark.parametrize("raw", ["BTC", "BTC/BTC", "BTC/USD/EUR", "比特币/美元", "B/USD"])
def test_pairs_refuse_nonsense(raw: str) -> None:
    assert refusal("pair", raw).field == "the_field"


# --------------------------------------------------------------------------- date-times

@pytest.mark.parametrize("raw", [
    "2026-11-20 14:05", "2026/11/20 14:05", "2026年11月20日 14:05", "2026-11-20T14:05", "2026年11月20日14点05分",
])
def test_local_times_take_the_configured_zone_and_say_so(raw: str) -> None:
    parsed = parse("datetime", "t", raw, SHANGHAI)
    assert parsed.value == "2026-11-20T14:05+08:00"
    assert "Asia/Shanghai" in parsed.said_back
    assert "06:05 UTC" in parsed.said_back  # shown in UTC as well as local time


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-20T14:05:00Z", "2026-11-20T14:05+00:00"), ("2026-11-20 14:05 +02:00", "2026-11-20T14:05+02:00"),
    ("2026-11-20 14:05:30+0800", "2026-11-20T14:05:30+08:00"), ("2026-11-20 14:05 UTC", "2026-11-20T14:05+00:00"),
    ("2026-11-20 14:05 Europe/Berlin", "2026-11-20T14:05+01:00"),
])
def test_explicit_zones_are_kept(raw: str, expected: str) -> None:
    assert value("datetime", raw, SHANGHAI) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("昨天 15:30", "2026-11-26T15:30+08:00"), ("今天 8点", "2026-11-27T08:00+08:00"),
    ("yesterday 3pm", "2026-11-26T15:00+08:00"), ("today 08:05", "2026-11-27T08:05+08:00"),
    ("前天 下午3点", "2026-11-25T15:00+08:00"), ("yesterday 12am", "2026-11-26T00:00+08:00"),
])
def test_relative_days_are_welcome(raw: str, expected: str) -> None:
    # NOW is 08:15 on 27 November in Shanghai.
    assert value("datetime", raw, SHANGHAI) == expected


def test_a_toml_datetime_from_an_answers_file_is_accepted() -> None:
    stamp = dt.datetime(2026, 11, 20, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert value("datetime", stamp) == "2026-11-20T14:05+08:00"


@pytest.mark.parametrize(("raw", "why"), [
    ("2026-12-20 14:05", "later than now (2026-11-27 08:15 Asia/Shanghai)"), ("today 23:00", "later than now"),
    ("2026-11-20", "time of day"), ("05/06 14:05", "month/day or day/month"), ("2026-11-20 14:05 CST", "time zone"),
    ("2026-02-30 10:00", "does not exist"), ("2026-11-20 25:00", "does not exist"), ("next week", "date and a time"),
    ("1999-01-01 10:00", "year"), ("2026-11-20 14:05 Mars/Base", "time zone"),
])
def test_bad_times_are_refused(raw: str, why: str) -> None:
    assert why in refusal("datetime", raw, SHANGHAI).render()


def test_a_date_alone_is_accepted_where_the_question_allows_it() -> None:
    ctx = FieldContext(now=NOW, zone="Asia/Shanghai", allow_date=True)
    assert value("datetime", "2026-11-18", ctx) == "2026-11-18"
    assert value("datetime", "2026-11-18 10:00", ctx) == "2026-11-18T10:00+08:00"


def test_a_time_in_a_dst_gap_is_asked_about_not_shifted() -> None:
    berlin = FieldContext(now=NOW, zone="Europe/Berlin")
    with pytest.raises(NeedsClarification) as info:
        parse("datetime", "t", "2026-03-29 02:30", berlin)
    assert "does not exist" in info.value.reason
    values = [o.value for o in info.value.options]
    assert values == ["2026-03-29T02:30+01:00", "2026-03-29T02:30+02:00"]
    # Each option re-parses to itself without another question.
    assert [value("datetime", v, berlin) for v in values] == values


def test_an_ambiguous_hour_is_asked_about() -> None:
    berlin = FieldContext(now=NOW, zone="Europe/Berlin")
    with pytest.raises(NeedsClarification) as info:
        parse("datetime", "t", "2026-10-25 02:30", berlin)
    assert "twice" in info.value.reason
    assert {o.value for o in info.value.options} == {"2026-10-25T02:30+02:00", "2026-10-25T02:30+01:00"}


# --------------------------------------------------------------------------- hashes, addresses, email

def test_tx_hashes() -> None:
    assert value("txhash", "AB" * 32) == "ab" * 32
    assert value("txhash", "0X" + "Cd" * 32) == "0x" + "cd" * 32
    assert "64" in refusal("txhash", "abc123").render()
    assert refusal("txhash", "0x" + "g" * 64).field == "the_field"
    assert refusal("txhash", "ab" * 31 + " a").field == "the_field"


@pytest.mark.parametrize("raw", [
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
    "0x52908400098527886E0F7030069857D2E4169EE7", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
    "rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh",
])
def test_plausible_addresses(raw: str) -> None:
    assert value("address", raw) in (raw, raw.lower())


@pytest.mark.parametrize(("raw", "why"), [
    ("bc1q ar0s rrr7", "no spaces"), ("me@example.com", "email"), ("https://bitfinex.com", "web link"),
    ("0x1234", "40 hexadecimal"), ("hello", "wallet address"), ("地址地址地址地址地址地址", "wallet address"),
])
def test_non_addresses(raw: str, why: str) -> None:
    assert why in refusal("address", raw).render()


def test_email() -> None:
    assert value("email", "Me.Name+x@Example.COM") == "Me.Name+x@example.com"
    for bad in ("me@", "me at example.com", "me@example", "a..b@example.com"):
        assert refusal("email", bad).field == "the_field"


# --------------------------------------------------------------------------- choice, confirm, text

CHOICES = FieldContext(now=NOW, choices=(
    Choice("limit", {"en": "Limit", "zh": "限价单"}), Choice("market", {"en": "Market", "zh": "市价单"}),
))


@pytest.mark.parametrize(("raw", "expected"), [
    ("limit", "limit"), ("Market", "market"), ("市价单", "market"), ("2", "market"),
])
def test_choices_accept_id_label_or_number(raw: str, expected: str) -> None:
    assert value("choice", raw, CHOICES) == expected


def test_choice_refusal_lists_the_options() -> None:
    assert "limit, market" in refusal("choice", "stop", CHOICES).render()


@pytest.mark.parametrize(("raw", "expected"), [
    ("yes", True), ("Y", True), ("是", True), ("对", True), (True, True),
    ("no", False), ("n", False), ("否", False), ("不", False), (False, False),
])
def test_confirm(raw: object, expected: bool) -> None:
    assert value("confirm", raw) is expected


def test_confirm_refuses_maybe() -> None:
    assert "yes or no" in refusal("confirm", "maybe").render()


def test_text_is_cleaned_of_control_sequences() -> None:
    assert value("text", "hello\x1b[31m red\x1b[0m\u202e") == "hello red"
    assert value("multiline", "line one\r\nline two\x00\n\n\n\nend") == "line one\nline two\n\nend"
    assert "needed" in refusal("text", "   ").render()
    assert "longer than" in refusal("text", "x" * 501).render()


def test_every_field_type_has_a_parser_and_an_example_in_both_languages() -> None:
    from supportcli.core.flows.fields import PARSERS, example_for

    assert set(PARSERS) == set(FIELD_TYPES)
    for kind in FIELD_TYPES:
        for lang in ("en", "zh"):
            i18n.set_language(lang)  # type: ignore[arg-type]
            assert example_for(kind) != f"fields.example.{kind}"
    i18n.set_language("en")


def test_refusals_are_in_chinese_too() -> None:
    i18n.set_language("zh")
    try:
        message = refusal("integer_id", "12a").render()
        assert message.startswith("the_field：")
        assert "示例：1234567890" in message
        too_late = refusal("datetime", "2026-12-20 14:05", SHANGHAI).render()
        assert "晚于现在（2026-11-27 08:15 Asia/Shanghai）" in too_late
    finally:
        i18n.set_language("en")


def test_fields_and_troubleshoot_messages_match_in_both_languages() -> None:
    import re
    import tomllib

    from supportcli.core.paths import messages_dir

    def walk(node: dict[str, object], path: str = "") -> list[tuple[str, dict[str, object]]]:
        out: list[tuple[str, dict[str, object]]] = []
        if "en" in node or "zh" in node:
            out.append((path, node))
        for key, child in node.items():
            if isinstance(child, dict):
                out.extend(walk(child, f"{path}.{key}"))
        return out

    for area in ("fields", "troubleshoot"):
        data = tomllib.loads((messages_dir() / f"{area}.toml").read_text(encoding="utf-8"))
        for path, entry in walk(data, area):
            en, zh = entry.get("en"), entry.get("zh")
            assert isinstance(en, str), path
            assert isinstance(zh, str), path
            assert set(re.findall(r"\{(\w+)\}", en)) == set(re.findall(r"\{(\w+)\}", zh)), path


@pytest.mark.parametrize(("raw", "expected"), [
    ("1,523.40 usdt", "1523.40 USDT"), ("１２３ USDT", "123 USDT"), ("1523.40 USDT.", "1523.40 USDT"),
    ("5. ETH", "5 ETH"),
])
def test_amounts_as_traders_type_them(raw: str, expected: str) -> None:
    assert value("amount", raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("tBTCF0:USTF0", "BTCF0/USTF0"), ("BTCF0:USTF0", "BTCF0/USTF0"), ("tETHF0:USTF0", "ETHF0/USTF0"),
])
def test_perpetual_contract_pairs(raw: str, expected: str) -> None:
    assert value("pair", raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("11/20 2pm", "2026-11-20T14:00+08:00"), ("20/11 14:05", "2026-11-20T14:05+08:00"),
    ("11月20日 14:05", "2026-11-20T14:05+08:00"), ("11月20日下午2点", "2026-11-20T14:00+08:00"),
    ("20 Nov 14:05", "2026-11-20T14:05+08:00"), ("Nov 20, 2026 2:05 pm", "2026-11-20T14:05+08:00"),
    ("12/25 10:00", "2025-12-25T10:00+08:00"),  # last year's: this year's has not come yet
    ("昨晚 9 点", "2026-11-26T21:00+08:00"), ("昨晚 21:00", "2026-11-26T21:00+08:00"),
    ("昨天下午3点半", "2026-11-26T15:30+08:00"), ("11月20号 14:05", "2026-11-20T14:05+08:00"),
    ("2026-11-20 14:05 北京时间", "2026-11-20T14:05+08:00"),
])
def test_dates_without_a_year_month_names_and_chinese_parts_of_day(raw: str, expected: str) -> None:
    assert value("datetime", raw, SHANGHAI) == expected


def test_a_typed_zone_is_said_back_as_typed_then_in_utc_without_repeating_utc() -> None:
    said = parse("datetime", "t", "2026-11-20 14:05 +08:00", UTC).said_back
    assert said == "Understood as: 2026-11-20 14:05 UTC+08:00 = 2026-11-20 06:05 UTC."
    assert parse("datetime", "t", "2026-11-20 14:05", UTC).said_back.endswith("UTC time: 2026-11-20 14:05 UTC.")


def test_a_date_alone_is_also_checked_for_a_plausible_year() -> None:
    ctx = UTC._replace(allow_date=True)
    assert value("datetime", "2026-11-20", ctx) == "2026-11-20"
    assert "year" in refusal("datetime", "2008-11-30", ctx).render()
    assert value("datetime", "昨天", ctx) == "2026-11-26"
    assert value("datetime", "yesterday", ctx) == "2026-11-26"
    assert value("datetime", "Nov 16", ctx) == "2026-11-16"


def test_ust_is_kept_and_said_back_as_bitfinex_s_code_for_tether() -> None:
    parsed = parse("pair", "p", "BTCUST", UTC)
    assert parsed.value == "BTC/UST"
    assert "Tether" in parsed.said_back
    assert "Tether" in parse("amount", "a", "10 UST", UTC).said_back
    assert parse("pair", "p", "BTCUSDT", UTC).said_back == ""


def test_a_chosen_dst_reading_is_said_back_once() -> None:
    berlin = FieldContext(now=NOW, zone="Europe/Berlin")
    said = parse("datetime", "t", "2026-10-25T02:30+01:00", berlin).said_back
    assert said == "Understood as: 2026-10-25 02:30 Europe/Berlin (UTC+01:00) = 2026-10-25 01:30 UTC."


def test_an_id_from_an_answers_file_number_has_the_same_length_limit_as_typed_text() -> None:
    assert "at most 20 digits" in refusal("integer_id", 10**25).render()
    assert "at most 20 digits" in refusal("integer_id", str(10**25)).render()


def test_a_solana_signature_is_a_transaction_hash_too() -> None:
    signature = "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW"
    assert value("txhash", signature) == signature  # case kept: base58
    assert "Solana" in refusal("txhash", signature[:60]).render()


def test_sentence_punctuation_after_an_email_or_address_is_not_part_of_it() -> None:
    assert value("email", "me@example.com.") == "me@example.com"
    address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    assert value("address", address + "。") == address


@pytest.mark.parametrize("raw", ["2026-11-20 14:05 (UTC+8)", "2026-11-20 14:05（北京时间）", "2026-11-20 14:05 +8"])
def test_a_zone_in_brackets_or_as_a_short_offset(raw: str) -> None:
    assert value("datetime", raw) == "2026-11-20T14:05+08:00"


def test_the_system_s_etc_utc_is_called_utc() -> None:
    ctx = FieldContext(now=NOW, zone="Etc/UTC")
    assert parse("datetime", "t", "2026-11-20 14:05", ctx).said_back == (
        "No time zone given, so this is taken as UTC time: 2026-11-20 14:05 UTC."
    )
    assert "(2026-11-27 00:15 UTC)" in refusal("datetime", "2026-12-01 10:00", ctx).render()


def test_a_day_alone_is_read_as_the_date_questions_read_it() -> None:
    from supportcli.core.flows.fields.datetimes import read_day

    today = dt.date(2026, 11, 27)
    assert read_day("date", "11/20", today) == dt.date(2026, 11, 20)
    assert read_day("date", "前天", today) == dt.date(2026, 11, 25)
    assert read_day("date", "昨日", today) == dt.date(2026, 11, 26)
    assert read_day("date", "2026年11月3日", today) == dt.date(2026, 11, 3)
    assert read_day("date", "12/20", today) == dt.date(2025, 12, 20)  # this year's has not come yet
    with pytest.raises(InputError) as future:
        read_day("date", "2026-11-28", today)
    assert "future" in future.value.render()
    with pytest.raises(InputError) as not_a_day:
        read_day("date", "next week", today)
    assert "date: " in not_a_day.value.render()


def test_the_exchange_s_way_of_writing_assets_and_pairs_comes_from_the_pack() -> None:
    """Without a pack's `[assets]` the parsers know no exchange: no `t` prefix, no typo hints, no notes."""
    plain = FieldContext(now=NOW, zone="UTC")
    assert value("pair", "BTC/USD", plain) == "BTC/USD"
    assert "t" in refusal("pair", "tBTCUSD", plain).render()  # the prefix is not Bitfinex's here
    assert value("amount", "3 USTD", plain) == "3 USTD"  # no list of codes to suggest from
    assert parse("amount", "a", "10 UST", plain).said_back == ""
    assert value("pair", "tBTCUSD", UTC) == "BTC/USD"
    assert "Did you mean USDT" in refusal("amount", "3 USTD", UTC).render()

"""The Chinese interface reads as a native support writer would write it: no click English, no
translated-English messages, no stray spaces around Chinese text."""

from __future__ import annotations

import datetime as dt

from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.test_cases_store import new_case

TODAY = dt.datetime.now(dt.UTC).date()


def test_a_day_that_is_not_a_day_is_named_in_a_native_sentence(cli: Runner, app_paths: AppPaths) -> None:
    case = new_case(app_paths, sent_on=TODAY - dt.timedelta(days=3), today=TODAY)
    r = cli("--lang", "zh", "cases", "log", case.id, "--date", "上周", "--summary", "x")
    assert r.exit_code == 2
    assert "--date：看不懂“上周”这个日期" in r.stderr
    assert "。 " not in r.stderr  # no English-style space after a full stop
    r = cli("cases", "log", case.id, "--date", "last week", "--summary", "x")
    assert "“last week” is not a date I can read" in r.stderr


def test_usage_line_of_an_error_is_chinese_too(cli: Runner) -> None:
    r = cli("--lang", "zh", "config", "get")
    assert r.exit_code == 2
    assert "用法：supportcli config get [选项] {key}" in r.stderr
    assert "缺少参数 'key'" in r.stderr


def test_a_chinese_value_takes_no_spaces_around_it_in_a_chinese_template() -> None:
    from supportcli.core.drafts.templates import fill

    template = "{when}，我通过 {network} 网络向充值地址 {address} 转入了 {amount}。"
    tron = fill(template, {"when": "11月20日", "network": "波场（TRC-20）", "address": "TXyz", "amount": "100 USDT"})
    assert tron == "11月20日，我通过波场（TRC-20）网络向充值地址 TXyz 转入了 100 USDT。"
    erc = fill(template, {"when": "11月20日", "network": "ERC-20", "address": "0xabc", "amount": "1 ETH"})
    assert erc == "11月20日，我通过 ERC-20 网络向充值地址 0xabc 转入了 1 ETH。"  # Latin keeps its spaces
    assert fill("Sent {amount} via {network} network.", {"amount": "1 ETH", "network": "ERC-20"}) == (
        "Sent 1 ETH via ERC-20 network.")

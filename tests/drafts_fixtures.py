"""Hand-made flows and results for the drafts tests (independent of the shipped flow files)."""

from __future__ import annotations

import datetime as dt

from supportcli.core.flows.model import Choice, Flow, FlowResult, Step
from supportcli.core.pack import Pack, load_pack

NOW = dt.datetime(2026, 11, 27, 8, 15, 0, tzinfo=dt.UTC)
TX_HASH = "9f2c" * 16
SEED = "abandon ability able about above absent absorb abstract absurd abuse access accident"


def bitfinex_pack() -> Pack:
    from supportcli.core.paths import builtin_packs_dir

    return load_pack(builtin_packs_dir() / "bitfinex")


def _q(key: str, kind: str, en: str, zh: str, **extra: object) -> Step:
    return Step(kind="question", id=key, text={"en": en, "zh": zh}, type=kind, **extra)  # type: ignore[arg-type]


def abnormal_trade_flow() -> Flow:
    return Flow(
        id="abnormal-trade",
        title={"en": "A trade looks wrong", "zh": "交易异常"},
        summary={"en": "", "zh": ""},
        category="abnormal-trade",
        faq=(),
        steps=(
            Step(kind="advice", id="check-announcements",
                 text={"en": "Checked the announcements for maintenance at that time.",
                       "zh": "查看了当时是否有维护公告。"}),
            Step(kind="advice", id="check-ledgers",
                 text={"en": "Compared the fill with my order history and ledgers.",
                       "zh": "核对了订单历史和账本记录。"}),
            _q("what_kind", "choice", "Which is closest?", "哪种情况最接近？", choices=(
                Choice("unexpected_fill", {"en": "it filled at a price I did not expect",
                                           "zh": "成交价格与预期不符"}),
                Choice("other", {"en": "something else", "zh": "其他"}),
            )),
            _q("trade_id", "integer_id", "Trade id", "成交 ID"),
            _q("pair", "pair", "Trading pair", "交易对"),
            _q("occurred_at", "datetime", "When did it happen?", "发生时间"),
            _q("balance", "amount", "Balance now", "现在的余额"),
            _q("description", "multiline", "Describe what happened", "描述发生了什么"),
        ),
    )


DESCRIPTION = "My limit sell at 43000 filled at 41000.\n我的限价卖单成交价不对。"


def abnormal_trade_result(description: str = DESCRIPTION) -> FlowResult:
    return FlowResult(
        flow_id="abnormal-trade",
        answers={
            "what_kind": "unexpected_fill",
            "trade_id": 123456,
            "pair": "BTC/USD",
            "occurred_at": "2026-11-20T14:05:00+08:00",
            "balance": "1523.40 USDT",
            "description": description,
        },
        tried=["check-announcements", "check-ledgers"],
    )


def deposit_flow() -> Flow:
    return Flow(
        id="deposit-missing", title={"en": "Deposit missing", "zh": "充值未到账"}, summary={"en": "", "zh": ""},
        category="deposit-missing", faq=(),
        steps=(
            _q("amount", "amount", "Amount", "金额"),
            _q("tx_hash", "txhash", "Transaction hash", "交易哈希"),
            _q("deposit_address", "address", "Deposit address", "充值地址"),
            _q("sent_at", "datetime", "When", "时间"),
        ),
    )


def deposit_result() -> FlowResult:
    return FlowResult("deposit-missing", {
        "amount": "0.5 BTC", "tx_hash": TX_HASH, "deposit_address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "sent_at": "2026-11-20T06:05:00+00:00",
    }, [])



"""Golden tickets for every shipped flow, in both languages, from answers a real user could give (read each
once when it changes: `UPDATE_GOLDEN=1 python -m pytest tests/test_drafts_golden_flows.py`, then the diff)."""

from __future__ import annotations

from typing import Any

import pytest

from supportcli.core.drafts.service import build_draft
from supportcli.core.flows.content import load_flow
from supportcli.core.flows.model import FlowResult
from supportcli.core.i18n import Lang
from tests.drafts_fixtures import NOW, bitfinex_pack
from tests.test_drafts_render import _golden

ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
HASH = "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"
WHEN = "2026-11-20T14:05:00+08:00"
# One run of each flow: the answers (as the engine keeps them) and the self-help steps tried.
RUNS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "abnormal-trade": ({
        "what_kind": "unexpected_fill", "trade_id": 1234567890, "order_id": 98765432101, "pair": "BTC/USD",
        "occurred_at": WHEN, "order_price": "43000 USD", "fill_price": "41000 USD", "balance": "1523.40 USDT",
        "description": "My limit sell at 43000 filled at 41000.", "has_export": True,
    }, ["check-announcements", "check-order-history-and-ledgers"]),
    "trade-failed": ({
        "pair": "ETH/USDT", "order_type": "limit", "wallet": "exchange", "amount": "0.5 ETH", "occurred_at": WHEN,
        "error_message": "Invalid order: not enough exchange balance", "platform": "api",
    }, ["check-error-and-settings"]),
    "deposit-missing": ({
        "amount": "250 XRP", "network": "other", "network_name": "XRP Ledger", "tx_hash": HASH,
        "chain_status": "confirmed", "deposit_address": "rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh", "memo_needed": True,
        "sent_at": WHEN,
    }, ["check-confirmations", "check-network-address-memo"]),
    "withdrawal-delayed": ({
        "withdrawal_id": 13105603, "amount": "0.25 BTC", "requested_at": WHEN, "status_shown": "completed",
        "tx_hash": HASH, "destination_address": ADDRESS, "security_change": False,
    }, ["check-status-and-email", "check-receiving-side"]),
    "verify-account": ({
        "level": "intermediate", "submitted_at": "2026-11-18", "status_shown": "rejected",
        "rejection_reason": "Proof of address older than 3 months", "account_email": "me@example.com",
    }, ["review-times", "check-requests"]),
    "password-reset": ({
        "problem": "withdrawal_hold", "account_email": "me@example.com", "security_change": "password_reset",
        "changed_at": "2026-11-25", "intermediate_or_higher": True, "selfie_uploaded": False,
    }, ["lift-hold"]),
    "trade-dispute": ({
        "dispute_kind": "wrong_price", "order_id": 98765432101, "trade_id": 1234567890, "pair": "BTC/USD",
        "occurred_at": WHEN, "amount": "120.50 USD", "expected": "My stop at 40000 should have filled near 40000.",
        "happened": "It filled at 38500 during a 2-second spike.", "has_export": True,
        "desired_outcome": "Review the fill and refund the difference",
    }, ["gather-evidence"]),
    "escalate": ({
        "reason": "unsatisfied", "ticket_number": "48213", "channel": "ticket", "sent_on": "2026-11-10",
        "original_problem": "On 2026-11-09 I requested a withdrawal of 0.25 BTC (withdrawal id #13105603); it is "
                            "still processing.",
        "support_said": "2026-11-12 (reply from support, ticket): We are checking with the team.",
        "request": "Please pass this to a senior agent and tell me when the withdrawal will be sent.",
        "case_id": "k3m9qa", "attachments": "movements.csv\nwithdrawal-screenshot.png",
    }, ["answer-questions"]),
    "general": ({
        "category": "withdrawal", "subject": "Withdrawal fee higher than shown", "what_happened":
            "The fee taken was 0.0004 BTC; the withdrawal page showed 0.0002 BTC.", "occurred_at": WHEN,
        "ids": "withdrawal 13105603",
    }, ["search-first"]),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("flow_id", sorted(RUNS))
def test_each_shipped_flow_drafts_its_golden_ticket(flow_id: str, lang: Lang) -> None:
    pack = bitfinex_pack()
    answers, tried = RUNS[flow_id]
    draft = build_draft(pack, load_flow(pack, flow_id), FlowResult(flow_id, dict(answers), list(tried)), lang=lang,
                        timezone="Asia/Shanghai", sender_name="", sender_email="", now=NOW)
    _golden(f"flows/{flow_id}.{lang}.md", draft.ticket_markdown.encode("utf-8"))

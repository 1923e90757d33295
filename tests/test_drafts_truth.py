"""Drafts that never claim what the user did not say: each contradiction a reviewer found, as a user meets it
(the shipped flows and templates, through the commands where a user would run them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from supportcli.core.drafts.model import Draft
from supportcli.core.drafts.service import build_draft
from supportcli.core.flows.content import load_flow
from supportcli.core.flows.model import FlowResult
from supportcli.core.i18n import Lang
from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.drafts_fixtures import NOW, bitfinex_pack

LANGS = ("en", "zh")
ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
HASH = "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"


def shipped(flow_id: str, answers: dict[str, Any], lang: Lang, tried: list[str] | None = None) -> Draft:
    pack = bitfinex_pack()
    return build_draft(pack, load_flow(pack, flow_id), FlowResult(flow_id, answers, tried or []), lang=lang,
                       timezone="Asia/Shanghai", sender_name="", sender_email="", now=NOW)


def summary_of(draft: Draft) -> str:
    return draft.email_body.split("\n\n")[1]


def run_answers(cli: Runner, tmp_path: Path, *args: str, text: str, lang: str = "en") -> dict[str, Any]:
    path = tmp_path / f"answers-{len(list(tmp_path.iterdir()))}.toml"
    path.write_text(text, encoding="utf-8")
    r = cli("--lang", lang, *args, "--answers", str(path), "--json")
    assert r.exit_code == 0, r.output
    data: dict[str, Any] = json.loads(r.stdout)
    data["stderr"] = r.stderr
    return data


def ticket_of(result: dict[str, Any]) -> str:
    return Path(result["ticket"]).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the withdrawal hold

HOLD = 'problem = "withdrawal_hold"\naccount_email = "me@example.com"\nchanged_at = "2026-11-25"\n'


@pytest.mark.parametrize("lang", LANGS)
def test_a_hold_below_intermediate_never_says_verified_nor_uploaded(cli: Runner, tmp_path: Path, lang: str) -> None:
    done = run_answers(cli, tmp_path, "troubleshoot", "password-reset", lang=lang,
                       text=HOLD + "intermediate_or_higher = false\n")
    ticket = ticket_of(done)
    for claim in ("My account is verified", "I have uploaded", "request to lift", "我的账户认证级别为中级或以上",
                  "我已在", "申请提前解除提现冻结"):
        assert claim not in ticket, claim
    assert ("cannot ask to lift the hold early" if lang == "en" else "不能申请提前解除冻结") in ticket
    assert ("when the hold ends" if lang == "en" else "冻结什么时候结束") in ticket


@pytest.mark.parametrize("lang", LANGS)
def test_a_hold_at_intermediate_says_the_photo_only_once_it_is_uploaded(cli: Runner, tmp_path: Path, lang: str) -> None:
    not_yet = ticket_of(run_answers(cli, tmp_path, "troubleshoot", "password-reset", lang=lang,
                                    text=HOLD + "intermediate_or_higher = true\nselfie_uploaded = false\n"))
    assert not_yet.startswith("# request to lift withdrawal hold")  # the official subject
    assert ("My account is verified at Intermediate" if lang == "en" else "我的账户认证级别为中级或以上") in not_yet
    assert ("I have uploaded" if lang == "en" else "我已在 https://www.bitfinex.com/verification 上传") not in not_yet
    assert ("- [ ] Before you send this: upload" if lang == "en" else "- [ ] 发送前：先在") in not_yet
    uploaded = ticket_of(run_answers(cli, tmp_path, "troubleshoot", "password-reset", lang=lang,
                                     text=HOLD + "intermediate_or_higher = true\nselfie_uploaded = true\n"))
    assert ("I have uploaded" if lang == "en" else "我已在 https://www.bitfinex.com/verification 上传") in uploaded
    assert "Before you send this" not in uploaded and "发送前" not in uploaded


# --------------------------------------------------------------------------- a missing deposit

DEPOSIT = {"amount": "250 USDT", "network": "tron", "tx_hash": HASH, "deposit_address": ADDRESS,
           "memo_needed": False, "sent_at": "2026-11-20T06:05:00+00:00"}


def test_the_deposit_flow_asks_what_the_block_explorer_shows() -> None:
    step = load_flow(bitfinex_pack(), "deposit-missing").question("chain_status")
    assert step is not None and step.type == "choice"
    assert step.default == "not_checked"  # skipping it claims nothing
    assert {c.id for c in step.choices} == {"confirmed", "pending", "not_found", "not_checked"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_deposit_is_confirmed_on_chain_only_when_the_user_says_so(lang: Lang) -> None:
    confirmed = ("confirmed", "已确认")
    for status in ("not_checked", "pending", "not_found"):
        summary = summary_of(shipped("deposit-missing", DEPOSIT | {"chain_status": status}, lang))
        assert not any(word in summary for word in confirmed), (status, summary)
    summary = summary_of(shipped("deposit-missing", DEPOSIT | {"chain_status": "confirmed"}, lang))
    assert ("shows the transaction confirmed" if lang == "en" else "区块浏览器显示这笔交易已确认") in summary


@pytest.mark.parametrize("lang", LANGS)
def test_a_forgotten_memo_is_said_as_forgotten(lang: Lang) -> None:
    summary = summary_of(shipped("deposit-missing", DEPOSIT | {"memo_needed": True, "chain_status": "confirmed"},
                                 lang))
    assert ("sent the deposit without one" if lang == "en" else "充值时没有填写") in summary
    given = summary_of(shipped("deposit-missing", DEPOSIT | {"memo_needed": True, "memo": "104853"}, lang))
    assert "104853" in given
    assert "without one" not in given and "没有填写" not in given


# --------------------------------------------------------------------------- a delayed withdrawal

WITHDRAWAL = {"withdrawal_id": 13105603, "amount": "0.25 BTC", "requested_at": "2026-11-20T06:05:00+00:00",
              "destination_address": ADDRESS, "security_change": False}


@pytest.mark.parametrize("lang", LANGS)
def test_a_completed_withdrawal_is_not_asked_what_holds_it(lang: Lang) -> None:
    done = summary_of(shipped("withdrawal-delayed", WITHDRAWAL | {"status_shown": "completed", "tx_hash": HASH}, lang))
    assert "holding it" not in done and "预计什么时候处理" not in done
    assert ("shows it as completed" if lang == "en" else "已完成") in done
    assert HASH in done
    pending = summary_of(shipped("withdrawal-delayed", WITHDRAWAL | {"status_shown": "processing"}, lang))
    assert ("what is holding it" if lang == "en" else "预计什么时候处理") in pending
    cancelled = summary_of(shipped("withdrawal-delayed", WITHDRAWAL | {"status_shown": "canceled"}, lang))
    assert ("why it was cancelled" if lang == "en" else "被取消的原因") in cancelled
    assert "holding it" not in cancelled and "预计什么时候处理" not in cancelled


# --------------------------------------------------------------------------- an abnormal trade

TRADE = {"what_kind": "unexpected_fill", "trade_id": 1234567890, "pair": "BTC/USD",
         "occurred_at": "2026-11-20T14:05:00+08:00", "balance": "1523.40 USDT", "description": "Filled low.",
         "has_export": False}


@pytest.mark.parametrize("lang", LANGS)
def test_the_balance_is_asked_and_labelled_as_the_balance_now(lang: Lang) -> None:
    flow = load_flow(bitfinex_pack(), "abnormal-trade")
    question = flow.question("balance")
    assert question is not None
    assert ("now" if lang == "en" else "现在") in question.text_in(lang)
    draft = shipped("abnormal-trade", TRADE, lang)
    label = ("| Balance now (when writing) | 1523.40 USDT |" if lang == "en"
             else "| 现在的余额（撰写工单时） | 1523.40 USDT |")
    assert label in draft.ticket_markdown
    assert ("At the time of writing" if lang == "en" else "截至撰写本工单时") in summary_of(draft)
    for stale in ("afterwards", "Afterwards", "之后"):
        assert stale not in draft.ticket_markdown


@pytest.mark.parametrize("lang", LANGS)
def test_order_and_fill_price_are_facts_and_compared_only_when_both_are_given(lang: Lang) -> None:
    flow = load_flow(bitfinex_pack(), "abnormal-trade")
    for key in ("order_price", "fill_price"):
        step = flow.question(key)
        assert step is not None and step.type == "amount" and not step.required
    both = shipped("abnormal-trade", TRADE | {"order_price": "43000 USD", "fill_price": "41000 USD"}, lang)
    rows = ("| Order price | 43000 USD |", "| Fill price | 41000 USD |") if lang == "en" else (
        "| 订单价格 | 43000 USD |", "| 成交价格 | 41000 USD |")
    assert all(row in both.ticket_markdown for row in rows)
    comparison = ("My order's price was 43000 USD; it filled at 41000 USD." if lang == "en"
                  else "我的订单价格是 43000 USD，实际成交价格是 41000 USD。")
    assert comparison in summary_of(both)
    one = shipped("abnormal-trade", TRADE | {"fill_price": "41000 USD"}, lang)
    assert rows[1] in one.ticket_markdown
    assert "43000" not in one.ticket_markdown
    assert "filled at 41000" not in summary_of(one) and "实际成交价格" not in summary_of(one)


# --------------------------------------------------------------------------- draft-ticket, a failed order

@pytest.mark.parametrize("lang", LANGS)
def test_draft_ticket_for_a_withdrawal_asks_for_movements_not_ledgers(cli: Runner, tmp_path: Path, lang: str) -> None:
    done = run_answers(cli, tmp_path, "draft-ticket", lang=lang,
                       text='category = "withdrawal"\nsubject = "Funds missing"\nwhat_happened = "Not there."\n')
    csv_line = next(line for line in ticket_of(done).splitlines() if "report.bitfinex.com" in line)
    assert ("Movements" if lang == "en" else "充提记录（Movements）") in csv_line
    assert "Ledgers" not in csv_line and "Trades" not in csv_line
    trading = run_answers(cli, tmp_path, "draft-ticket", lang=lang,
                          text='category = "trading"\nsubject = "Order stuck"\nwhat_happened = "It stays open."\n')
    trading_line = next(line for line in ticket_of(trading).splitlines() if "report.bitfinex.com" in line)
    assert "Trades" in trading_line and "Ledgers" in trading_line and "Movements" not in trading_line


@pytest.mark.parametrize("lang", LANGS)
def test_an_api_order_is_never_said_to_have_failed_on_a_page(lang: Lang) -> None:
    order = {"pair": "ETH/USDT", "order_type": "limit", "wallet": "exchange", "amount": "0.5 ETH",
             "occurred_at": "2026-11-20T06:05:00+00:00", "platform": "api"}
    for extra in ({"error_message": "ERR_RATE_LIMIT"}, {}):
        draft = shipped("trade-failed", order | extra, lang)
        summary = summary_of(draft)
        assert "page" not in summary.lower() and "页面" not in summary
        assert "API" in summary
        evidence = draft.ticket_markdown.split("\n## ")[-1]
        assert ("The API request I sent" if lang == "en" else "我发送的 API 请求") in evidence
        assert "error message shown" not in evidence and "错误提示截图" not in evidence
    web = summary_of(shipped("trade-failed", order | {"platform": "web", "error_message": "Invalid order"}, lang))
    assert ("on the website" if lang == "en" else "页面提示") in web


# --------------------------------------------------------------------------- the escalation

WITHDRAWAL_ANSWERS = '''withdrawal_id = 13105603
amount = "0.25 BTC"
requested_at = "2026-11-20 14:05"
status_shown = "processing"
destination_address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
'''


def _sent_case(cli: Runner, tmp_path: Path, app_paths: AppPaths, lang: str) -> str:
    """A withdrawal ticket drafted and sent as ticket 48213: its case (with one file kept), by id."""
    from supportcli.core.cases.store import CaseStore

    first = run_answers(cli, tmp_path, "troubleshoot", "withdrawal-delayed", text=WITHDRAWAL_ANSWERS, lang=lang)
    r = cli("drafts", "mark-sent", first["id"], "--ticket-number", "48213")
    assert r.exit_code == 0, r.output
    case_id = CaseStore(app_paths).list().cases[0].id
    shot = tmp_path / "withdrawal-screenshot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert cli("cases", "attach", case_id, str(shot), "--unchecked").exit_code == 0  # a picture: looked at
    return case_id


@pytest.mark.parametrize("lang", LANGS)
def test_the_escalation_restates_the_problem_lists_the_files_and_says_reply_in_the_same_ticket(
    cli: Runner, tmp_path: Path, app_paths: AppPaths, lang: str
) -> None:
    case_id = _sent_case(cli, tmp_path, app_paths, lang)
    path = tmp_path / "escalate.toml"
    path.write_text('request = "Please pass this to a senior agent."\n', encoding="utf-8")
    r = cli("--lang", lang, "troubleshoot", "escalate", "--case", case_id, "--answers", str(path))
    assert r.exit_code == 0, r.output
    draft_id = r.stdout.split()[1]  # "Draft ID saved." / "草稿 ID 已保存。"
    from supportcli.core.drafts.store import DraftStore

    info = DraftStore(app_paths).get(draft_id)
    assert info.ticket is not None
    ticket = info.ticket.read_text(encoding="utf-8")
    # The original problem, from the case's own draft: the withdrawal, its id and amount.
    section = "## The original problem" if lang == "en" else "## 最初的问题"
    assert section in ticket
    restated = ticket.split(section, 1)[1].split("\n## ", 1)[0]
    assert "13105603" in restated and "0.25 BTC" in restated
    # The case's file, as evidence to attach.
    item = "Attachment: withdrawal-screenshot.png" if lang == "en" else "附件：withdrawal-screenshot.png"
    assert f"- [ ] {item}" in ticket
    assert "followup-" not in ticket and "sidecar" not in ticket
    # How to send it: in ticket 48213, not as a new ticket (the flow's advice).
    said = " ".join(r.stdout.split())
    if lang == "en":
        assert "Send it as a reply in ticket #48213" in said and "not as a new ticket" in said
        assert "Submit it as a ticket" not in said
    else:
        assert "在原工单 #48213 里回复" in said and "不要新开工单" in said
        assert "以工单形式提交" not in said


def test_a_new_request_is_still_submitted_as_a_ticket(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(WITHDRAWAL_ANSWERS, encoding="utf-8")
    r = cli("troubleshoot", "withdrawal-delayed", "--answers", str(path))
    assert r.exit_code == 0, r.output
    assert "Submit it as a ticket at https://support.bitfinex.com" in r.stdout

"""Rendering: golden tickets and emails in both languages, the .eml parsed back, mailto, sidecar."""

from __future__ import annotations

import email
import os
import tomllib
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from supportcli.core.drafts.markdown import md_block, md_inline
from supportcli.core.drafts.service import build_draft, save_draft
from supportcli.core.i18n import Lang
from supportcli.core.paths import AppPaths
from tests.drafts_fixtures import NOW, abnormal_trade_flow, abnormal_trade_result, bitfinex_pack

GOLDEN = Path(__file__).parent / "golden" / "drafts"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; run again")
    assert actual == path.read_bytes(), f"{name} differs (UPDATE_GOLDEN=1 to accept)"


def _draft(lang: Lang, *, bilingual: bool = False):  # type: ignore[no-untyped-def]
    return build_draft(
        bitfinex_pack(), abnormal_trade_flow(), abnormal_trade_result(), lang=lang, timezone="Asia/Shanghai",
        sender_name="李雷 Li Lei", sender_email="lilei@example.com", bilingual=bilingual, now=NOW,
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ticket_and_email_match_the_golden_files(lang: Lang, app_paths: AppPaths) -> None:
    draft = _draft(lang)
    _golden(f"abnormal-trade.{lang}.md", draft.ticket_markdown.encode("utf-8"))
    _golden(f"abnormal-trade.{lang}.email.txt", draft.email_body.encode("utf-8"))
    saved = save_draft(draft, app_paths)
    assert saved.email is not None
    _golden(f"abnormal-trade.{lang}.eml", saved.email.read_bytes())


def test_bilingual_ticket_matches_the_golden_file() -> None:
    draft = _draft("zh", bilingual=True)
    _golden("abnormal-trade.zh-en.md", draft.ticket_markdown.encode("utf-8"))
    assert draft.subject.startswith("异常成交 #123456")
    assert "Abnormal trade #123456" in draft.subject


def test_english_ticket_has_what_support_needs() -> None:
    ticket = _draft("en").ticket_markdown
    first = ticket.splitlines()[0]
    assert first == "# Abnormal trade #123456 on BTC/USD at 2026-11-20 06:05 UTC"
    assert "**Category:** Abnormal trade" in ticket
    assert "| Time (UTC) | 2026-11-20 06:05 UTC |" in ticket
    assert "| Time (local) | 2026-11-20 14:05 (Asia/Shanghai, UTC+08:00) |" in ticket
    assert "| Trade ID | 123456 |" in ticket
    assert "| Balance now (when writing) | 1523.40 USDT |" in ticket
    assert "| Trading pair | BTC/USD |" in ticket
    # A step the template words as something done (not the advice, which speaks to the user) ...
    assert ("- Checked the announcements on the official site and the help center for maintenance, an incident"
            " or unusual market moves around that time") in ticket
    # ... and one it does not know, as the first sentence of the advice.
    assert "- Compared the fill with my order history and ledgers." in ticket
    assert "report.bitfinex.com" in ticket
    assert "2026-11-19 to 2026-11-21" in ticket
    assert "- [ ] Screenshots" in ticket
    assert "support never asks for passwords" in ticket


def test_chinese_ticket_is_in_chinese() -> None:
    ticket = _draft("zh").ticket_markdown
    assert ticket.startswith("# 异常成交 #123456：BTC/USD，2026-11-20 06:05 UTC\n")
    assert "**类别：** 交易异常" in ticket
    assert "| 发生时间（本地时间） | 2026-11-20 14:05 (Asia/Shanghai, UTC+08:00) |" in ticket
    assert "客服从不索要密码" in ticket


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_eml_parses_back_with_headers_and_unchanged_body(lang: Lang, app_paths: AppPaths) -> None:
    draft = _draft(lang)
    saved = save_draft(draft, app_paths)
    assert saved.email is not None
    raw = saved.email.read_bytes()
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5322 line ends
    msg = email.message_from_bytes(raw, policy=default_policy)
    assert msg["To"] == "support@bitfinex.com"
    assert msg["From"].addresses[0].addr_spec == "lilei@example.com"
    assert msg["From"].addresses[0].display_name == "李雷 Li Lei"
    assert msg["Subject"] == draft.subject
    assert msg["Date"].datetime == NOW
    assert msg["Message-ID"].startswith("<20261127081500.")
    assert msg["Message-ID"].endswith("@example.com>")
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    body = msg.get_content()
    assert body.replace("\r\n", "\n") == draft.email_body
    assert "我的限价卖单成交价不对。" in body


def test_mailto_link_carries_subject_and_body(app_paths: AppPaths) -> None:
    draft = _draft("zh")
    saved = save_draft(draft, app_paths)
    parts = urlsplit(saved.mailto)
    assert parts.scheme == "mailto"
    assert parts.path == "support@bitfinex.com"
    query = parse_qs(parts.query)
    assert query["subject"] == [draft.subject]
    # RFC 6068: CRLF line breaks; at most 2,000 characters, so this Chinese body (9 characters a
    # character, encoded) is cut at a word and points to the .eml, which holds it all.
    assert len(saved.mailto) <= 2000
    assert "%0D%0A" in saved.mailto and "%0A" not in saved.mailto.replace("%0D%0A", "")
    body = query["body"][0].replace("\r\n", "\n")
    kept, _, note = body.partition("\n…\n\n")
    assert draft.email_body.startswith(kept) and len(kept) > 100
    assert saved.email is not None and saved.email.name in note


def test_a_short_mailto_body_is_whole() -> None:
    from supportcli.core.drafts.mail import mailto_link

    link = mailto_link("support@bitfinex.com", "Withdrawal 42", "Hello,\nplease check.\n", cut_note="(cut)")
    assert link == "mailto:support@bitfinex.com?subject=Withdrawal%2042&body=Hello%2C%0D%0Aplease%20check.%0D%0A"


def test_a_mailto_link_never_exceeds_2000_characters() -> None:
    from supportcli.core.drafts.mail import mailto_link

    for body in ("word " * 2000, "提现" * 3000, "x" * 5000, ""):
        for subject in ("Short", "长" * 400):
            link = mailto_link("support@bitfinex.com", subject, body, cut_note="(the rest is in 20261201.eml)")
            assert len(link) <= 2000, (len(link), subject[:5], body[:5])


def test_sidecar_holds_every_field(app_paths: AppPaths) -> None:
    draft = _draft("en")
    saved = save_draft(draft, app_paths)
    data = tomllib.loads(saved.sidecar.read_text(encoding="utf-8"))
    assert data["id"] == saved.id
    assert data["status"] == "unsent"
    assert data["answers"]["trade_id"] == 123456
    assert data["answers"]["occurred_at"] == "2026-11-20T14:05:00+08:00"
    assert data["field_types"]["occurred_at"] == "datetime"
    assert data["tried"] == ["check-announcements", "check-ledgers"]
    assert data["subject"] == draft.subject
    assert data["ticket_markdown"] == draft.ticket_markdown
    assert data["email_body"] == draft.email_body
    assert data["to"] == "support@bitfinex.com"
    assert data["from_email"] == "lilei@example.com"
    assert data["files"] == {"ticket": f"{saved.id}.md", "email": f"{saved.id}.eml"}
    assert data["created"] == NOW


def test_user_text_is_inserted_as_text_never_as_markup_or_template_code() -> None:
    hostile = "{trade_id} {{x}} **bold** <script>x</script> | cell [link](https://evil.example)\n# heading\n- item"
    result = abnormal_trade_result(description=hostile)
    result.answers["balance"] = "{exchange} | 1 BTC"
    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="en", timezone="UTC",
                        sender_name="", sender_email="", now=NOW)
    ticket = draft.ticket_markdown
    assert "\\{" not in ticket  # braces are not special in Markdown: kept as typed
    assert "{trade\\_id} {{x}} \\*\\*bold\\*\\* \\<script\\>x\\</script\\> " in ticket
    assert "\\| cell \\[link\\](https://evil.example)" in ticket
    assert "\n\\# heading\n\\- item" in ticket
    assert "| Balance now (when writing) | {exchange} \\| 1 BTC |" in ticket
    assert "{exchange} | 1 BTC" in draft.email_body  # the email is plain text: nothing escaped
    assert "123456" not in draft.email_body.split("Describe")[0].split("{trade_id}")[0][-5:]


def test_escaping_helpers() -> None:
    assert md_inline("a|b *c*") == "a\\|b \\*c\\*"
    assert md_inline("line\nbreak\x1b[31m") == "line break"
    assert md_block("1. one\n> quote") == "1\\. one\n\\> quote"


def test_missing_answers_fall_back_to_shorter_subject_lines() -> None:
    result = abnormal_trade_result()
    del result.answers["occurred_at"]
    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="en", timezone="UTC",
                        sender_name="", sender_email="", now=NOW)
    assert draft.subject == "Abnormal trade #123456 on BTC/USD"
    result.answers.clear()
    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="zh", timezone="UTC",
                        sender_name="", sender_email="", now=NOW)
    assert draft.subject == "交易异常，请协助核查"


def test_no_configured_email_leaves_from_out(app_paths: AppPaths) -> None:
    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), abnormal_trade_result(), lang="en",
                        timezone="UTC", sender_name="", sender_email="", now=NOW)
    saved = save_draft(draft, app_paths)
    assert saved.email is not None
    msg = email.message_from_bytes(saved.email.read_bytes(), policy=default_policy)
    assert msg["From"] is None
    assert msg["To"] == "support@bitfinex.com"
    assert "@supportcli.invalid>" in msg["Message-ID"]


def test_withdrawal_hold_uses_the_official_subject_only_when_the_level_allows_asking() -> None:
    from supportcli.core.flows.model import Choice, Flow, FlowResult, Step

    flow = Flow(
        id="password-reset", title={"en": "", "zh": ""}, summary={"en": "", "zh": ""}, category="password-reset",
        faq=(), steps=(Step(kind="question", id="problem", text={"en": "Problem", "zh": "问题"}, type="choice",
                            choices=(Choice("withdrawal_hold", {"en": "Withdrawal hold", "zh": "提现冻结"}),)),),
    )
    answers = {"problem": "withdrawal_hold", "changed_at": "2026-11-25T09:00:00+00:00", "intermediate_or_higher": True}
    result = FlowResult("password-reset", answers, [])
    result_types = build_draft(bitfinex_pack(), flow, result, lang="en", timezone="UTC", sender_name="",
                               sender_email="", now=NOW)
    assert result_types.subject == "request to lift withdrawal hold"
    zh = build_draft(bitfinex_pack(), flow, result, lang="zh", timezone="UTC", sender_name="", sender_email="",
                     now=NOW)
    assert zh.subject.startswith("request to lift withdrawal hold")
    below = FlowResult("password-reset", answers | {"intermediate_or_higher": False}, [])
    for lang in ("en", "zh"):
        draft = build_draft(bitfinex_pack(), flow, below, lang=lang, timezone="UTC",  # type: ignore[arg-type]
                            sender_name="", sender_email="", now=NOW)
        assert "request to lift withdrawal hold" not in draft.subject
        assert "request to lift" not in draft.email_body


def test_long_advice_is_shortened_at_a_clause_not_inside_brackets() -> None:
    from supportcli.core.drafts.collect import first_sentence

    long_step = ("Compare with your own records: find the order in your order history and check its type (a market "
                 "order can fill at several prices, a stop order fills once its trigger is hit), price and amount; "
                 "then read every line of the ledgers.")
    assert first_sentence(long_step) == "Compare with your own records…"
    assert first_sentence("Checked the status page.\nMore detail here.") == "Checked the status page."
    zh = "先暂停操作。" + "然后查看公告，" * 30
    assert first_sentence(zh) == "先暂停操作。"


# --------------------------------------------------------------------------- shipped flows, read as an agent would

def _shipped(flow_id: str, answers: dict[str, object], tried: list[str], lang: Lang):  # type: ignore[no-untyped-def]
    from supportcli.core.flows.content import load_flow
    from supportcli.core.flows.model import FlowResult

    pack = bitfinex_pack()
    flow = load_flow(pack, flow_id)
    return build_draft(pack, flow, FlowResult(flow_id, dict(answers), tried), lang=lang,  # type: ignore[arg-type]
                       timezone="Asia/Shanghai", sender_name="", sender_email="", now=NOW)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_what_was_tried_reads_as_done_not_as_advice(lang: Lang) -> None:
    draft = _shipped("general", {"category": "withdrawal", "subject": "Funds missing", "what_happened": "x"},
                     ["search-first"], lang)
    from supportcli.core.i18n import t

    heading = t("drafts.ticket.tried", lang=lang)
    tried = next(part for part in draft.ticket_markdown.split("\n## ") if part.startswith(heading))
    assert "faq search" not in tried
    assert "supportcli" not in tried  # the advice spoke to the user
    assert ("Searched the knowledge base" if lang == "en" else "在知识库和帮助中心搜索过") in tried
    assert draft.tried_text == [tried.split("- ", 1)[1].strip()]


def test_every_shipped_advice_step_has_a_tried_line_in_its_template() -> None:
    from supportcli.core.drafts.templates import load_template
    from supportcli.core.flows.content import load_flow

    pack = bitfinex_pack()
    for flow_id in pack.section_ids("flows"):
        flow = load_flow(pack, flow_id)
        template = load_template(pack, flow.category)
        for step in flow.steps:
            if step.kind == "advice":
                assert template.tried_in(step.id, "en"), (flow_id, step.id)
                assert template.tried_in(step.id, "zh"), (flow_id, step.id)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_general_ticket_names_the_chosen_category_once(lang: Lang) -> None:
    draft = _shipped("general", {"category": "withdrawal", "subject": "Funds missing", "what_happened": "x"}, [], lang)
    ticket = draft.ticket_markdown
    if lang == "en":
        assert "**Category:** Withdrawals  " in ticket
        assert "General" not in ticket
        assert "| Category |" not in ticket
    else:
        assert "**类别：** 提现  " in ticket
        assert "一般问题" not in ticket
        assert "| 问题类别 |" not in ticket


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_date_alone_is_shown_as_a_date_and_the_local_case_id_not_at_all(lang: Lang) -> None:
    answers = {"reason": "no_reply", "ticket_number": "48213", "channel": "ticket", "sent_on": "2026-11-10",
               "request": "Please escalate.", "case_id": "k3m9qa"}
    draft = _shipped("escalate", answers, [], lang)
    ticket, body = draft.ticket_markdown, draft.email_body
    for text in (ticket, body):
        assert "00:00" not in text
        assert "08:00" not in text  # no made-up midnight, no local row
        assert "k3m9qa" not in text  # means nothing to support
    assert ("| Sent | 2026-11-10 |" if lang == "en" else "| 提交时间 | 2026-11-10 |") in ticket
    assert "2026-11-10" in draft.subject
    assert "48213" in draft.subject
    assert "report.bitfinex.com" not in ticket  # a follow-up asks for no new exports
    assert draft.answers["case_id"] == "k3m9qa"  # kept for `drafts mark-sent` to find the case


def test_an_other_choice_is_not_written_into_the_summary_as_if_it_were_a_name() -> None:
    deposit = _shipped("deposit-missing", {
        "amount": "250 USDT", "network": "other", "network_name": "Solana",
        "tx_hash": "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
        "deposit_address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "sent_at": "2026-11-20T06:05:00+00:00",
    }, [], "en")
    assert "on the Solana network" in deposit.email_body
    assert "Another network network" not in deposit.email_body
    trade = _shipped("abnormal-trade", {"what_kind": "other", "trade_id": 1234567890, "pair": "BTC/USD",
                                        "description": "价格不对"}, [], "zh")
    summary = trade.email_body.split("\n\n")[1]
    assert "出现异常（详见下文）" in summary
    assert "其他" not in summary
    dispute = _shipped("trade-dispute", {"dispute_kind": "other", "trade_id": 1234567890, "order_id": 98765432101,
                                         "pair": "BTC/USD", "amount": "120.50 USD",
                                         "occurred_at": "2026-11-20T06:05:00+00:00"}, [], "en")
    summary = dispute.email_body.split("\n\n")[1]
    assert summary.startswith("I dispute trade #1234567890")
    assert "Something else" not in summary

"""`troubleshoot escalate --case ID` starts from what the case already knows."""

from __future__ import annotations

import datetime as dt

from supportcli.core.cases.logbook import LogRequest, log_entry
from supportcli.core.cases.prefill import escalate_prefill
from supportcli.core.i18n import set_language
from supportcli.core.paths import AppPaths
from tests.test_cases_store import new_case


def test_overdue_case_without_reply_prefills_no_reply(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    answers = escalate_prefill(app_paths, case.id[:4], today=dt.date(2026, 11, 30))
    assert answers == {
        "case_id": case.id,
        "ticket_number": "48213",
        "sent_on": "2026-11-20",
        "channel": "ticket",
        "reason": "no_reply",
        # The case's draft (a bare test draft, with no e-mail summary to quote): the subject it was sent with.
        "original_problem": "提现未到账 / Withdrawal not received",
    }


def test_without_any_reply_it_is_no_reply_even_within_the_window(app_paths: AppPaths) -> None:
    # "unsatisfied" would draft "the reply I received does not resolve my problem" and ask what support
    # said, when nothing was received.
    case = new_case(app_paths)
    assert escalate_prefill(app_paths, case.id, today=dt.date(2026, 11, 27))["reason"] == "no_reply"
    log_entry(app_paths, case.id, LogRequest(kind="reply", on="2026-11-24", summary="We are checking"),
              today=dt.date(2026, 11, 27))
    assert escalate_prefill(app_paths, case.id, today=dt.date(2026, 11, 27))["reason"] == "unsatisfied"


def test_what_support_said_is_quoted_oldest_first(app_paths: AppPaths) -> None:
    case = new_case(app_paths, ticket=None)
    today = dt.date(2026, 12, 3)
    log_entry(app_paths, case.id, LogRequest(kind="reply", channel="email", on="2026-11-24",
                                             summary="Please send the CSV export of your movements"), today=today)
    log_entry(app_paths, case.id, LogRequest(kind="note", on="2026-11-25", summary="Sent it by mail"), today=today)
    log_entry(app_paths, case.id, LogRequest(kind="chat", channel="chat", on="2026-11-26",
                                             text="Agent: the withdrawal is\nstill under review."), today=today)
    answers = escalate_prefill(app_paths, case.id, today=today)
    assert "ticket_number" not in answers  # unknown: the flow asks for it
    assert answers["reason"] == "unsatisfied"  # support has answered; the user is not satisfied
    lines = str(answers["support_said"]).splitlines()
    assert lines == [
        "2026-11-24 (reply from support, email): Please send the CSV export of your movements",
        "2026-11-26 (chat, live chat): Agent: the withdrawal is still under review.",
    ]


def test_followup_without_answer_becomes_no_reply_again(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    today = dt.date(2026, 12, 10)
    log_entry(app_paths, case.id, LogRequest(kind="reply", on="2026-11-24", summary="Checking"), today=today)
    log_entry(app_paths, case.id, LogRequest(kind="followup", on="2026-11-30", summary="Any news?"), today=today)
    answers = escalate_prefill(app_paths, case.id, today=today)
    assert answers["reason"] == "no_reply"
    assert answers["support_said"] == "2026-11-24 (reply from support, ticket): Checking"


def test_ticket_number_learnt_later_is_used(app_paths: AppPaths) -> None:
    case = new_case(app_paths, ticket=None)
    log_entry(app_paths, case.id, LogRequest(kind="note", summary="auto-reply", ticket_number="#50112"),
              today=dt.date(2026, 11, 21))
    assert escalate_prefill(app_paths, case.id, today=dt.date(2026, 11, 23))["ticket_number"] == "50112"


def test_support_said_in_chinese(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    log_entry(app_paths, case.id, LogRequest(kind="reply", channel="email", on="2026-11-24", summary="请提供交易哈希"),
              today=dt.date(2026, 11, 24))
    set_language("zh")
    said = escalate_prefill(app_paths, case.id, today=dt.date(2026, 11, 24))["support_said"]
    assert said == "2026-11-24（客服回复，邮件）：请提供交易哈希"


def test_the_original_problem_is_the_first_draft_s_summary_and_the_files_are_listed(app_paths: AppPaths) -> None:
    import tomli_w

    from supportcli.core.cases.attachments import attach_files
    from supportcli.core.cases.store import CaseStore

    case = new_case(app_paths)
    sidecar = CaseStore(app_paths).draft_file(case, "sidecar")
    assert sidecar is not None
    body = ("Hello Bitfinex support,\n\nOn 2026-11-20 I requested a withdrawal of 0.5 BTC\n(withdrawal id #12345678)."
            "\n\nDetails:\n- Amount: 0.5 BTC\n")
    sidecar.write_text(tomli_w.dumps({"email_body": body}), encoding="utf-8")
    shot = app_paths.data_dir / "screen.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    attach_files(app_paths, case.id, [shot], today=dt.date(2026, 11, 30), approve=lambda path, concern: True)
    answers = escalate_prefill(app_paths, case.id, today=dt.date(2026, 11, 30))
    assert answers["original_problem"] == "On 2026-11-20 I requested a withdrawal of 0.5 BTC (withdrawal id #12345678)."
    assert answers["attachments"] == "screen.png"

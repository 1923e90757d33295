"""The questionary prompter, driven through prompt_toolkit pipe input (CliRunner cannot reach it)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from supportcli.core.flows.content import load_flow
from supportcli.core.flows.engine import FlowEngine
from supportcli.core.pack import Pack, load_pack
from supportcli.term.prompter_questionary import QuestionaryPrompter
from supportcli.term.terminal import Terminal

NOW = dt.datetime(2026, 11, 27, 0, 15, tzinfo=dt.UTC)
ENTER = "\r"
DOWN = "\x1b[B"
ESC_ENTER = "\x1b\r"


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


@pytest.fixture
def pack(pack_root: Path) -> Pack:
    return load_pack(pack_root)


def make(pipe: PipeInput, lang: str = "en") -> tuple[QuestionaryPrompter, io.StringIO]:
    out = io.StringIO()
    terminal = Terminal(stdin=io.StringIO(), stdout=out, stderr=out)
    return QuestionaryPrompter(terminal, lang, input=pipe, output=DummyOutput()), out  # type: ignore[arg-type]


def test_abnormal_trade_by_keys_with_a_retry_a_back_and_an_edit(pipe: PipeInput, pack: Pack) -> None:
    prompter, out = make(pipe)
    keys = [
        ENTER, ENTER,                 # two advice steps: "No, continue"
        ENTER,                        # what_kind: the default, "Something else"
        "12a" + ENTER,                # trade_id: refused
        "\x7f\x7f\x7f77" + ENTER,     # trade_id again: "12a" is offered back; erase it
        "<" + ENTER,                  # order_id: go back to trade_id
        "\x7f\x7f" + "1234" + ENTER,  # trade_id pre-filled with 77: erase it, type 1234
        ENTER,                        # order_id: skip
        "btcusd" + ENTER,
        "2026-11-20 14:05" + ENTER,
        ENTER, ENTER,                 # order and fill price: skip
        "1523.40 usdt" + ENTER,
        "It filled far below my limit." + ESC_ENTER,
        ENTER,                        # has_export: default No
        DOWN + DOWN + ENTER,          # summary: change the second answer (trade_id)
        "\x7f" * 4 + "4321" + ENTER,
        ENTER,                        # summary: looks right
    ]
    pipe.send_text("".join(keys))
    result = FlowEngine(load_flow(pack, "abnormal-trade"), prompter, now=NOW, zone="UTC", lang="en",
                        manifest=pack.manifest).run()
    text = out.getvalue()
    assert "✗ Trade id: Bitfinex ids are whole numbers" in text  # the question as the user read it, not its key
    assert "Please check your answers:" in text
    assert result.answers == {
        "what_kind": "other", "trade_id": 4321, "pair": "BTC/USD", "occurred_at": "2026-11-20T14:05+00:00",
        "balance": "1523.40 USDT", "description": "It filled far below my limit.", "has_export": False,
    }
    assert result.tried == ["check-announcements", "check-order-history-and-ledgers"]


def test_an_advice_answered_yes_ends_the_flow(pipe: PipeInput, pack: Pack) -> None:
    prompter, out = make(pipe)
    pipe.send_text(DOWN + ENTER)  # "Yes, it is solved"
    result = FlowEngine(load_flow(pack, "verify-account"), prompter, now=NOW,
                        manifest=pack.manifest).run()
    assert result.resolved
    assert result.resolved_by == "review-times"
    assert "2–3 working days" in out.getvalue()


def test_the_flow_menu_filters_as_you_type(pipe: PipeInput, pack: Pack) -> None:
    from supportcli.core.flows.content import load_flows

    prompter, _ = make(pipe)
    pipe.send_text("deposit" + ENTER)
    assert prompter.choose_flow(list(load_flows(pack).values())) == "deposit-missing"


def test_chinese_prompts(pipe: PipeInput, pack: Pack) -> None:
    from supportcli.core import i18n

    i18n.set_language("zh")
    try:
        prompter, out = make(pipe, "zh")
        pipe.send_text(ENTER + DOWN + ENTER)
        result = FlowEngine(load_flow(pack, "deposit-missing"), prompter, now=NOW, lang="zh",
                        manifest=pack.manifest).run()
        assert result.resolved_by == "check-network-address-memo"
        assert "请先试试：" in out.getvalue()
        assert "标签（tag/memo）" in out.getvalue()
    finally:
        i18n.set_language("en")


def test_a_dst_question_is_a_choice(pipe: PipeInput, pack: Pack) -> None:
    prompter, out = make(pipe)
    keys = [ENTER, ENTER, ENTER, "1234" + ENTER, ENTER, "BTC/USD" + ENTER, "2026-10-25 02:30" + ENTER,
            DOWN + ENTER, ENTER, ENTER, "1 BTC" + ENTER, "x" + ESC_ENTER, ENTER, ENTER]
    pipe.send_text("".join(keys))
    result = FlowEngine(load_flow(pack, "abnormal-trade"), prompter, now=NOW, zone="Europe/Berlin",
                        manifest=pack.manifest).run()
    assert "happened twice in Europe/Berlin" in out.getvalue()
    assert result.answers["occurred_at"] == "2026-10-25T02:30+01:00"


def test_ctrl_c_is_not_swallowed(pipe: PipeInput, pack: Pack) -> None:
    prompter, _ = make(pipe)
    pipe.send_text(ENTER + "\x03")
    engine = FlowEngine(load_flow(pack, "abnormal-trade"), prompter, now=NOW, manifest=pack.manifest)
    with pytest.raises(KeyboardInterrupt):
        engine.run()
    assert engine.tried == ["check-announcements"]


def test_a_refusal_in_chinese_names_the_question_not_the_key(pipe: PipeInput, pack: Pack) -> None:
    from supportcli.core import i18n

    i18n.set_language("zh")
    try:
        prompter, out = make(pipe, "zh")
        keys = [ENTER, ENTER, ENTER, "12a" + ENTER, "\x7f\x7f\x7f" + "77" + ENTER, "\x03"]
        pipe.send_text("".join(keys))
        engine = FlowEngine(load_flow(pack, "abnormal-trade"), prompter, now=NOW, lang="zh", manifest=pack.manifest)
        with pytest.raises(KeyboardInterrupt):  # Ctrl-C at the next question
            engine.run()
        text = out.getvalue()
        assert "✗ 交易 ID：Bitfinex 的 ID 是只由数字组成的整数" in text
        assert "trade_id" not in text
        assert engine.answers["trade_id"] == 77
    finally:
        i18n.set_language("en")


def test_lt_while_changing_an_answer_from_the_summary_keeps_the_answer(pipe: PipeInput, pack: Pack) -> None:
    prompter, _ = make(pipe)
    flow = load_flow(pack, "general")
    engine = FlowEngine(flow, prompter, now=NOW, zone="UTC", lang="en", manifest=pack.manifest)
    engine.answers = {"category": "other", "subject": "Funding offer gone"}
    pipe.send_text("\x7f" * 20 + "<" + ENTER + "\x03")  # Ctrl-C at whatever the walk asks next
    with pytest.raises(KeyboardInterrupt):
        engine.edit("subject")
    assert engine.answers["subject"] == "Funding offer gone"


def test_an_interrupted_run_is_offered_before_starting_again(pipe: PipeInput) -> None:
    prompter, _ = make(pipe)
    pipe.send_text(ENTER)
    assert prompter.offer_resume("2026-11-27T01:03:28+00:00") is True  # continuing is the default
    pipe.send_text(DOWN + ENTER)
    assert prompter.offer_resume("2026-11-27T01:03:28+00:00") is False


def test_the_flow_menu_filters_on_chinese_text_too(pipe: PipeInput, pack: Pack) -> None:
    from supportcli.core.flows.content import load_flows

    prompter, _ = make(pipe, "zh")
    pipe.send_text("充值" + ENTER)
    from supportcli.core import i18n

    i18n.set_language("zh")
    try:
        assert prompter.choose_flow(list(load_flows(pack).values())) == "deposit-missing"
    finally:
        i18n.set_language("en")

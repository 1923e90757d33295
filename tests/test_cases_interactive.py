"""`cases log` in a terminal: questionary prompts driven through prompt_toolkit pipe input."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from supportcli.commands.cases_cmd import _ask_log_entry
from supportcli.core.cases.logbook import LogRequest
from supportcli.core.cases.model import Case
from supportcli.term.terminal import Terminal

DOWN, ENTER, FINISH = "\x1b[B", "\r", "\x1b\r"  # Esc then Enter ends a multi-line answer
SEED = "abandon ability able about above absent absorb abstract absurd abuse access accident"
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def case() -> Case:
    return Case(id="k3m9qa", folder=Path("/nonexistent"), sent_on=dt.date(2026, 11, 20), channel="email",
                created_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), reply_window_business_days=5,
                reply_window_confirmed=False)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    yield Terminal(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())


def _errors(terminal: Terminal) -> str:
    assert isinstance(terminal.stderr, io.StringIO)
    return terminal.stderr.getvalue()


def _answer(keys: str, case: Case, terminal: Terminal) -> LogRequest:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            return _ask_log_entry(terminal, case, TODAY, kind=None, channel=None, on=None, ticket_number=None,
                                  corrects=None)


def test_asks_kind_channel_date_summary_and_text(case: Case, terminal: Terminal) -> None:
    keys = DOWN + ENTER + ENTER + ENTER + "Agent called about the hold" + ENTER + "line one\rline two" + FINISH
    request = _answer(keys, case, terminal)
    assert request.kind == "call"
    assert request.channel == "email"  # defaults to the channel the request was sent through
    assert request.on == TODAY.isoformat()
    assert request.summary == "Agent called about the hold"
    assert request.text == "line one\nline two"


def test_seed_phrase_is_refused_and_asked_again(case: Case, terminal: Terminal) -> None:
    keys = ENTER + ENTER + ENTER + SEED + ENTER + "They asked for my words; I refused" + ENTER + FINISH
    request = _answer(keys, case, terminal)
    assert request.summary == "They asked for my words; I refused"
    errors = _errors(terminal)
    assert "recovery phrase" in errors and "absurd" not in errors
    assert errors.count("controls the wallet") == 1  # the reason once, not the refusal and then again


def test_a_bad_date_is_asked_again(case: Case, terminal: Terminal) -> None:
    erase = "\x7f" * 10
    keys = ENTER + ENTER + erase + "2026-11-19" + ENTER + erase + "2026-11-24" + ENTER + "ok" + ENTER + FINISH
    request = _answer(keys, case, terminal)
    assert request.on == "2026-11-24"
    assert "before the request was sent" in _errors(terminal)


def test_nothing_said_is_asked_again(case: Case, terminal: Terminal) -> None:
    keys = ENTER + ENTER + ENTER + ENTER + FINISH + "Phoned, no answer" + ENTER + FINISH
    request = _answer(keys, case, terminal)
    assert request.summary == "Phoned, no answer"
    assert "summary" in _errors(terminal)


def test_menus_speak_chinese_in_chinese(case: Case, terminal: Terminal) -> None:
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    from supportcli.core.i18n import set_language

    set_language("zh")
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=100), term="dumb")
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER + ENTER + ENTER + "客服回复了" + ENTER + FINISH)
        with create_app_session(input=pipe, output=output):
            _ask_log_entry(terminal, case, TODAY, kind=None, channel=None, on=None, ticket_number=None,
                           corrects=None)
    shown = screen.getvalue()
    assert "用方向键" in shown and "Use arrow keys" not in shown

"""In a real pseudo-terminal at the sizes people use (80×24, 120×40, 60 columns), in both languages:
what the screen shows, read through a terminal emulator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from tests.keys import ENTER
from tests.pty_screen import Screen
from tests.test_cases_store import new_case

TODAY = dt.datetime.now(dt.UTC).date()
ESC_ENTER = "\x1b\r"
SIZES = [(80, 24), (120, 40), (60, 24), (40, 20)]  # 40: where the old prompt went blank
PASTE = {"en": "Paste the message", "zh": "如有原文请粘贴"}
LOGGED = {"en": "Logged entry #2", "zh": "第 2 条"}


def _no_line_too_wide(screen: Screen) -> None:
    from supportcli.term.wrap import display_width

    assert all(display_width(line) <= screen.columns for line in screen.lines())


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("columns", "rows"), SIZES, ids=lambda v: str(v))
def test_cases_log_shows_the_paste_step_and_what_is_typed(
    isolated_home: Path, app_paths: AppPaths, lang: str, columns: int, rows: int,
) -> None:
    """The multi-line step of `cases log` went blank (typing blind) when its question and keys were wider
    than the terminal: the question, the keys and the typed text are all on the screen now."""
    case = new_case(app_paths, sent_on=TODAY - dt.timedelta(days=3), today=TODAY)
    screen = Screen(isolated_home, "cases", "log", case.id, columns=columns, rows=rows, lang=lang)
    screen.wait_for("?")
    screen.send(ENTER)                       # what happened: a reply (the default)
    screen.send(ENTER)                       # the channel: the request's
    screen.send(ENTER)                       # the day: today
    screen.send("Asked for the CSV" + ENTER)  # the summary
    shown = screen.wait_for(PASTE[lang])
    assert "Esc" in shown                    # how to finish is on the screen
    screen.send("line one of the reply")
    shown = screen.wait_for("line one of the reply")
    assert "› line one of the reply" in shown  # right after the marker, on the screen
    _no_line_too_wide(screen)
    screen.send(ESC_ENTER)
    screen.wait_for(LOGGED[lang])
    assert screen.finish() == 0
    from supportcli.core.cases.store import CaseStore

    assert CaseStore(app_paths).load(case.id).timeline[-1].text == "line one of the reply"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_question_fits_at_60_columns_and_words_are_never_cut(
    isolated_home: Path, app_paths: AppPaths, lang: str,
) -> None:
    case = new_case(app_paths, sent_on=TODAY - dt.timedelta(days=3), today=TODAY)
    screen = Screen(isolated_home, "cases", "log", case.id, columns=60, rows=30, lang=lang)
    screen.wait_for("?")
    for keys in (ENTER, ENTER, ENTER, "Asked for the CSV" + ENTER):
        screen.send(keys)
    screen.wait_for(PASTE[lang])
    lines = screen.lines()
    _no_line_too_wide(screen)
    if lang == "en":  # the long question breaks between words, never inside one
        question = "Paste the message, if you have it (optional; never a password or recovery phrase):"
        assert question in " ".join(" ".join(lines).split())
    screen.send(ESC_ENTER)
    screen.wait_for(LOGGED[lang])
    assert screen.finish() == 0


@pytest.mark.parametrize(("lang", "typed", "expected"), [("en", "提现", "withdrawal-delayed"),
                                                         ("zh", "withdrawal", "withdrawal-delayed")])
def test_the_flow_menu_says_type_to_filter_once_and_filters_on_both_languages(
    isolated_home: Path, lang: str, typed: str, expected: str,
) -> None:
    screen = Screen(isolated_home, "troubleshoot", columns=80, rows=24, lang=lang)
    shown = screen.wait_for("[general]")
    assert shown.count("filter") + shown.count("筛选") == 1
    screen.send(typed)
    shown = screen.wait_for(typed)
    assert f"[{expected}]" in shown
    assert "[abnormal-trade]" not in shown  # the others are filtered out
    screen.send("\x03")
    assert screen.finish() == 130


def test_a_refused_answer_gives_its_help_and_example_once(isolated_home: Path) -> None:
    screen = Screen(isolated_home, "troubleshoot", "abnormal-trade", columns=80, rows=40)
    screen.wait_for("Did this solve it")
    screen.send(ENTER)
    screen.wait_for("order history")
    screen.send(ENTER)
    screen.wait_for("Which is closest")
    screen.send(ENTER)
    screen.wait_for("Trade id")
    screen.send("12a" + ENTER)
    shown = screen.wait_for("✗")
    screen.send("\x15" + "123" + ENTER)      # Ctrl-U: erase what was offered back
    shown = screen.wait_for("Order id")
    assert shown.count("Find it in your trade history") == 1  # the question's help
    assert shown.count("1234567890") == 1                     # its example, in the refusal
    screen.send("\x03")
    assert screen.finish() == 130

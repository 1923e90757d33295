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
    screen.wait_for("platform status now")
    screen.send(ENTER)                       # the status check: No (the default), nothing is sent
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


LONG = "Withdrawal to my hardware wallet still pending after support asked for the transaction hash twice"


def _words_whole(lines: list[str], text: str) -> None:
    """Every word of `text` is on the screen whole (a word cut across two lines would not be)."""
    shown = {word for line in lines for word in line.split()}
    missing = [word for word in text.split() if word not in shown]
    assert not missing, (missing, lines)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cases_and_drafts_lists_at_60_columns_break_between_words(
    isolated_home: Path, app_paths: AppPaths, lang: str,
) -> None:
    from supportcli.core.cases.sending import mark_sent
    from supportcli.core.drafts.store import DraftStore
    from tests.test_cases_store import write_draft

    write_draft(app_paths, "20261120-091500-pending", subject=LONG)
    mark_sent(app_paths, DraftStore(app_paths).get("20261120-091500-pending"), ticket_number="48213",
              sent_on=TODAY - dt.timedelta(days=2), channel="ticket", today=TODAY, reply_window=(5, False, "x"))
    write_draft(app_paths, "20261121-091500-unsent", subject=LONG)
    for command in (("cases", "list"), ("drafts", "list")):
        screen = Screen(isolated_home, *command, columns=60, rows=30, lang=lang)
        assert screen.finish() == 0
        lines = screen.lines()
        _no_line_too_wide(screen)
        _words_whole(lines, LONG)
        if command == ("cases", "list"):
            label = "reply due" if lang == "en" else "回复截止"
            assert any(label in line and "-" in line.split(label)[1] for line in lines)  # label and date together


@pytest.mark.parametrize(("columns", "lang"), [(60, "en"), (60, "zh"), (140, "en")])
def test_the_home_screen_fits_and_uses_the_width(
    isolated_home: Path, app_paths: AppPaths, columns: int, lang: str,
) -> None:
    from tests.test_cases_store import write_draft

    write_draft(app_paths, "20261121-091500-unsent", subject=LONG)
    screen = Screen(isolated_home, columns=columns, rows=30, lang=lang)
    assert screen.finish() == 0
    _no_line_too_wide(screen)
    line = next(line for line in screen.lines() if "20261121-091500-unsent" in line)
    if columns >= 120:
        assert LONG in line  # the whole subject: the terminal is wide enough
    else:
        assert line.endswith("…") and line.rstrip("…").split()[-1] in LONG.split()

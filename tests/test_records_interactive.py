"""The two questions an export can leave open — its date format and its time zone — asked in a terminal:
prompt_toolkit pipe input for the units, a pseudo-terminal end to end (80 columns and wide)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from supportcli.commands.records_cmd import run_import
from supportcli.core.paths import AppPaths
from supportcli.core.records.lookup import find_trade
from supportcli.core.records.store import RecordStore
from supportcli.term.context import AppContext
from supportcli.term.terminal import Terminal
from tests.test_records_formats import TRADES, trade_rows, write_export

DOWN, UP, ENTER, ERASE = "\x1b[B", "\x1b[A", "\r", "\x7f" * 40


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def app_ctx(app_paths: AppPaths) -> AppContext:
    return AppContext(paths=app_paths, terminal=Terminal(stdin=_Tty(), stdout=_Tty(), stderr=io.StringIO()), lang="en")


def _run(app_ctx: AppContext, keys: str, *paths: Path, date_format: str | None = None) -> int:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            return run_import(app_ctx, list(paths), date_format, None, False)


def _stdout(app_ctx: AppContext) -> str:
    assert isinstance(app_ctx.terminal.stdout, io.StringIO)
    return app_ctx.terminal.stdout.getvalue()


def test_the_date_format_and_zone_are_asked_and_used(app_ctx: AppContext, tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())  # 14-11-23: DD-MM-YY or YY-MM-DD
    keys = DOWN + ENTER + ERASE + "Asia/Tokyo" + ENTER  # YY-MM-DD; Tokyo instead of the offered UTC
    assert _run(app_ctx, keys, path) == 0
    out = _stdout(app_ctx)
    assert "dates read as YY-MM-DD" in out and "Asia/Tokyo (your answer)" in out
    store = RecordStore(app_ctx.paths.records_db)
    trade = find_trade(store, 1500000001)
    assert trade is not None and trade.time.isoformat() == "2014-11-23T13:13:20+00:00"  # 22:13:20 in Tokyo


def test_one_answer_serves_every_file_of_the_same_export(app_ctx: AppContext, tmp_path: Path) -> None:
    first = write_export(tmp_path / "a.csv", TRADES, trade_rows())
    second = write_export(tmp_path / "b.csv", TRADES, [[str(int(r[0]) + 5), *r[1:]] for r in trade_rows()])
    keys = ENTER + ERASE + "not/a zone" + ENTER + ERASE + "UTC" + ENTER  # DD-MM-YY once; a bad zone asked again
    assert _run(app_ctx, keys, first, second) == 0
    out = _stdout(app_ctx)
    assert out.count("dates read as DD-MM-YY") == 2 and "UTC (your answer)" in out
    assert isinstance(app_ctx.terminal.stderr, io.StringIO)
    assert "not a time zone" in app_ctx.terminal.stderr.getvalue()


def test_a_given_format_is_not_asked(app_ctx: AppContext, tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())
    assert _run(app_ctx, ERASE + "UTC" + ENTER, path, date_format="DD-MM-YY") == 0
    assert "dates read as" not in _stdout(app_ctx)


# --------------------------------------------------------------------------- end to end

pexpect = pytest.importorskip("pexpect")


@pytest.mark.parametrize("columns", [80, 140])
def test_the_questions_in_a_real_terminal(isolated_home: Path, tmp_path: Path, columns: int) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())
    home = isolated_home
    env = {
        **os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": "en_US.UTF-8", "TZ": "UTC",
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "COLUMNS": str(columns), "LINES": "40",
    }
    child = pexpect.spawn(sys.executable, ["-m", "supportcli", "records", "import", str(path)], env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, columns))
    try:
        child.expect("Which date format did you choose")
        child.expect("14-11-23 = 2023-11-14")  # what each choice would make of the file's dates
        child.send(ENTER)
        child.expect("Which time zone")
        child.send(ERASE + "Europe/Berlin" + ENTER)
        child.expect("2 new")
        child.expect(r"Europe/Berlin \(your answer\)")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def _forget(app_ctx: AppContext, keys: str) -> str:
    from supportcli.cli import main

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            assert main(["records", "forget"], terminal=app_ctx.terminal) == 0
    return _stdout(app_ctx)


def test_forget_asks_first_in_a_terminal(app_ctx: AppContext, tmp_path: Path) -> None:
    path = write_export(tmp_path / "trades.csv", TRADES, trade_rows())
    _run(app_ctx, ERASE + "UTC" + ENTER, path, date_format="DD-MM-YY")
    assert "Nothing was deleted." in _forget(app_ctx, ENTER)  # the menu starts on "No"
    assert app_ctx.paths.records_db.exists()
    assert "Deleted everything imported" in _forget(app_ctx, UP + ENTER)
    assert not app_ctx.paths.records_db.exists()

"""Shared fixtures: an isolated home for every test, and a runner for the whole CLI."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from supportcli.core import i18n
from supportcli.core.paths import AppPaths

pytest_plugins = ("tests.net_server",)  # the loopback server fixtures, and no test reaches the internet


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    screen: str = ""  # what the questions drew (with `keys`)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Config and data go to a temporary folder; English UTC locale unless a test says otherwise."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "VISUAL", "EDITOR", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE",
                "SUPPORTCLI_LANG", "SUPPORTCLI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("COLUMNS", "100")
    i18n.set_language("en")
    yield home
    i18n.set_language("en")


@pytest.fixture
def app_paths(isolated_home: Path) -> AppPaths:
    return AppPaths.default()


class _TextIO(io.StringIO):
    def __init__(self, value: str = "", tty: bool = False) -> None:
        super().__init__(value)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


Runner = Callable[..., Result]


@pytest.fixture
def cli() -> Runner:
    """Run `supportcli ARGS…` in-process through an injected Terminal; returns exit code, stdout, stderr.

    `input` is what stdin holds; `keys` are typed into the questions (a prompt_toolkit pipe input on
    the Terminal; questionary draws on a 100-column screen kept in `Result.screen`) and make the
    streams a terminal. When the keys run out, the next question gets end of input (an interruption),
    never a hang.
    """
    from supportcli.cli import main
    from supportcli.term.terminal import Terminal

    def run(*args: str, input: str = "", tty: bool = False, keys: str | None = None) -> Result:
        tty = tty or keys is not None
        out, err, inp = _TextIO(tty=tty), _TextIO(tty=tty), _TextIO(input, tty=tty)
        if keys is None:
            code = main(list(args), terminal=Terminal(stdin=inp, stdout=out, stderr=err))
            return Result(code, out.getvalue(), err.getvalue())
        from prompt_toolkit.data_structures import Size
        from prompt_toolkit.input import create_pipe_input
        from prompt_toolkit.output.vt100 import Vt100_Output

        screen = io.StringIO()
        drawn = Vt100_Output(screen, lambda: Size(rows=40, columns=100), term="dumb")
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            pipe.close()
            terminal = Terminal(stdin=inp, stdout=out, stderr=err, prompt_input=pipe, prompt_output=drawn)
            code = main(list(args), terminal=terminal)
        return Result(code, out.getvalue(), err.getvalue(), screen.getvalue())

    return run


@pytest.fixture
def pack_root() -> Path:
    from supportcli.core.paths import builtin_packs_dir

    return builtin_packs_dir() / "bitfinex"

"""Everything the terminal provides, as one object commands receive (streams, tty flags, colour,
the environment, where questions are asked).

Tests build one over StringIO streams, with a prompt_toolkit pipe input for the questions. Text
written here is cleaned of control sequences first, and never interpreted as rich markup.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from supportcli.core.text import clean

if TYPE_CHECKING:
    from rich.console import Console


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _forced(value: str | None) -> bool:
    """FORCE_COLOR / CLICOLOR_FORCE: set to anything but empty or 0."""
    return bool(value) and value != "0"


@dataclass
class Terminal:
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ, repr=False)
    quiet: bool = False  # -q: results and errors only, no hints
    # Where questions are asked (prompt_toolkit Input/Output); None: the real terminal. Tests pass a
    # pipe input and a dummy output.
    prompt_input: Any = field(default=None, repr=False)
    prompt_output: Any = field(default=None, repr=False)
    _console: Console | None = field(default=None, repr=False)
    _err_console: Console | None = field(default=None, repr=False)

    @property
    def stdin_isatty(self) -> bool:
        return _isatty(self.stdin)

    @property
    def stdout_isatty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_isatty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def color(self) -> bool:
        """Colour on a terminal that is not `TERM=dumb`; never with NO_COLOR (https://no-color.org);
        always with FORCE_COLOR or CLICOLOR_FORCE (not empty, not 0), even into a pipe. NO_COLOR wins."""
        env = self.environ
        if env.get("NO_COLOR"):
            return False
        if _forced(env.get("FORCE_COLOR")) or _forced(env.get("CLICOLOR_FORCE")):
            return True
        return self.stdout_isatty and env.get("TERM") != "dumb"

    @property
    def interactive(self) -> bool:
        return self.stdin_isatty and self.stdout_isatty

    def columns(self) -> int:
        """The terminal's width ($COLUMNS first, as shutil does)."""
        import shutil

        return shutil.get_terminal_size().columns

    def echo(self, text: str = "", *, err: bool = False, multiline: bool = True) -> None:
        stream = self.stderr if err else self.stdout
        stream.write(clean(text, multiline=multiline) + "\n")
        stream.flush()

    def say(self, text: str = "", *, err: bool = False) -> None:
        """Prose for a person: on a terminal, wrapped to its width by display width, never inside a word;
        into a pipe or a file, lines stay whole."""
        if self.stderr_isatty if err else self.stdout_isatty:
            from supportcli.term.wrap import wrap

            text = wrap(clean(text), self.columns() - 1)
        self.echo(text, err=err)

    def error(self, text: str) -> None:
        self.echo(text, err=True)

    def hint(self, text: str, *, err: bool = False) -> None:
        """A line that helps but is not the result (what to run next, a reminder); `-q` leaves it out."""
        if not self.quiet:
            self.echo(text, err=err)

    def json(self, data: Any) -> None:
        """Print `data` as JSON: UTF-8 as is, or ASCII escapes where stdout cannot encode it."""
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            # A stdout that cannot carry the text (PYTHONIOENCODING=ascii): ASCII escapes keep JSON exact.
            text = json.dumps(data, ensure_ascii=True, indent=2, default=str)
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def console(self, *, err: bool = False) -> Console:
        """A rich Console over our stream: no markup, emoji or highlighting of what we print."""
        from rich.console import Console

        existing = self._err_console if err else self._console
        if existing is not None:
            return existing
        stream = self.stderr if err else self.stdout
        color = self.color
        console = Console(
            file=stream,
            markup=False,
            emoji=False,
            highlight=False,
            no_color=not color,
            force_terminal=color or None,
            color_system="auto" if color else None,
            soft_wrap=not self.stdout_isatty,
        )
        if err:
            self._err_console = console
        else:
            self._console = console
        return console


def make_streams_safe() -> None:
    """Never crash on a stdout that cannot encode what we print: replace, don't raise."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")

"""supportcli in a pseudo-terminal of a given size, read through a VT100 screen (pyte): what a person
sees, line by line, as `tmux capture-pane` shows it — not the bytes sent to draw it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte

LANGS = {"en": "en_US.UTF-8", "zh": "zh_CN.UTF-8"}


class Screen:
    def __init__(self, home: Path, *args: str, columns: int = 80, rows: int = 24, lang: str = "en",
                 env: dict[str, str] | None = None) -> None:
        self.columns = columns
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        full_env = {
            **os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": LANGS[lang], "TZ": "UTC",
            "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_STATE_HOME": str(home / ".local" / "state"),
            "COLUMNS": str(columns), "LINES": str(rows), **(env or {}),
        }
        for name in ("NO_COLOR", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "SUPPORTCLI_LANG"):
            full_env.pop(name, None)
        self.child = pexpect.spawn(sys.executable, ["-m", "supportcli", *args], env=full_env, encoding="utf-8",
                                   timeout=20, dimensions=(rows, columns))

    def _pump(self, quiet: float = 0.25) -> None:
        """Read what the program drew until it has been quiet for `quiet` seconds."""
        while not self.child.closed:
            try:
                data = self.child.read_nonblocking(65536, timeout=quiet)
            except pexpect.TIMEOUT:
                return
            except pexpect.EOF:
                return
            self.stream.feed(data)

    def lines(self) -> list[str]:
        self._pump()
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, text: str, timeout: float = 15) -> str:
        """The screen once `text` is on it (AssertionError with the screen if it never comes)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.text()
            if text in shown.replace("\n", "") or text in shown:
                return shown
            if time.monotonic() > deadline or not self.child.isalive():
                raise AssertionError(f"{text!r} never appeared; the screen:\n{shown}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self) -> int:
        """Wait for the program to end (what it drew stays on the screen); its exit status."""
        deadline = time.monotonic() + 20
        while self.child.isalive() and time.monotonic() < deadline:
            self._pump()
        self._pump()
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)

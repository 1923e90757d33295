"""The process ends through cli.leave() (the garbage collector frozen, not walked once more on the way out):
the exit status is still the command's and all of its output still arrives, through `python -m supportcli`
and through the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "supportcli"


def _commands() -> list[list[str]]:
    found = [[sys.executable, "-m", "supportcli"]]
    if SCRIPT.is_file():
        found.append([str(SCRIPT)])
    return found


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_CACHE_HOME": str(tmp_path / "cache"), "LANG": "en_US.UTF-8"}
    out.pop("SUPPORTCLI_CONFIG", None)
    return out


@pytest.mark.parametrize("command", _commands(), ids=lambda c: "console script" if len(c) == 1 else "python -m")
def test_the_exit_status_and_the_whole_output_are_the_commands(command: list[str], env: dict[str, str],
                                                                 tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *args], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)

    listed = run("faq", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["pack"] == "bitfinex"  # all of it, flushed
    unsure = run("faq", "search", "sourdough", "recipe", "--json")
    assert unsure.returncode == 1 and isinstance(json.loads(unsure.stdout), list)
    bad = run("--lang", "fr", "--help")
    assert bad.returncode == 2 and "--lang" in bad.stderr
    assert run("--version").stdout.startswith("supportcli ")

"""What each quick command leaves unloaded (issue 16): rich only to print a table, questionary and
prompt_toolkit only to draw a question, idna only for a host that is not plain ASCII, the drafting code
only once a draft is built, tomllib only when a file is really parsed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

HEAVY = ("rich", "questionary", "prompt_toolkit", "idna", "tomllib", "hashlib", "httpx")
CODE = (
    "import sys\n"
    "from supportcli.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    f"heavy = {HEAVY!r}\n"
    "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m == 'supportcli.core.drafts.service')\n"
    "print('LOADED=' + ','.join(loaded), file=sys.stderr)\n"
)
ANSWERS = 'trade_id = "12345"\noccurred_at = "2026-11-20 14:05"\nbalance = "1,523.40 usdt"\npair = "tBTCUSD"\n' \
          'description = "Limit sell at 43000 filled at 41000."\n'


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg"),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_STATE_HOME": str(home / "state"), "LANG": "en_US.UTF-8",
           "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}
    env.pop("SUPPORTCLI_CONFIG", None)
    return env


def _loaded(args: list[str], home: Path) -> set[str]:
    """The heavy modules a second run loads (the first fills the parse cache)."""
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=60,
                           env=_env(home), cwd=home)
    line = next(x for x in r.stderr.splitlines() if x.startswith("LOADED="))
    return {m.split(".")[0] if not m.startswith("supportcli") else m for m in line.removeprefix("LOADED=").split(",")
            if m}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "speed-home"
    folder.mkdir()
    (folder / "chat.txt").write_text("hi, my withdrawal of 0.5 BTC is pending, txid " + "9f2c" * 16 + "\n",
                                     encoding="utf-8")
    (folder / "answers.toml").write_text(ANSWERS, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("args", "allowed"), [
    (["scan", "chat.txt", "--json"], set()),
    (["verify-contact", "https://bitfinex-support.com"], set()),
    (["verify-contact", "--json", "www.Bitfinex.com."], set()),
    (["drafts", "list", "--json"], set()),
    (["cases", "list", "--json"], set()),
    ([], set()),  # the home screen
    (["troubleshoot", "abnormal-trade", "--answers", "answers.toml", "--json"],
     {"tomllib", "hashlib", "supportcli.core.drafts.service"}),  # it reads a TOML file and saves a draft
])
def test_quick_commands_leave_the_heavy_libraries_unloaded(args: list[str], allowed: set[str], home: Path) -> None:
    assert _loaded(args, home) <= allowed


def test_a_host_that_is_not_plain_ascii_still_goes_through_idna(home: Path) -> None:
    assert "idna" in _loaded(["verify-contact", "--json", "https://bitfіnex.com"], home)  # a Cyrillic і


def test_the_first_question_is_drawn_before_the_drafting_code_and_the_guard_load(home: Path) -> None:
    program = (
        "import sys\n"
        "from supportcli.term import prompter_questionary as pq\n"
        "def first(self, *args, **kwargs):\n"
        "    names = ('supportcli.core.drafts.service', 'supportcli.core.guard.secrets', 'rich')\n"
        "    print('LOADED=' + ','.join(n for n in names if n in sys.modules), flush=True)\n"
        "    raise SystemExit(0)\n"
        "pq.QuestionaryPrompter._select = first\n"
        "from supportcli.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    child = pexpect.spawn(sys.executable, ["-c", program, "troubleshoot", "abnormal-trade"], env=_env(home),
                          cwd=str(home), encoding="utf-8", timeout=30, dimensions=(40, 120))
    child.expect(r"LOADED=([\w.,]*)\r?\n")
    loaded = child.match.group(1)
    child.expect(pexpect.EOF)
    assert loaded == ""

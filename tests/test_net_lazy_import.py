"""httpx is loaded only by the commands that go online: never for --help, --version or faq search."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CODE = (
    "import sys\n"
    "from supportcli.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore', 'h11', 'anyio', 'certifi'))\n"
    "print('LOADED=' + ','.join(loaded), file=sys.stderr)\n"
)


def _loaded(args: list[str], home: Path) -> str:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg")}
    r = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=60, env=env)
    line = next(x for x in r.stderr.splitlines() if x.startswith("LOADED="))
    return line.removeprefix("LOADED=")


@pytest.mark.parametrize("args", [
    ["--help"], ["--version"], ["faq", "search", "withdrawal", "pending"], ["faq", "search", "提现", "--json"],
    ["status", "--help"], ["market", "check", "--help"], ["faq", "sync", "--help"],
])
def test_http_library_is_not_imported(args: list[str], tmp_path: Path) -> None:
    assert _loaded(args, tmp_path) == ""


def test_the_check_sees_httpx_once_a_client_is_made(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from supportcli.core.net.http import HttpClient\n"
        "from supportcli.core.net.policy import NetworkPolicy\n"
        "assert 'httpx' not in sys.modules\n"
        "HttpClient(NetworkPolicy())._http()\n"
        "print('LOADED=' + ','.join(sorted(m for m in sys.modules if m == 'httpx')), file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED=httpx" in r.stderr, r.stderr

"""End to end in a pseudo-terminal (80 columns and wide): a flow asks before it goes online, and only a
yes sends the one request, to the loopback server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.net_server import LoopbackServer, Reply, online_pack

pexpect = pytest.importorskip("pexpect")

UP, ENTER = "\x1b[A", "\r"
STATUS = "/v2/platform/status"


def spawn(home: Path, columns: int, *args: str, lang: str = "en_US.UTF-8") -> pexpect.spawn:
    env = {
        **os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": lang, "TZ": "UTC",
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"), "COLUMNS": str(columns), "LINES": "40",
    }
    env.pop("NO_COLOR", None)
    return pexpect.spawn(sys.executable, ["-m", "supportcli", *args], env=env, encoding="utf-8", timeout=20,
                         dimensions=(40, columns))


@pytest.mark.parametrize("columns", [80, 160])
def test_the_status_check_is_asked_first_and_made_only_after_yes(
    isolated_home: Path, tmp_path: Path, net_server: LoopbackServer, columns: int,
) -> None:
    net_server.route(STATUS, Reply(200, [1]))
    pack = online_pack(tmp_path, net_server.base_url)
    child = spawn(isolated_home, columns, "--pack", str(pack), "troubleshoot", "trade-failed")
    child.expect("sends one request to 127.0.0.1")
    child.expect("nothing about you")
    child.expect("Check Bitfinex's platform status now?")
    child.expect("No")
    assert net_server.requests == []  # asking sends nothing
    child.send(UP + ENTER)             # Yes
    child.expect("Bitfinex is operative")
    child.expect("Did this solve it")
    assert net_server.paths() == [STATUS]
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_no_keeps_it_offline_and_the_question_reads_in_chinese(
    isolated_home: Path, tmp_path: Path, net_server: LoopbackServer,
) -> None:
    net_server.route(STATUS, Reply(200, [1]))
    pack = online_pack(tmp_path, net_server.base_url)
    child = spawn(isolated_home, 80, "--pack", str(pack), "troubleshoot", "trade-failed", lang="zh_CN.UTF-8")
    child.expect("不发送任何关于你的信息")
    child.expect("现在查一下 Bitfinex 的平台状态吗")
    child.send(ENTER)                  # 否 is the default
    child.expect("问题解决了吗")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert net_server.requests == []

"""End to end in a pseudo-terminal: real keys, an invalid answer re-asked, going back, Ctrl-C, --resume."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ENTER = "\r"
DOWN = "\x1b[B"
ESC_ENTER = "\x1b\r"


def spawn(home: Path, *args: str, lang: str = "en_US.UTF-8") -> pexpect.spawn:
    env = {
        **os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": lang, "TZ": "UTC",
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "COLUMNS": "120", "LINES": "40",
    }
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "supportcli", *args], env=env, encoding="utf-8", timeout=20,
                          dimensions=(40, 120))
    return child


def type_line(child: pexpect.spawn, text: str) -> None:
    child.send(text)
    child.send(ENTER)


def test_abnormal_trade_with_a_retry_back_ctrl_c_and_resume(isolated_home: Path) -> None:
    home = isolated_home
    sessions = home / ".local" / "state" / "supportcli" / "sessions"  # XDG state, not data

    child = spawn(home, "troubleshoot", "abnormal-trade")
    child.expect(r"Related answers \(supportcli faq show ID\): abnormal-trade")
    child.expect("Bitfinex support never asks")
    child.expect("platform status now")
    child.send(ENTER)                                  # the status check: No is the default, nothing is sent
    child.expect("Did this solve it")
    child.send(ENTER)                                  # check-announcements: not solved
    child.expect("Did this solve it")
    child.send(ENTER)                                  # check-order-history-and-ledgers: not solved
    child.expect("Which is closest")
    child.send(ENTER)                                  # what_kind: default
    child.expect("Trade id")
    type_line(child, "12a")                            # invalid: re-asked with the reason
    child.expect("whole numbers")
    child.expect("Trade id")
    child.expect("12a")                                # what was typed is offered back to fix
    child.sendcontrol("u")
    type_line(child, "1234567890")
    child.expect("Order id")
    type_line(child, "<")                              # back to the trade id, pre-filled
    child.expect("Trade id")
    child.expect("1234567890")
    child.send(ENTER)
    child.expect("Order id")
    child.send(ENTER)                                  # optional: skipped
    child.expect("Trading pair")
    type_line(child, "tBTCUSD")
    child.expect("When did it happen")
    child.sendcontrol("c")                             # interrupted: answers saved, resume hint, 130
    child.expect("supportcli troubleshoot --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    saved = sessions / "abnormal-trade.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["answers"] == {"what_kind": "other", "trade_id": 1234567890, "pair": "BTC/USD"}
    assert data["skipped"] == ["order_id"]

    child = spawn(home, "troubleshoot", "--resume")
    child.expect("Continuing where you stopped")
    child.expect("When did it happen")
    type_line(child, "yesterday 3pm")
    child.expect("taken as UTC time")
    child.expect("price of your order")
    child.send(ENTER)                                  # optional: skipped (as a market order has none)
    child.expect("price it filled at")
    child.send(ENTER)
    child.expect("balance")
    type_line(child, "1523.40 usdt")
    child.expect("Describe")
    child.send("It filled far below my limit.")
    child.send(ESC_ENTER)
    child.expect("exported")
    child.send(ENTER)
    child.expect("Please check your answers")
    child.expect("Anything to change")
    child.send(ENTER)                                  # looks right
    child.expect("What now with this draft")
    child.expect("Save it")
    child.send(ENTER)                                  # the default: save
    child.expect("Ticket: (.*\\.md)")
    ticket = Path(child.match.group(1).strip())
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = ticket.read_text(encoding="utf-8")
    assert "1234567890" in text
    assert "BTC/USD" in text
    assert "1523.40 USDT" in text
    assert not saved.exists()  # a finished session is removed


def test_the_menu_filters_and_an_advice_can_solve_it_in_chinese(isolated_home: Path) -> None:
    child = spawn(isolated_home, "troubleshoot", lang="zh_CN.UTF-8")
    child.expect("遇到了什么问题")
    child.send("verify")
    child.send(ENTER)
    child.expect("问题解决了吗")
    child.send(DOWN + ENTER)                           # 解决了
    child.expect("太好了")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_json_keeps_stdout_for_the_result_while_prompts_go_to_the_terminal(isolated_home: Path) -> None:
    """`--json` interactively: stdout redirected to a file gets exactly one JSON object."""
    out = isolated_home / "result.json"
    env = {
        **os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": "en_US.UTF-8", "TZ": "UTC",
        "HOME": str(isolated_home), "XDG_CONFIG_HOME": str(isolated_home / ".config"),
        "XDG_DATA_HOME": str(isolated_home / ".local" / "share"),
    }
    command = f"{sys.executable} -m supportcli troubleshoot verify-account --json > {out}"
    child = pexpect.spawn("/bin/sh", ["-c", command], env=env, encoding="utf-8", timeout=20, dimensions=(40, 120))
    child.expect("Did this solve it")
    child.send(DOWN + ENTER)  # yes, solved
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["flow"] == "verify-account"
    assert data["resolved"] is True
    assert data["ticket"] is None

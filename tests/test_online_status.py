"""`supportcli status`: the platform status from the pack's API, against the loopback server."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from supportcli.core.net.http import Timeouts
from supportcli.core.pack import load_pack
from tests.conftest import Runner
from tests.net_server import LoopbackServer, Reply, online_pack

STATUS = "/v2/platform/status"


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("supportcli.commands.online_shared.TIMEOUTS", Timeouts(connect=1.0, read=0.5, total=3.0))


@pytest.fixture
def pack(tmp_path: Path, net_server: LoopbackServer) -> str:
    return str(online_pack(tmp_path, net_server.base_url))


def test_the_shipped_pack_names_the_public_endpoints(pack_root: Path) -> None:
    online = load_pack(pack_root).manifest.online
    assert online is not None
    assert online.api_base == "https://api-pub.bitfinex.com"
    assert online.help_center == "https://support.bitfinex.com"
    assert online.status_page == "https://bitfinex.statuspage.io/"


def test_operative(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route(STATUS, Reply(200, [1]))
    r = cli("--pack", pack, "status")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Bitfinex is operative (checked ")
    assert "Status page: https://bitfinex.statuspage.io/" in r.stdout
    assert net_server.paths() == [STATUS]
    assert net_server.requests[0].query == {}


def test_maintenance_exits_1_and_says_what_it_means(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route(STATUS, Reply(200, [0]))
    r = cli("--pack", pack, "status")
    assert r.exit_code == 1
    assert "Bitfinex is in maintenance" in r.stdout
    assert "orders cannot be placed or cancelled" in r.stdout
    assert "https://bitfinex.statuspage.io/" in r.stdout


def test_the_maintenance_error_code_is_maintenance(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route(STATUS, Reply(500, ["error", 20060, "maintenance"]))
    r = cli("--pack", pack, "status", "--json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["platform"] == "maintenance"
    assert r.stderr.count("Error:") == 0


def test_json(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route(STATUS, Reply(200, [1]))
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    r = cli("--pack", pack, "status", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert set(data) == {"platform", "checked_at", "source", "status_page", "error"}
    assert data["platform"] == "operative"
    assert data["source"] == net_server.url(STATUS)
    assert data["error"] is None
    assert dt.datetime.fromisoformat(data["checked_at"]) >= before


@pytest.mark.parametrize(("reply", "says"), [
    (Reply(500, b"<html>oops</html>", {"Retry-After": "0"}), "answered with HTTP 500"),
    (Reply(200, b"[1"), "could not be read"),
    (Reply(200, [2]), "not in the documented format"),
    (Reply(200, [True]), "not in the documented format"),
    (Reply(200, {"status": "ok"}), "not in the documented format"),
    (Reply(500, ["error", 10020, "limit: invalid"]), "error 10020: limit: invalid"),
    (Reply(200, [1], hang=20), "did not answer in time"),
])
def test_any_failure_is_unknown_with_one_clear_line(
    cli: Runner, net_server: LoopbackServer, pack: str, reply: Reply, says: str
) -> None:
    net_server.route(STATUS, reply)
    r = cli("--pack", pack, "status", "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["platform"] == "unknown"
    assert says in data["error"]
    errors = [line for line in r.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1
    assert says in errors[0]
    assert "Traceback" not in r.output


def test_unreachable_text_output(cli: Runner, pack: str, net_server: LoopbackServer) -> None:
    net_server.stop()  # nothing listens there any more
    r = cli("--pack", pack, "status")
    assert r.exit_code == 1
    assert "The status of Bitfinex is unknown" in r.stdout
    assert "Status page: https://bitfinex.statuspage.io/" in r.stdout
    assert "Error: Could not reach 127.0.0.1:" in r.stderr


def test_chinese(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route(STATUS, Reply(200, [0]))
    r = cli("--lang", "zh", "--pack", pack, "status")
    assert r.exit_code == 1
    assert "Bitfinex 正在维护" in r.stdout
    assert "状态页面：https://bitfinex.statuspage.io/" in r.stdout


@pytest.mark.parametrize("how", ["--offline anywhere on the line", "config set network off"])
def test_network_off_sends_nothing(cli: Runner, net_server: LoopbackServer, pack: str, how: str) -> None:
    net_server.route(STATUS, Reply(200, [1]))
    if how.startswith("--offline"):
        r = cli("--pack", pack, "status", "--offline")
    else:
        assert cli("config", "set", "network", "off").exit_code == 0
        r = cli("--pack", pack, "status")
    assert r.exit_code == 1
    assert net_server.requests == []
    assert "Network access is off, so nothing was sent to 127.0.0.1:" in r.stderr
    assert "goes online only when" not in r.stderr  # nothing goes online: no privacy notice either


def test_network_on_again(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route(STATUS, Reply(200, [1]))
    assert cli("config", "set", "network", "off").exit_code == 0
    assert cli("config", "set", "network", "on").exit_code == 0
    r = cli("--pack", pack, "status")
    assert r.exit_code == 0, r.output
    assert net_server.paths() == [STATUS]


def test_privacy_notice_once(cli: Runner, net_server: LoopbackServer, pack: str, isolated_home: Path) -> None:
    net_server.route(STATUS, Reply(200, [1]))
    first = cli("--pack", pack, "status", "--json")
    assert "goes online only when you run status, market check or faq sync" in first.stderr
    assert "market check sends only the pair and a time window" in first.stderr
    assert json.loads(first.stdout)["platform"] == "operative"  # stdout stays JSON
    assert (isolated_home / ".local" / "share" / "supportcli" / "online-notice-shown").is_file()
    second = cli("--pack", pack, "status")
    assert "goes online" not in second.stderr


def test_a_pack_without_online_endpoints(cli: Runner, tmp_path: Path, net_server: LoopbackServer) -> None:
    root = online_pack(tmp_path, net_server.base_url)
    manifest = root / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("\n[online]\n")
    end = text.index("\n[[channels]]", start)
    manifest.write_text(text[:start] + text[end:], encoding="utf-8")
    r = cli("--pack", str(root), "status")
    assert r.exit_code == 1
    assert "names no public endpoints ([online] in its pack.toml)" in r.stderr
    assert net_server.requests == []


@pytest.mark.parametrize(("line", "problem"), [
    ('api_base = "http://api-pub.bitfinex.com"', "online.api_base"),
    ('api_base = "https://api-pub.bitfinex.com/?key=1"', "online.api_base"),
    ('colour = "blue"', "online.colour"),
])
def test_content_check_names_a_bad_online_key(
    cli: Runner, tmp_path: Path, net_server: LoopbackServer, line: str, problem: str
) -> None:
    root = online_pack(tmp_path, net_server.base_url)
    manifest = root / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    key = line.split(" = ")[0]
    lines = [x for x in text.splitlines() if not x.startswith(f"{key} = ")]
    at = lines.index("[online]")
    lines.insert(at + 1, line)
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("content", "check", str(root))
    assert r.exit_code == 1
    assert problem in r.stdout + r.stderr

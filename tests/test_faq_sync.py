"""`supportcli faq sync`: the help center's public articles into the local index, from the loopback server."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from supportcli.core.net.http import HttpClient, Timeouts
from supportcli.core.net.policy import NetworkPolicy
from supportcli.core.online.helpcenter import sync_help_center
from tests.conftest import Runner
from tests.net_server import LoopbackServer, Reply, ZendeskFake, article, online_pack

FAST = Timeouts(connect=1.0, read=0.5, total=3.0)


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("supportcli.commands.online_shared.TIMEOUTS", FAST)


def help_center() -> dict[str, list[dict[str, Any]]]:
    return {
        "en-us": [
            article(1001, "en-us", "Staking rewards schedule",
                    "<p>Staking rewards are paid every <b>Monday</b> into the zebrafinch wallet.</p>"
                    "<script>track()</script><style>p{color:red}</style>", label_names=["staking"]),
            article(1002, "en-us", "Lending payouts", "<p>Lending payouts arrive daily &amp; appear in ledgers.</p>"),
            article(1003, "en-us", "Draft: new fees", "<p>secret draft quokka</p>", draft=True),
            article(1004, "en-us", "Moved elsewhere", "<p>phishing wombat</p>",
                    html_url="https://bitfinex-support.example/hc/en-us/articles/1004"),
            article(1005, "en-us", "Huge", "<p>" + "x" * 500_000 + "</p>"),
            article(1006, "en-us", "Withdrawal limits per level", "<p>Each verification level has its own "
                    "withdrawal limit; see the capybara table.</p>"),
        ],
        "zh-cn": [
            article(1001, "zh-cn", "质押奖励发放时间", "<p>质押奖励每周一发放到钱包。</p>"),
            article(2001, "zh-cn", "借贷收益说明", "<p>借贷收益每日到账，可在账本中查看。</p>"),
        ],
        "zh-tw": [
            article(1001, "zh-tw", "質押獎勵發放時間（繁體）", "<p>質押獎勵每週一發放。</p>"),
            article(3001, "zh-tw", "台灣用戶入金", "<p>台灣用戶可以透過銀行電匯入金。</p>"),
        ],
        "de": [article(4001, "de", "Einzahlungen", "<p>Einzahlungen dauern einen Tag.</p>")],
    }


@pytest.fixture
def zendesk(net_server: LoopbackServer) -> ZendeskFake:
    return ZendeskFake(net_server, help_center(), per_page=2)


@pytest.fixture
def pack(tmp_path: Path, net_server: LoopbackServer) -> str:
    return str(online_pack(tmp_path, net_server.base_url))


def _index(home: Path) -> Path:
    return home / ".local" / "share" / "supportcli" / "index" / "bitfinex.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sync_every_locale_of_our_languages_following_next_page(
    cli: Runner, net_server: LoopbackServer, zendesk: ZendeskFake, pack: str
) -> None:
    r = cli("--pack", pack, "faq", "sync", "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["locales"] == ["zh-cn", "zh-tw", "en-us"]
    # en-us: 1001, 1002, 1006; zh-cn: 1001, 2001; zh-tw: 3001 (its 1001 is zh-cn's, kept once)
    assert (report["added"], report["updated"], report["removed"], report["total"]) == (6, 0, 0, 6)
    assert report["skipped"] == 3  # the draft, the article on another site, the one over the size limit
    pages = [r.query for r in net_server.requests if r.path.endswith("/en-us/articles.json")]
    assert [q.get("page") for q in pages] == [None, ["2"], ["3"]]  # the server's next_page URLs, to the end
    assert all(set(q) <= {"page", "per_page"} for q in pages)
    assert "/api/v2/help_center/de/articles.json" not in net_server.paths()


def test_synced_articles_are_found_offline_ranked_with_the_pack(
    cli: Runner, net_server: LoopbackServer, zendesk: ZendeskFake, pack: str
) -> None:
    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    base = net_server.base_url
    net_server.stop()  # offline from here on
    found = json.loads(cli("--pack", pack, "faq", "search", "zebrafinch", "--json").stdout)
    assert found[0]["id"] == "1001"
    assert found[0]["origin"] == "synced"
    assert found[0]["url"] == f"{base}/hc/en-us/articles/1001"
    assert found[0]["synced_at"] is not None
    found = json.loads(cli("--lang", "zh", "--pack", pack, "faq", "search", "质押奖励", "--json").stdout)
    assert found[0]["id"] == "1001"
    assert found[0]["title"] == "质押奖励发放时间"  # zh-cn, not zh-tw
    assert found[0]["url"] == f"{base}/hc/zh-cn/articles/1001"
    pack_hit = json.loads(cli("--pack", pack, "faq", "search", "提现没到账", "--json").stdout)[0]
    assert (pack_hit["id"], pack_hit["url"], pack_hit["origin"]) == ("withdraw", None, "pack")
    r = cli("--pack", pack, "faq", "search", "capybara")
    assert "Withdrawal limits per level" in r.stdout
    assert "(synced today)" in r.stdout
    assert f"{base}/hc/en-us/articles/1006" in r.stdout
    assert "12 天前同步" not in r.stdout
    r = cli("--lang", "zh", "--pack", pack, "faq", "search", "capybara")
    assert "（今天同步）" in r.stdout


def test_html_is_plain_text_without_scripts_styles_or_drafts(
    cli: Runner, zendesk: ZendeskFake, pack: str
) -> None:
    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    shown = json.loads(cli("--pack", pack, "faq", "show", "1002", "--json").stdout)
    assert shown["body"] == "Lending payouts arrive daily & appear in ledgers."
    staking = json.loads(cli("--pack", pack, "faq", "show", "1001", "--json").stdout)
    assert "track()" not in staking["body"]
    assert "color" not in staking["body"]
    for word in ("quokka", "wombat"):
        assert json.loads(cli("--pack", pack, "faq", "search", word, "--json").stdout) == []


def test_resync_updates_changed_adds_new_and_removes_unpublished(
    cli: Runner, net_server: LoopbackServer, zendesk: ZendeskFake, pack: str
) -> None:
    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    again = json.loads(cli("--pack", pack, "faq", "sync", "--json").stdout)
    assert (again["added"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 6)
    en = zendesk.articles["en-us"]
    en[1]["body"] = "<p>Lending payouts now arrive hourly.</p>"
    del en[5]  # 1006 is no longer published
    en.append(article(1007, "en-us", "Margin funding", "<p>Margin funding offers renew at the pangolin rate.</p>"))
    report = json.loads(cli("--pack", pack, "faq", "sync", "--json").stdout)
    assert (report["added"], report["updated"], report["removed"], report["total"]) == (1, 1, 1, 6)
    assert json.loads(cli("--pack", pack, "faq", "search", "capybara", "--json").stdout) == []
    assert json.loads(cli("--pack", pack, "faq", "search", "pangolin", "--json").stdout)[0]["id"] == "1007"
    assert "hourly" in json.loads(cli("--pack", pack, "faq", "show", "1002", "--json").stdout)["body"]


def test_one_locale_leaves_the_others_alone(cli: Runner, net_server: LoopbackServer, zendesk: ZendeskFake,
                                            pack: str) -> None:
    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    del zendesk.articles["en-us"][5]
    report = json.loads(cli("--pack", pack, "faq", "sync", "--locale", "zh-CN", "--json").stdout)
    assert report["locales"] == ["zh-cn"]
    assert report["removed"] == 0
    assert json.loads(cli("--pack", pack, "faq", "search", "capybara", "--json").stdout)[0]["id"] == "1006"


def test_a_locale_the_help_center_does_not_offer(cli: Runner, net_server: LoopbackServer, zendesk: ZendeskFake,
                                                 pack: str) -> None:
    r = cli("--pack", pack, "faq", "sync", "--locale", "fr")
    assert r.exit_code == 2
    assert "--locale: the help center does not offer fr; it offers en-us, zh-cn, zh-tw, de." in r.stderr
    r = cli("--pack", pack, "faq", "sync", "--locale", "../../secrets")
    assert r.exit_code == 2
    assert "is not a locale" in r.stderr
    assert not any("articles" in p for p in net_server.paths())


def test_cursor_pagination(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    ZendeskFake(net_server, {"en-us": [article(n, "en-us", f"Article {n}", f"<p>Body {n} narwhal</p>")
                                       for n in range(1, 8)]}, per_page=3, cursor=True)
    report = json.loads(cli("--pack", pack, "faq", "sync", "--json").stdout)
    assert report["total"] == 7
    assert len([p for p in net_server.paths() if p.endswith("articles.json")]) == 3


def test_network_lost_midway_keeps_the_previous_index(
    cli: Runner, net_server: LoopbackServer, zendesk: ZendeskFake, pack: str, isolated_home: Path
) -> None:
    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    before = _digest(_index(isolated_home))
    calls = {"n": 0}
    first_page = net_server.routes["/api/v2/help_center/en-us/articles.json"]
    assert callable(first_page)

    def flaky(seen: Any) -> Reply:
        calls["n"] += 1
        return first_page(seen) if calls["n"] == 1 else Reply(200, b"", hang=30)

    net_server.route("/api/v2/help_center/en-us/articles.json", flaky)
    zendesk.articles["zh-cn"].append(article(2002, "zh-cn", "新文章", "<p>不该出现</p>"))
    r = cli("--pack", pack, "faq", "sync")
    assert r.exit_code == 1
    assert "did not answer in time" in r.stderr
    assert "nothing was changed, and the previous copy is still used" in r.stderr
    assert _digest(_index(isolated_home)) == before
    assert not list(_index(isolated_home).parent.glob(".*.sync"))
    assert json.loads(cli("--pack", pack, "faq", "search", "capybara", "--json").stdout)[0]["id"] == "1006"


def test_ctrl_c_keeps_the_previous_index(
    cli: Runner, zendesk: ZendeskFake, pack: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    before = _digest(_index(isolated_home))
    from supportcli.core.faq.store import FaqStore

    real = FaqStore.put_synced

    def interrupted(self: FaqStore, *args: Any, **kwargs: Any) -> Any:
        real(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(FaqStore, "put_synced", interrupted)
    r = cli("--pack", pack, "faq", "sync")
    assert r.exit_code == 130
    assert "faq sync was interrupted: nothing was changed" in r.stderr
    assert _digest(_index(isolated_home)) == before
    assert not list(_index(isolated_home).parent.glob(".*.sync"))


def test_a_next_page_on_another_site_is_refused(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    net_server.route("/api/v2/help_center/locales.json", Reply(200, {"locales": ["en-us"]}))
    net_server.route("/api/v2/help_center/en-us/articles.json", Reply(200, {
        "articles": [article(1, "en-us", "One", "<p>one</p>", html_url=net_server.url("/hc/en-us/articles/1"))],
        "next_page": "https://evil.example/api/v2/help_center/en-us/articles.json?page=2",
    }))
    r = cli("--pack", pack, "faq", "sync")
    assert r.exit_code == 1
    assert "next-page link points to another site" in r.stderr


@pytest.mark.parametrize("body", [b"[]", b'{"locales": "en-us"}', b"not json"])
def test_a_malformed_locale_list(cli: Runner, net_server: LoopbackServer, pack: str, body: bytes) -> None:
    net_server.route("/api/v2/help_center/locales.json", Reply(200, body))
    r = cli("--pack", pack, "faq", "sync", "--json")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "Traceback" not in r.output


def test_no_locale_in_our_languages(cli: Runner, net_server: LoopbackServer, pack: str) -> None:
    ZendeskFake(net_server, {"de": help_center()["de"]})
    r = cli("--pack", pack, "faq", "sync")
    assert r.exit_code == 1
    assert "no English or Chinese articles (its locales: de)" in r.stderr


def test_a_listing_over_the_page_limit_removes_nothing(
    net_server: LoopbackServer, zendesk: ZendeskFake, tmp_path: Path
) -> None:
    index = tmp_path / "index" / "bitfinex.sqlite3"
    with HttpClient(NetworkPolicy(), timeouts=FAST) as http:
        full = sync_help_center(http, net_server.base_url, index, "2026-01-01T00:00:00+00:00")
        assert full.total == 6
        del zendesk.articles["en-us"][0:2]  # 1001 and 1002 are gone upstream …
        partial = sync_help_center(http, net_server.base_url, index, "2026-01-02T00:00:00+00:00", max_pages=1)
    assert partial.incomplete == ["en-us"]  # … but en-us was not listed to the end
    assert partial.removed == 0
    assert partial.total == 6


def test_progress_only_on_a_terminal(cli: Runner, zendesk: ZendeskFake, pack: str) -> None:
    plain = cli("--pack", pack, "faq", "sync")
    assert "Syncing" not in plain.stderr
    assert "Synced 6 articles from 127.0.0.1:" in plain.stdout
    assert "(zh-cn, zh-tw, en-us): 6 new, 0 updated, 0 removed, 0 unchanged." in plain.stdout
    assert "3 articles were left out" in plain.stdout
    tty = cli("--pack", pack, "faq", "sync", tty=True)
    assert tty.exit_code == 0
    assert "Syncing" in tty.stderr


def test_faq_search_over_synced_articles_does_not_load_httpx(
    cli: Runner, zendesk: ZendeskFake, pack: str, isolated_home: Path
) -> None:
    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    code = (
        "import sys\nfrom supportcli.cli import main\nmain(sys.argv[1:])\n"
        "print('LOADED=' + ','.join(m for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore')), "
        "file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code, "--pack", pack, "faq", "search", "capybara"],
                       capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert "Withdrawal limits per level" in r.stdout
    assert "LOADED=\n" in r.stderr


def test_search_says_how_old_the_copy_is(cli: Runner, zendesk: ZendeskFake, pack: str, isolated_home: Path) -> None:
    import datetime as dt
    import sqlite3

    assert cli("--pack", pack, "faq", "sync").exit_code == 0
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=12)).isoformat(timespec="seconds")
    with sqlite3.connect(_index(isolated_home)) as db:
        db.execute("UPDATE synced SET synced_at = ?", (old,))
    assert "(synced 12 days ago)" in cli("--pack", pack, "faq", "search", "capybara").stdout
    assert "（12 天前同步）" in cli("--lang", "zh", "--pack", pack, "faq", "search", "capybara").stdout
    assert json.loads(cli("--pack", pack, "faq", "search", "capybara", "--json").stdout)[0]["synced_at"] == old


def test_copy_age_in_words() -> None:
    import datetime as dt

    from supportcli.core.online.age import copy_age

    now = dt.datetime(2026, 11, 30, 0, 30, tzinfo=dt.UTC)
    assert copy_age("2026-11-30T00:10:00+00:00", now, "en") == "synced today"
    assert copy_age("2026-11-29T23:59:00+00:00", now, "zh") == "昨天同步"
    assert copy_age("2026-11-18T12:00:00+00:00", now, "en") == "synced 12 days ago"
    assert copy_age("2026-11-18T12:00:00+00:00", now, "zh") == "12 天前同步"
    assert copy_age("not a time", now, "en") == ""
    assert copy_age(None, now, "en") == ""


def test_html_to_text_keeps_what_a_reader_sees() -> None:
    from supportcli.core.faq.importer import html_to_text

    html = ("<h2>Steps</h2><ol><li>Open <a href='https://x'>Reports</a></li><li>Export&nbsp;CSV</li></ol>"
            "<table><tr><th>Level</th><th>Limit</th></tr><tr><td>Basic</td><td>1,000 USD</td></tr></table>"
            "<template><p>hidden</p></template><noscript>enable JS</noscript>line<br>break"
            "<!-- a comment --><p>5 &lt; 6 &amp; 7 &gt; 3</p>")
    assert html_to_text(html) == (
        "Steps\n- Open Reports\n- Export CSV\nLevel Limit\nBasic 1,000 USD\nline\nbreak\n5 < 6 & 7 > 3")
    assert html_to_text("plain text, no tags & no entities") == "plain text, no tags & no entities"
    assert html_to_text("<div>" * 50_000 + "deep" + "</div>" * 50_000) == "deep"


@pytest.mark.parametrize(("change", "kept"), [
    ({}, True),
    ({"draft": True}, False),
    ({"title": "t" * 501}, False),
    ({"title": None}, False),
    ({"id": True}, False),
    ({"id": "../1"}, False),
    ({"id": "42"}, True),
    ({"body": None, "title": "Only a title"}, False),  # nothing to read
    ({"html_url": "http://127.0.0.1:1/hc/en-us/articles/1"}, False),  # another port: another site
    ({"html_url": "javascript:alert(1)"}, False),
    ({"label_names": ["fees", "limits"]}, True),
])
def test_which_articles_are_kept(change: dict[str, Any], kept: bool) -> None:
    from supportcli.core.online.helpcenter import to_article

    base = "http://127.0.0.1:8080"
    raw = {**article(1, "en-us", "Fees", "<p>Trading fees</p>", html_url=f"{base}/hc/en-us/articles/1"), **change}
    item = to_article(raw, "en-us", base)
    assert (item is not None) == kept
    if item is not None:
        stored, updated_at = item
        assert (stored.origin, stored.locale, stored.url) == ("synced", "en", f"{base}/hc/en-us/articles/1")
        assert updated_at == "2026-10-01T08:00:00Z"
        assert stored.tags == tuple(change.get("label_names", ()))

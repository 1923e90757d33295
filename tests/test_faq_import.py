"""`supportcli faq import`: help-center exports into the SQLite index, searched with the same ranking."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Runner


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    root = tmp_path / "export"
    _write(root / "zh" / "staking.md", """+++
id = "hc-9001"
title = "质押奖励什么时候发放"
locale = "zh-CN"
tags = ["质押", "收益"]
+++
质押奖励每周发放一次，发放前会在公告中说明。奖励会进入你的保证金钱包。
""")
    _write(root / "en" / "staking.md", """---
id: hc-9001
title: When are staking rewards paid?
locale: en-us
tags: [staking, rewards]
---
Staking rewards are paid once a week into your margin wallet. Any delay is announced first.
""")
    _write(root / "export.json", json.dumps({"articles": [
        {"id": 9002, "title": "Lending: how the daily payout works", "locale": "en",
         "body": "<p>Lending payouts arrive <b>daily</b> &amp; are listed in your ledger.</p>",
         "label_names": ["lending", "funding"], "html_url": "https://support.example.com/hc/en-us/articles/9002"},
        {"id": 9003, "title": "[bold red]Markup[/] in a title", "locale": "en",
         "body": "Text with [link=https://evil.example]rich markup[/link] stays literal: zebracorn."},
    ]}))
    return root


def _bad_files(root: Path) -> None:
    _write(root / "bad" / "no-front-matter.md", "Just text, no front matter.\n")
    _write(root / "bad" / "bad-yaml.md", "---\ntitle: [unclosed\n---\nbody\n")
    _write(root / "bad" / "french.md", "+++\ntitle = \"Bonjour\"\nlocale = \"fr\"\n+++\nCorps.\n")
    _write(root / "bad" / "broken.json", '[{"id": 1, "title": "x"')
    _write(root / "bad" / "items.json", json.dumps([{"id": 7, "body": "no title", "locale": "en"}]))


def test_import_then_search_both_languages_with_a_two_character_query(cli: Runner, export: Path) -> None:
    r = cli("faq", "import", str(export))
    assert r.exit_code == 0, r.output
    assert "Imported 4 articles from 3 files" in r.stdout and "4 new" in r.stdout
    data = json.loads(cli("faq", "search", "质押", "--json").stdout)
    assert data[0]["id"] == "hc-9001" and data[0]["origin"] == "imported" and data[0]["category"] == "imported"
    assert data[0]["title"] == "When are staking rewards paid?"  # the interface language version
    data = json.loads(cli("--lang", "zh", "faq", "search", "staking", "rewards", "--json").stdout)
    assert data[0]["id"] == "hc-9001" and data[0]["title"] == "质押奖励什么时候发放"
    # the shipped entries are still found, ranked in the same index
    assert json.loads(cli("faq", "search", "提现没到账", "--json").stdout)[0]["id"] == "withdraw"
    assert json.loads(cli("faq", "search", "pasword", "--json").stdout)[0]["id"] == "password-reset"


def test_json_export_html_is_reduced_to_text_and_markup_stays_literal(cli: Runner, export: Path) -> None:
    assert cli("faq", "import", str(export / "export.json")).exit_code == 0
    r = cli("faq", "show", "9002")
    assert r.exit_code == 0
    assert "Lending payouts arrive daily & are listed in your ledger." in r.stdout
    assert "https://support.example.com/hc/en-us/articles/9002" in r.stdout
    r = cli("faq", "search", "zebracorn", tty=True)
    assert "[bold red]Markup[/] in a title" in r.stdout
    assert "[link=https://evil.example]rich markup[/link]" in r.stdout
    assert "\x1b]8;" not in r.stdout  # no hyperlink escape was produced from the text


def test_reimport_is_idempotent(cli: Runner, export: Path, isolated_home: Path) -> None:
    assert cli("faq", "import", str(export)).exit_code == 0
    r = cli("faq", "import", str(export), "--json")
    assert r.exit_code == 0
    report = json.loads(r.stdout)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 4)
    db = Path(report["index"])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM article WHERE origin = 'imported'").fetchone()[0] == 4
    assert len(json.loads(cli("faq", "search", "质押", "--json").stdout)) == 1
    # a changed article is updated in place, and its old words no longer match
    page = export / "en" / "staking.md"
    page.write_text(page.read_text(encoding="utf-8").replace("margin wallet", "exchange wallet"), encoding="utf-8")
    report = json.loads(cli("faq", "import", str(export), "--json").stdout)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, 3)
    data = json.loads(cli("faq", "search", "margin", "--json").stdout)
    assert all(d["id"] != "hc-9001" for d in data)


def test_malformed_files_are_named_and_skipped_the_rest_imported(cli: Runner, export: Path) -> None:
    _bad_files(export)
    r = cli("faq", "import", str(export))
    assert r.exit_code == 1
    err = r.stderr
    assert "bad/no-front-matter.md: skipped: no front matter" in err
    assert "bad/bad-yaml.md: skipped: invalid YAML front matter" in err
    assert "bad/french.md: skipped: locale 'fr' is not supported" in err
    assert "bad/broken.json: skipped: invalid JSON at line 1" in err
    assert "bad/items.json[0]: skipped: 'title' is missing or empty" in err
    assert "5 files or items were skipped" in err
    assert "Imported 4 articles" in r.stdout
    assert "Traceback" not in r.output


def test_index_is_private_and_per_pack(cli: Runner, export: Path, isolated_home: Path) -> None:
    r = cli("faq", "import", str(export), "--pack", "acme", "--json")
    assert "no content pack 'acme' is installed" in r.stderr
    report = json.loads(r.stdout)
    db = Path(report["index"])
    assert db.name == "acme.sqlite3" and db.parent == isolated_home / ".local" / "share" / "supportcli" / "index"
    assert (db.stat().st_mode & 0o777) == 0o600 and (db.parent.stat().st_mode & 0o777) == 0o700
    # the pack in use (bitfinex) has no imported articles
    assert json.loads(cli("faq", "list", "--json").stdout)["imported"] == 0
    r = cli("faq", "import", str(export), "--pack", "Bad Name")
    assert r.exit_code == 2 and "--pack" in r.stderr


def test_naming_the_pack_in_use_imports_without_a_note(cli: Runner, export: Path) -> None:
    r = cli("faq", "import", str(export), "--pack", "bitfinex")
    assert r.exit_code == 0 and r.stderr == ""
    assert json.loads(cli("faq", "list", "--json").stdout)["imported"] == 3


def test_list_counts_imported_articles(cli: Runner, export: Path) -> None:
    cli("faq", "import", str(export))
    assert json.loads(cli("faq", "list", "--json").stdout)["imported"] == 3
    assert "Imported articles in the index: 3" in cli("faq", "list").stdout


def test_bad_paths(cli: Runner, tmp_path: Path) -> None:
    r = cli("faq", "import", str(tmp_path / "missing"))
    assert r.exit_code == 2 and "PATH" in r.stderr
    (tmp_path / "empty").mkdir()
    r = cli("faq", "import", str(tmp_path / "empty"))
    assert r.exit_code == 2 and "No .md, .markdown or .json files" in r.stderr


def test_progress_bar_only_on_a_terminal(cli: Runner, export: Path) -> None:
    r = cli("faq", "import", str(export))
    assert "Importing" not in r.stderr
    r = cli("faq", "import", str(export), tty=True)
    assert r.exit_code == 0 and "Imported 4 articles" in r.stdout


def test_a_damaged_index_is_named_moved_aside_and_rebuilt_by_the_next_import(
    cli: Runner, export: Path, isolated_home: Path
) -> None:
    report = json.loads(cli("faq", "import", str(export), "--json").stdout)
    index = Path(report["index"])
    index.write_bytes(b"this is not a database" * 100)
    r = cli("faq", "search", "withdraw")
    assert r.exit_code == 0 and "How do I withdraw?" in r.stdout  # the shipped pack still answers
    assert "is damaged" in r.stderr and str(index) in r.stderr and "faq import" in r.stderr
    assert "Traceback" not in r.output
    assert not index.exists() and list(index.parent.glob(index.name + ".damaged-*"))
    assert cli("faq", "list").exit_code == 0 and cli("faq", "show", "withdraw").exit_code == 0
    r = cli("faq", "import", str(export))
    assert r.exit_code == 0, r.output
    assert json.loads(cli("faq", "search", "staking rewards", "--json").stdout)[0]["id"] == "hc-9001"


def test_odd_exports_bom_crlf_hidden_folders_empty_bodies(cli: Runner, tmp_path: Path) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    (root / "windows.json").write_bytes(
        "\ufeff".encode() + json.dumps([{"id": "w1", "title": "Saved on Windows", "body": "quokkaword body",
                                         "locale": "en"}]).encode())
    (root / "crlf.md").write_bytes(
        b"---\r\ntitle: CRLF page\r\nlocale: en\r\n---\r\nwombatword line one\r\nline two\r\n")
    _write(root / ".git" / "config.json", '{"core": 1}')
    _write(root / "deep" / "er" / "empty.md", "+++\ntitle = \"空正文\"\n+++\n\n")
    _write(root / "deep" / "blank.json", json.dumps([{"id": "b1", "title": "Blank", "body": "  ", "locale": "en"}]))
    r = cli("faq", "import", str(root), "--json")
    report = json.loads(r.stdout)
    assert report["added"] == 2, report
    skipped = {s["file"]: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {str(Path("deep/er/empty.md")), "deep/blank.json[0]"}
    assert all("'body'" in reason for reason in skipped.values())
    assert r.exit_code == 1
    assert json.loads(cli("faq", "search", "quokkaword", "--json").stdout)[0]["id"] == "w1"
    shown = json.loads(cli("faq", "show", "crlf", "--json").stdout)
    assert shown["body"] == "wombatword line one\nline two"


def test_a_duplicate_id_is_reported_and_the_first_copy_kept_on_every_import(cli: Runner, tmp_path: Path) -> None:
    root = tmp_path / "dups"
    _write(root / "a" / "one.md", "---\nid: dup\ntitle: First copy\nlocale: en\n---\nfirst body\n")
    _write(root / "b" / "two.md", "---\nid: dup\ntitle: Second copy\nlocale: en\n---\nsecond body\n")
    r = cli("faq", "import", str(root))
    assert r.exit_code == 1
    assert "b/two.md" in r.stderr and "'dup'" in r.stderr and "a/one.md" in r.stderr
    again = json.loads(cli("faq", "import", str(root), "--json").stdout)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert json.loads(cli("faq", "show", "dup", "--json").stdout)["title"] == "First copy"


def test_a_json_of_the_wrong_shape_says_what_it_expected(cli: Runner, tmp_path: Path) -> None:
    _write(tmp_path / "x" / "settings.json", '{"theme": "dark"}')
    r = cli("faq", "import", str(tmp_path / "x"))
    assert r.exit_code == 1
    assert 'an "articles" list' in r.stderr and "{{" not in r.stderr


def test_a_read_only_index_still_answers_after_the_pack_changed(export: Path, pack_root: Path, tmp_path: Path) -> None:
    from supportcli.core.faq.importer import import_export
    from supportcli.core.faq.search import Faq
    from supportcli.core.pack import load_pack

    faq = Faq(load_pack(pack_root), tmp_path / "index")
    import_export(faq.open_store(), export)
    faq.search("withdraw", "en")
    store = faq.open_store()
    store.db.close()
    store.db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    faq.signature += "|a pack file changed"  # the pack rows would have to be re-synced: a write
    assert [r.entry.id for r in faq.search("staking rewards", "en").results][:1] == ["hc-9001"]
    assert faq.search("withdrawl", "en").results[0].entry.id == "withdraw"
    faq.close()


def test_an_article_named_like_a_shipped_entry_is_reported_not_hidden(cli: Runner, tmp_path: Path) -> None:
    root = tmp_path / "team"
    _write(root / "deposit.md", "---\ntitle: Our own deposit page\nlocale: en\n---\nkoalaword deposits\n")
    _write(root / "staking.md", "---\ntitle: Staking\nlocale: en\n---\nkoalaword staking\n")
    for tty in (False, True):
        r = cli("faq", "import", str(root), tty=tty)
        assert r.exit_code == 1
        assert "deposit.md" in r.stderr and "'deposit'" in r.stderr
    found = json.loads(cli("faq", "search", "koalaword", "--json").stdout)
    assert [d["id"] for d in found] == ["staking"]
    assert "How do I deposit" in cli("faq", "show", "deposit").stdout


def test_an_article_in_traditional_chinese_is_found_by_a_simplified_query(cli: Runner, tmp_path: Path) -> None:
    _write(tmp_path / "hk" / "staking.md",
           "---\nid: hk-1\ntitle: 質押獎勵什麼時候發放\nlocale: zh-HK\n---\n質押獎勵每週發放。\n")
    assert cli("faq", "import", str(tmp_path / "hk")).exit_code == 0
    found = json.loads(cli("faq", "search", "质押奖励", "--json").stdout)
    assert found[0]["id"] == "hk-1" and found[0]["snippet"] == "質押獎勵每週發放。"


def test_html_scripts_styles_and_comments_are_not_imported_as_text(cli: Runner, tmp_path: Path) -> None:
    body = ("<style>.note{color:red}</style><p>Lending &amp; <b>margin</b></p><!-- internal: ask > team -->"
            "<SCRIPT>trackVisit()</script><p>Payouts are daily.</p>")
    _write(tmp_path / "zd" / "export.json", json.dumps([{"id": 42, "title": "Lending", "body": body, "locale": "en"}]))
    assert cli("faq", "import", str(tmp_path / "zd")).exit_code == 0
    shown = json.loads(cli("faq", "show", "42", "--json").stdout)
    assert shown["body"] == "Lending & margin\nPayouts are daily."


def test_ctrl_c_during_an_import_says_what_is_kept_and_exits_130(
    cli: Runner, export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import supportcli.core.faq.importer as importer

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "import_export", interrupted)
    r = cli("faq", "import", str(export))
    assert r.exit_code == 130
    assert "run the same command again" in r.stderr

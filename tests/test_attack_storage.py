"""Every text that reaches disk passes the guard: settings, logs, resolutions, attachments, bundles,
sessions, drafts, imported articles and records. One gate (`supportcli.core.gate`), and a check that no
module writes a file without saying how what it writes passed it."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
from mnemonic import Mnemonic

import supportcli
from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.test_cases_store import new_case

PHRASE = Mnemonic("english").to_mnemonic(bytes(range(16)))

# Every module that writes files, and how what it writes passed the guard. A new writer must say
# how here, or send its text through `supportcli.core.gate` first.
WRITERS = {
    "supportcli/core/config.py": "each setting passes gate.guard_text (config.parse_value)",
    "supportcli/core/cases/store.py": "entries: logbook/status guard_text; attachments: gate.check_file; "
                                      "draft copies: sending._check_draft_file",
    "supportcli/core/cases/bundle.py": "every member re-read by gate.check_file (bundle.scan)",
    "supportcli/core/drafts/service.py": "guard_draft: the draft-level scan (headings never complete a phrase)",
    "supportcli/core/drafts/store.py": "a status change of a sidecar guard_draft passed",
    "supportcli/core/flows/answers.py": "sessions: answers passed the asking loop's guard; kept_answers re-checks",
    "supportcli/term/draft_review.py": "the editor's private copy of a draft that passed guard_draft",
    "supportcli/core/online/notice.py": "a timestamp the program writes",
    "supportcli/core/records/lookup.py": "rows screened by records.screen when they were imported",
    "supportcli/core/faq/search.py": "the search cache: the pack's text and articles gate.first_secret passed",
    "supportcli/core/summary_index.py": "listing summaries copied from sidecars and case files that passed the gate",
}


def _writers() -> set[str]:
    root = Path(supportcli.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if path.name == "storage.py" and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
            if name == "atomic_write":
                found.add(path.relative_to(root.parent).as_posix())
    return found


def test_no_module_writes_a_file_without_saying_how_it_passed_the_guard() -> None:
    writers = _writers()
    assert {"supportcli/core/config.py", "supportcli/core/cases/store.py"} <= writers  # the scan finds them
    assert writers <= set(WRITERS), writers - set(WRITERS)


def test_logged_text_and_resolutions_are_refused(cli: Runner, app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    before = sorted((case.folder / "timeline").iterdir())
    for args in (("cases", "log", case.id, "--summary", PHRASE), ("cases", "log", case.id, "--text", PHRASE),
                 ("cases", "close", case.id, "--resolution", PHRASE)):
        r = cli(*args)
        assert r.exit_code == 2, args
        assert "recovery phrase" in r.stderr
    assert sorted((case.folder / "timeline").iterdir()) == before


def test_a_session_never_stores_a_secret(app_paths: AppPaths) -> None:
    from supportcli.core.flows.answers import save_session

    path = save_session(app_paths, "general", {"subject": "Stuck", "what_happened": PHRASE}, [],
                        now=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    stored = json.loads(path.read_text())
    assert stored["answers"] == {"subject": "Stuck"}
    assert PHRASE.split()[2] not in path.read_text()


def test_an_imported_article_holding_a_phrase_is_skipped(cli: Runner, tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    (export / "ok.md").write_text('+++\nid = "hc-1"\ntitle = "Staking"\nlocale = "en"\n+++\nRewards are weekly.\n')
    (export / "leak.md").write_text(f'+++\nid = "hc-2"\ntitle = "Backup"\nlocale = "en"\n+++\nMy words: {PHRASE}\n')
    r = cli("faq", "import", str(export))
    assert "leak.md" in r.output
    assert "looks like a secret (recovery phrase" in r.output
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file() and path.parent.name != "guard":  # the cached index of the public wordlists
            assert PHRASE.split()[2].encode() not in path.read_bytes(), path


def test_a_record_export_holding_a_phrase_is_refused(cli: Runner, tmp_path: Path) -> None:
    from tests.test_records_cli import OPTIONS, STAMP
    from tests.test_records_formats import LEDGERS

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / f"alice_ledgers_{STAMP}.csv").write_text(
        LEDGERS + "\n" + f'1,"Note: {PHRASE}",BTC,1,1,14-11-23 23:13:20,exchange\n', encoding="utf-8",
    )
    r = cli("records", "import", str(folder), *OPTIONS)
    assert r.exit_code != 0
    assert "recovery phrase" in r.output
    assert PHRASE.split()[2] not in r.output


@pytest.mark.parametrize("key", ["name", "email", "editor", "timezone", "pack", "language", "network"])
def test_no_setting_takes_a_secret(cli: Runner, key: str) -> None:
    r = cli("config", "set", key, PHRASE)
    assert r.exit_code == 2
    assert PHRASE.split()[2] not in r.output

"""The listings' summary index: the same lists as reading every file, never older than the files."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from supportcli.core import summary_index
from supportcli.core.cases.logbook import LogRequest, log_entry
from supportcli.core.cases.status import close_case
from supportcli.core.cases.store import CaseStore
from supportcli.core.drafts.listing import LEFT_OUT, summary
from supportcli.core.drafts.model import DraftInfo, UnreadableDraft
from supportcli.core.drafts.service import build_draft, save_draft
from supportcli.core.drafts.store import DraftStore
from supportcli.core.errors import StorageError
from supportcli.core.paths import AppPaths
from supportcli.core.summary_index import INDEX_NAME
from tests.drafts_fixtures import NOW, abnormal_trade_flow, abnormal_trade_result, bitfinex_pack
from tests.test_cases_store import FRIDAY, new_case, write_draft


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled at once (the index skips files changed in the
    last two seconds, which in a test is every file)."""
    monkeypatch.setattr(summary_index, "RACY_NS", 0)


def _saved_drafts(paths: AppPaths, n: int, first: int = 0) -> list[str]:
    ids = []
    for i in range(first, first + n):
        result = abnormal_trade_result(f"Limit sell {i} at 43000 filled at 41000.")
        draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="en", timezone="Asia/Shanghai",
                            sender_name="Li Lei", sender_email="lilei@example.com", now=NOW + dt.timedelta(hours=i))
        ids.append(save_draft(draft, paths).id)
    return ids


def _direct_drafts(paths: AppPaths) -> list[DraftInfo | UnreadableDraft]:
    store = DraftStore(paths)
    items = [summary(store.read(p)) for p in store._sidecars()]
    readable = sorted((i for i in items if isinstance(i, DraftInfo)), key=lambda d: (d.created, d.id), reverse=True)
    return [*readable, *sorted((i for i in items if isinstance(i, UnreadableDraft)), key=lambda d: d.id,
                               reverse=True)]


def _cases(paths: AppPaths) -> list[str]:
    first = new_case(paths, draft_id="20261120-091500-withdrawal-delayed")
    second = new_case(paths, draft_id="20261120-101500-deposit-missing", ticket=None)
    log_entry(paths, first.id, LogRequest(kind="reply", summary="We are looking into it"), today=FRIDAY)
    close_case(paths, second.id, "refunded", today=FRIDAY)
    return [first.id, second.id]


def test_drafts_and_cases_list_the_same_from_the_index_as_from_the_files(app_paths: AppPaths, settled: None) -> None:
    _saved_drafts(app_paths, 3)
    case_ids = _cases(app_paths)
    first = DraftStore(app_paths).list()
    assert first == _direct_drafts(app_paths)
    assert (app_paths.drafts_dir / INDEX_NAME).is_file()
    assert DraftStore(app_paths).list() == first  # now from the index
    cases = CaseStore(app_paths).list()
    assert sorted(c.id for c in cases.cases) == sorted(case_ids)
    again = CaseStore(app_paths).list()
    assert again == cases
    store = CaseStore(app_paths)
    assert {c.id: c for c in again.cases} == {i: store.load(i) for i in case_ids}
    for folder in (app_paths.drafts_dir, app_paths.cases_dir):
        assert stat.S_IMODE(os.stat(folder / INDEX_NAME).st_mode) == 0o600


def test_while_the_files_are_unchanged_none_of_them_is_parsed(
    app_paths: AppPaths, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _saved_drafts(app_paths, 2)
    _cases(app_paths)
    drafts, cases = DraftStore(app_paths).list(), CaseStore(app_paths).list()

    def no_parsing(*args: object) -> None:
        raise AssertionError("a file was parsed")

    monkeypatch.setattr(DraftStore, "read_file", no_parsing)
    monkeypatch.setattr(CaseStore, "load", no_parsing)
    assert DraftStore(app_paths).list() == drafts
    assert CaseStore(app_paths).list() == cases


def test_a_changed_added_or_removed_file_is_seen_at_once(app_paths: AppPaths, settled: None) -> None:
    ids = _saved_drafts(app_paths, 3)
    case_id = _cases(app_paths)[0]
    DraftStore(app_paths).list()
    CaseStore(app_paths).list()
    DraftStore(app_paths).set_status(ids[0], "sent", ticket_number="777")
    DraftStore(app_paths).remove(ids[1])
    (new,) = _saved_drafts(app_paths, 1, first=3)
    listed = {d.id: d for d in DraftStore(app_paths).list() if isinstance(d, DraftInfo)}
    assert listed[ids[0]].status == "sent"
    assert listed[ids[0]].ticket_number == "777"
    assert ids[1] not in listed
    assert new in listed
    log_entry(app_paths, case_id, LogRequest(kind="reply", summary="Second reply"), today=FRIDAY)
    case = next(c for c in CaseStore(app_paths).list().cases if c.id == case_id)
    assert [e.summary for e in case.support_entries] == ["We are looking into it", "Second reply"]


def test_a_file_rewritten_in_place_within_the_same_second_is_read_again(app_paths: AppPaths) -> None:
    """Same size, same modification time, same inode: only its recent change time gives it away."""
    draft_id = write_draft(app_paths, subject="Withdrawal one")
    sidecar = app_paths.drafts_dir / f"{draft_id}.toml"
    assert DraftStore(app_paths).get(draft_id).subject == "Withdrawal one"
    DraftStore(app_paths).list()
    DraftStore(app_paths).list()
    before = os.stat(sidecar)
    with sidecar.open("r+b") as fh:
        data = fh.read().replace(b"Withdrawal one", b"Withdrawal two")
        fh.seek(0)
        fh.write(data)
    os.utime(sidecar, ns=(before.st_atime_ns, before.st_mtime_ns))
    listed = DraftStore(app_paths).list()
    assert [d.subject for d in listed if isinstance(d, DraftInfo)] == ["Withdrawal two"]


def test_a_damaged_or_foreign_index_is_rebuilt(app_paths: AppPaths, settled: None) -> None:
    _saved_drafts(app_paths, 2)
    expected = DraftStore(app_paths).list()
    index = app_paths.drafts_dir / INDEX_NAME
    for junk in (b"\x00\xff not json", b"[1, 2, 3]", json.dumps({"schema": "other", "entries": {}}).encode()):
        index.write_bytes(junk)
        assert DraftStore(app_paths).list() == expected
        assert json.loads(index.read_bytes())["schema"] != "other"
    # Values damaged while the fingerprints still match the files.
    data = json.loads(index.read_bytes())
    for damage in ({"$c": "Nothing", "v": []}, "a text", {"$c": "DraftInfo", "v": [["id", 1]]}):
        for entry in data["entries"].values():
            entry["value"] = damage
        index.write_text(json.dumps(data), encoding="utf-8")
        assert DraftStore(app_paths).list() == expected


def test_a_damaged_sidecar_is_reported_every_time_until_it_is_fixed(app_paths: AppPaths, settled: None) -> None:
    draft_id = write_draft(app_paths)
    sidecar = app_paths.drafts_dir / f"{draft_id}.toml"
    good = sidecar.read_bytes()
    sidecar.write_bytes(b'status = "unsent"\nsubject = ')
    for _ in range(2):
        (item,) = DraftStore(app_paths).list()
        assert isinstance(item, UnreadableDraft)
    sidecar.write_bytes(good)
    (item,) = DraftStore(app_paths).list()
    assert isinstance(item, DraftInfo)


def test_a_folder_the_index_cannot_be_written_to_still_lists(
    app_paths: AppPaths, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _saved_drafts(app_paths, 2)
    expected = _direct_drafts(app_paths)

    def refuse(path: Path, *args: object, **kwargs: object) -> Path:
        raise StorageError("errors.storage_write", path=str(path), reason="Read-only file system")

    monkeypatch.setattr("supportcli.core.storage.atomic_write", refuse)
    assert DraftStore(app_paths).list() == expected
    assert not (app_paths.drafts_dir / INDEX_NAME).exists()


def test_no_drafts_no_index_and_no_folder(app_paths: AppPaths, settled: None) -> None:
    assert DraftStore(app_paths).list() == []
    assert CaseStore(app_paths).list().cases == []
    assert not app_paths.drafts_dir.exists()
    assert not app_paths.cases_dir.exists()


def test_a_moved_data_folder_lists_paths_inside_it(
    app_paths: AppPaths, settled: None, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _saved_drafts(app_paths, 2)
    _cases(app_paths)
    DraftStore(app_paths).list()
    CaseStore(app_paths).list()
    moved_home = isolated_home / "moved"
    os.rename(isolated_home / ".local", moved_home)  # a rename keeps every inode and time
    monkeypatch.setenv("XDG_DATA_HOME", str(moved_home / "share"))
    paths = AppPaths.default()
    listed = DraftStore(paths).list()
    assert listed == _direct_drafts(paths)
    for item in listed:
        assert isinstance(item, DraftInfo)
        assert item.sidecar.parent == paths.drafts_dir
        assert item.ticket is not None
        assert item.ticket.parent == paths.drafts_dir
    for case in CaseStore(paths).list().cases:
        assert case.folder.parent == paths.cases_dir


def test_listed_drafts_leave_out_the_rendered_texts_that_get_reads(app_paths: AppPaths, settled: None) -> None:
    (draft_id,) = _saved_drafts(app_paths, 1)
    for _ in range(2):  # from the file, then from the index
        (listed,) = DraftStore(app_paths).list()
        assert isinstance(listed, DraftInfo)
        assert not LEFT_OUT & set(listed.data)
        assert listed.answers["trade_id"] == 123456
    full = DraftStore(app_paths).get(draft_id)
    assert set(full.data) >= LEFT_OUT
    assert full.data["ticket_markdown"].startswith("#")

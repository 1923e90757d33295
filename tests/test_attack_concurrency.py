"""Attacks by concurrency, with real processes: ten `drafts mark-sent` of one draft at once make exactly
one case; the others say it is already marked sent and exit 0 (mark-sent is idempotent)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from supportcli.core.cases.store import CaseStore
from supportcli.core.drafts.store import DraftStore
from supportcli.core.paths import AppPaths
from tests.test_cases_store import write_draft

RUNS = 10


def _spawn(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the isolated home's XDG_* variables are in os.environ
    return subprocess.Popen([sys.executable, "-m", "supportcli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def test_ten_concurrent_mark_sent_make_one_case(app_paths: AppPaths) -> None:
    draft_id = write_draft(app_paths)
    runs = [_spawn(["drafts", "mark-sent", draft_id, "--ticket-number", "48213", "--json"]) for _ in range(RUNS)]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0] * RUNS, [err for _, _, err in results]
    said = [json.loads(out) for _, out, _ in results]
    assert sum(1 for s in said if not s["already"]) == 1  # exactly one of them made the case
    [case_id] = {s["case_id"] for s in said}
    assert CaseStore(app_paths).ids() == [case_id]
    assert [e.kind for e in CaseStore(app_paths).get(case_id).timeline] == ["sent"]
    info = DraftStore(app_paths).get(draft_id)
    assert info.status == "sent"
    assert info.data["case_id"] == case_id


def test_concurrent_follow_ups_of_one_draft_are_logged_once(app_paths: AppPaths) -> None:
    first = write_draft(app_paths, "20261120-091500-first")
    original = _spawn(["drafts", "mark-sent", first, "--json"])
    assert original.wait(timeout=120) == 0
    case_id = json.loads(original.communicate()[0])["case_id"]
    followup = write_draft(app_paths, "20261121-091500-followup", case_id=case_id)
    runs = [_spawn(["drafts", "mark-sent", followup, "--json"]) for _ in range(RUNS)]
    codes = [run.wait(timeout=120) for run in runs]
    assert codes == [0] * RUNS
    kinds = [e.kind for e in CaseStore(app_paths).get(case_id).timeline]
    assert kinds.count("followup") == 1
    assert Path(app_paths.cases_dir / case_id).is_dir()
    assert CaseStore(app_paths).ids() == [case_id]

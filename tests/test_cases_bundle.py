"""Evidence bundles: one zip whose manifest proves nothing was changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import tomllib
import zipfile
from pathlib import Path

import pytest

from supportcli.core.cases.attachments import attach_files
from supportcli.core.cases.bundle import write_bundle
from supportcli.core.cases.logbook import LogRequest, log_entry
from supportcli.core.paths import AppPaths
from tests.test_cases_store import new_case

TODAY = dt.date(2026, 11, 30)


def _case_with_evidence(app_paths: AppPaths, tmp_path: Path) -> tuple[str, dict[str, bytes]]:
    case = new_case(app_paths)
    log_entry(app_paths, case.id, LogRequest(kind="reply", channel="email", on="2026-11-24",
                                             summary="Need the CSV", text="Dear customer,\nplease send the CSV."),
              today=TODAY)
    export = tmp_path / "ledgers.csv"
    export.write_text("ID,AMOUNT\n1,0.5\n", encoding="utf-8")
    shot = tmp_path / "提现.png"
    shot.write_bytes(bytes(range(256)) * 10)
    attach_files(app_paths, case.id, [export, shot], today=TODAY, approve=lambda path, concern: True)
    return case.id, {"attachments/ledgers.csv": export.read_bytes(), "attachments/提现.png": shot.read_bytes()}


def test_manifest_hashes_match_when_the_zip_is_reopened(app_paths: AppPaths, tmp_path: Path) -> None:
    case_id, originals = _case_with_evidence(app_paths, tmp_path)
    bundle = write_bundle(app_paths, case_id, today=TODAY)
    assert bundle.path.parent == app_paths.cases_dir / case_id / "bundles"
    assert stat.S_IMODE(os.stat(bundle.path).st_mode) == 0o600
    with zipfile.ZipFile(bundle.path) as archive:
        assert archive.testzip() is None
        root = f"supportcli-case-{case_id}/"
        names = archive.namelist()
        assert all(n.startswith(root) for n in names)
        manifest = json.loads(archive.read(root + "manifest.json"))
        listed = {f["path"]: f for f in manifest["files"]}
        # Every file but the manifest itself is listed, with its true size and SHA-256.
        assert set(listed) == {n[len(root):] for n in names} - {"manifest.json"}
        for path, info in listed.items():
            data = archive.read(root + path)
            assert info["size"] == len(data)
            assert info["sha256"] == hashlib.sha256(data).hexdigest()
        for path, data in originals.items():
            assert archive.read(root + path) == data
        assert {"ticket.md", "email.eml", "ticket-data.toml", "timeline.md", "timeline.toml"} <= set(listed)
        assert manifest["case_id"] == case_id
        assert manifest["ticket_number"] == "48213"
        timeline = tomllib.loads(archive.read(root + "timeline.toml").decode("utf-8"))
        assert [e["kind"] for e in timeline["entries"]] == ["sent", "reply", "attachment", "attachment"]
        markdown = archive.read(root + "timeline.md").decode("utf-8")
        assert "> please send the CSV." in markdown
        assert "(unconfirmed)" in markdown


def test_output_folder_is_used_and_its_mode_kept(app_paths: AppPaths, tmp_path: Path) -> None:
    case_id, _ = _case_with_evidence(app_paths, tmp_path)
    out = tmp_path / "desktop"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    first = write_bundle(app_paths, case_id, output=out, today=TODAY,
                         created=dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC))
    second = write_bundle(app_paths, case_id, output=out, today=TODAY,
                          created=dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC))
    assert first.path.parent == out
    assert second.path != first.path  # never overwrites a bundle
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o755
    assert sorted(p.name for p in out.iterdir()) == sorted([first.path.name, second.path.name])


def test_a_secret_stops_the_bundle_before_it_is_written(app_paths: AppPaths, tmp_path: Path) -> None:
    from supportcli.core.guard.secrets import SecretFoundError

    case_id, _ = _case_with_evidence(app_paths, tmp_path)
    # A file changed by hand after it was attached now holds a recovery phrase.
    stored = app_paths.cases_dir / case_id / "attachments" / "ledgers.csv"
    stored.write_text("note: " + "abandon " * 11 + "about\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SecretFoundError) as err:
        write_bundle(app_paths, case_id, output=out, today=TODAY)
    assert "abandon" not in err.value.render()
    assert not out.exists() or not any(out.iterdir())

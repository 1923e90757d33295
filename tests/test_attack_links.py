"""Attacks through links and permissions: a private folder (drafts, cases, index, records, sessions, the
settings folder, the data folder itself) replaced by a symbolic link to somewhere else. supportcli
refuses with a line naming the link and its target, writes nothing there, and never chmods the target."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from supportcli.core.storage import atomic_write, ensure_private_dir
from tests.conftest import Runner
from tests.test_cases_store import write_draft

ANSWERS = 'subject = "Withdrawal stuck"\nwhat_happened = "My withdrawal of 0.5 BTC has been pending since Monday."\n'


def _elsewhere(tmp_path: Path) -> Path:
    """A world-readable folder someone else could read: where a planted link would send our files."""
    target = tmp_path / "shared"
    target.mkdir()
    os.chmod(target, 0o755)
    return target


def _link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target, target_is_directory=True)


def _untouched(target: Path) -> None:
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o755  # never chmodded through the link
    assert list(target.iterdir()) == []  # nothing written through it


def _answers(home: Path) -> Path:
    path = home / "answers.toml"
    path.write_text(ANSWERS)
    return path


def test_a_drafts_folder_that_is_a_link_is_refused(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    target = _elsewhere(tmp_path)
    _link(app_paths.drafts_dir, target)
    r = cli("troubleshoot", "general", "--answers", str(_answers(tmp_path)))
    assert r.exit_code == 1
    assert f"{app_paths.drafts_dir} is a symbolic link (to {target})" in r.stderr
    assert "Withdrawal stuck" in r.stderr  # the draft is printed: nothing typed is lost
    _untouched(target)


@pytest.mark.parametrize("which", ["data_dir", "cases_dir"])
def test_a_cases_or_data_folder_that_is_a_link_is_refused(
    cli: Runner, app_paths: AppPaths, tmp_path: Path, which: str,
) -> None:
    draft_id = write_draft(app_paths)  # the draft exists first (in the real data folder)
    target = _elsewhere(tmp_path)
    if which == "data_dir":
        real = tmp_path / "real-data"
        app_paths.data_dir.rename(real)
        _link(app_paths.data_dir, real)
        target = real
        before = stat.S_IMODE(os.stat(real).st_mode)
    else:
        _link(app_paths.cases_dir, target)
    r = cli("drafts", "mark-sent", draft_id)
    assert r.exit_code == 1
    assert "is a symbolic link" in r.stderr
    if which == "cases_dir":
        _untouched(target)
    else:
        assert stat.S_IMODE(os.stat(target).st_mode) == before
        assert not (target / "cases").exists()


def test_a_case_folder_or_its_timeline_that_is_a_link_is_refused(
    cli: Runner, app_paths: AppPaths, tmp_path: Path,
) -> None:
    from tests.test_cases_store import new_case

    case = new_case(app_paths)
    target = _elsewhere(tmp_path)
    timeline = case.folder / "attachments"
    _link(timeline, target)
    export = tmp_path / "trades.csv"
    export.write_text("ID,PAIR\n1,tBTCUSD\n")
    r = cli("cases", "attach", case.id, str(export))
    assert r.exit_code == 1
    assert f"{timeline} is a symbolic link" in r.stderr
    _untouched(target)


def test_a_sessions_folder_that_is_a_link_loses_nothing(app_paths: AppPaths, tmp_path: Path) -> None:
    from supportcli.core.errors import StorageError
    from supportcli.core.flows.answers import save_session

    target = _elsewhere(tmp_path)
    _link(app_paths.sessions_dir, target)
    import datetime as dt

    with pytest.raises(StorageError) as err:
        save_session(app_paths, "general", {"subject": "x"}, [], now=dt.datetime.now(dt.UTC))
    assert err.value.key == "errors.storage_link"
    _untouched(target)


def test_a_settings_folder_that_is_a_link_is_refused(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    target = _elsewhere(tmp_path)
    _link(app_paths.config_dir, target)
    r = cli("config", "set", "name", "Li Lei")
    assert r.exit_code == 1
    assert f"{app_paths.config_dir} is a symbolic link" in r.stderr
    _untouched(target)


def test_a_settings_file_named_by_supportcli_config_may_live_anywhere(
    cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The user chose that place: a link on the way there is theirs."""
    real = tmp_path / "dotfiles"
    real.mkdir()
    _link(tmp_path / "linked", real)
    monkeypatch.setenv("SUPPORTCLI_CONFIG", str(tmp_path / "linked" / "supportcli.toml"))
    assert cli("config", "set", "name", "Li Lei").exit_code == 0
    assert (real / "supportcli.toml").is_file()


def test_an_index_folder_that_is_a_link_is_refused(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    target = _elsewhere(tmp_path)
    _link(app_paths.index_dir, target)
    article = tmp_path / "export" / "a.md"
    article.parent.mkdir()
    article.write_text('+++\nid = "hc-1"\ntitle = "Staking"\nlocale = "en"\n+++\nStaking rewards are weekly.\n')
    r = cli("faq", "import", str(article.parent))
    assert r.exit_code != 0
    assert "is a symbolic link" in r.stderr
    _untouched(target)


def test_a_records_folder_that_is_a_link_is_refused(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    from tests.test_records_cli import OPTIONS, web_zip

    target = _elsewhere(tmp_path)
    _link(app_paths.records_dir, target)
    r = cli("records", "import", str(web_zip(tmp_path / "Downloads")), *OPTIONS)
    assert r.exit_code != 0
    assert "is a symbolic link" in r.stderr
    _untouched(target)


def test_the_storage_layer_never_chmods_through_a_link(tmp_path: Path) -> None:
    from supportcli.core.errors import StorageError

    target = _elsewhere(tmp_path)
    root = tmp_path / "app"
    root.mkdir()
    _link(root / "drafts", target)
    for call in (lambda: ensure_private_dir(root / "drafts"),
                 lambda: ensure_private_dir(root / "drafts" / "sub", root=root),
                 lambda: atomic_write(root / "drafts" / "x.toml", "x = 1\n", root=root)):
        with pytest.raises(StorageError) as err:
            call()
        assert err.value.key == "errors.storage_link"
        assert err.value.params["target"] == str(target)
    _untouched(target)


def test_a_dangling_link_is_refused_not_created_through(tmp_path: Path) -> None:
    from supportcli.core.errors import StorageError

    root = tmp_path / "app"
    root.mkdir()
    (root / "drafts").symlink_to(tmp_path / "nowhere")
    with pytest.raises(StorageError):
        atomic_write(root / "drafts" / "x.toml", "x = 1\n", root=root)
    assert not (tmp_path / "nowhere").exists()


def test_a_file_that_is_a_link_is_replaced_never_written_through(tmp_path: Path) -> None:
    folder = tmp_path / "app"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (folder / "config.toml").symlink_to(victim)
    atomic_write(folder / "config.toml", "name = 'x'\n", root=folder)
    assert victim.read_text() == "keep me"
    assert not (folder / "config.toml").is_symlink()
    assert stat.S_IMODE(os.stat(folder / "config.toml").st_mode) == 0o600


def test_json_says_the_same(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    target = _elsewhere(tmp_path)
    _link(app_paths.drafts_dir, target)
    r = cli("troubleshoot", "general", "--answers", str(_answers(tmp_path)), "--json")
    assert r.exit_code == 1
    assert r.stdout == "" or json.loads(r.stdout)  # stdout holds JSON or nothing; the draft goes to stderr
    assert "Withdrawal stuck" in r.stderr
    _untouched(target)

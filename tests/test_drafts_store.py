"""Storage: private and atomic, never overwriting, damaged files listed, prefixes, failures keep the text."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from supportcli.core.drafts.model import DraftInfo, UnreadableDraft
from supportcli.core.drafts.service import DraftSecretError, build_draft, export_draft, save_draft
from supportcli.core.drafts.store import DraftStore, is_draft_id
from supportcli.core.errors import InputError, NotFoundError, StorageError, UsageError
from supportcli.core.paths import AppPaths
from tests.drafts_fixtures import (
    NOW,
    SEED,
    TX_HASH,
    abnormal_trade_flow,
    abnormal_trade_result,
    bitfinex_pack,
    deposit_flow,
    deposit_result,
)


def _draft(description: str | None = None):  # type: ignore[no-untyped-def]
    result = abnormal_trade_result() if description is None else abnormal_trade_result(description)
    return build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="en", timezone="Asia/Shanghai",
                       sender_name="Li Lei", sender_email="lilei@example.com", now=NOW)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_are_private_and_named_by_date_and_ascii_slug(app_paths: AppPaths) -> None:
    saved = save_draft(_draft(), app_paths)
    assert saved.id == "20261127-081500-abnormal-trade-123456"
    assert is_draft_id(saved.id)
    assert _mode(app_paths.drafts_dir) == 0o700
    for path in (saved.ticket, saved.email, saved.sidecar):
        assert path is not None
        assert path.parent == app_paths.drafts_dir
        assert _mode(path) == 0o600
    assert not [p for p in app_paths.drafts_dir.iterdir() if p.name.startswith(".")]  # no temp files left


def test_permissions_are_set_explicitly_whatever_the_umask(app_paths: AppPaths) -> None:
    old = os.umask(0)
    try:
        saved = save_draft(_draft(), app_paths)
    finally:
        os.umask(old)
    assert _mode(app_paths.drafts_dir) == 0o700
    assert _mode(saved.sidecar) == 0o600


def test_two_drafts_in_the_same_second_get_two_files(app_paths: AppPaths) -> None:
    first = save_draft(_draft(), app_paths)
    second = save_draft(_draft(), app_paths)
    third = save_draft(_draft(), app_paths)
    assert [first.id, second.id, third.id] == [
        "20261127-081500-abnormal-trade-123456",
        "20261127-081500-abnormal-trade-123456-2",
        "20261127-081500-abnormal-trade-123456-3",
    ]
    assert len({p.read_bytes() for p in (first.sidecar, second.sidecar, third.sidecar)}) == 3
    assert len(list(app_paths.drafts_dir.glob("*.toml"))) == 3


def test_a_chinese_subject_is_kept_inside_the_file(app_paths: AppPaths) -> None:
    from supportcli.core.flows.model import FlowResult

    result = FlowResult("general", {"subject": "提现一直没有到账", "what_happened": "三天了还没到。"}, [])
    draft = build_draft(bitfinex_pack(), None, result, lang="zh", timezone="UTC", sender_name="",
                        sender_email="", now=NOW)
    saved = save_draft(draft, app_paths)
    assert saved.id == "20261127-081500-general"
    info = DraftStore(app_paths).get(saved.id)
    assert info.subject == "提现一直没有到账"
    assert saved.ticket is not None
    assert saved.ticket.read_text(encoding="utf-8").startswith("# 提现一直没有到账\n")


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "..", "a/b", "20261127-081500-x/../../y", "x\x00y"])
def test_a_draft_name_can_never_escape_the_folder(app_paths: AppPaths, name: str) -> None:
    save_draft(_draft(), app_paths)
    store = DraftStore(app_paths)
    with pytest.raises((InputError, NotFoundError)):
        store.get(name)
    with pytest.raises(InputError):
        store.sidecar_path(name)


def test_list_is_newest_first_and_prefixes_work(app_paths: AppPaths) -> None:
    import datetime as dt

    from supportcli.core.flows.model import FlowResult

    old = build_draft(bitfinex_pack(), None, FlowResult("general", {"subject": "Older question"}, []),
                      lang="en", timezone="UTC", sender_name="", sender_email="", now=NOW - dt.timedelta(days=2))
    save_draft(old, app_paths)
    new = save_draft(_draft(), app_paths)
    store = DraftStore(app_paths)
    items = store.list()
    assert [i.id for i in items] == [new.id, "20261125-081500-older-question"]
    assert store.get("20261127").id == new.id
    assert store.get("20261125-0815").subject == "Older question"
    with pytest.raises(NotFoundError):
        store.get("2027")


def test_an_ambiguous_prefix_names_the_candidates(app_paths: AppPaths) -> None:
    a = save_draft(_draft(), app_paths)
    b = save_draft(_draft(), app_paths)
    store = DraftStore(app_paths)
    with pytest.raises(UsageError) as info:
        store.get("20261127-08")
    message = info.value.render()
    assert a.id in message
    assert b.id in message
    assert store.get(a.id).id == a.id  # an exact id wins over the longer one it prefixes


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'version = 1\nid = "x"\nstatus = "uns', "TOML"),  # truncated
        (b'subject = "\xff\xfe"\n', "UTF-8"),  # invalid UTF-8
        (b"this is not = = toml\n", "TOML"),
        (b'subject = "only a subject"\n', "status"),  # valid TOML, missing what a draft needs
    ],
)
def test_damaged_files_are_listed_as_unreadable_with_their_path(
    app_paths: AppPaths, content: bytes, reason: str
) -> None:
    good = save_draft(_draft(), app_paths)
    broken = app_paths.drafts_dir / "20261126-120000-broken.toml"
    broken.write_bytes(content)
    items = DraftStore(app_paths).list()
    assert isinstance(items[0], DraftInfo)
    assert items[0].id == good.id
    assert isinstance(items[1], UnreadableDraft)
    assert items[1].path == broken
    assert reason in items[1].reason
    with pytest.raises(StorageError) as info:
        DraftStore(app_paths).get("20261126")
    assert str(broken) in info.value.render()


def test_set_status_rewrites_the_sidecar_atomically(app_paths: AppPaths) -> None:
    import datetime as dt

    saved = save_draft(_draft(), app_paths)
    store = DraftStore(app_paths)
    info = store.set_status(saved.id[:20], "sent", ticket_number="998877", sent_on=dt.date(2026, 11, 27),
                            channel="ticket", case_id="c1")
    assert info.status == "sent"
    assert info.ticket_number == "998877"
    assert info.data["sent_on"] == dt.date(2026, 11, 27)
    assert _mode(saved.sidecar) == 0o600
    assert store.set_status(saved.id, "unsent", ticket_number=None).ticket_number is None
    with pytest.raises(InputError):
        store.set_status(saved.id, "lost")


@pytest.mark.parametrize("target", ["os.link", "os.write", "os.fsync"])
def test_a_failure_mid_write_leaves_nothing_half_written(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    first = save_draft(_draft(), app_paths)
    before = {p.name: p.read_bytes() for p in app_paths.drafts_dir.iterdir()}
    calls = {"n": 0}
    real = getattr(os, target.split(".")[1])

    def failing(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] >= 2:  # let the first write through: fail in the middle of the set
            raise OSError(errno.EIO, "Input/output error")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, failing)
    draft = _draft()
    with pytest.raises(StorageError):
        save_draft(draft, app_paths)
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in app_paths.drafts_dir.iterdir()}
    assert after == before  # the earlier draft untouched, no partial new draft, no temp files
    assert first.sidecar.exists()
    assert draft.ticket_markdown.startswith("# Abnormal trade")  # the text is still in hand
    assert save_draft(draft, app_paths).id.endswith("-2")


def test_a_failed_status_rewrite_keeps_the_old_sidecar(app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = save_draft(_draft(), app_paths)
    before = saved.sidecar.read_bytes()

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("os.replace", failing)
    with pytest.raises(StorageError):
        DraftStore(app_paths).set_status(saved.id, "sent", ticket_number="1")
    monkeypatch.undo()
    assert saved.sidecar.read_bytes() == before
    assert sorted(p.name for p in app_paths.drafts_dir.iterdir()) == sorted(
        p.name for p in (saved.ticket, saved.email, saved.sidecar) if p is not None
    )


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_disk_full_permission_and_read_only_errors_name_the_path(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("os.write", refuse)
    draft = _draft()
    with pytest.raises(StorageError) as info:
        save_draft(draft, app_paths)
    assert str(app_paths.drafts_dir) in info.value.render()
    assert os.strerror(code) in info.value.render()
    monkeypatch.undo()
    assert not list(app_paths.drafts_dir.glob("*.toml"))
    rescued = export_draft(draft, app_paths.data_dir / "elsewhere")
    assert rescued.ticket is not None
    assert rescued.ticket.read_text(encoding="utf-8") == draft.ticket_markdown


def test_output_dir_gets_the_files_and_keeps_its_own_mode(app_paths: AppPaths, tmp_path: Path) -> None:
    out = tmp_path / "shared"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    saved = save_draft(_draft(), app_paths, formats=("email",), output_dir=out)
    assert saved.ticket is None
    assert saved.email is not None
    assert saved.email.parent == out.resolve()
    assert _mode(out) == 0o755
    assert _mode(saved.email) == 0o600
    info = DraftStore(app_paths).get(saved.id)
    assert info.email == saved.email
    assert info.ticket is None
    assert saved.sidecar.parent == app_paths.drafts_dir


def test_a_transaction_hash_in_its_field_is_not_a_secret(app_paths: AppPaths) -> None:
    draft = build_draft(bitfinex_pack(), deposit_flow(), deposit_result(), lang="en", timezone="UTC",
                        sender_name="", sender_email="", now=NOW)
    saved = save_draft(draft, app_paths)
    assert saved.ticket is not None
    assert TX_HASH in saved.ticket.read_text(encoding="utf-8")


def test_a_secret_in_the_draft_stops_the_save_and_names_only_the_kind(app_paths: AppPaths) -> None:
    draft = _draft(description=f"Support asked for my phrase: {SEED}")
    with pytest.raises(DraftSecretError) as info:
        save_draft(draft, app_paths)
    assert info.value.exit_code == 2
    message = info.value.render()
    assert "abandon" not in message
    assert "line" in message
    assert not app_paths.drafts_dir.exists() or not list(app_paths.drafts_dir.iterdir())


def test_a_password_reset_draft_is_not_mistaken_for_a_password(app_paths: AppPaths) -> None:
    from supportcli.core.flows.model import FlowResult

    result = FlowResult("password-reset", {"problem": "forgot_password", "account_email": "me@example.com"}, [])
    draft = build_draft(bitfinex_pack(), None, result, lang="en", timezone="UTC", sender_name="",
                        sender_email="", now=NOW)
    draft.category = "password-reset"
    saved = save_draft(draft, app_paths)
    assert saved.id == "20261127-081500-password-reset"  # its own name ("…-password-reset.md") is fine
    assert saved.email is not None
    assert saved.email.exists()


def test_the_id_in_a_draft_name_is_kept_whole_or_left_out(app_paths: AppPaths) -> None:
    result = abnormal_trade_result()
    result.answers["trade_id"] = 13105603
    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="en", timezone="UTC",
                        sender_name="", sender_email="", now=NOW)
    assert save_draft(draft, app_paths).id == "20261127-081500-abnormal-trade-13105603"
    result.answers["trade_id"] = 10**40
    draft = build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="en", timezone="UTC",
                        sender_name="", sender_email="", now=NOW)
    assert save_draft(draft, app_paths).id == "20261127-081500-abnormal-trade"


def test_a_hand_edited_sidecar_cannot_point_at_another_file(app_paths: AppPaths, tmp_path: Path) -> None:
    victim = tmp_path / "notes.md"
    victim.write_text("private notes\n", encoding="utf-8")
    saved = save_draft(_draft(), app_paths)
    text = saved.sidecar.read_text(encoding="utf-8")
    text = text.replace(f'ticket = "{saved.id}.md"', f'ticket = "{victim}"')
    saved.sidecar.write_text(text.replace(f'email = "{saved.id}.eml"', 'email = "/etc/hostname"'), encoding="utf-8")
    info = DraftStore(app_paths).get(saved.id)
    assert info.ticket is None
    assert info.email is None
    DraftStore(app_paths).remove(saved.id)
    assert victim.read_text(encoding="utf-8") == "private notes\n"

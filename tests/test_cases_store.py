"""Cases on disk: mark-sent, the append-only timeline, prefixes, permissions, damaged files."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import tomllib
from pathlib import Path

import pytest

from supportcli.core.cases.attachments import Concern, attach_files
from supportcli.core.cases.logbook import LogRequest, log_entry
from supportcli.core.cases.model import Case
from supportcli.core.cases.sending import mark_sent
from supportcli.core.cases.status import close_case, reopen_case
from supportcli.core.cases.store import CaseStore
from supportcli.core.drafts.store import DraftStore
from supportcli.core.errors import InputError, NotFoundError, StorageError, UsageError
from supportcli.core.paths import AppPaths
from tests.conftest import Runner

FRIDAY = dt.date(2026, 11, 20)
WINDOW = (5, False, "bitfinex")


def write_draft(paths: AppPaths, draft_id: str = "20261120-091500-withdrawal-delayed", *,
                subject: str = "提现未到账 / Withdrawal not received", status: str = "unsent",
                case_id: str = "") -> str:
    """A saved draft in the drafts store's format: a TOML sidecar next to its .md and .eml."""
    folder = paths.drafts_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{draft_id}.md").write_text(f"# {subject}\n\nWithdrawal 12345678 of 0.5 BTC.\n", encoding="utf-8")
    (folder / f"{draft_id}.eml").write_text(
        f"To: support@bitfinex.com\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\nHello,\n",
        encoding="utf-8",
    )
    (folder / f"{draft_id}.toml").write_text(
        f'status = "{status}"\nsubject = "{subject}"\ncreated = 2026-11-20T09:15:00Z\n'
        'flow = "withdrawal-delayed"\ncategory = "withdrawal-delayed"\nlang = "en"\npack = "bitfinex"\n'
        f'[files]\nticket = "{draft_id}.md"\nemail = "{draft_id}.eml"\n'
        + (f'[answers]\ncase_id = "{case_id}"\nreason = "no_reply"\n' if case_id else ""),
        encoding="utf-8",
    )
    return draft_id


def new_case(paths: AppPaths, *, sent_on: dt.date = FRIDAY, ticket: str | None = "48213",
             draft_id: str = "20261120-091500-withdrawal-delayed", today: dt.date | None = None) -> Case:
    write_draft(paths, draft_id)
    info = DraftStore(paths).get(draft_id)
    return mark_sent(paths, info, ticket_number=ticket, sent_on=sent_on, channel="ticket",
                     today=today or max(sent_on, FRIDAY), reply_window=WINDOW)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_mark_sent_creates_a_private_case_and_marks_the_draft(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    assert len(case.id) == 6
    assert case.folder == app_paths.cases_dir / case.id
    for path in [case.folder, *case.folder.rglob("*")]:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    data = tomllib.loads((case.folder / "case.toml").read_text(encoding="utf-8"))
    assert data["sent_on"] == FRIDAY
    assert data["ticket_number"] == "48213"
    assert data["reply_window_business_days"] == 5
    assert data["reply_window_confirmed"] is False
    draft = DraftStore(app_paths).get("20261120")
    assert draft.status == "sent"
    assert draft.data["case_id"] == case.id
    assert draft.data["ticket_number"] == "48213"
    # The case keeps its own copies of what was sent: editing the draft later changes nothing.
    copy = (case.folder / "draft" / "ticket.md").read_text(encoding="utf-8")
    assert "Withdrawal 12345678" in copy
    assert (app_paths.drafts_dir / "20261120-091500-withdrawal-delayed.md").exists()


def test_mark_sent_twice_is_refused(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    info = DraftStore(app_paths).get("20261120")
    with pytest.raises(UsageError) as err:
        mark_sent(app_paths, info, ticket_number=None, sent_on=None, channel="ticket", today=FRIDAY,
                  reply_window=WINDOW)
    assert case.id in err.value.render()
    assert len(CaseStore(app_paths).list().cases) == 1


def test_mark_sent_rejects_future_dates_bad_channels_and_ticket_numbers(app_paths: AppPaths) -> None:
    write_draft(app_paths)
    info = DraftStore(app_paths).get("20261120")
    for kwargs, field in (
        ({"sent_on": FRIDAY + dt.timedelta(days=1), "channel": "ticket", "ticket_number": None}, "sent_on"),
        ({"sent_on": FRIDAY, "channel": "pigeon", "ticket_number": None}, "channel"),
        ({"sent_on": FRIDAY, "channel": "ticket", "ticket_number": "48 213; rm"}, "ticket_number"),
    ):
        with pytest.raises(InputError) as err:
            mark_sent(app_paths, info, today=FRIDAY, reply_window=WINDOW, **kwargs)  # type: ignore[arg-type]
        assert err.value.field == field
    assert CaseStore(app_paths).ids() == []
    assert DraftStore(app_paths).get("20261120").status == "unsent"


def test_mark_sent_leaves_no_case_when_the_draft_cannot_be_updated(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_draft(app_paths)
    info = DraftStore(app_paths).get("20261120")

    def fail(*args: object, **kwargs: object) -> None:
        raise StorageError("errors.storage_write", path="sidecar", reason="disk full")

    monkeypatch.setattr(DraftStore, "set_status", fail)
    with pytest.raises(StorageError):
        mark_sent(app_paths, info, ticket_number=None, sent_on=FRIDAY, channel="email", today=FRIDAY,
                  reply_window=WINDOW)
    assert CaseStore(app_paths).ids() == []


def test_sent_on_defaults_to_today_in_the_configured_zone(app_paths: AppPaths, cli: Runner) -> None:
    from zoneinfo import ZoneInfo

    assert cli("config", "set", "timezone", "Pacific/Kiritimati").exit_code == 0  # UTC+14: often a day ahead
    write_draft(app_paths)
    r = cli("drafts", "mark-sent", "20261120", "--json")
    assert r.exit_code == 0, r.output
    case = CaseStore(app_paths).get(json.loads(r.stdout)["case_id"])
    assert case.sent_on == dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()


def test_a_pack_copy_gives_its_own_reply_window(app_paths: AppPaths, cli: Runner, pack_root: Path,
                                                 tmp_path: Path) -> None:
    """`--pack COPY drafts mark-sent`: the copy's reply window, not the installed pack's (it was always 5)."""
    import shutil

    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    manifest = copy / "pack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "reply_window_business_days = 5", "reply_window_business_days = 10"), encoding="utf-8")
    write_draft(app_paths)
    r = cli("--pack", str(copy), "drafts", "mark-sent", "20261120", "--sent-on", "2026-11-20", "--json")
    assert r.exit_code == 0, r.output
    case = CaseStore(app_paths).get(json.loads(r.stdout)["case_id"])
    assert case.reply_window_business_days == 10
    assert json.loads(r.stdout)["reply_due"] == "2026-12-04"  # ten business days after Friday 20 November


def test_timeline_is_append_only_and_corrections_are_new_entries(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    today = dt.date(2026, 11, 30)
    first = log_entry(app_paths, case.id, LogRequest(kind="reply", on="2026-11-24", summary="Asked for the CSV"),
                      today=today)
    files_before = {p: p.read_bytes() for p in (case.folder / "timeline").iterdir()}
    fix = log_entry(app_paths, case.id, LogRequest(kind="reply", on="2026-11-25", summary="Asked for the CSV",
                                                  corrects=first.seq), today=today)
    assert fix.seq == first.seq + 1
    for path, data in files_before.items():
        assert path.read_bytes() == data  # nothing written before was touched
    loaded = CaseStore(app_paths).get(case.id)
    assert [e.seq for e in loaded.timeline] == [1, 2, 3]
    assert [e.seq for e in loaded.effective] == [1, 3]
    assert loaded.support_entries[0].on == dt.date(2026, 11, 25)
    with pytest.raises(InputError) as err:
        log_entry(app_paths, case.id, LogRequest(summary="x", corrects=99), today=today)
    assert err.value.field == "corrects"


def test_log_validates_dates_kinds_and_needs_something_to_say(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    today = dt.date(2026, 11, 30)
    cases = [
        (LogRequest(summary="x", on="2026-12-01"), "date"),  # the future
        (LogRequest(summary="x", on="2026-11-19"), "date"),  # before the request was sent
        (LogRequest(summary="x", on="2026-02-30"), "date"),
        (LogRequest(summary="x", on="next week"), "date"),
        (LogRequest(summary="x", kind="shout"), "kind"),
        (LogRequest(summary="x", channel="fax"), "channel"),
        (LogRequest(), "summary"),
    ]
    for request, field in cases:
        with pytest.raises(InputError) as err:
            log_entry(app_paths, case.id, request, today=today)
        assert err.value.field == field, request
    for value, day in (("2026/11/24", 24), ("2026年11月25日", 25), ("yesterday", 29), ("今天", 30)):
        entry = log_entry(app_paths, case.id, LogRequest(kind="note", summary="ok", on=value), today=today)
        assert entry.on == dt.date(2026, 11, day)


def test_close_and_reopen_are_entries(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    today = dt.date(2026, 11, 26)
    close_case(app_paths, case.id, "Arrived on 26 November", today=today)
    loaded = CaseStore(app_paths).get(case.id)
    assert loaded.status == "closed"
    assert loaded.closing is not None
    assert loaded.closing.summary == "Arrived on 26 November"
    with pytest.raises(UsageError):
        close_case(app_paths, case.id, today=today)
    reopen_case(app_paths, case.id, "It happened again", today=today)
    loaded = CaseStore(app_paths).get(case.id)
    assert loaded.status == "open"
    assert [e.kind for e in loaded.timeline] == ["sent", "closed", "reopened"]
    with pytest.raises(UsageError):
        reopen_case(app_paths, case.id, today=today)


def test_reply_window_overdue_and_follow_up_restart(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    assert case.follow_up(dt.date(2026, 11, 27)).reply_due == dt.date(2026, 11, 27)
    assert not case.follow_up(dt.date(2026, 11, 27)).overdue  # due today is not late yet
    assert case.follow_up(dt.date(2026, 11, 30)).overdue
    log_entry(app_paths, case.id, LogRequest(kind="reply", on="2026-11-30", summary="Looking into it"),
              today=dt.date(2026, 11, 30))
    case = CaseStore(app_paths).get(case.id)
    assert not case.follow_up(dt.date(2026, 12, 20)).overdue  # answered
    log_entry(app_paths, case.id, LogRequest(kind="followup", on="2026-12-01", summary="Any news?"),
              today=dt.date(2026, 12, 1))
    case = CaseStore(app_paths).get(case.id)
    follow = case.follow_up(dt.date(2026, 12, 9))
    assert follow.reply_due == dt.date(2026, 12, 8)
    assert follow.awaiting_reply
    assert follow.overdue
    close_case(app_paths, case.id, today=dt.date(2026, 12, 9))
    assert not CaseStore(app_paths).get(case.id).follow_up(dt.date(2026, 12, 9)).overdue


def _fixed_ids(monkeypatch: pytest.MonkeyPatch, *ids: str) -> None:
    from types import SimpleNamespace

    from supportcli.core.cases import store

    letters = iter("".join(ids))
    monkeypatch.setattr(store, "secrets", SimpleNamespace(choice=lambda alphabet: next(letters)))


def test_ids_are_short_and_prefixes_work_when_unambiguous(app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    _fixed_ids(monkeypatch, "k3m9qa", "k3x7pb")
    a = new_case(app_paths, draft_id="20261120-091500-a")
    b = new_case(app_paths, draft_id="20261120-091600-b")
    assert (a.id, b.id) == ("k3m9qa", "k3x7pb")
    store = CaseStore(app_paths)
    assert store.resolve("k3m") == "k3m9qa"
    assert store.resolve("K3X") == "k3x7pb"
    with pytest.raises(UsageError) as err:
        store.resolve("k3")
    assert "k3m9qa" in err.value.render()
    assert "k3x7pb" in err.value.render()
    with pytest.raises(NotFoundError):
        store.resolve("zzzz")
    for bad in ("../x", "", "a/b", "k3m 9"):
        with pytest.raises(InputError):
            store.resolve(bad)


def test_a_new_id_is_never_a_prefix_of_another(app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    _fixed_ids(monkeypatch, "k3m9qa", "k3m9qa", "p7r2st")
    new_case(app_paths, draft_id="20261120-091500-a")
    second = new_case(app_paths, draft_id="20261120-091600-b")
    assert second.id == "p7r2st"


def test_damaged_files_are_listed_not_fatal(app_paths: AppPaths) -> None:
    good = new_case(app_paths, draft_id="20261120-091500-a")
    broken = new_case(app_paths, draft_id="20261120-091600-b")
    (broken.folder / "case.toml").write_bytes(b"id = \xff\xfe")
    (good.folder / "timeline" / "0002-reply.toml").write_text("seq = 2\nkind = ", encoding="utf-8")
    (app_paths.cases_dir / "abc234").mkdir()  # an interrupted creation: no case.toml
    listing = CaseStore(app_paths).list()
    assert [c.id for c in listing.cases] == [good.id]
    damaged = {d.path for d in listing.damaged}
    assert broken.folder / "case.toml" in damaged
    assert good.folder / "timeline" / "0002-reply.toml" in damaged
    assert app_paths.cases_dir / "abc234" / "case.toml" in damaged
    # The next entry never reuses the damaged entry's number.
    entry = log_entry(app_paths, good.id, LogRequest(summary="next"), today=dt.date(2026, 11, 30))
    assert entry.seq == 3
    with pytest.raises(StorageError):
        CaseStore(app_paths).get(broken.id)


def _looked(path: Path, concern: Concern) -> bool:
    """The user looked at what the guard could not read (a picture) and keeps it."""
    return True


def test_attach_copies_and_never_moves(app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    export = tmp_path / "ledgers.csv"
    export.write_text("id,amount\n1,0.5\n", encoding="utf-8")
    screenshot = tmp_path / "截图.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    refs = attach_files(app_paths, case.id, [export, screenshot, export], today=FRIDAY, approve=_looked).refs
    assert [r.name for r in refs] == ["ledgers.csv", "截图.png"]  # the same file twice is kept once
    assert export.exists()
    assert screenshot.exists()
    stored = case.folder / "attachments" / "截图.png"
    assert stored.read_bytes() == screenshot.read_bytes()
    assert mode(stored) == 0o600
    kinds = [e.kind for e in CaseStore(app_paths).get(case.id).timeline]
    assert kinds == ["sent", "attachment", "attachment"]


def test_attach_refuses_a_text_file_holding_a_seed_phrase(app_paths: AppPaths, tmp_path: Path) -> None:
    from supportcli.core.guard.secrets import SecretFoundError

    case = new_case(app_paths)
    notes = tmp_path / "notes.txt"
    words = "abandon " * 11 + "about"
    notes.write_text(f"my wallet words: {words}\n", encoding="utf-8")
    ok = tmp_path / "ok.csv"
    ok.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(SecretFoundError):
        attach_files(app_paths, case.id, [ok, notes], today=FRIDAY)
    assert not (case.folder / "attachments").exists()  # nothing attached when one file is refused
    assert notes.exists()


def test_attach_keeps_exports_with_transaction_hashes(app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    movements = tmp_path / "movements.csv"
    movements.write_text(
        "ID,CURRENCY,AMOUNT,TRANSACTION_ID\n12345678,BTC,-0.5," + "ab" * 32 + "\n", encoding="utf-8",
    )
    [ref] = attach_files(app_paths, case.id, [movements], today=FRIDAY).refs
    assert ref.size == movements.stat().st_size


def test_attachment_names_stay_inside_the_case(app_paths: AppPaths) -> None:
    from supportcli.core.cases.store import safe_file_name

    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("..\\..\\evil.txt") == "evil.txt"
    assert safe_file_name(".hidden") == "hidden"
    assert safe_file_name("\x1b[31mred\x1b[0m.txt") == "red.txt"
    assert safe_file_name("") == "attachment"


def test_an_escalation_drafted_from_a_case_is_a_followup_on_it(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    close_case(app_paths, case.id, "thought it was fixed", today=dt.date(2026, 11, 23))
    write_draft(app_paths, "20261130-100000-escalate", subject="Ticket #48213: request to escalate", case_id=case.id)
    info = DraftStore(app_paths).get("20261130-100000")
    same = mark_sent(app_paths, info, ticket_number=None, sent_on=dt.date(2026, 11, 30), channel="email",
                     today=dt.date(2026, 11, 30), reply_window=WINDOW)
    assert same.id == case.id
    assert [c.id for c in CaseStore(app_paths).list().cases] == [case.id]  # no second case
    loaded = CaseStore(app_paths).get(case.id)
    assert [e.kind for e in loaded.timeline] == [
        "sent", "closed", "reopened", "followup", "attachment", "attachment", "attachment",
    ]
    assert loaded.status == "open"
    assert loaded.follow_up(dt.date(2026, 11, 30)).reply_due == dt.date(2026, 12, 7)  # the window restarts
    names = sorted(p.name for p in (case.folder / "attachments").iterdir())
    assert names == ["followup-2026-11-30-email.eml", "followup-2026-11-30-sidecar.toml",
                     "followup-2026-11-30-ticket.md"]
    draft = DraftStore(app_paths).get("20261130-100000")
    assert draft.status == "sent"
    assert draft.data["case_id"] == case.id


def test_a_correction_keeps_the_corrected_entrys_day_kind_and_channel(app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    today = dt.date(2026, 11, 30)
    call = log_entry(app_paths, case.id, LogRequest(kind="call", channel="phone", on="2026-11-24",
                                                    summary="Agent asked for a selfie"), today=today)
    fix = log_entry(app_paths, case.id, LogRequest(summary="Agent asked for an ID selfie", corrects=call.seq),
                    today=today)
    assert (fix.on, fix.kind, fix.channel) == (dt.date(2026, 11, 24), "call", "phone")  # not today's reply
    loaded = CaseStore(app_paths).get(case.id)
    assert [e.summary for e in loaded.support_entries] == ["Agent asked for an ID selfie"]
    plain = log_entry(app_paths, case.id, LogRequest(summary="Got an email"), today=today)
    assert (plain.on, plain.kind, plain.channel) == (today, "reply", "ticket")


def test_the_same_file_is_kept_once(app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    copy = tmp_path / "copy.png"
    copy.write_bytes(shot.read_bytes())
    other = tmp_path / "sub" / "shot.png"
    other.parent.mkdir()
    other.write_bytes(b"\x89PNG\r\n\x1a\n another picture")
    first = attach_files(app_paths, case.id, [shot, copy], today=FRIDAY, approve=_looked)
    assert [r.name for r in first.refs] == ["shot.png"]
    assert [p for p, _ in first.already] == [copy]
    again = attach_files(app_paths, case.id, [shot, other], today=FRIDAY, approve=_looked)
    assert [r.name for r in again.refs] == ["shot-2.png"]  # same name, other content: kept under a new name
    assert [p for p, _ in again.already] == [shot]
    assert sorted(p.name for p in (case.folder / "attachments").iterdir()) == ["shot-2.png", "shot.png"]


def test_a_refused_file_says_what_to_do_with_the_file(app_paths: AppPaths, tmp_path: Path) -> None:
    from supportcli.core.guard.secrets import SecretFoundError

    case = new_case(app_paths)
    notes = tmp_path / "notes.txt"
    notes.write_text("ok\nwords: " + "abandon " * 11 + "about\n", encoding="utf-8")
    with pytest.raises(SecretFoundError) as err:
        attach_files(app_paths, case.id, [notes], today=FRIDAY)
    message = err.value.render()
    assert message.startswith("notes.txt:")
    assert "line 2" in message
    assert "Remove it from the file" in message
    assert "Answer again" not in message
    assert "abandon" not in message

"""Marking a draft as sent: it becomes a case (or a follow-up on the case it was drafted from)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from supportcli.core.cases.attachments import attachment_entry
from supportcli.core.cases.inputs import now_utc, parse_choice, parse_ticket_number
from supportcli.core.cases.model import SEND_CHANNELS, Case, TimelineEntry
from supportcli.core.cases.store import CaseStore
from supportcli.core.errors import UsageError
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths
from supportcli.core.safeload import MAX_CONTENT_BYTES, TooLarge, read_capped
from supportcli.core.text import clean

if TYPE_CHECKING:
    from supportcli.core.drafts.model import DraftInfo
    from supportcli.core.pack import Pack


# A follow-up's own draft files are kept with the case under this prefix (not evidence the user added).
FOLLOWUP_COPY_PREFIX = "followup-"
RECORDS_ROLE = "records-"  # a draft's rows CSV kept with the case: `records-trades`, `records-movements`


class ReplyWindow(NamedTuple):
    """How long support has to reply, from the pack in use: business days, whether that is confirmed."""

    business_days: int
    confirmed: bool
    pack_id: str

    @classmethod
    def of(cls, pack: Pack) -> ReplyWindow:
        support = pack.manifest.support
        return cls(support.reply_window_business_days, support.reply_window_confirmed, pack.id)



class AlreadySent(UsageError):
    """The draft is marked as sent already (by this run's twin, maybe a moment ago): `case` is the case
    it became (None if that case is gone). A repeat that asks for nothing new is not an error for the
    command (mark-sent is idempotent); one that contradicts what was recorded is (exit 2)."""

    key = "cases.already_sent"

    def __init__(self, draft: DraftInfo, case: Case | None) -> None:
        super().__init__(None, draft=draft.id, case=case.id if case else str(draft.data.get("case_id") or "-"))
        self.draft = draft
        self.case = case


MARK_SENT_LOCK = ".mark-sent.lock"


def mark_sent(
    paths: AppPaths,
    draft_info: DraftInfo,
    *,
    ticket_number: str | None,
    sent_on: dt.date | None,
    channel: str,
    today: dt.date,
    reply_window: ReplyWindow,
) -> Case:
    """Turn a saved draft into a case: the draft becomes `sent` and the case keeps copies of its files.

    A draft made from a case (`troubleshoot escalate --case ID`: its answers hold `case_id`) is a
    follow-up on that case instead: it is logged there (the reply window starts again, a closed case
    is reopened) and its files are kept as attachments, so one case holds the whole exchange.
    `reply_window` comes from the pack in use (`ReplyWindow.of(pack)`).

    One draft makes one case, however many run at once: the check and the creation hold one lock
    (`cases/.mark-sent.lock`), and the draft is read again under it. A draft already sent raises
    AlreadySent.
    """
    from supportcli.core.storage import exclusive_lock

    channel = parse_choice(channel, "channel", SEND_CHANNELS)
    number = parse_ticket_number(ticket_number)
    day = sent_on or today
    if day > today:
        from supportcli.core.flows.fields import reject

        raise reject("sent_on", "day_future", "2026-11-20", value=day.isoformat(), today=today.isoformat())
    with exclusive_lock(paths.cases_dir / MARK_SENT_LOCK, root=paths.data_dir):
        return _mark_sent_locked(paths, draft_info.id, number=number, day=day, channel=channel,
                                 reply_window=reply_window)


def _mark_sent_locked(
    paths: AppPaths, draft_id: str, *, number: str | None, day: dt.date, channel: str, reply_window: ReplyWindow,
) -> Case:
    from supportcli.core.drafts.store import DraftStore

    draft_info = DraftStore(paths).get(draft_id)  # as it is now, not as it was before the lock
    store = CaseStore(paths)
    existing = store.find_by_draft(draft_info.id)
    if existing is None and draft_info.status == "sent":  # a follow-up: logged on the case it names
        existing = _case_of_followup(store, draft_info, key="case_id", where=draft_info.data)
    if existing is not None or draft_info.status == "sent":
        raise AlreadySent(draft_info, existing)
    files: dict[str, tuple[str, bytes]] = {}
    for role, path in (("ticket", draft_info.ticket), ("email", draft_info.email), ("sidecar", draft_info.sidecar)):
        if path is None:
            continue
        data = _read_draft_file(path)
        if data is None:
            continue
        _check_draft_file(path, data)
        files[role] = (f"{role}{path.suffix}", data)
    for path in draft_info.records_csv:  # the rows of the user's records the ticket cites (`<id>.trades.csv`)
        data = _read_draft_file(path)
        if data is None:
            continue
        _check_draft_file(path, data)
        role = f"{RECORDS_ROLE}{path.name.rsplit('.', 2)[-2]}"
        files[role] = (f"{role}.csv", data)
    followed = _case_of_followup(store, draft_info)
    if followed is not None:
        return _mark_followup_sent(paths, store, followed, draft_info, files, number=number, day=day, channel=channel)
    days, confirmed, pack_id = reply_window
    created = now_utc()
    subject = clean(draft_info.subject, multiline=False).strip()

    def build(case_id: str, folder: Path) -> Case:
        return Case(
            id=case_id, folder=folder, sent_on=day, channel=channel, created_at=created,
            reply_window_business_days=days, reply_window_confirmed=confirmed, draft_id=draft_info.id,
            subject=subject, category=draft_info.category or draft_info.flow_id,
            pack=str(draft_info.data.get("pack") or pack_id), initial_ticket_number=number or "",
        )

    case = store.create(
        build, files,
        lambda seq: TimelineEntry(seq=seq, kind="sent", on=day, channel=channel, recorded_at=created, summary=subject),
    )
    try:
        DraftStore(paths).set_status(
            draft_info.id, "sent", ticket_number=number, sent_on=day, channel=channel, case_id=case.id,
        )
    except BaseException:
        store.discard(case.id)
        raise
    return case


def _read_draft_file(path: Path) -> bytes | None:
    """A file a sidecar names, read with a cap (never hang, never all of /dev/zero); None when it is gone."""
    from supportcli.core.errors import StorageError

    try:
        return read_capped(path, MAX_CONTENT_BYTES)
    except FileNotFoundError:
        return None
    except TooLarge:
        raise StorageError("errors.storage", path=str(path), reason=t("errors.file.too_big",
                           limit=f"{MAX_CONTENT_BYTES >> 20}")) from None
    except OSError as exc:
        raise StorageError("errors.storage", path=str(path), reason=exc.strerror or "") from exc


def _check_draft_file(path: Path, data: bytes) -> None:
    """A draft's file is read again before the case keeps a copy: it may have been edited by hand since."""
    from supportcli.core.cases.attachments import Concern, refuse_concerns
    from supportcli.core.gate import check_file

    checked = check_file(path.name, data)  # a secret stops mark-sent before anything is written
    if checked.unreadable is not None:
        refuse_concerns(path, Concern("unreadable", checked.unreadable))


def _case_of_followup(
    store: CaseStore, draft_info: DraftInfo, *, key: str = "case_id", where: Mapping[str, object] | None = None,
) -> Case | None:
    """The case a draft follows up on (its answers name a case that exists), else None. With `where`
    (the sidecar's data) the case a sent draft was recorded in."""
    from supportcli.core.errors import SupportCliError

    case_id = (draft_info.answers if where is None else where).get(key)
    if not isinstance(case_id, str) or not case_id:
        return None
    try:
        return store.load(store.resolve(case_id))
    except SupportCliError:
        return None


def _mark_followup_sent(
    paths: AppPaths, store: CaseStore, case: Case, draft_info: DraftInfo, files: dict[str, tuple[str, bytes]], *,
    number: str | None, day: dt.date, channel: str,
) -> Case:
    from supportcli.core.drafts.store import DraftStore

    drafts = DraftStore(paths)
    # The draft is marked first and put back if logging fails: it never says sent when the case does not.
    drafts.set_status(draft_info.id, "sent", ticket_number=number, sent_on=day, channel=channel, case_id=case.id)
    try:
        subject = clean(draft_info.subject, multiline=False).strip()
        recorded = now_utc()
        if case.status == "closed":
            store.append(case, lambda seq: TimelineEntry(
                seq=seq, kind="reopened", on=day, channel=channel, recorded_at=recorded, summary=subject,
            ))
        store.append(case, lambda seq: TimelineEntry(
            seq=seq, kind="followup", on=day, channel=channel, recorded_at=recorded, summary=subject,
            ticket_number=number,
        ))
        for name, data in files.values():
            ref = store.add_attachment(case, f"{FOLLOWUP_COPY_PREFIX}{day.isoformat()}-{name}", data)
            store.append(case, attachment_entry(day, ref))
    except BaseException:
        drafts.set_status(draft_info.id, "unsent", sent_on=None, channel=None, case_id=None, ticket_number=None)
        raise
    return case

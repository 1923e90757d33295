"""What the commands do with cases: mark a draft sent, log, attach, close, reopen.

Every function takes the paths and, where a day matters, `today` (the user's day, from the run's
settings): nothing here reads the settings file or loads a content pack, so tests never depend on the
clock and `--pack COPY` is the pack whose reply window a new case gets.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from supportcli.core.cases.model import (
    LOG_CHANNELS,
    LOG_KINDS,
    MAX_SUMMARY,
    MAX_TEXT,
    SEND_CHANNELS,
    AttachmentRef,
    Case,
    TimelineEntry,
)
from supportcli.core.cases.store import CaseStore
from supportcli.core.errors import InputError, UsageError
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths
from supportcli.core.text import clean

if TYPE_CHECKING:
    from supportcli.core.drafts.model import DraftInfo
    from supportcli.core.pack import Pack

_TICKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_TODAY = ("today", "今天", "今日")
_YESTERDAY = ("yesterday", "昨天", "昨日")
EARLIEST = dt.date(2009, 1, 3)  # nothing crypto happened before this day
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class ReplyWindow(NamedTuple):
    """How long support has to reply, from the pack in use: business days, whether that is confirmed."""

    business_days: int
    confirmed: bool
    pack_id: str

    @classmethod
    def of(cls, pack: Pack) -> ReplyWindow:
        support = pack.manifest.support
        return cls(support.reply_window_business_days, support.reply_window_confirmed, pack.id)


# --------------------------------------------------------------------------- input parsing

def parse_day(value: str, field: str, today: dt.date, *, not_before: dt.date | None = None) -> dt.date:
    """A calendar day: 2026-11-20, 2026/11/20, 2026年11月20日, today/yesterday (今天/昨天).

    Never in the future; never before `not_before` (e.g. a reply before the request was sent).
    """
    text = unicodedata.normalize("NFKC", clean(value, multiline=False)).strip().lower()
    day: dt.date | None = None
    if text in _TODAY:
        day = today
    elif text in _YESTERDAY:
        day = today - dt.timedelta(days=1)
    else:
        for form in _DATE_FORMS:
            match = form.match(text)
            if match:
                try:
                    day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
                except ValueError:
                    raise InputError(field, t("cases.input.no_such_day", value=text)) from None
                break
    if day is None:
        raise InputError(field, t("cases.input.date_form", value=text))
    if day > today:
        raise InputError(field, t("cases.input.date_future", value=day.isoformat(), today=today.isoformat()))
    if day < EARLIEST:
        raise InputError(field, t("cases.input.date_too_early", value=day.isoformat()))
    if not_before is not None and day < not_before:
        raise InputError(field, t("cases.input.date_before_sent", value=day.isoformat(), sent=not_before.isoformat()))
    return day


def parse_ticket_number(value: str | None, field: str = "ticket_number") -> str | None:
    """A ticket number as support wrote it (`#48213`, `48213`, `BFX-48213`); None when empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", clean(value, multiline=False)).strip().lstrip("#").strip()
    if not text:
        return None
    if not _TICKET.match(text):
        raise InputError(field, t("cases.input.ticket_number"))
    return text


def parse_choice(value: str, field: str, allowed: tuple[str, ...]) -> str:
    text = value.strip().lower()
    if text not in allowed:
        shown = clean(value, multiline=False)
        raise InputError(field, t("cases.input.choice", value=shown, allowed=", ".join(allowed)))
    return text


def clean_summary(value: str | None, field: str = "summary") -> str:
    text = clean(value or "", multiline=False).strip()
    if len(text) > MAX_SUMMARY:
        raise InputError(field, t("cases.input.too_long", limit=MAX_SUMMARY))
    return text


def clean_pasted(value: str | None, field: str = "text") -> str:
    text = clean(value or "", multiline=True).strip("\n").rstrip()
    if len(text) > MAX_TEXT:
        raise InputError(field, t("cases.input.too_long", limit=MAX_TEXT))
    return text


def guard_text(field: str, text: str, *, field_type: str | None = None, confirmed: bool = False) -> None:
    """Refuse text holding a secret: SecretFoundError names the field and the kind, never the secret.

    A value that only might be a secret (say a lone 64-hex string) is refused too unless `confirmed`.
    """
    if not text.strip():
        return
    from supportcli.core.guard.secrets import check_answer

    check_answer(field, text, field_type=field_type, confirmed=confirmed)


def guard_file(name: str, data: bytes) -> None:
    """Refuse a text file that certainly holds a secret (exports full of tx hashes are fine)."""
    if not looks_like_text(data):
        return
    from supportcli.core.guard.secrets import SecretFoundError, blocking, scan_text

    blocked = blocking(scan_text(decode_text(data)))
    if blocked:
        refused = SecretFoundError(name, blocked)
        refused.key = "cases.input.file_secret"  # says what to do with a file, not "answer again"
        raise refused


# --------------------------------------------------------------------------- mark sent

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
    """
    from supportcli.core.drafts.store import DraftStore

    channel = parse_choice(channel, "channel", SEND_CHANNELS)
    number = parse_ticket_number(ticket_number)
    day = sent_on or today
    if day > today:
        raise InputError("sent_on", t("cases.input.date_future", value=day.isoformat(), today=today.isoformat()))
    store = CaseStore(paths)
    existing = store.find_by_draft(draft_info.id)
    if existing is not None or draft_info.status == "sent":
        previous = existing.id if existing else str(draft_info.data.get("case_id") or "-")
        raise UsageError("cases.already_sent", draft=draft_info.id, case=previous)
    files: dict[str, tuple[str, bytes]] = {}
    for role, path in (("ticket", draft_info.ticket), ("email", draft_info.email), ("sidecar", draft_info.sidecar)):
        if path is not None and path.is_file():
            files[role] = (f"{role}{path.suffix}", path.read_bytes())
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


def _case_of_followup(store: CaseStore, draft_info: DraftInfo) -> Case | None:
    """The case a draft follows up on (its answers name a case that exists), else None."""
    from supportcli.core.errors import SupportCliError

    case_id = draft_info.answers.get("case_id")
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
            ref = store.add_attachment(case, f"followup-{day.isoformat()}-{name}", data)
            store.append(case, _attachment_entry(day, ref))
    except BaseException:
        drafts.set_status(draft_info.id, "unsent", sent_on=None, channel=None, case_id=None, ticket_number=None)
        raise
    return case


# --------------------------------------------------------------------------- timeline

@dataclass(frozen=True)
class LogRequest:
    """What `cases log` records. Text fields are raw: they are cleaned and guarded here."""

    kind: str = ""  # default: reply (a correction: the corrected entry's kind)
    channel: str = ""  # default: the channel the request was sent through (a correction: the corrected entry's)
    on: str = ""  # default: today (a correction: the corrected entry's day)
    summary: str = ""
    text: str = ""
    corrects: int | None = None
    ticket_number: str | None = None
    confirmed: bool = False  # the user said a value the guard was unsure about is not a secret


def log_entry(paths: AppPaths, case_id: str, request: LogRequest, *, today: dt.date) -> TimelineEntry:
    store = CaseStore(paths)
    case = store.get(case_id)
    corrected = next((e for e in case.timeline if e.seq == request.corrects), None)
    if request.corrects is not None and corrected is None:
        raise InputError("corrects", t("cases.input.no_such_entry", seq=request.corrects))
    if request.kind:
        kind = parse_choice(request.kind, "kind", LOG_KINDS)
    else:
        kind = corrected.kind if corrected is not None and corrected.kind in LOG_KINDS else "reply"
    if request.channel:
        channel = parse_choice(request.channel, "channel", LOG_CHANNELS)
    else:
        channel = corrected.channel if corrected is not None and corrected.channel else case.channel
    if request.on:
        on = parse_day(request.on, "date", today, not_before=case.sent_on)
    else:
        on = corrected.on if corrected is not None else today
    summary = clean_summary(request.summary)
    text = clean_pasted(request.text)
    if not summary and not text:
        raise InputError("summary", t("cases.input.summary_or_text"))
    guard_text("summary", summary, field_type="text", confirmed=request.confirmed)
    guard_text("text", text, field_type="multiline", confirmed=request.confirmed)
    number = parse_ticket_number(request.ticket_number)
    recorded = now_utc()
    return store.append(case, lambda seq: TimelineEntry(
        seq=seq, kind=kind, on=on, channel=channel, recorded_at=recorded, summary=summary, text=text,
        corrects=request.corrects, ticket_number=number,
    ))


def close_case(paths: AppPaths, case_id: str, resolution: str = "", *, today: dt.date) -> Case:
    return _change_status(paths, case_id, "closed", resolution, "resolution", today)


def reopen_case(paths: AppPaths, case_id: str, reason: str = "", *, today: dt.date) -> Case:
    return _change_status(paths, case_id, "reopened", reason, "reason", today)


def _change_status(
    paths: AppPaths, case_id: str, kind: str, text: str, field: str, today: dt.date
) -> Case:
    """Close or reopen a case with a new timeline entry (the timeline is append-only)."""
    store = CaseStore(paths)
    case = store.get(case_id)
    if kind == "closed" and case.status == "closed":
        raise UsageError("cases.already_closed", id=case.id)
    if kind == "reopened" and case.status != "closed":
        raise UsageError("cases.not_closed", id=case.id)
    summary = clean_summary(text, field)
    guard_text(field, summary)
    on = today
    recorded = now_utc()
    store.append(case, lambda seq: TimelineEntry(
        seq=seq, kind=kind, on=on, channel=case.channel, recorded_at=recorded, summary=summary,
    ))
    return case


# --------------------------------------------------------------------------- attachments

def looks_like_text(data: bytes) -> bool:
    """Text worth scanning: no NUL in the first 8 KiB and valid UTF-8 (or UTF-16 with a BOM)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 4  # a character cut at the 8 KiB boundary
    return True


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def attach_files(
    paths: AppPaths, case_id: str, files: list[Path], *, today: dt.date,
    already: list[tuple[Path, AttachmentRef]] | None = None,
) -> list[AttachmentRef]:
    """Copy each file into the case (the original stays where it is) and log it on the timeline.

    Every file is read and checked before any is copied: one refused file means none is attached.
    A file whose content the case already holds is not copied again; it is added to `already`
    (given path, the attachment that holds it) when the caller passes a list.
    """
    import hashlib

    store = CaseStore(paths)
    case = store.get(case_id)
    held = {e.attachment.sha256: e.attachment for e in case.effective if e.attachment is not None}
    loaded: list[tuple[str, bytes]] = []
    for path in files:
        field = str(path)
        if not path.is_file():
            raise InputError(field, t("cases.input.not_a_file"))
        try:
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                raise InputError(field, t("cases.input.too_big", limit=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(field, t("cases.input.unreadable", reason=exc.strerror or type(exc).__name__)) from exc
        guard_file(path.name, data)
        digest = hashlib.sha256(data).hexdigest()
        if digest in held:
            if already is not None:
                already.append((path, held[digest]))
            continue
        held[digest] = AttachmentRef(name=path.name, size=len(data), sha256=digest)  # the same file twice
        loaded.append((path.name, data))
    on = today
    refs: list[AttachmentRef] = []
    for name, data in loaded:
        ref = store.add_attachment(case, name, data)
        store.append(case, _attachment_entry(on, ref))
        refs.append(ref)
    return refs


def _attachment_entry(on: dt.date, ref: AttachmentRef) -> Callable[[int], TimelineEntry]:
    recorded = now_utc()

    def build(seq: int) -> TimelineEntry:
        return TimelineEntry(
            seq=seq, kind="attachment", on=on, channel="", recorded_at=recorded, summary=ref.name, attachment=ref,
        )

    return build


def case_summary(case: Case, today: dt.date) -> dict[str, Any]:
    """The `cases list --json` object of a case."""
    follow = case.follow_up(today)
    closing = case.closing
    return {
        "id": case.id,
        "ticket_number": case.ticket_number or None,
        "status": case.status,
        "subject": case.subject,
        "category": case.category,
        "channel": case.channel,
        "sent_on": case.sent_on.isoformat(),
        "last_outgoing": case.last_outgoing.isoformat(),
        "reply_due": follow.reply_due.isoformat(),
        "reply_window_business_days": case.reply_window_business_days,
        "reply_window_confirmed": case.reply_window_confirmed,
        "awaiting_reply": follow.awaiting_reply,
        "overdue": follow.overdue,
        "business_days_left": follow.business_days_left,
        "replies": len(case.support_entries),
        "last_activity": case.last_activity.isoformat(),
        "closed_on": closing.on.isoformat() if closing else None,
        "resolution": closing.summary if closing else None,
        "draft_id": case.draft_id or None,
        "escalate": f"supportcli troubleshoot escalate --case {case.id}" if follow.overdue else None,
    }

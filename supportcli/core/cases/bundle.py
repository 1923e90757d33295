"""Evidence bundles: one zip a user can hand over in a dispute.

It holds the ticket and the email that were sent, the draft's data, the rows of the user's records
the ticket cites (`records/trades.csv`, …), the timeline in Markdown and in TOML, the attachments,
and `manifest.json` listing every other file with its size and SHA-256, so anyone can check that
nothing was changed. Every member is read again exactly as `scan` reads it (`gate.check_file`)
before the zip is written: a bundle with a secret in it is never written, and a member the guard
cannot read (a picture) goes in only if the user looked at it: when it was attached (its entry says
`unchecked` and its SHA-256 is still the one recorded) or now (`approve`, from `cases bundle
--unchecked` or a question). The manifest marks such members `"unchecked"`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportcli.core.cases.attachments import Approve, Concern
from supportcli.core.cases.model import AttachmentRef, Case, TimelineEntry
from supportcli.core.cases.sending import RECORDS_ROLE
from supportcli.core.cases.store import BUNDLES_DIR, CaseStore
from supportcli.core.errors import InputError, StorageError
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths, expand_user

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Member:
    path: str  # inside the bundle folder, with forward slashes
    data: bytes
    ref: AttachmentRef | None = None  # the attachment it is, for an attachment
    unchecked: str = ""  # what the guard could not read of it (set by `scan`)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Bundle:
    path: Path
    files: list[dict[str, Any]]  # the manifest entries: path, size, sha256
    size: int


def _entry_markdown(entry: TimelineEntry, corrected_by: int | None = None) -> list[str]:
    head = f"### #{entry.seq} · {entry.on.isoformat()} · {t(f'cases.kind.{entry.kind}')}"
    if entry.channel:
        head += f" · {t(f'cases.channel.{entry.channel}')}"
    lines = [head, ""]
    if corrected_by is not None:
        lines += [t("cases.md.corrected_by", seq=corrected_by), ""]
    if entry.corrects is not None:
        lines += [t("cases.md.corrects", seq=entry.corrects), ""]
    if entry.ticket_number:
        lines += [t("cases.md.ticket_number", number=entry.ticket_number), ""]
    if entry.summary:
        lines += [entry.summary, ""]
    if entry.attachment is not None:
        lines += [t("cases.md.attachment", name=entry.attachment.name, size=entry.attachment.size,
                    sha256=entry.attachment.sha256), ""]
    if entry.text:
        lines += [*(f"> {line}" if line else ">" for line in entry.text.splitlines()), ""]
    lines += [t("cases.md.recorded", at=entry.recorded_at.isoformat()), ""]
    return lines


def timeline_markdown(case: Case, today: dt.date) -> str:
    """The case and its whole timeline as Markdown, in the current language."""
    follow = case.follow_up(today)
    window_key = "cases.md.window" if case.reply_window_confirmed else "cases.md.window_unconfirmed"
    window = t(window_key, days=case.reply_window_business_days, due=follow.reply_due.isoformat())
    def field(label_key: str, value: str) -> str:
        return "- " + t("cases.label_value", label=t(label_key)) + value

    sent = t("cases.sent_value", date=case.sent_on.isoformat(), channel=t(f"cases.channel.{case.channel}"))
    lines = [
        f"# {t('cases.md.title', id=case.id)}",
        "",
        field("cases.md.subject", case.subject or "-"),
        field("cases.md.ticket", case.ticket_number or t("cases.none")),
        field("cases.md.sent", sent),
        field("cases.md.status", t(f"cases.status.{case.status}")),
        f"- {window}",
        field("cases.md.draft", case.draft_id or "-"),
        "",
        f"## {t('cases.md.timeline')}",
        "",
    ]
    for entry in case.timeline:
        lines += _entry_markdown(entry, case.corrected_by(entry.seq))
    if case.damaged:
        lines += [f"## {t('cases.md.damaged')}", ""]
        lines += [f"- {d.path.name}: {d.reason}" for d in case.damaged]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def timeline_toml(case: Case) -> str:
    import tomli_w

    data: dict[str, Any] = {
        "case": case.to_toml(),
        "entries": [e.to_toml() for e in case.timeline],
    }
    if case.damaged:
        data["damaged"] = [{"file": d.path.name, "reason": d.reason} for d in case.damaged]
    return tomli_w.dumps(data, multiline_strings=True)


def _read(path: Path) -> bytes:
    from supportcli.core.cases.attachments import MAX_ATTACHMENT_BYTES
    from supportcli.core.safeload import TooLarge, read_capped

    try:
        return read_capped(path, MAX_ATTACHMENT_BYTES)
    except TooLarge:
        raise StorageError("cases.attachment_missing", path=str(path),
                           reason=t("errors.file.too_big", limit=f"{MAX_ATTACHMENT_BYTES >> 20}")) from None
    except OSError as exc:
        raise StorageError("cases.attachment_missing", path=str(path), reason=exc.strerror or "") from exc


def gather(store: CaseStore, case: Case, today: dt.date) -> list[Member]:
    """Every file of the bundle except the manifest, in a stable order."""
    members: list[Member] = []
    for role, name in (("ticket", "ticket.md"), ("email", "email.eml"), ("sidecar", "ticket-data.toml")):
        path = store.draft_file(case, role)
        if path is not None:
            members.append(Member(name, _read(path)))
    for role in sorted(r for r in case.draft_files if r.startswith(RECORDS_ROLE)):
        path = store.draft_file(case, role)  # the rows of the user's records the ticket cites
        if path is not None:
            members.append(Member(f"records/{role.removeprefix(RECORDS_ROLE)}.csv", _read(path)))
    members.append(Member("timeline.md", timeline_markdown(case, today).encode("utf-8")))
    members.append(Member("timeline.toml", timeline_toml(case).encode("utf-8")))
    seen: set[str] = set()
    for entry in case.effective:
        ref = entry.attachment
        if ref is None or ref.name in seen:
            continue
        seen.add(ref.name)
        path = store.attachment_path(case, ref)
        members.append(Member(f"attachments/{path.name}", _read(path), ref))
    return members


def manifest(case: Case, members: list[Member], created: dt.datetime) -> dict[str, Any]:
    from supportcli import __version__

    return {
        "format": MANIFEST_FORMAT,
        "case_id": case.id,
        "ticket_number": case.ticket_number or None,
        "created_at": created.isoformat(),
        "generator": f"supportcli {__version__}",
        "hash": "sha256",
        "files": [_manifest_entry(m) for m in members],
    }


def refuse_members(path: Path, concern: Concern) -> bool:
    """The default for a member nobody looked at: the bundle is not written (InputError naming it)."""
    raise InputError(str(path), concern.explain(path), "cases.bundle_left_out", advice=concern.explain(path))


def _manifest_entry(member: Member) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": member.path, "size": len(member.data), "sha256": member.sha256}
    if member.unchecked:
        entry["unchecked"] = member.unchecked  # the guard could not read it; the user looked at it
    return entry


def scan(members: list[Member], approve: Approve | None = None) -> list[Member]:
    """Read every member as `scan` reads it; raises before anything is written. Returns the members,
    those the guard could not read marked `unchecked` (each approved, or looked at when attached)."""
    from dataclasses import replace

    from supportcli.core.gate import check_file

    checked: list[Member] = []
    for member in members:
        result = check_file(member.path, member.data)  # a secret stops the bundle (SecretFoundError)
        if result.complete:
            checked.append(member)
            continue
        reason = result.unreadable or "parts"
        ref = member.ref
        looked = ref is not None and ref.unchecked == reason and ref.sha256 == member.sha256
        concern = Concern("unreadable", reason) if result.unreadable else Concern("parts", str(result.skipped))
        if not looked and not (approve or refuse_members)(Path(member.path), concern):
            refuse_members(Path(member.path), concern)
        checked.append(replace(member, unchecked=reason))
    return checked


def zip_bytes(folder: str, members: list[Member], manifest_data: dict[str, Any], created: dt.datetime) -> bytes:
    import io
    import zipfile

    stamp = created.astimezone(dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in [*members, Member(MANIFEST, _manifest_bytes(manifest_data))]:
            info = zipfile.ZipInfo(f"{folder}/{member.path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, member.data)
    return buffer.getvalue()


def _manifest_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_new_file(folder: Path, name: str, data: bytes, *, private_dir: bool, root: Path | None = None) -> Path:
    """Write a new 0600 file, never replacing one: `name`, else `stem-2.ext`, `stem-3.ext`, …

    In a folder the user chose (`private_dir=False`) the folder keeps its mode.
    """
    from supportcli.core.storage import atomic_write, exists

    if exists(folder) and not folder.is_dir():
        raise InputError("--output", t("cases.input.not_a_folder", path=str(folder)))
    stem, suffix = name.rsplit(".", 1)
    for n in range(1, 100):
        target = folder / (name if n == 1 else f"{stem}-{n}.{suffix}")
        try:
            return atomic_write(target, data, exclusive=True, private_dir=private_dir, root=root)
        except StorageError as exc:
            if exc.key != "errors.exists":
                raise
    raise StorageError("errors.exists", path=str(folder / name))


def write_bundle(
    paths: AppPaths, case_id: str, *, today: dt.date, output: Path | None = None,
    created: dt.datetime | None = None, approve: Approve | None = None,
) -> Bundle:
    """Gather, scan, zip and write the bundle of case `case_id`; returns where it was written.

    `approve` decides members the guard cannot read that the user did not look at when attaching
    them (the default refuses them).
    """
    from supportcli.core.cases.inputs import now_utc

    store = CaseStore(paths)
    case = store.get(case_id)
    created = created or now_utc()
    members = scan(gather(store, case, today), approve or refuse_members)
    manifest_data = manifest(case, members, created)
    folder_name = f"supportcli-case-{case.id}"
    data = zip_bytes(folder_name, members, manifest_data, created)
    name = f"{folder_name}-{created.astimezone(dt.UTC):%Y%m%d-%H%M%S}.zip"
    if output is None:
        target = _write_new_file(case.folder / BUNDLES_DIR, name, data, private_dir=True, root=paths.data_dir)
    else:
        target = _write_new_file(expand_user(output), name, data, private_dir=False)
    return Bundle(path=target, files=manifest_data["files"], size=len(data))

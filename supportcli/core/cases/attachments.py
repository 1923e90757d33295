"""Keeping evidence with a case (`cases attach`): files are copied in, hashed and logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from supportcli.core.cases.guarding import guard_file
from supportcli.core.cases.inputs import now_utc
from supportcli.core.cases.model import AttachmentRef, TimelineEntry
from supportcli.core.cases.store import CaseStore
from supportcli.core.errors import InputError
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


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
        store.append(case, attachment_entry(on, ref))
        refs.append(ref)
    return refs


def attachment_entry(on: dt.date, ref: AttachmentRef) -> Callable[[int], TimelineEntry]:
    recorded = now_utc()

    def build(seq: int) -> TimelineEntry:
        return TimelineEntry(
            seq=seq, kind="attachment", on=on, channel="", recorded_at=recorded, summary=ref.name, attachment=ref,
        )

    return build

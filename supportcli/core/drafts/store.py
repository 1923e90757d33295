"""The drafts folder: one TOML sidecar per draft (`<id>.toml`) next to its `<id>.md` and `<id>.eml`.

Ids are file names `YYYYMMDD-HHMMSS-<ascii-slug>` (UTC). A name can never escape the folder: ids are
checked against a strict pattern and looked up only among the sidecars that exist. A damaged sidecar
is listed as unreadable with its path; it never stops the listing.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from supportcli.core.drafts.model import STATUSES, DraftInfo, UnreadableDraft
from supportcli.core.errors import InputError, NotFoundError, StorageError, UsageError
from supportcli.core.gate import echoable
from supportcli.core.paths import AppPaths
from supportcli.core.storage import atomic_write, remove_file

ID_PATTERN = re.compile(r"^\d{8}-\d{6}-[a-z0-9]+(?:-[a-z0-9]+)*$")
_PREFIX_PATTERN = re.compile(r"^[0-9a-z-]{1,120}$")
SIDECAR_SUFFIX = ".toml"
TICKET_SUFFIX = ".md"
EMAIL_SUFFIX = ".eml"
RECORD_EXPORTS = ("trades", "orders", "movements")  # a cited row's export: `<id>.<export>.csv`


def is_draft_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value)) and len(value) <= 120


def make_id(created: dt.datetime, slug: str) -> str:
    """`YYYYMMDD-HHMMSS-<slug>` from the creation time in UTC."""
    stamp = created.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{slug}"


def resolve_file(folder: Path, stored: Any, expected_name: str | None = None) -> Path | None:
    """A ticket/email path recorded in a sidecar: a bare name lives in `folder`; else absolute.

    With `expected_name` (`<id>.md`, `<id>.eml`) any other file name is ignored: a hand-edited
    sidecar cannot make `show` print, `edit` overwrite or `rm` delete some other file.
    """
    if not isinstance(stored, str) or not stored:
        return None
    path = Path(stored)
    if expected_name is not None and path.name != expected_name:
        return None
    if path.is_absolute():
        return path
    if path.name != stored or stored in (".", ".."):
        return None  # a relative path with folders in it could point anywhere: ignore it
    return folder / stored


def records_csv_name(draft_id: str, kind: str) -> str:
    return f"{draft_id}.{kind}.csv"


def resolve_records_csv(folder: Path, draft_id: str, stored: Any) -> list[Path]:
    """The rows CSVs a sidecar lists, each only under its own name (`<id>.<export>.csv`)."""
    if not isinstance(stored, list):
        return []
    names = {records_csv_name(draft_id, kind) for kind in RECORD_EXPORTS}
    found: list[Path] = []
    for item in stored:
        path = resolve_file(folder, item) if isinstance(item, str) else None
        if path is not None and path.name in names and path not in found:
            found.append(path)
    return found


class DraftStore:
    def __init__(self, paths: AppPaths) -> None:
        self.paths = paths
        self.folder = paths.drafts_dir

    # ------------------------------------------------------------------ reading

    def _sidecars(self) -> Iterator[Path]:
        try:
            entries = list(self.folder.iterdir())
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StorageError("errors.storage", path=str(self.folder), reason=exc.strerror or str(exc)) from exc
        for entry in entries:
            if entry.suffix == SIDECAR_SUFFIX and is_draft_id(entry.stem) and is_regular_file(entry):
                yield entry

    def read(self, sidecar: Path) -> DraftInfo | UnreadableDraft:
        return self.read_file(sidecar)

    @staticmethod
    def read_file(sidecar: Path) -> DraftInfo | UnreadableDraft:
        """Read one sidecar; bare file names in it are resolved in the sidecar's own folder."""
        from supportcli.core.safeload import MAX_CONTENT_BYTES, Unparsable, load_toml

        folder = sidecar.parent
        draft_id = sidecar.stem
        try:
            data = load_toml(sidecar, limit=MAX_CONTENT_BYTES)
        except OSError as exc:
            return UnreadableDraft(draft_id, sidecar, exc.strerror or str(exc))
        except Unparsable as exc:
            return UnreadableDraft(draft_id, sidecar, exc.render())
        problem = _missing(data)
        if problem:
            return UnreadableDraft(draft_id, sidecar, problem)
        created = data["created"]
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.UTC)
        files = data.get("files", {}) if isinstance(data.get("files"), dict) else {}
        return DraftInfo(
            id=draft_id,
            sidecar=sidecar,
            status=str(data["status"]),
            subject=str(data["subject"]),
            flow_id=str(data.get("flow", "")),
            category=str(data.get("category", "")),
            lang=str(data.get("lang", "")),
            created=created,
            ticket=resolve_file(folder, files.get("ticket"), f"{draft_id}{TICKET_SUFFIX}"),
            email=resolve_file(folder, files.get("email"), f"{draft_id}{EMAIL_SUFFIX}"),
            data=data,
        )

    def list(self) -> list[DraftInfo | UnreadableDraft]:
        """Every draft, newest first; damaged ones as UnreadableDraft (after the readable ones)."""
        from supportcli.core.drafts.listing import IndexedDrafts

        readable: list[DraftInfo] = []
        broken: list[UnreadableDraft] = []
        read = IndexedDrafts(self.folder, self.read)  # through the folder's summary index
        for sidecar in self._sidecars():
            item = read(sidecar)
            if isinstance(item, DraftInfo):
                readable.append(item)
            else:
                broken.append(item)
        read.save()
        readable.sort(key=lambda d: (d.created, d.id), reverse=True)
        broken.sort(key=lambda d: d.id, reverse=True)
        return [*readable, *broken]

    def ids(self) -> builtins.list[str]:
        return sorted((p.stem for p in self._sidecars()), reverse=True)

    def get(self, id_or_prefix: str) -> DraftInfo:
        """The draft with this id, or the only one whose id starts with it."""
        wanted = id_or_prefix.strip().lower()
        if not wanted or not _PREFIX_PATTERN.match(wanted):
            raise InputError("id", "bad id", "drafts.bad_id", value=echoable(id_or_prefix))
        ids = self.ids()
        if wanted in ids:
            match = wanted
        else:
            candidates = [i for i in ids if i.startswith(wanted)]
            if not candidates:
                raise NotFoundError("drafts.not_found", id=echoable(id_or_prefix))
            if len(candidates) > 1:
                raise UsageError("drafts.ambiguous", id=echoable(id_or_prefix), candidates=", ".join(candidates[:10]))
            match = candidates[0]
        item = self.read(self.folder / f"{match}{SIDECAR_SUFFIX}")
        if isinstance(item, UnreadableDraft):
            raise StorageError("drafts.unreadable", path=str(item.path), reason=item.reason)
        return item

    # ------------------------------------------------------------------ writing

    def sidecar_path(self, draft_id: str) -> Path:
        if not is_draft_id(draft_id):
            raise InputError("id", "bad id", "drafts.bad_id", value=echoable(draft_id))
        path = self.folder / f"{draft_id}{SIDECAR_SUFFIX}"
        if path.parent != self.folder:  # pragma: no cover - the pattern already forbids separators
            raise InputError("id", "bad id", "drafts.bad_id", value=echoable(draft_id))
        return path

    def set_status(self, draft_id: str, status: str, **fields: Any) -> DraftInfo:
        """Change a draft's status (and record fields such as ticket_number, sent_on, channel, case_id).

        The sidecar is rewritten atomically; a field given as None is removed.
        """
        import tomli_w

        if status not in STATUSES:
            raise InputError("status", "bad status", "drafts.bad_status", allowed=", ".join(STATUSES))
        info = self.get(draft_id)
        data = dict(info.data)
        data["status"] = status
        for key, value in fields.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        data["updated"] = dt.datetime.now(dt.UTC).replace(microsecond=0)
        atomic_write(info.sidecar, tomli_w.dumps(data), root=self.paths.data_dir)
        updated = self.read(info.sidecar)
        if isinstance(updated, UnreadableDraft):  # pragma: no cover - we just wrote it
            raise StorageError("drafts.unreadable", path=str(updated.path), reason=updated.reason)
        return updated

    def remove(self, draft_id: str) -> builtins.list[Path]:
        """Delete a draft's files that live in the drafts folder (files written elsewhere are kept)."""
        info = self.get(draft_id)
        removed: builtins.list[Path] = []
        for path in (info.ticket, info.email, *info.records_csv, info.sidecar):
            if path is None or path.parent != self.folder:
                continue
            if remove_file(path):
                removed.append(path)
        return removed


def is_regular_file(path: Path) -> bool:
    """A regular file (not a link, a folder or a pipe); False when it cannot even be looked at."""
    import os
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _missing(data: dict[str, Any]) -> str:
    """What a readable sidecar lacks, or "" when it has what the list needs."""
    for key in ("subject", "status"):
        if not isinstance(data.get(key), str):
            return f"no '{key}'"
    if data["status"] not in STATUSES:
        return f"unknown status '{data['status']}'"
    if not isinstance(data.get("created"), dt.datetime):
        return "no 'created' date-time"
    if not 1970 <= data["created"].year <= 2999:  # shown in the user's zone: year 9999 would overflow
        return "'created' out of range"
    return ""

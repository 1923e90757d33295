"""Keeping evidence with a case (`cases attach`): files are checked, copied in, hashed and logged.

Each file is looked at before anything is copied:
- a link is followed, and where it points is said (`Attached.link`);
- a special file (a pipe, a device, a socket) or a file in a system folder (`/etc`, `/proc`, `/dev`,
  …, reached directly or through a link) is a `Concern`: the caller must approve it;
- its bytes (at most `MAX_ATTACHMENT_BYTES`) are read exactly as `supportcli scan` reads them
  (`gate.check_file`): a secret refuses the file; a file the guard cannot read as text (a picture,
  a PDF, an unknown encoding) or an e-mail with parts it cannot read is a `Concern` too, never
  clean: the user has to look at it.

`approve(path, concern)` decides each concern (the command asks the user, or honours `--unchecked`);
a concern it declines with `False` leaves that file out, one it refuses by raising stops the whole
call. A refused secret stops the call before anything is copied. An attachment kept unchecked says
so in its timeline entry (`AttachmentRef.unchecked`), so the bundle knows the user looked at it.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from supportcli.core.cases.inputs import now_utc
from supportcli.core.cases.model import AttachmentRef, TimelineEntry
from supportcli.core.cases.store import CaseStore
from supportcli.core.errors import InputError
from supportcli.core.i18n import t
from supportcli.core.paths import AppPaths

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
# Folders holding the system's own files, never a user's evidence (macOS's /private/etc is /etc).
SYSTEM_FOLDERS = (
    "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/run", "/var/run", "/var/lib", "/var/log", "/var/db",
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/private/etc", "/private/var/db", "/System",
    "/Library/Keychains",
)


@dataclass(frozen=True)
class Concern:
    """Why a file needs the user's word before it is kept.

    kind: `special` (detail: pipe, device, socket), `system` (detail: the system folder), `unreadable`
    (detail: the reader's reason: image, pdf, archive, office, binary, encoding) or `parts` (an e-mail
    with parts that are not text; detail: how many).
    """

    kind: str
    detail: str
    link: str | None = None  # where the path points, when it is a link

    def explain(self, path: Path) -> str:
        """What the user is asked to confirm, in the current language."""
        shown = str(path) if self.link is None else t("cases.attach.link_to", path=str(path), target=self.link)
        if self.kind == "unreadable":
            key = "image" if self.detail == "image" else "encoding" if self.detail == "encoding" else "binary"
            return t(f"cases.attach.unreadable_{key}", path=shown, reason=t(f"cases.attach.reason.{self.detail}"))
        return t(f"cases.attach.{self.kind}", path=shown, detail=self.detail)


Approve = Callable[[Path, Concern], bool]


def refuse_concerns(path: Path, concern: Concern) -> bool:
    """The default: nobody looked, so the file is refused (InputError naming it and `--unchecked`)."""
    raise InputError(str(path), concern.explain(path), "cases.attach.refused", advice=concern.explain(path))


@dataclass
class Attached:
    """What `attach_files` did: the new attachments, files already kept, links followed, files left out."""

    refs: list[AttachmentRef] = field(default_factory=list)
    already: list[tuple[Path, AttachmentRef]] = field(default_factory=list)
    links: list[tuple[Path, str]] = field(default_factory=list)
    left_out: list[Path] = field(default_factory=list)


def _system_folder(real: str) -> str | None:
    return next((folder for folder in SYSTEM_FOLDERS if real == folder or real.startswith(folder + "/")), None)


def _special_kind(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return t("cases.attach.kind.pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("cases.attach.kind.device")
    if stat.S_ISSOCK(mode):
        return t("cases.attach.kind.socket")
    return None


def _unreadable(path: Path, exc: OSError) -> InputError:
    return InputError(str(path), t("cases.input.unreadable", reason=exc.strerror or type(exc).__name__))


def inspect_file(path: Path, approve: Approve) -> tuple[bytes, str, str | None] | None:
    """The bytes of `path` once every concern about it is approved, with what was left unchecked
    (the reader's reason, or "") and where a link points; None when a concern was declined."""
    from supportcli.core.gate import check_file, first_secret
    from supportcli.core.safeload import TooLarge, read_capped

    named = first_secret(name=path.name)  # the name is kept too (the entry, the folder, the bundle)
    if named is not None:
        raise InputError("FILE", named)
    try:
        info = os.lstat(path)
        link = os.readlink(path) if stat.S_ISLNK(info.st_mode) else None
        real = os.path.realpath(path)
        target = os.stat(path)  # follows the link
    except FileNotFoundError as exc:
        raise InputError(str(path), t("cases.input.not_a_file")) from exc
    except (OSError, ValueError) as exc:  # a path with a NUL byte, a loop of links, a name too long
        raise InputError(str(path), t("cases.input.not_a_file")) from exc
    shown_link = real if link is not None else None
    if stat.S_ISDIR(target.st_mode):
        raise InputError(str(path), t("cases.input.not_a_file"))
    special = _special_kind(target.st_mode)
    if special is not None and not approve(path, Concern("special", special, shown_link)):
        return None
    system = _system_folder(real)
    if system is not None and not approve(path, Concern("system", system, shown_link)):
        return None
    if stat.S_ISREG(target.st_mode) and target.st_size > MAX_ATTACHMENT_BYTES:
        raise InputError(str(path), t("cases.input.too_big", limit=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
    try:
        data = read_capped(path, MAX_ATTACHMENT_BYTES)
    except TooLarge as exc:
        raise InputError(str(path), t("cases.input.too_big", limit=MAX_ATTACHMENT_BYTES // (1024 * 1024))) from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    checked = check_file(path.name, data)  # a secret refuses the file (SecretFoundError)
    unchecked = ""
    if checked.unreadable is not None:
        if not approve(path, Concern("unreadable", checked.unreadable, shown_link)):
            return None
        unchecked = checked.unreadable
    elif checked.skipped:
        if not approve(path, Concern("parts", str(checked.skipped), shown_link)):
            return None
        unchecked = "parts"
    return data, unchecked, shown_link


def attach_files(
    paths: AppPaths, case_id: str, files: list[Path], *, today: dt.date, approve: Approve = refuse_concerns,
) -> Attached:
    """Copy each file into the case (the original stays where it is) and log it on the timeline.

    Every file is read and checked before any is copied: one refused file means none is attached.
    A file whose content the case already holds is not copied again (`Attached.already`: given
    path, the attachment that holds it).
    """
    import hashlib

    store = CaseStore(paths)
    case = store.get(case_id)
    held = {e.attachment.sha256: e.attachment for e in case.effective if e.attachment is not None}
    result = Attached()
    loaded: list[tuple[str, bytes, str]] = []
    for path in files:
        inspected = inspect_file(path, approve)
        if inspected is None:
            result.left_out.append(path)
            continue
        data, unchecked, link = inspected
        if link is not None:
            result.links.append((path, link))
        digest = hashlib.sha256(data).hexdigest()
        if digest in held:
            result.already.append((path, held[digest]))
            continue
        held[digest] = AttachmentRef(name=path.name, size=len(data), sha256=digest)  # the same file twice
        loaded.append((path.name, data, unchecked))
    for name, data, unchecked in loaded:
        ref = store.add_attachment(case, name, data, unchecked=unchecked)
        store.append(case, attachment_entry(today, ref))
        result.refs.append(ref)
    return result


def attachment_entry(on: dt.date, ref: AttachmentRef) -> Callable[[int], TimelineEntry]:
    recorded = now_utc()

    def build(seq: int) -> TimelineEntry:
        return TimelineEntry(
            seq=seq, kind="attachment", on=on, channel="", recorded_at=recorded, summary=ref.name, attachment=ref,
        )

    return build

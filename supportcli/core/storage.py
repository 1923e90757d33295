"""Private, atomic file storage: folders 0700, files 0600, never a half-written file, never through a link.

A write goes to a temporary file in the same folder, is flushed and fsynced, then `os.replace`d
over the target, and the folder is fsynced so the rename survives a crash.

The program's own folders (settings, drafts, cases, sessions, the index, records) must be real
folders: a symbolic link where one of them should be is refused (StorageError `errors.storage_link`,
naming the link and what it points to), so nothing is ever chmodded or written through a link
someone else planted. Callers name the app folder a path lives in (`root=`): every folder from it
down to the one written must be real. What the user points at (`--output DIR`) is theirs: a missing
folder is created 0700 (each one, parents too), an existing one keeps its mode.

Every failure of the operating system is a StorageError naming the path and the reason: one clear
line, never a traceback.

This module writes bytes; what a user gave passes the secret guard before it gets here
(`supportcli.core.gate`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from supportcli.core.errors import StorageError

DIR_MODE = 0o700
FILE_MODE = 0o600
LOCK_WAIT_SECONDS = 30.0


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def _link_error(link: Path) -> StorageError:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return StorageError("errors.storage_link", path=str(link), target=target)


def refuse_links(path: Path, root: Path | None = None) -> None:
    """StorageError (`errors.storage_link`) when `path`, or any folder from `root` down to it, is a link.

    Parts that do not exist yet are fine (they will be created as real folders).
    """
    chain = [path]
    if root is not None and path != root and root in path.parents:
        chain += [p for p in path.parents if p == root or root in p.parents]
    for part in chain:
        try:
            if stat.S_ISLNK(os.lstat(part).st_mode):
                raise _link_error(part)
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            continue
        except OSError as exc:
            raise StorageError("errors.storage", path=str(part), reason=_reason(exc)) from exc


def _chmod_dir(path: Path) -> None:
    """chmod 0700 the folder itself, never what a link points to."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _link_error(path) from exc
        raise
    try:
        os.fchmod(fd, DIR_MODE)
    finally:
        os.close(fd)


def _create_missing(path: Path) -> list[Path]:
    """Create `path` and the parents it lacks, each 0700; return those created (outermost first)."""
    missing = [p for p in (path, *path.parents) if not os.path.lexists(p)]
    created: list[Path] = []
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made meanwhile by another process
            continue
        _chmod_dir(folder)  # mkdir's mode is filtered by the umask
        created.append(folder)
    return created


def ensure_private_dir(path: Path, *, root: Path | None = None) -> Path:
    """Create `path` if needed and make it 0700; parents it has to create are 0700 too.

    (`mkdir(parents=True, mode=…)` applies the mode to the last folder only: the app's own data
    folder above `drafts/` would be left world-readable.) Existing parents keep their mode. A link at
    `path`, or anywhere from `root` down to it, is refused: never chmod or write through a link.
    """
    refuse_links(path, root)
    with _folder_errors(path):
        _create_missing(path)
        _chmod_dir(path)
    return path


def ensure_dir(path: Path) -> Path:
    """A folder the user chose (`--output DIR`): created 0700 with every missing parent if it is not
    there, left as it is (mode, link) if it is."""
    with _folder_errors(path):
        if path.is_dir():
            return path
        if os.path.lexists(path):
            raise StorageError("errors.storage_dir", path=str(path), reason=os.strerror(errno.ENOTDIR))
        _create_missing(path)
    return path


@contextlib.contextmanager
def _folder_errors(path: Path) -> Iterator[None]:
    """An OS error while making the folder `path` as one StorageError naming it."""
    try:
        yield
    except StorageError:
        raise
    except OSError as exc:
        raise StorageError("errors.storage_dir", path=str(path), reason=_reason(exc)) from exc


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(
    path: Path, data: bytes | str, *, exclusive: bool = False, private_dir: bool = True, root: Path | None = None,
) -> Path:
    """Write `data` to `path` atomically with mode 0600.

    With `exclusive=True` an existing file is never replaced: StorageError(`errors.exists`).
    With `private_dir=False` (a folder the user chose) a missing folder is created 0700 but an
    existing one keeps its mode. `root`: the app folder `path` lives in (see `ensure_private_dir`).
    On any failure the target is left as it was and the temporary file is removed.
    """
    import tempfile

    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    if private_dir:
        ensure_private_dir(folder, root=root)
    else:
        ensure_dir(folder)
    tmp_name: str | None = None
    try:
        if exclusive and os.path.lexists(path):
            raise StorageError("errors.exists", path=str(path))
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if exclusive:
            # link() fails if the target appeared meanwhile: never overwrite another file.
            os.link(tmp_name, path)
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, path)  # a link at `path` is replaced, never written through
        tmp_name = None
        _fsync_dir(folder)
    except FileExistsError as exc:
        raise StorageError("errors.exists", path=str(path)) from exc
    except OSError as exc:
        raise StorageError("errors.storage_write", path=str(path), reason=_reason(exc)) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def remove_file(path: Path) -> bool:
    """Delete `path`; False when it was already gone, StorageError when it cannot be removed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StorageError("errors.storage", path=str(path), reason=_reason(exc)) from exc
    return True


def exists(path: Path) -> bool:
    """Whether `path` exists; a folder that cannot be searched is a StorageError, not a traceback."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG):
            return False
        raise StorageError("errors.storage", path=str(path), reason=_reason(exc)) from exc
    return True


@contextlib.contextmanager
def exclusive_lock(path: Path, *, root: Path | None = None, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (created 0600) while the block runs: another process
    asking for the same lock waits (up to `wait` seconds, then StorageError `errors.busy`)."""
    import fcntl

    ensure_private_dir(path.parent, root=root)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _link_error(path) from exc
        raise StorageError("errors.storage", path=str(path), reason=_reason(exc)) from exc
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StorageError("errors.busy", path=str(path)) from None
                time.sleep(0.02)
            except OSError as exc:
                raise StorageError("errors.storage", path=str(path), reason=_reason(exc)) from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

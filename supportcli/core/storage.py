"""Private, atomic file storage: folders 0700, files 0600, never a half-written file.

A write goes to a temporary file in the same folder, is flushed and fsynced, then `os.replace`d
over the target, and the folder is fsynced so the rename survives a crash.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from supportcli.core.errors import StorageError

DIR_MODE = 0o700
FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create `path` if needed and make it 0700; parents it has to create are 0700 too.

    (`mkdir(parents=True, mode=…)` applies the mode to the last folder only: the app's own data
    folder above `drafts/` would be left world-readable.) Existing parents keep their mode.
    """
    try:
        missing = [p for p in (path, *path.parents) if not p.exists()]
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):  # made meanwhile by another process
                folder.mkdir(mode=DIR_MODE)
                os.chmod(folder, DIR_MODE)
        os.chmod(path, DIR_MODE)
    except OSError as exc:
        raise StorageError("errors.storage_dir", path=str(path), reason=_reason(exc)) from exc
    return path


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes | str, *, exclusive: bool = False, private_dir: bool = True) -> Path:
    """Write `data` to `path` atomically with mode 0600.

    With `exclusive=True` an existing file is never replaced: StorageError(`errors.exists`).
    With `private_dir=False` (a folder the user chose) a missing folder is created 0700 but an
    existing one keeps its mode. On any failure the target is left as it was and the temporary
    file is removed.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    if private_dir:
        ensure_private_dir(folder)
    else:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        except OSError as exc:
            raise StorageError("errors.storage_dir", path=str(folder), reason=_reason(exc)) from exc
    if exclusive and path.exists():
        raise StorageError("errors.exists", path=str(path))
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
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
            os.replace(tmp_name, path)
        tmp_name = None
        os.chmod(path, FILE_MODE)
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


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__

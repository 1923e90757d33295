"""Filesystem faults, injected: a folder that cannot be read or searched (as after `chmod 000`, which
root ignores, so the tests inject it), a full disk. Every path call into the folder fails the way the
kernel would fail it."""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

_INSIDE_ONLY = ("stat", "lstat", "mkdir", "unlink", "rmdir", "chmod", "utime", "access", "readlink")
_FOLDER_TOO = ("listdir", "scandir", "open")  # reading the folder itself fails as well
_TWO_PATHS = ("rename", "replace", "link", "symlink")


def _absolute(value: Any) -> str | None:
    if isinstance(value, int) or value is None:
        return None
    try:
        return os.path.abspath(os.fsdecode(value))
    except (TypeError, ValueError):
        return None


@contextmanager
def denied(folder: Path, code: int = errno.EACCES) -> Iterator[None]:
    """Every filesystem call on a path inside `folder` (and listing or opening `folder`) fails with `code`."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _deny(monkeypatch, os.path.abspath(folder), code)
        yield


def _deny(monkeypatch: pytest.MonkeyPatch, root: str, code: int) -> None:

    def hit(value: Any, folder_too: bool) -> bool:
        path = _absolute(value)
        return path is not None and (path.startswith(root + os.sep) or (folder_too and path == root))

    def wrap(owner: Any, name: str, folder_too: bool) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def failing(*args: Any, **kwargs: Any) -> Any:
            target = args[0] if args else kwargs.get("path", kwargs.get("file"))
            second = args[1] if name in _TWO_PATHS and len(args) > 1 else None
            if hit(target, folder_too) or hit(second, True):
                raise OSError(code, os.strerror(code), os.fsdecode(target))
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, failing)

    for name in _INSIDE_ONLY:
        wrap(os, name, False)
    for name in (*_FOLDER_TOO, *_TWO_PATHS):
        wrap(os, name, name in _FOLDER_TOO or name in _TWO_PATHS)
    wrap(builtins, "open", True)
    wrap(io, "open", True)


def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every atomic write fails as on a full disk (nothing is half-written: see core.storage)."""
    import tempfile

    def no_space(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tempfile, "mkstemp", no_space)  # storage.atomic_write makes its temporary file so

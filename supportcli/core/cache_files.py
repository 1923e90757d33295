"""Files in the user cache: a value that can always be derived again, kept under a key.

    <key line>\\n<CRC-32 of the body, 4 bytes><marshal body>

`read_blob(path, key)` gives the value only when the file starts with exactly `key` and its body
is intact; anything else (missing, another key, damaged) gives None and the caller derives the value
again. `write_blob` writes atomically, 0600 in a 0700 folder, and gives up silently when the cache
cannot be written (a read-only or full disk only costs the deriving next time). The cache is the
user's own folder; the CRC catches damage, not tampering, like any file the user can edit.
"""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path
from typing import Any


def read_blob(path: Path, key: bytes) -> object | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = key + b"\n"
    if not data.startswith(head) or len(data) < len(head) + 4:
        return None
    body = data[len(head) + 4:]
    if zlib.crc32(body).to_bytes(4, "big") != data[len(head):len(head) + 4]:
        return None
    try:
        value: object = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    return value


def write_blob(path: Path, key: bytes, value: Any) -> None:
    """Write `value` under `key`; ValueError when marshal cannot hold it (nothing is written)."""
    import tempfile

    body = marshal.dumps(value)
    data = key + b"\n" + zlib.crc32(body).to_bytes(4, "big") + body
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # read-only or full cache: derived again next time

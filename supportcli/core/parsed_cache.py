"""Content files parsed once: the data of a TOML file kept in the user cache, under its content.

The message tables (`content/messages/*.toml`, 60 KB in all) were parsed by `tomllib` on every run,
2–4 ms of each command. `toml_data(path)` reads the file's bytes every time (so the file always
wins) and returns the data cached for exactly those bytes (their length and CRC-32) when there is
one (`core.cache_files`: loading it is about twenty times faster than parsing the TOML). A file
whose data marshal cannot hold (dates) is parsed every time; a missing, damaged or foreign entry
is written again. Errors in the file itself are raised as `tomllib` raises them.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from pathlib import Path
from typing import Any

from supportcli.core.cache_files import read_blob, write_blob

FORMAT = 1


def _entry(path: Path) -> Path:
    from supportcli.core.paths import cache_root

    where = zlib.crc32(os.fsencode(path))
    return cache_root() / "parsed" / f"{path.stem}-{where:08x}.bin"


def toml_data(path: Path) -> dict[str, Any]:
    """The data of the TOML file at `path` (OSError when it cannot be read, TOMLDecodeError when it
    is no TOML), from the cache when its bytes are the ones cached."""
    raw = path.read_bytes()
    key = f"SUPPORTCLI-TOML {FORMAT} {len(raw)} {zlib.crc32(raw):08x}".encode()
    entry = _entry(path)
    cached = read_blob(entry, key)
    if isinstance(cached, dict):
        return cached
    import tomllib

    data = tomllib.loads(raw.decode("utf-8"))
    with contextlib.suppress(ValueError):  # dates and times: parsed every time
        write_blob(entry, key, data)
    return data

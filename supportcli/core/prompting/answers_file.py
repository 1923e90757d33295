"""Reading an answers file (`--answers FILE.toml`): a TOML table of answers, one per key.

What keys a file may hold is for its reader to say (a flow's questions, `cases log`'s); this reads
the file and turns every way it can fail into one clear line naming it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from supportcli.core.errors import UsageError
from supportcli.core.i18n import t


def read_answers_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError("troubleshoot.answers_unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UsageError("troubleshoot.answers_unreadable", path=str(path),
                         reason=t("troubleshoot.answers_not_utf8")) from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError("troubleshoot.answers_unreadable", path=str(path), reason=str(exc)) from exc

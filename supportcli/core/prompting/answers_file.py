"""Reading an answers file (`--answers FILE.toml`): a TOML table of answers, one per key.

What keys a file may hold is for its reader to say (a flow's questions, `cases log`'s); this reads
the file (at most `MAX_ANSWERS_BYTES`, nested at most `tomlfile.MAX_DEPTH` deep) and turns every way
it can fail into one clear line naming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from supportcli.core.errors import UsageError
from supportcli.core.i18n import t

MAX_ANSWERS_BYTES = 1 << 20  # a long pasted message is 100 KB


def read_answers_toml(path: Path) -> dict[str, Any]:
    from supportcli.core.safeload import Unparsable, load_toml

    try:
        return load_toml(path, limit=MAX_ANSWERS_BYTES)
    except OSError as exc:
        raise UsageError("troubleshoot.answers_unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    except Unparsable as exc:
        reason = t("troubleshoot.answers_not_utf8") if exc.key == "errors.file.not_utf8" else exc.render()
        raise UsageError("troubleshoot.answers_unreadable", path=str(path), reason=reason) from exc

"""Shell completion (bash, zsh, fish) through typer's machinery: what the values of the arguments
can be — flow ids, draft ids, case ids — each with a short description for zsh and fish.

The shell runs `supportcli` with `_SUPPORTCLI_COMPLETE=complete_<shell>` on a Tab; nothing here is
imported or read on any other run (typer looks at that variable first and returns at once when it is
not set). Each function reads only a folder listing and small files, and any problem yields no
completion rather than an error: a Tab must never print a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer  # typer reads these functions' annotations at run time to know what to pass them

if TYPE_CHECKING:
    from supportcli.term.context import AppContext

SHELLS = ("bash", "zsh", "fish")
PROG = "supportcli"
COMPLETE_VAR = "_SUPPORTCLI_COMPLETE"
MAX_SHOWN = 50  # values offered at most: the newest


def _app(ctx: typer.Context) -> AppContext | None:
    from supportcli.term.context import AppContext

    obj = ctx.find_root().obj
    return obj if isinstance(obj, AppContext) else None


def _one_line(text: str, width: int = 60) -> str:
    from supportcli.term.wrap import shorten

    return shorten(text, width)


def complete_flow_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The pack's flows: id, and its title in the interface language."""
    app = _app(ctx)
    if app is None:
        return []
    try:
        from supportcli.core.i18n import pick

        pack = app.pack()
        out = []
        for path in pack.section_paths("flows"):
            if not path.stem.startswith(incomplete):
                continue
            from supportcli.core.tomlfile import TomlFile, read_toml

            item = read_toml(path, pack.display(path))
            title = item.data.get("title") if isinstance(item, TomlFile) else None
            out.append((path.stem, _one_line(pick(title, app.lang)) if isinstance(title, dict) else ""))
        return out
    except Exception:  # a broken pack: no completion, never a traceback on a Tab
        return []


def complete_draft_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Saved drafts, unsent first then newest first: id, and its subject."""
    app = _app(ctx)
    if app is None:
        return []
    try:
        from supportcli.core.drafts.model import DraftInfo
        from supportcli.core.drafts.store import DraftStore

        drafts = [d for d in DraftStore(app.paths).list() if isinstance(d, DraftInfo) and d.id.startswith(incomplete)]
        drafts.sort(key=lambda d: d.status == "sent")  # stable: newest first within each
        return [(d.id, _one_line(d.subject)) for d in drafts[:MAX_SHOWN]]
    except Exception:
        return []


def complete_case_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Cases, open first then newest first: id, and its ticket number and subject."""
    app = _app(ctx)
    if app is None:
        return []
    try:
        from supportcli.core.cases.store import CaseStore

        cases = [c for c in CaseStore(app.paths).list().cases if c.id.startswith(incomplete)]
        cases.sort(key=lambda c: c.status != "open")
        out = []
        for case in cases[:MAX_SHOWN]:
            ticket = f"#{case.ticket_number} " if case.ticket_number else ""
            out.append((case.id, _one_line(ticket + (case.subject or ""))))
        return out
    except Exception:
        return []


def script(shell: str) -> str:
    """The completion script for `shell`, to source or install (typer's, for our program name)."""
    from typer._completion_shared import get_completion_script

    return str(get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell))

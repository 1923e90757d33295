"""$EDITOR / $VISUAL / the `editor` setting run as git runs them: through the shell when they hold
spaces, quotes or variables (`sh -c '$EDITOR "$@"'`), directly when they are a plain command."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from supportcli.term.context import AppContext
from supportcli.term.draft_review import editor_command, run_editor
from supportcli.term.terminal import Terminal

EDIT = '#!/bin/sh\n# $1 is the file unless the first argument is -w (a "wait" flag)\n' \
       '[ "$1" = "-w" ] && shift\nprintf "edited by %s\\n" "$0" >> "$1"\n'


def _ctx(app_paths: AppPaths, env: dict[str, str]) -> AppContext:
    terminal = Terminal(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(),
                        environ={**os.environ, **env})
    return AppContext(paths=app_paths, terminal=terminal, lang="en")


def _script(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(EDIT, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("editor", ["$HOME/bin/ed", '"$HOME/my editor" -w', "'$HOME/my editor' -w",
                                    "${HOME}/bin/ed"])
def test_editors_with_variables_and_quotes_work_as_in_git(
    app_paths: AppPaths, isolated_home: Path, editor: str,
) -> None:
    _script(isolated_home / "bin" / "ed")
    _script(isolated_home / "my editor")
    ctx = _ctx(app_paths, {"EDITOR": editor, "HOME": str(isolated_home)})
    if editor.startswith("'"):  # single quotes: no variable in it, as in a shell
        assert run_editor(ctx, "text\n", ".md") is None
        assert "127" in ctx.terminal.stderr.getvalue()  # type: ignore[attr-defined]
        assert "$HOME/my editor" in ctx.terminal.stderr.getvalue()  # type: ignore[attr-defined]
        return
    edited = run_editor(ctx, "text\n", ".md")
    assert edited is not None and edited.startswith("text\nedited by ")
    assert str(isolated_home) in edited  # $0: the editor the shell found


def test_a_plain_editor_runs_directly(app_paths: AppPaths, isolated_home: Path) -> None:
    ed = _script(isolated_home / "bin" / "plain-ed")
    ctx = _ctx(app_paths, {"VISUAL": str(ed)})
    assert editor_command(ctx) == [str(ed)]
    assert run_editor(ctx, "x\n", ".md") == f"x\nedited by {ed}\n"


def test_visual_wins_and_an_editor_with_options_goes_through_the_shell(app_paths: AppPaths) -> None:
    ctx = _ctx(app_paths, {"VISUAL": "vis", "EDITOR": "ed"})
    assert editor_command(ctx) == ["vis"]
    ctx = _ctx(app_paths, {"EDITOR": "emacs -nw"})
    assert editor_command(ctx) == ["/bin/sh", "-c", 'emacs -nw "$@"', "emacs -nw"]

"""Golden `--help` of every command and sub-command, in both languages (as commitizen does), so any
change to a help screen is seen in review.

The screens are rendered as a user at an 80-column terminal without colour sees them (COLUMNS=80,
NO_COLOR=1) and kept under tests/golden/help/<lang>/. After a deliberate change, regenerate them with

    UPDATE_GOLDEN=1 python -m pytest tests/test_help_golden.py

and review the diff.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from supportcli.cli import COMMANDS
from tests.conftest import Runner

GOLDEN = Path(__file__).resolve().parent / "golden" / "help"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _command_paths() -> list[tuple[str, ...]]:
    import typer.main

    paths: list[tuple[str, ...]] = [()]
    for spec in COMMANDS:
        paths.append((spec.name,))
        command = typer.main.get_command(importlib.import_module(spec.module).build())
        paths += [(spec.name, sub) for sub in getattr(command, "commands", {})]
    return paths


PATHS = _command_paths()


def _golden(lang: str, path: tuple[str, ...]) -> Path:
    return GOLDEN / lang / ("-".join(("supportcli", *path)) + ".txt")


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "supportcli")
def test_help_matches_its_golden_file(cli: Runner, screen: None, lang: str, path: tuple[str, ...]) -> None:
    r = cli("--lang", lang, *path, "--help")
    assert r.exit_code == 0, r.output
    assert r.stderr == ""
    golden = _golden(lang, path)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(r.stdout, encoding="utf-8")
    name = " ".join(path) or "supportcli"
    assert golden.is_file(), f"no golden help for {name}: run UPDATE_GOLDEN=1 pytest tests/test_help_golden.py"
    assert r.stdout == golden.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_command() -> None:
    expected = {_golden(lang, path) for lang in ("en", "zh") for path in PATHS}
    stale = sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*.txt") if p not in expected)
    assert not stale, f"golden help of commands that no longer exist: {stale}"



@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_fits_80_columns_by_display_width(lang: str) -> None:
    """click wrapped by characters: Chinese lines ran to 200+ columns and words were cut (zh-/cn, supp/ortcli).
    Only example commands, kept whole to be copied, may be wider."""
    from supportcli.term.wrap import display_width

    wide = []
    for path in sorted((GOLDEN / lang).glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            example = line.startswith("    ") and ("supportcli " in line or "| supportcli" in line)
            if display_width(line) > 80 and not example:
                wide.append(f"{path.name}:{number}: {line}")
            cut = line.rstrip().endswith("-") and number < len(lines) and lines[number].lstrip()[:1].isalnum()
            if cut and not example:
                wide.append(f"{path.name}:{number}: a word cut at a hyphen: {line}")
    assert not wide, "\n".join(wide)

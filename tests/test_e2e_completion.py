"""Shell completion in real shells (bash always; zsh and fish where installed): the script from
`supportcli completion SHELL` is loaded, then Tab completes commands, flow ids, draft ids and case ids."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.test_cases_store import new_case, write_draft

TODAY = dt.datetime.now(dt.UTC).date()
BIN = Path(sys.executable).parent
PROMPT = "READY> "


def _shell(home: Path, shell: str) -> pexpect.spawn:
    if shutil.which(shell) is None or not (BIN / "supportcli").exists():
        pytest.skip(f"{shell} or the supportcli script is not installed")
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(home), "TERM": "dumb", "LANG": "en_US.UTF-8", "TZ": "UTC",
        "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"), "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    argv = {"bash": ["--norc", "--noprofile", "-i"], "zsh": ["-f", "-i"], "fish": ["--no-config", "-i"]}[shell]
    child = pexpect.spawn(shell, argv, env=env, encoding="utf-8", timeout=30, dimensions=(40, 200))
    setup = {
        "bash": [f"PS1='{PROMPT}'", 'eval "$(supportcli completion bash)"'],
        "zsh": [f"PS1='{PROMPT}'", "autoload -Uz compinit && compinit -u", 'eval "$(supportcli completion zsh)"'],
        "fish": [f"function fish_prompt; echo -n '{PROMPT}'; end", "supportcli completion fish | source"],
    }[shell]
    for line in setup:
        child.sendline(line)
    child.sendline("echo loaded-$((1+1))" if shell != "fish" else "echo loaded-(math 1+1)")
    child.expect("loaded-2")
    child.expect_exact(PROMPT)
    return child


def _tab(child: pexpect.spawn, typed: str, expected: str) -> None:
    """Type `typed`, press Tab, and find `expected` completed on the line (then clear the line)."""
    child.send(typed + "\t")
    try:
        child.expect_exact(expected, timeout=30)
    finally:
        child.send("\x03")  # Ctrl-C: an empty prompt again
        child.expect_exact(PROMPT)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_tab_completes_commands_flows_drafts_and_cases(isolated_home: Path, app_paths: AppPaths, shell: str) -> None:
    case = new_case(app_paths, sent_on=TODAY - dt.timedelta(days=2), today=TODAY)
    write_draft(app_paths, "20261125-080000-unsent-one", subject="Unsent one")
    child = _shell(isolated_home, shell)
    try:
        _tab(child, "supportcli troublesh", "troubleshoot")
        _tab(child, "supportcli troubleshoot withd", "withdrawal-delayed")
        _tab(child, f"supportcli cases show {case.id[:2]}", case.id)
        _tab(child, "supportcli drafts show 20261125", "20261125-080000-unsent-one")
        _tab(child, f"supportcli troubleshoot escalate --case {case.id[:3]}", case.id)
    finally:
        child.close(force=True)


def test_completion_prints_each_shells_script(cli: Runner) -> None:
    bash = cli("completion", "bash")
    assert bash.exit_code == 0
    assert "_SUPPORTCLI_COMPLETE=complete_bash" in bash.stdout and "complete -o default -F" in bash.stdout
    assert "compdef" in cli("completion", "zsh").stdout
    assert "complete --command supportcli" in cli("completion", "fish").stdout
    r = cli("completion", "tcsh")
    assert r.exit_code == 2 and "bash, zsh, fish" in r.stderr
    r = cli("--lang", "zh", "completion", "tcsh")
    assert r.exit_code == 2 and "不支持为“tcsh”生成补全" in r.stderr


def test_a_tab_never_prints_a_traceback_even_with_a_broken_setup(isolated_home: Path, tmp_path: Path) -> None:
    """A pack that cannot be loaded, a drafts folder that is a file: no completion, no traceback."""
    import subprocess

    config = tmp_path / "config.toml"
    config.write_text('pack = "no-such-pack"\n', encoding="utf-8")
    data = isolated_home / ".local" / "share" / "supportcli"
    data.mkdir(parents=True)
    (data / "drafts").write_text("not a folder", encoding="utf-8")
    for words in ("supportcli troubleshoot ", "supportcli drafts show ", "supportcli cases show "):
        env = {**os.environ, "HOME": str(isolated_home), "SUPPORTCLI_CONFIG": str(config),
               "_SUPPORTCLI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()))}
        done = subprocess.run([sys.executable, "-m", "supportcli"], env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "" and "Traceback" not in done.stderr

"""The conventions every command follows: language, exit codes, safe output, lazy start-up."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from supportcli import __version__
from supportcli.core.text import clean, slugify
from tests.conftest import Runner

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = ("typer", "rich", "questionary", "prompt_toolkit", "click")
# The core never reaches up into the terminal layer or the entry point either.
FORBIDDEN_PACKAGES_IN_CORE = ("supportcli.term", "supportcli.commands", "supportcli.cli")


def test_version(cli: Runner) -> None:
    r = cli("--version")
    assert r.exit_code == 0
    assert r.stdout.strip() == f"supportcli {__version__}"


def test_help_lists_every_command_with_examples(cli: Runner) -> None:
    r = cli("--help")
    assert r.exit_code == 0
    names = ("faq", "troubleshoot", "draft-ticket", "drafts", "cases", "scan", "verify-contact", "config", "content")
    for name in names:
        assert f"  {name}" in r.stdout
    assert "Examples:" in r.stdout
    assert "supportcli faq search" in r.stdout


def test_help_follows_locale_then_config_then_flag(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "用法" in cli("--help").stdout
    assert "示例" in cli("--help").stdout
    assert cli("config", "set", "language", "en").exit_code == 0
    assert "Usage" in cli("--help").stdout
    r = cli("--help", "--lang", "zh")
    assert "命令" in r.stdout
    assert "Usage" not in r.stdout
    # the flag works after a sub-command too
    r = cli("config", "--help", "--lang=zh")
    assert "查看和修改设置" in r.stdout


def test_bad_lang_value_is_usage_error(cli: Runner) -> None:
    r = cli("--lang", "fr", "--help")
    assert r.exit_code == 2
    assert "--lang" in r.stderr
    assert "zh" in r.stderr


def test_unknown_command_is_exit_2_with_suggestion(cli: Runner) -> None:
    r = cli("confg")
    assert r.exit_code == 2
    assert "config" in r.stderr
    assert "Traceback" not in r.output


def test_chinese_errors(cli: Runner) -> None:
    r = cli("--lang", "zh", "config", "set", "timezone", "Nowhere/Land")
    assert r.exit_code == 2
    assert "错误" in r.stderr
    assert "时区" in r.stderr


def test_clean_strips_escapes_controls_bidi_and_nul() -> None:
    nasty = "a\x1b[31mred\x1b[0m \x1b]8;;https://evil\x07link\x1b]8;;\x07 \u202eevil\u202c\x00 \x07bell\r\nnext"
    cleaned = clean(nasty)
    assert cleaned == "ared link evil bell\nnext"
    assert clean("one\ntwo\tthree", multiline=False) == "one two three"


def test_user_text_is_never_rich_markup(cli: Runner) -> None:
    payload = "[link=https://evil.example]click[/link] [bold red]x[/]"
    assert cli("config", "set", "name", payload).exit_code == 0
    r = cli("config", "show")
    assert payload in r.stdout


def test_control_sequences_never_reach_the_config(cli: Runner, isolated_home: Path) -> None:
    assert cli("config", "set", "name", "Li\x1b[2J Lei\u202e").exit_code == 0
    stored = (isolated_home / ".config" / "supportcli" / "config.toml").read_text()
    assert "\x1b" not in stored
    assert "\u202e" not in stored
    assert "Li Lei" in stored


def test_slugify_is_ascii_and_never_empty() -> None:
    assert slugify("Abnormal trade #123 on BTC/USD") == "abnormal-trade-123-on-btc-usd"
    assert slugify("提现没到账") == "draft"
    assert slugify("../../etc/passwd") == "etc-passwd"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, "-m", "supportcli", *args], capture_output=True, env=full_env, timeout=60)


def test_ascii_stdout_degrades_instead_of_crashing(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path), "PYTHONIOENCODING": "ascii"}
    r = _run(["--lang", "zh", "--help"], **env)
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr
    assert _run(["config", "set", "name", "李雷"], **env).returncode == 0
    r = _run(["--lang", "zh", "config", "show"], **env)
    assert r.returncode == 0, r.stderr
    assert b"?" in r.stdout
    assert b"Traceback" not in r.stderr


def test_python_dash_m_works() -> None:
    r = _run(["--version"])
    assert r.returncode == 0
    assert r.stdout.decode().strip() == f"supportcli {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["config", "--help"]])
def test_startup_does_not_import_prompt_libraries(args: list[str]) -> None:
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['supportcli', *{args!r}]\n"
        "from supportcli.cli import main\n"
        "rc = main()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('questionary', 'prompt_toolkit', 'pydantic'))\n"
        "print('LOADED=' + ','.join(bad), file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED=\n" in r.stderr, r.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, in full (`supportcli.term.context`), wherever the import stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_domain_core_imports_no_terminal_libraries() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & set(FORBIDDEN_IN_CORE))
        for path in (ROOT / "supportcli" / "core").rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, offenders


def _forbidden(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in FORBIDDEN_PACKAGES_IN_CORE)


def test_domain_core_imports_nothing_of_the_terminal_layer_or_the_entry_point() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path) if _forbidden(m))
        for path in (ROOT / "supportcli" / "core").rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, offenders


def test_the_core_imports_test_would_see_an_offender(tmp_path: Path) -> None:
    """The check above reads imports anywhere in a module, lazy ones inside functions included."""
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from supportcli.term.context import AppContext\n    import supportcli.cli\n",
                    encoding="utf-8")
    assert {m for m in _imported_modules(path) if _forbidden(m)} == {
        "supportcli.term.context", "supportcli.term.context.AppContext", "supportcli.cli",
    }
    assert not _forbidden("supportcli.terminology")


def test_no_click_import_anywhere() -> None:
    """Typer vendors click; importing a separate click would be a second, different copy."""
    for path in (ROOT / "supportcli").rglob("*.py"):
        assert "click" not in _imports(path), path


def test_json_output_is_valid_and_unicode(cli: Runner) -> None:
    cli("config", "set", "name", "李雷")
    data = json.loads(cli("config", "show", "--json").stdout)
    assert data["values"]["name"] == "李雷"


def test_no_color_gives_plain_text_even_on_a_terminal(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    r = cli("config", "show", tty=True)
    assert r.exit_code == 0
    assert "\x1b[" not in r.stdout


def test_non_tty_output_is_plain(cli: Runner) -> None:
    r = cli("config", "show", tty=False)
    assert "\x1b[" not in r.stdout


def test_private_dirs_make_every_missing_parent_private(tmp_path: Path) -> None:
    import stat

    from supportcli.core.storage import atomic_write, ensure_private_dir

    existing = tmp_path / "user"
    existing.mkdir()
    existing.chmod(0o755)
    target = existing / "share" / "supportcli" / "drafts"
    ensure_private_dir(target)
    for folder in (existing / "share", existing / "share" / "supportcli", target):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755  # not ours to change
    written = atomic_write(target / "a.toml", "x = 1\n")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert [p.name for p in target.iterdir()] == ["a.toml"]  # no temporary file left behind


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["config", "set"], "缺少参数 'key'", "Missing argument 'key'"),
        (["config", "show", "--bogus"], "没有这个选项：--bogus", "No such option: --bogus"),
        (["config", "get", "a", "b"], "多余的参数：b", "unexpected extra argument"),
    ],
)
def test_usage_errors_speak_the_interface_language(cli: Runner, args: list[str], zh: str, en: str) -> None:
    r = cli("--lang", "zh", *args)
    assert r.exit_code == 2
    assert zh in r.stderr
    assert "错误" in r.stderr
    r = cli("--lang", "en", *args)
    assert r.exit_code == 2
    assert en in r.stderr


def test_a_command_group_alone_shows_its_help(cli: Runner) -> None:
    r = cli("config")
    assert r.exit_code == 2
    assert "show" in r.stdout
    assert "Examples:" in r.stdout
    assert "Error" not in r.stderr


def test_json_on_an_ascii_stdout_stays_exact(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path), "PYTHONIOENCODING": "ascii"}
    assert _run(["config", "set", "name", "李雷"], **env).returncode == 0
    r = _run(["config", "show", "--json"], **env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["values"]["name"] == "李雷"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_has_examples_in_its_help(cli: Runner, lang: str) -> None:
    from supportcli.cli import COMMANDS

    header = "Examples:" if lang == "en" else "示例："
    missing = []
    for spec in COMMANDS:
        top = cli("--lang", lang, spec.name, "--help")
        assert top.exit_code == 0, top.output
        if header not in top.stdout:
            missing.append(spec.name)
        if "\nCommands:" in top.stdout or "\n命令:" in top.stdout:
            section = top.stdout.split("Commands:" if lang == "en" else "命令:", 1)[1]
            for line in section.splitlines():
                words = line.split()
                if line.startswith("  ") and not line.startswith("   ") and words:
                    sub = cli("--lang", lang, spec.name, words[0], "--help")
                    if sub.exit_code == 0 and header not in sub.stdout:
                        missing.append(f"{spec.name} {words[0]}")
    assert not missing, missing


def test_ctrl_c_in_any_command_is_130_with_a_message(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("supportcli.core.config.Config.as_dict", interrupted)
    r = cli("config", "show", "--json")
    assert r.exit_code == 130
    assert "Interrupted." in r.stderr
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["cases", "log", "k3m9qa", "--corrects", "abc"], "'abc' 不是整数", "'abc' is not a valid integer"),
        (["cases", "log", "k3m9qa", "--corrects", "0"], "0 超出了允许的范围", "0 is not in the range x>=1"),
        (["troubleshoot", "general", "--answers", "."], "是文件夹，不是文件", "is a folder, not a file"),
    ],
)
def test_a_refused_option_value_is_said_in_words(cli: Runner, args: list[str], zh: str, en: str) -> None:
    r = cli("--lang", "zh", *args)
    assert r.exit_code == 2
    assert zh in r.stderr
    assert "int" not in r.stderr.split("错误")[-1]  # never click's type names ("int range")
    r = cli("--lang", "en", *args)
    assert r.exit_code == 2
    assert en in r.stderr


def test_chinese_usage_lines_and_headings_are_chinese(cli: Runner) -> None:
    r = cli("--lang", "zh", "--help")
    assert r.stdout.startswith("用法：supportcli [选项] 命令 [参数]...")
    assert "[OPTIONS]" not in r.stdout and "COMMAND" not in r.stdout
    assert "\n选项：\n" in r.stdout and "\n命令：\n" in r.stdout
    r = cli("--lang", "zh", "cases", "close", "--help")
    assert "<文本>" in r.stdout and "<str>" not in r.stdout

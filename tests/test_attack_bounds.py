"""Attacks by size and depth: answers files and `--file` that are `/dev/zero`, a 2 GB file or a pipe
nobody writes to; 5,000 `[` in an answers file, a draft sidecar, a case file, a timeline entry, a
session. Each is read with a cap and one clear line, or a typed "damaged", never RecursionError or
MemoryError, and in bounded time."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from supportcli.core.paths import AppPaths
from supportcli.core.safeload import MAX_DEPTH, Unparsable, load_json, load_toml, parse_json, parse_toml
from tests.conftest import Runner
from tests.test_cases_store import new_case, write_draft

DEEP = "a = " + "[" * 5000
BOMBS = {
    "brackets": DEEP,
    "inline tables": "a = " + "{b = " * 5000,
    "dotted header": "[" + "a." * 5000 + "b]",
    "dotted keys": "a." * 40_000 + "b = 1",  # tomllib alone takes minutes on this
}


@pytest.mark.parametrize("text", list(BOMBS.values()), ids=list(BOMBS))
def test_the_safe_loader_refuses_nesting_fast(text: str) -> None:
    begun = time.perf_counter()
    with pytest.raises(Unparsable) as err:
        parse_toml(text)
    assert err.value.key == "errors.file.too_deep"
    assert str(MAX_DEPTH) in err.value.render()
    assert time.perf_counter() - begun < 2


def test_json_nesting_and_garbage_are_typed() -> None:
    for text in ("[" * 100_000, '{"a":' * 100_000, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)):
        with pytest.raises(Unparsable) as err:
            parse_json(text)
        assert err.value.key == "errors.file.too_deep"
    assert parse_json("[" * 10 + "]" * 10) == [[[[[[[[[[]]]]]]]]]]
    with pytest.raises(Unparsable) as err:
        parse_json(b'{"a": 1,}')
    assert err.value.key == "errors.file.not_json"
    assert err.value.line == 1


def test_strings_and_comments_never_count_as_nesting() -> None:
    text = 'a = "' + "[" * 200 + '"\n# ' + "{" * 200 + "\nb = [1.5, 2.5, 3.5, 4.5]\n[t.u]\nv = 2\n"
    assert parse_toml(text)["b"] == [1.5, 2.5, 3.5, 4.5]
    assert parse_toml("x = [" + ", ".join(["1.5"] * 500) + "]")["x"][0] == 1.5


@pytest.mark.parametrize("source", ["/dev/zero", "BIG", "FIFO"])
def test_files_are_read_with_a_cap(tmp_path: Path, source: str) -> None:
    if source == "BIG":
        path = tmp_path / "big.toml"
        with path.open("wb") as fh:
            fh.truncate(2 << 30)  # 2 GB, sparse: nothing of it is read past the cap
    elif source == "FIFO":
        path = tmp_path / "answers.toml"
        os.mkfifo(path)  # nobody writes to it: reads as empty, never hangs
    else:
        path = Path(source)
    if source == "FIFO":
        assert load_toml(path) == {}
        return
    with pytest.raises(Unparsable) as err:
        load_toml(path)
    assert err.value.key == "errors.file.too_big"
    with pytest.raises(Unparsable):
        load_json(path)


@pytest.mark.parametrize("source", ["/dev/zero", "BIG", "DEEP"])
def test_answers_files_are_bounded(cli: Runner, app_paths: AppPaths, tmp_path: Path, source: str) -> None:
    path = Path(source)
    if source == "BIG":
        path = tmp_path / "big.toml"
        with path.open("wb") as fh:
            fh.truncate(2 << 30)
    elif source == "DEEP":
        path = tmp_path / "deep.toml"
        path.write_text(DEEP)
    case = new_case(app_paths)
    for args in (("troubleshoot", "general", "--answers", str(path)),
                 ("cases", "log", case.id, "--answers", str(path))):
        r = cli(*args)
        assert r.exit_code == 2, args
        assert f"Could not read the answers file {path}" in r.stderr
        assert ("larger than 1 MiB" if source != "DEEP" else "nested more than") in r.stderr
        assert "Error" not in r.stdout and "Traceback" not in r.output


@pytest.mark.parametrize("source", ["/dev/zero", "BIG"])
def test_cases_log_file_is_bounded(cli: Runner, app_paths: AppPaths, tmp_path: Path, source: str) -> None:
    path = Path(source)
    if source == "BIG":
        path = tmp_path / "reply.txt"
        with path.open("wb") as fh:
            fh.truncate(2 << 30)
    r = cli("cases", "log", new_case(app_paths).id, "--file", str(path))
    assert r.exit_code == 2
    assert "--file: more than 1 MiB; nothing was read" in r.stderr


def test_cases_log_stdin_is_bounded(cli: Runner, app_paths: AppPaths) -> None:
    r = cli("cases", "log", new_case(app_paths).id, "-", input="x" * ((1 << 20) + 10))
    assert r.exit_code == 2
    assert "-: more than 1 MiB" in r.stderr


@pytest.mark.parametrize(("data", "said"), [
    (b"caf\xe9 au lait", "could not be read as text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "this is not text"),
])
def test_cases_log_decides_undecodable_input_once(
    cli: Runner, app_paths: AppPaths, tmp_path: Path, data: bytes, said: str,
) -> None:
    case = new_case(app_paths)
    before = sorted((case.folder / "timeline").iterdir())
    path = tmp_path / "reply.txt"
    path.write_bytes(data)
    r = cli("cases", "log", case.id, "--file", str(path))
    assert r.exit_code == 2
    assert said in r.stderr
    # Standard input as Python hands it over in the C locale: the bytes it could not decode as surrogates.
    r = cli("cases", "log", case.id, "-", input=data.decode("utf-8", "surrogateescape"))
    assert r.exit_code == 2
    assert "-:" in r.stderr and said in r.stderr
    assert "UnicodeEncodeError" not in r.output
    assert sorted((case.folder / "timeline").iterdir()) == before


def test_cases_log_reads_legacy_chinese_text(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    import json

    case = new_case(app_paths)
    for encoding in ("gbk", "big5", "utf-16", "utf-8-sig"):
        text = "客服回复：正在核查您的提现" if encoding != "big5" else "客服回覆：正在核查您的提現"
        r = cli("cases", "log", case.id, "-", input=text.encode(encoding).decode("utf-8", "surrogateescape"))
        assert r.exit_code == 0, (encoding, r.output)
        assert json.loads(cli("cases", "show", case.id, "--json").stdout)["timeline"][-1]["text"] == text


def test_an_undecodable_argument_is_decided_at_the_edge(cli: Runner, app_paths: AppPaths) -> None:
    case = new_case(app_paths)
    r = cli("cases", "log", case.id, "--summary", b"caf\xe9".decode("utf-8", "surrogateescape"))
    assert r.exit_code == 2
    assert "argument 5: could not be read as text" in r.stderr  # cases log ID --summary VALUE
    gbk = "已收到回复".encode("gbk").decode("utf-8", "surrogateescape")  # typed in a GBK terminal
    assert cli("cases", "log", case.id, "--summary", gbk).exit_code == 0


def test_deep_case_files_and_entries_are_damaged_not_fatal(cli: Runner, app_paths: AppPaths) -> None:
    broken = new_case(app_paths)
    fine = new_case(app_paths, draft_id="20261120-091600-other")
    (broken.folder / "case.toml").write_text(DEEP)
    (fine.folder / "timeline" / "0002-reply.toml").write_text(DEEP)
    r = cli("cases", "list")
    assert r.exit_code == 0
    assert fine.id in r.stdout
    assert "nested more than" in r.stderr
    assert "Traceback" not in r.output and "Something went wrong" not in r.output
    r = cli("cases", "show", broken.id)
    assert r.exit_code == 1
    assert f"The case file {broken.folder / 'case.toml'} is damaged" in r.stderr
    r = cli("cases", "show", fine.id)
    assert r.exit_code == 0
    assert "0002-reply.toml" in r.stderr


def test_a_deep_draft_sidecar_is_listed_as_unreadable(cli: Runner, app_paths: AppPaths) -> None:
    draft_id = write_draft(app_paths)
    (app_paths.drafts_dir / f"{draft_id}.toml").write_text(DEEP)
    r = cli("drafts", "list")
    assert r.exit_code == 0
    assert "nested more than" in r.stdout
    r = cli("drafts", "show", draft_id)
    assert r.exit_code == 1
    assert "nested more than" in r.stderr


def test_a_deep_or_huge_session_is_ignored(cli: Runner, app_paths: AppPaths) -> None:
    app_paths.sessions_dir.mkdir(parents=True)
    (app_paths.sessions_dir / "general.json").write_text('{"version": 1, "answers": ' + "[" * 100_000)
    r = cli("troubleshoot", "general", "--resume", tty=True)
    assert r.exit_code == 2
    assert "There is no interrupted session of 'general' to resume" in r.stderr


def test_the_home_screen_reads_damaged_files(app_paths: AppPaths) -> None:
    from supportcli.term.context import AppContext
    from supportcli.term.home import lines
    from supportcli.term.terminal import Terminal

    draft_id = write_draft(app_paths)
    (app_paths.drafts_dir / f"{draft_id}.toml").write_text(DEEP)
    case = new_case(app_paths, draft_id="20261120-091600-other")
    (case.folder / "case.toml").write_bytes(b"\xff\xfe" + b"\x00" * 10)
    shown = lines(AppContext(paths=app_paths, terminal=Terminal(), lang="en"))
    assert any(line.startswith("Some files could not be read (cases: 1, drafts: 1)") for line in shown)


@pytest.mark.parametrize("text", ["x" * 1_000_000, "," * 1_000_000, '"a' * 300_000, "=" * 1_000_000])
def test_long_lines_are_checked_in_linear_time(text: str) -> None:
    """The nesting check itself once took 15 s on a 100,000-character key (found by bench/fuzz.py)."""
    begun = time.perf_counter()
    with pytest.raises(Unparsable):
        parse_toml(text)
    assert time.perf_counter() - begun < 2


def test_cases_log_file_is_decoded_whatever_its_name(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    """An `.eml` of random bytes once escaped as UnicodeDecodeError (found by bench/fuzz.py)."""
    import json

    case = new_case(app_paths)
    garbage = tmp_path / "reply.eml"
    garbage.write_bytes(bytes(range(0x80, 0x100)) * 8)
    r = cli("cases", "log", case.id, "--file", str(garbage))
    assert r.exit_code == 2
    assert "--file: could not be read as text" in r.stderr
    for name, text in (("reply.eml", "Subject: re\n\nWe are checking."), ("notes.txt", "BMW of the team said ok")):
        path = tmp_path / name
        path.write_text(text)
        assert cli("cases", "log", case.id, "--file", str(path)).exit_code == 0
        assert json.loads(cli("cases", "show", case.id, "--json").stdout)["timeline"][-1]["text"] == text


@pytest.mark.parametrize("args", [
    ("scan", "~nosuchuser-supportcli/x.txt"),
    ("content", "check", "~nosuchuser-supportcli/pack"),
    ("faq", "import", "~nosuchuser-supportcli/export"),
    ("--pack", "~nosuchuser-supportcli/pack", "faq", "list"),
    ("records", "import", "~nosuchuser-supportcli/trades.csv"),
])
def test_a_home_folder_of_no_user_is_one_clear_line(cli: Runner, args: tuple[str, ...]) -> None:
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert "RuntimeError" not in r.output
    assert "~nosuchuser-supportcli/" in r.stderr  # the path as typed

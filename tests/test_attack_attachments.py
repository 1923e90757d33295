"""Attacks through `cases attach` and `cases bundle`: a recovery phrase hidden in HTML, JSON escapes, an
e-mail's base64 body, XML or GBK text; a picture; a link to /etc/shadow; a named pipe; /dev/zero.

Attachments and bundle members are read by exactly the reader `scan` uses; what it cannot read is
never stored as clean: it is refused, or kept once the user says they looked at it."""

from __future__ import annotations

import base64
import json
import os
import zipfile
from pathlib import Path

import pytest
from mnemonic import Mnemonic

from supportcli.core.cases.attachments import Concern, attach_files
from supportcli.core.cases.bundle import write_bundle
from supportcli.core.cases.store import CaseStore
from supportcli.core.guard.secrets import SecretFoundError
from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.keys import DOWN, ENTER
from tests.test_cases_store import FRIDAY, new_case

# A phrase with a valid checksum (the guard also blocks invalid ones in most shapes).
PHRASE = Mnemonic("english").to_mnemonic(bytes(range(16)))
WORDS = PHRASE.split()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def _disguised() -> dict[str, bytes]:
    """The files `scan` refuses and that `cases attach` used to store."""
    return {
        "paragraphs.html": ("<html><body><p>" + "</p><p>".join(WORDS) + "</p></body></html>").encode(),
        "breaks.html": ("<div>" + "<br>".join(WORDS) + "</div>").encode(),
        "list.html": ("<ul>" + "".join(f"<li>{w}</li>" for w in WORDS) + "</ul>").encode(),
        "escaped.json": ('{"note": "' + "\\n".join(WORDS) + '"}').encode(),
        "words.xml": ("<words>" + "".join(f"<w>{w}</w>" for w in WORDS) + "</words>").encode(),
        "mail.eml": (
            "Subject: backup\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + base64.b64encode(PHRASE.encode()).decode() + "\n"
        ).encode(),
        "gbk.txt": ("我的助记词：" + PHRASE).encode("gbk"),
        "utf16.txt": PHRASE.encode("utf-16"),
    }


@pytest.mark.parametrize("name", sorted(_disguised()))
def test_a_disguised_phrase_is_refused_as_scan_refuses_it(
    cli: Runner, app_paths: AppPaths, tmp_path: Path, name: str,
) -> None:
    case = new_case(app_paths)
    path = tmp_path / name
    path.write_bytes(_disguised()[name])
    assert cli("scan", str(path)).exit_code == 1  # the same reader says the same thing
    r = cli("cases", "attach", case.id, str(path))
    assert r.exit_code == 2
    assert f"{name}: not kept" in r.stderr
    assert "recovery phrase" in r.stderr
    assert WORDS[3] not in r.output
    assert not (case.folder / "attachments").exists()
    r = cli("cases", "attach", case.id, str(path), "--unchecked")  # --unchecked never lets a secret in
    assert r.exit_code == 2
    assert not (case.folder / "attachments").exists()


def test_a_picture_is_refused_without_a_terminal_unless_the_user_looked(
    cli: Runner, app_paths: AppPaths, tmp_path: Path,
) -> None:
    case = new_case(app_paths)
    shot = tmp_path / "withdrawal.png"
    shot.write_bytes(PNG)
    r = cli("cases", "attach", case.id, str(shot))
    assert r.exit_code == 2
    assert "is a picture" in r.stderr
    assert "Look at it yourself" in r.stderr  # the warning `scan` gives
    assert "--unchecked" in r.stderr
    assert not (case.folder / "attachments").exists()
    r = cli("cases", "attach", case.id, str(shot), "--unchecked")
    assert r.exit_code == 0, r.output
    assert "Look at it yourself" in r.stderr  # still said
    [entry] = [e for e in CaseStore(app_paths).get(case.id).timeline if e.attachment]
    assert entry.attachment is not None and entry.attachment.unchecked == "image"


def test_a_picture_is_asked_about_in_a_terminal(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    shot = tmp_path / "withdrawal.png"
    shot.write_bytes(PNG)
    r = cli("cases", "attach", case.id, str(shot), keys=ENTER)  # the default: leave it out
    assert r.exit_code == 0
    assert "Look at it yourself" in r.stdout
    assert "Not attached" in r.stdout
    assert not (case.folder / "attachments").exists()
    r = cli("cases", "attach", case.id, str(shot), keys=DOWN + ENTER)  # "I have looked at it"
    assert r.exit_code == 0, r.output
    assert (case.folder / "attachments" / "withdrawal.png").read_bytes() == PNG


@pytest.mark.parametrize(("data", "reason"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
    ("Windows-1252 text: caf\xe9 \xe0 la cr\xe8me".encode("latin-1"), "encoding"),
])
def test_files_the_guard_cannot_read_are_never_stored_as_clean(
    app_paths: AppPaths, tmp_path: Path, data: bytes, reason: str,
) -> None:
    case = new_case(app_paths)
    path = tmp_path / "evidence.bin"
    path.write_bytes(data)
    asked: list[Concern] = []

    def looked(given: Path, concern: Concern) -> bool:
        asked.append(concern)
        return True

    attached = attach_files(app_paths, case.id, [path], today=FRIDAY, approve=looked)
    assert [c.detail for c in asked] == [reason]
    assert attached.refs[0].unchecked == reason


def test_an_email_with_a_picture_part_is_asked_about(app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    mail = tmp_path / "reply.eml"
    mail.write_text(
        "Subject: your ticket\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
        "Content-Type: text/plain\n\nPlease send a screenshot.\n--b\nContent-Type: image/png\n"
        "Content-Transfer-Encoding: base64\n\n" + base64.b64encode(PNG).decode() + "\n--b--\n"
    )
    asked: list[Concern] = []
    attach_files(app_paths, case.id, [mail], today=FRIDAY, approve=lambda p, c: asked.append(c) or True)
    assert [(c.kind, c.detail) for c in asked] == [("parts", "1")]


def test_a_link_says_where_it_points(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    real = tmp_path / "exports" / "trades.csv"
    real.parent.mkdir()
    real.write_text("ID,PAIR\n1,tBTCUSD\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    r = cli("cases", "attach", case.id, str(link))
    assert r.exit_code == 0, r.output
    assert f"{link} is a link to {real}" in r.stdout


@pytest.mark.parametrize("target", ["/etc/shadow", "/etc/passwd", "/proc/self/environ"])
def test_a_link_into_a_system_folder_is_refused_unless_confirmed(
    cli: Runner, app_paths: AppPaths, tmp_path: Path, target: str,
) -> None:
    case = new_case(app_paths)
    link = tmp_path / "evidence.txt"
    link.symlink_to(target)
    r = cli("cases", "attach", case.id, str(link))
    assert r.exit_code == 2
    assert f"a link to {os.path.realpath(target)}" in r.stderr
    assert "system folder" in r.stderr
    assert not (case.folder / "attachments").exists()
    r = cli("cases", "attach", case.id, str(link), keys=ENTER)  # asked; the default leaves it out
    assert r.exit_code == 0
    assert "system folder" in r.stdout
    assert not (case.folder / "attachments").exists()


def test_special_files_are_refused_and_never_hang(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero", "/dev/urandom"):
        r = cli("cases", "attach", case.id, path)
        assert r.exit_code == 2, path
        assert "not an ordinary file" in r.stderr
    # Confirmed, a pipe nobody writes to reads as empty: no hang.
    r = cli("cases", "attach", case.id, str(fifo), "--unchecked")
    assert r.exit_code == 0, r.output
    # /dev/zero confirmed is still bounded by the size cap (and is not text: asked about again).
    r = cli("cases", "attach", case.id, "/dev/zero", "--unchecked")
    assert r.exit_code == 2
    assert "larger than 200 MiB" in r.stderr


def test_a_folder_a_missing_file_and_a_nul_byte_are_one_clear_line(
    cli: Runner, app_paths: AppPaths, tmp_path: Path,
) -> None:
    case = new_case(app_paths)
    for path in (str(tmp_path), str(tmp_path / "missing.png"), "x" * 5000, "~nosuchuser0/shot.png"):
        r = cli("cases", "attach", case.id, path)
        assert r.exit_code == 2, path
        assert "not a file that can be read" in r.stderr
        assert "Traceback" not in r.output
    r = cli("cases", "attach", case.id, "bad\x00name.png")  # only a caller of main() can pass one
    assert r.exit_code == 2
    assert "argument 4: holds a NUL byte" in r.stderr


def _case_with_picture(app_paths: AppPaths, tmp_path: Path) -> str:
    case = new_case(app_paths)
    shot = tmp_path / "shot.png"
    shot.write_bytes(PNG)
    export = tmp_path / "ledgers.csv"
    export.write_text("ID,AMOUNT\n1,0.5\n")
    attach_files(app_paths, case.id, [shot, export], today=FRIDAY, approve=lambda p, c: True)
    return case.id


def test_the_bundle_rereads_every_member_as_scan_does(app_paths: AppPaths, tmp_path: Path) -> None:
    case_id = _case_with_picture(app_paths, tmp_path)
    bundle = write_bundle(app_paths, case_id, today=FRIDAY, output=tmp_path / "out")
    with zipfile.ZipFile(bundle.path) as archive:
        manifest = json.loads(archive.read(f"supportcli-case-{case_id}/manifest.json"))
    by_path = {f["path"]: f for f in manifest["files"]}
    assert by_path["attachments/shot.png"]["unchecked"] == "image"  # looked at when attached, and said so
    assert "unchecked" not in by_path["attachments/ledgers.csv"]
    # A member changed on disk since: an export that now holds a phrase (in GBK) stops the bundle.
    stored = app_paths.cases_dir / case_id / "attachments" / "ledgers.csv"
    stored.write_bytes(f"ID,NOTE\n1,助记词 {PHRASE}\n".encode("gbk"))
    with pytest.raises(SecretFoundError):
        write_bundle(app_paths, case_id, today=FRIDAY, output=tmp_path / "out2")
    assert not (tmp_path / "out2").exists()


def test_a_picture_nobody_looked_at_stops_the_bundle(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    case_id = _case_with_picture(app_paths, tmp_path)
    stored = app_paths.cases_dir / case_id / "attachments" / "shot.png"
    stored.write_bytes(PNG + b"another picture")  # replaced after it was attached: not what the user saw
    r = cli("cases", "bundle", case_id, "--output", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert "is a picture" in r.stderr
    assert "The bundle was not written" in r.stderr
    assert not (tmp_path / "out").exists()
    r = cli("cases", "bundle", case_id, "--output", str(tmp_path / "out"), "--unchecked", "--json")
    assert r.exit_code == 0, r.output
    assert Path(json.loads(r.stdout)["path"]).is_file()


def test_bundle_output_folders_are_all_created_private(cli: Runner, app_paths: AppPaths, tmp_path: Path) -> None:
    case = new_case(app_paths)
    r = cli("cases", "bundle", case.id, "--output", str(tmp_path / "new" / "sub"))
    assert r.exit_code == 0, r.output
    for folder in (tmp_path / "new", tmp_path / "new" / "sub"):
        assert os.stat(folder).st_mode & 0o777 == 0o700, folder


@pytest.mark.parametrize("columns", [80, 140])
def test_the_picture_question_in_a_real_terminal(
    app_paths: AppPaths, isolated_home: Path, tmp_path: Path, columns: int,
) -> None:
    import sys

    pexpect = pytest.importorskip("pexpect")
    case = new_case(app_paths)
    shot = tmp_path / "withdrawal.png"
    shot.write_bytes(PNG)
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": str(columns), "LINES": "40"}
    child = pexpect.spawn(sys.executable, ["-m", "supportcli", "cases", "attach", case.id, str(shot)], env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, columns))
    try:
        child.expect(r"Look\s+at\s+it\s+yourself")  # wrapped to the width, wherever it falls
        child.expect("Yes: I have looked at it")
        child.send(DOWN + ENTER)  # "Yes: I have looked at it and it shows no secret"
        child.expect("Attached withdrawal.png")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert (case.folder / "attachments" / "withdrawal.png").read_bytes() == PNG


def test_a_file_named_with_a_phrase_is_refused_without_saying_its_name(
    cli: Runner, app_paths: AppPaths, tmp_path: Path,
) -> None:
    case = new_case(app_paths)
    path = tmp_path / f"{PHRASE}.txt"
    path.write_text("ID,PAIR\n1,tBTCUSD\n")
    r = cli("cases", "attach", case.id, str(path))
    assert r.exit_code == 2
    assert "FILE: not kept: its name" in r.stderr
    assert WORDS[3] not in r.stderr.split("FILE:")[1]  # the refusal never repeats it
    assert not (case.folder / "attachments").exists()

"""The canary: a secret typed into any field never reaches a file under the user's folders, stdout or
stderr — whether the answer is refused, the run is interrupted, a write fails or the program crashes.

Covered paths: `troubleshoot FLOW --answers FILE` (every kind, several fields, text and --json),
`draft-ticket --answers`, interactive `troubleshoot` with Ctrl-C (after a refused answer, and while
the secret is still being typed), `scan` (file and stdin), `cases log` (--text, --summary, --file,
stdin) and `cases attach`, a failed write (the folder cannot be created), and a crash inside the
guard in a real process (its traceback).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import Result, Runner

SEED_EN = "bid physical draft gold trouble enrich measure kingdom orient stadium cradle behave"
SEED_ZH = "黄 察 既 堵 氮 取 承 驱 红 腊 述 巴"
WIF = "Kwa3jk3KrjZYjV1bBwPverDirKYCxWeKZM2b5vMkp3wtyx4nHfoi"
API = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f"
HEX = "0a7651ded856f511eb4616feed8b64ab5d9dfb032de4c1e42a6c186d7fa36451"
PASSWORD = "Hunter2!xyz"

# (id, what is typed, the pieces that must never appear anywhere)
SECRETS = [
    ("seed-en", SEED_EN, ["physical draft gold", "kingdom orient stadium"]),
    ("seed-zh", SEED_ZH, ["黄 察 既 堵", "红 腊 述 巴"]),
    ("wif", f"key {WIF}", [WIF]),
    ("password", f"my password is {PASSWORD}", [PASSWORD]),
    ("api-key", f"API key: {API}", [API]),
    ("2fa-code", "2FA code 492039", ["492039"]),
    ("hex-key", f"private key: {HEX}", [HEX]),
]
CLEAN = {
    "trade_id": 1234567890,
    "pair": "BTC/USD",
    "occurred_at": "2026-11-20 14:05",
    "balance": "1523.40 USDT",
    "description": "My limit sell filled at a strange price CANARYCLEAN",
}


def _forms(needle: str) -> list[str]:
    """The needle as text, JSON-escaped (ASCII), and URL-encoded (as in a mailto link)."""
    return [needle, json.dumps(needle)[1:-1], json.dumps(needle, ensure_ascii=False)[1:-1], quote(needle)]


def _file_texts(root: Path) -> Iterator[tuple[Path, str]]:
    """Every file under `root` as text; e-mail files also with every MIME part decoded."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        if path.suffix in (".eml",):
            message = BytesParser(policy=policy.default).parsebytes(data)
            for part in message.walk():
                if not part.is_multipart():
                    with contextlib.suppress(Exception):
                        text += "\n" + str(part.get_content())
        yield path, text


def _assert_nowhere(needles: list[str], home: Path, *results: Result) -> None:
    for needle in needles:
        for form in _forms(needle):
            for result in results:
                assert form not in result.stdout, f"{needle!r} on stdout"
                assert form not in result.stderr, f"{needle!r} on stderr"
            for path, text in _file_texts(home):
                assert form not in text, f"{needle!r} in {path}"


def _answers_file(tmp_path: Path, **override: object) -> Path:
    import tomli_w

    answers = dict(CLEAN)
    answers.update(override)
    path = tmp_path / "answers" / "answers.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(tomli_w.dumps(answers), encoding="utf-8")
    return path


def _data_dir(home: Path) -> Path:
    return home / ".local" / "share" / "supportcli"


def _state_dir(home: Path) -> Path:
    """Interrupted sessions are state (XDG_STATE_HOME), not data."""
    return home / ".local" / "state" / "supportcli"


def test_control_run_writes_drafts_that_the_canary_reads(cli: Runner, isolated_home: Path, tmp_path: Path) -> None:
    """Without this, a canary that finds nothing could be looking in the wrong place."""
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers_file(tmp_path)))
    assert r.exit_code == 0, r.output
    texts = [text for _, text in _file_texts(_data_dir(isolated_home))]
    assert len(texts) >= 3 and all("CANARYCLEAN" in text for text in texts)


@pytest.mark.parametrize("field", ["description", "balance", "trade_id", "occurred_at"])
@pytest.mark.parametrize(("secret_id", "typed", "needles"), SECRETS, ids=[s[0] for s in SECRETS])
def test_troubleshoot_answers_file(
    cli: Runner, isolated_home: Path, tmp_path: Path, field: str, secret_id: str, typed: str, needles: list[str]
) -> None:
    answers = _answers_file(tmp_path, **{field: typed})
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(answers))
    assert r.exit_code == 2, r.output
    assert field in r.stderr
    j = cli("troubleshoot", "abnormal-trade", "--answers", str(answers), "--json")
    assert j.exit_code == 2
    _assert_nowhere(needles, isolated_home, r, j)


@pytest.mark.parametrize(("secret_id", "typed", "needles"), SECRETS, ids=[s[0] for s in SECRETS])
def test_draft_ticket_answers_file(
    cli: Runner, isolated_home: Path, tmp_path: Path, secret_id: str, typed: str, needles: list[str]
) -> None:
    import tomllib

    import tomli_w

    template = cli("troubleshoot", "general", "--template")  # draft-ticket asks the general flow's questions
    assert template.exit_code == 0, template.output
    # Without `_examples` the template's other answers are taken as given, so the guard is what refuses.
    answers = {k: v for k, v in tomllib.loads(template.stdout).items() if k != "_examples"}
    text_keys = [k for k, v in answers.items() if isinstance(v, str) and not k.startswith("_")]
    assert text_keys
    for key in text_keys:
        answers_path = tmp_path / "answers" / f"draft-{key}.toml"
        answers_path.parent.mkdir(exist_ok=True)
        answers_path.write_text(tomli_w.dumps({**answers, key: typed}), encoding="utf-8")
        r = cli("draft-ticket", "--answers", str(answers_path))
        assert r.exit_code == 2, (key, r.output)
        _assert_nowhere(needles, isolated_home, r)


def _interactive(cli: Runner, keys: str, *args: str) -> Result:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            return cli("--offline", *args, tty=True)  # offline: no platform status check is offered first


ENTER, CTRL_C = "\r", "\x03"
# The kind question (Enter keeps its default), then two self-help steps (Enter: not solved).
TO_FIRST_TEXT = ENTER * 3


@pytest.mark.parametrize(("secret_id", "typed", "needles"), SECRETS, ids=[s[0] for s in SECRETS])
def test_interactive_refusal_then_ctrl_c(
    cli: Runner, isolated_home: Path, secret_id: str, typed: str, needles: list[str]
) -> None:
    r = _interactive(cli, TO_FIRST_TEXT + typed + ENTER + CTRL_C, "troubleshoot", "abnormal-trade")
    assert r.exit_code == 130, r.output
    assert "not accepted" in r.stdout + r.stderr
    sessions = list((_state_dir(isolated_home) / "sessions").glob("*"))
    assert sessions, "the interrupted session was saved (and is checked below)"
    _assert_nowhere(needles, isolated_home, r)


def test_ctrl_c_while_typing_a_secret(cli: Runner, isolated_home: Path) -> None:
    r = _interactive(cli, TO_FIRST_TEXT + SEED_EN + CTRL_C, "troubleshoot", "abnormal-trade")
    assert r.exit_code == 130
    _assert_nowhere(["physical draft gold"], isolated_home, r)


def test_failed_session_write_after_ctrl_c(cli: Runner, isolated_home: Path) -> None:
    sessions = _state_dir(isolated_home) / "sessions"
    sessions.parent.mkdir(parents=True)
    sessions.write_text("not a folder", encoding="utf-8")  # the session cannot be saved, even as root
    r = _interactive(cli, TO_FIRST_TEXT + f"my password is {PASSWORD}" + ENTER + CTRL_C,
                     "troubleshoot", "abnormal-trade")
    assert r.exit_code != 0
    assert "Traceback" not in r.output
    _assert_nowhere([PASSWORD], isolated_home, r)


def test_failed_draft_write(cli: Runner, isolated_home: Path, tmp_path: Path) -> None:
    drafts = _data_dir(isolated_home) / "drafts"
    drafts.parent.mkdir(parents=True)
    drafts.write_text("not a folder", encoding="utf-8")
    for _, typed, needles in SECRETS:
        r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers_file(tmp_path, description=typed)))
        assert r.exit_code == 2
        assert "Traceback" not in r.output
        _assert_nowhere(needles, isolated_home, r)


@pytest.mark.parametrize(("secret_id", "typed", "needles"), SECRETS, ids=[s[0] for s in SECRETS])
def test_scan(cli: Runner, isolated_home: Path, tmp_path: Path, secret_id: str, typed: str, needles: list[str]) -> None:
    path = tmp_path / "paste.txt"
    path.write_text(f"Hello support,\n{typed}\nthanks\n", encoding="utf-8")
    results = [cli("scan", str(path)), cli("scan", str(path), "--json"), cli("scan", "-", input=path.read_text())]
    assert all(r.exit_code == 1 for r in results)
    _assert_nowhere(needles, isolated_home, *results)


@pytest.fixture
def case_id(cli: Runner, tmp_path: Path) -> str:
    r = cli("troubleshoot", "abnormal-trade", "--answers", str(_answers_file(tmp_path)), "--json")
    assert r.exit_code == 0, r.output
    sent = cli("drafts", "mark-sent", json.loads(r.stdout)["draft_id"], "--json")
    assert sent.exit_code == 0, sent.output
    return str(json.loads(sent.stdout)["case_id"])


@pytest.mark.parametrize(("secret_id", "typed", "needles"), SECRETS, ids=[s[0] for s in SECRETS])
def test_cases_log(
    cli: Runner, isolated_home: Path, tmp_path: Path, case_id: str, secret_id: str, typed: str, needles: list[str]
) -> None:
    pasted = tmp_path / "reply.txt"
    pasted.write_text(f"Support wrote back.\n{typed}\n", encoding="utf-8")
    results = [
        cli("cases", "log", case_id, "--summary", "Reply", "--text", typed),
        cli("cases", "log", case_id, "--summary", typed),
        cli("cases", "log", case_id, "--summary", "Reply", "--file", str(pasted)),
        cli("cases", "log", case_id, "--summary", "Reply", "-", input=pasted.read_text()),
        cli("cases", "log", case_id, "--summary", "Reply", "--text", typed, "--not-secret"),
        cli("cases", "attach", case_id, str(pasted)),
    ]
    for r in results:
        assert r.exit_code == 2, r.output
    _assert_nowhere(needles, isolated_home, *results)


def test_crash_inside_the_guard_prints_no_secret(isolated_home: Path, tmp_path: Path) -> None:
    """A real process whose guard crashes: the traceback shows code, not the answer being checked."""
    answers = _answers_file(tmp_path, description=f"my password is {PASSWORD} and {SEED_EN}")
    program = (
        "import sys\n"
        "from supportcli.core.guard import bip39\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('simulated crash')\n"
        "bip39.find_phrases = boom\n"
        "from supportcli.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-c", program, "troubleshoot", "abnormal-trade", "--answers", str(answers)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert done.returncode != 0
    assert "simulated crash" in done.stderr  # it really crashed
    crashed = Result(done.returncode, done.stdout, done.stderr)
    _assert_nowhere([PASSWORD, "physical draft gold"], isolated_home, crashed)

"""Fuzzing the whole CLI: generated arguments, piped text and files through `supportcli.cli.main`,
with a Terminal over StringIO, in a throwaway home (issue 10). The slow companion of
tests/test_fuzz_inputs.py; `scripts/fuzz` runs both.

    python bench/fuzz.py [--runs 2000] [--seed N] [--budget 10]

Each run picks a command (settings, cases log/attach/bundle/close, drafts, troubleshoot and
draft-ticket with an answers file, scan, faq search, verify-contact, records import), fills it with
generated values (recovery phrases, disguises, control characters, undecodable bytes, 100,000
characters, 5,000 `[`) and generated files (HTML, JSON, e-mail, GBK, pictures, nesting bombs, empty
files); now and then it damages a file the program keeps (the settings, a case, a timeline entry, a
draft's sidecar, a session) first. A run fails when it ends in the catch-all line ("Something went
wrong inside"), a traceback, an exit status other than 0, 1, 2 or 130, or takes longer than
`--budget` seconds. The first failure is printed with the seed and run number that repeat it; the
summary gives the runs per command and the slowest run.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

PHRASE = ("legal winner thank year wave sausage worth useful legal winner thank yellow")
PIECES = [
    PHRASE, "abandon " * 11 + "about", "password: Hunter2Hunter2", "my 2FA code is 492 039", "助记词：", "私钥",
    "-----BEGIN PRIVATE KEY-----", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", "0x" + "ab" * 32, "a7" * 32,
    "\u200b", "\u00ad", "\x00", "\x1b[31m", "\r\n", "\n", "\t", "[bold red]x[/]", "{", "}", "[" * 50, "]",
    "提现未到账", "客服", "Withdrawal 12345678 of 0.5 BTC", "2026-11-20", "昨天", "#48213", "../../etc/passwd",
    "\ufeff", "😀", "e\u0301", "ｐａｓｓｗｏｒｄ", "①②③", "【1】", " ", "", "'", '"', "\\", "%s", "{field}",
]


class Timeout(Exception):
    pass


class Fuzzer:
    def __init__(self, rng: random.Random, home: Path) -> None:
        self.rng = rng
        self.home = home
        self.files = home / "given"
        self.files.mkdir()
        self.case_id = ""
        self.draft_id = ""

    # ------------------------------------------------------------------ generated values

    def text(self) -> str:
        rng = self.rng
        shape = rng.random()
        if shape < 0.05:
            return rng.choice(PIECES) * rng.choice([1, 100, 5000])
        if shape < 0.1:
            return rng.randbytes(rng.randrange(1, 40)).decode("utf-8", "surrogateescape")
        if shape < 0.13:
            return "x" * 100_000
        parts = [rng.choice(PIECES) if rng.random() < 0.6 else "".join(chr(rng.randrange(32, 0x9fff)) for _ in
                 range(rng.randrange(0, 8))) for _ in range(rng.randrange(0, 12))]
        return " ".join(parts)

    def data(self) -> bytes:
        rng = self.rng
        words = PHRASE.split()
        kinds: list[Callable[[], bytes]] = [
            lambda: self.text().encode("utf-8", "surrogateescape"),
            lambda: rng.randbytes(rng.randrange(0, 3000)),
            lambda: ("<p>" + "</p><p>".join(words) + "</p>").encode(),
            lambda: ('{"note": "' + "\\n".join(words) + '"}').encode(),
            lambda: ("Subject: x\nContent-Transfer-Encoding: base64\n\n"
                     + base64.b64encode(PHRASE.encode()).decode()).encode(),
            lambda: ("助记词 " + PHRASE).encode("gbk"),
            lambda: PHRASE.encode("utf-16"),
            lambda: b"\x89PNG\r\n\x1a\n" + rng.randbytes(200),
            lambda: b"%PDF-1.4\n" + rng.randbytes(100),
            lambda: ("a = " + "[" * 5000).encode(),
            lambda: ("a." * 20_000 + "b = 1").encode(),
            lambda: ('subject = "' + self.text().replace('"', "'").replace("\\", "/") + '"\nwhat_happened = "x"\n'
                     ).encode("utf-8", "surrogateescape"),
            lambda: f'kind = "reply"\nsummary = "{rng.choice(PIECES)}"\ncorrects = {rng.randrange(-2, 5)}\n'.encode(),
            lambda: b"",
        ]
        return rng.choice(kinds)()

    def file(self) -> str:
        rng = self.rng
        if rng.random() < 0.05:
            return rng.choice(["/dev/null", "/dev/zero", str(self.files), str(self.files / "missing.txt")])
        suffix = rng.choice([".txt", ".toml", ".json", ".html", ".xml", ".eml", ".csv", ".png", ".md", ""])
        path = self.files / f"f{rng.randrange(10**6)}{suffix}"
        path.write_bytes(self.data())
        return str(path)

    # ------------------------------------------------------------------ damage to what the program keeps

    def damage(self) -> None:
        rng = self.rng
        data = self.home / ".local" / "share" / "supportcli"
        candidates = [self.home / ".config" / "supportcli" / "config.toml",
                      self.home / ".local" / "state" / "supportcli" / "sessions" / "general.json"]
        candidates += list(data.glob("cases/*/case.toml")) + list(data.glob("cases/*/timeline/*.toml"))
        candidates += list(data.glob("drafts/*.toml"))
        target = rng.choice(candidates)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.data())

    # ------------------------------------------------------------------ commands

    def command(self) -> tuple[str, list[str], str]:
        """(the command's name for the summary, argv, what stdin holds)."""
        rng = self.rng
        key = rng.choice(["name", "email", "editor", "timezone", "language", "pack", "network", "content_paths"])
        case, draft = self.case_id, self.draft_id
        options = [
            ("config set", ["config", "set", key, self.text()], ""),
            ("config show", ["config", "show", "--json"], ""),
            ("config unset", ["config", "unset", key], ""),
            ("cases log --text", ["cases", "log", case, "--summary", self.text(), "--text", self.text()], ""),
            ("cases log --file", ["cases", "log", case, "--file", self.file()], ""),
            ("cases log -", ["cases", "log", case, "-", "--kind", rng.choice(["reply", "x", ""])], self.text()),
            ("cases log --answers", ["cases", "log", case, "--answers", self.file()], ""),
            ("cases attach", ["cases", "attach", case, self.file(), *rng.choice([[], ["--unchecked"]])], ""),
            ("cases bundle", ["cases", "bundle", case, "--json", *rng.choice([[], ["--unchecked"]])], ""),
            ("cases close", ["cases", "close", case, "--resolution", self.text()], ""),
            ("cases show", ["cases", "show", rng.choice([case, self.text()[:40]]), "--json"], ""),
            ("cases list", ["cases", "list", "--all"], ""),
            ("troubleshoot", ["troubleshoot", "general", "--answers", self.file(), "--json"], ""),
            ("draft-ticket", ["draft-ticket", "--answers", self.file()], ""),
            ("drafts list", ["drafts", "list", "--json"], ""),
            ("drafts show", ["drafts", "show", rng.choice([draft, self.text()[:30]])], ""),
            ("drafts mark-sent", ["drafts", "mark-sent", draft, "--sent-on", rng.choice(["", "昨天", self.text()[:20]]),
                                  "--ticket-number", rng.choice(["", "48213", self.text()[:20]])], ""),
            ("scan", ["scan", rng.choice([self.file(), "-"])], self.text()),
            ("faq search", ["faq", "search", self.text()[:300] or "x", "--json"], ""),
            ("verify-contact", ["verify-contact", self.text()[:300] or "x"], ""),
            ("records import", ["records", "import", self.file(), "--date-format", "DD-MM-YY", "--timezone", "UTC"],
             ""),
        ]
        return rng.choice(options)


def _run(argv: list[str], stdin: str) -> tuple[int, str, str]:
    from supportcli.cli import main
    from supportcli.term.terminal import Terminal

    out, err = io.StringIO(), io.StringIO()
    code = main(["--offline", *argv], terminal=Terminal(stdin=io.StringIO(stdin), stdout=out, stderr=err))
    return code, out.getvalue(), err.getvalue()


def _seed_home(fuzzer: Fuzzer) -> None:
    """A draft and a case to run commands on (made through the CLI like a user would)."""
    import json

    answers = fuzzer.files / "seed.toml"
    answers.write_text('subject = "Withdrawal stuck"\nwhat_happened = "Pending since Monday, 0.5 BTC."\n')
    for _ in range(2):
        code, out, err = _run(["troubleshoot", "general", "--answers", str(answers), "--json"], "")
        assert code == 0, err
        fuzzer.draft_id = json.loads(out)["draft_id"]
    code, out, err = _run(["drafts", "mark-sent", fuzzer.draft_id, "--json"], "")
    assert code == 0, err
    fuzzer.case_id = json.loads(out)["case_id"]


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=None, help="repeat a run (default: a new seed)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds one run may take")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    home = Path(tempfile.mkdtemp(prefix="supportcli-fuzz-"))
    os.environ.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"), "XDG_CACHE_HOME": str(home / ".cache"), "TZ": "UTC",
        "LANG": "en_US.UTF-8", "NO_COLOR": "1", "COLUMNS": "100",
    })
    for name in ("SUPPORTCLI_CONFIG", "SUPPORTCLI_LANG", "VISUAL", "EDITOR"):
        os.environ.pop(name, None)
    fuzzer = Fuzzer(random.Random(seed), home)
    signal.signal(signal.SIGALRM, _alarm)
    seen: Counter[str] = Counter()
    slowest = (0.0, "")
    keep = False
    try:
        _seed_home(fuzzer)
        for number in range(1, args.runs + 1):
            if fuzzer.rng.random() < 0.08:
                fuzzer.damage()
            name, argv, stdin = fuzzer.command()
            seen[name] += 1
            begun = time.perf_counter()
            signal.alarm(int(args.budget * 3) + 1)
            try:
                code, out, err = _run(argv, stdin)
                failure = ""
            except Timeout:
                code, out, err, failure = -1, "", "", "no answer in time"
            finally:
                signal.alarm(0)
            took = time.perf_counter() - begun
            slowest = max(slowest, (took, name))
            if not failure and "Something went wrong inside" in err:
                failure = "the catch-all line (an exception no code turned into a typed error)"
            elif not failure and "Traceback" in out + err:
                failure = "a traceback"
            elif not failure and code not in (0, 1, 2, 130):
                failure = f"exit status {code}"
            elif not failure and took > args.budget:
                failure = f"{took:.1f} s (budget {args.budget} s)"
            if failure:
                print(f"FAILED run {number} (seed {seed}): {name}: {failure}")
                print(f"  argv:  {argv!r}"[:2000])
                print(f"  stdin: {stdin!r}"[:500])
                for given in (Path(a) for a in argv if a.startswith(str(fuzzer.files))):
                    if given.is_file():
                        print(f"  {given.name}: {given.stat().st_size} bytes: {given.read_bytes()[:300]!r}")
                print(f"  stderr: {err.strip()[-1500:]}")
                print(f"  the home is kept: {home}")
                print(f"repeat with: python bench/fuzz.py --seed {seed} --runs {number}")
                keep = True
                return 1
            if (name == "config set" and code == 0) or fuzzer.rng.random() < 0.02:
                _run(["config", "reset", "--yes"], "")  # a setting that passed stays harmless, but start afresh
    finally:
        if not keep:
            shutil.rmtree(home, ignore_errors=True)
    print(f"{args.runs} runs, seed {seed}, none failed; slowest {slowest[0]:.2f} s ({slowest[1]})")
    for name, count in sorted(seen.items()):
        print(f"  {count:5d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`supportcli scan`: kind and line:column for each finding, never the secret; exit 1 when blocking."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from supportcli.core.guard import stream
from tests.conftest import Runner

SEED_LINES = ["bid", "physical", "draft", "gold", "trouble", "enrich", "measure", "kingdom", "orient",
              "stadium", "cradle", "behave"]
PASSWORD = "Hunter2!xyz"


def _secret_free(output: str) -> None:
    assert PASSWORD not in output
    assert "physical draft" not in output and "\nphysical\n" not in output


def test_text_file_with_secrets(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "message.md"
    path.write_text("# Ticket\n\nHi,\n" + "\n".join(f"{i}. {w}" for i, w in enumerate(SEED_LINES, 1))
                    + f"\nmy password is {PASSWORD}\n", encoding="utf-8")
    r = cli("scan", str(path))
    assert r.exit_code == 1
    assert f"{path}:4:4: recovery phrase" in r.stdout
    assert f"{path}:16:16: password" in r.stdout
    assert "2 secrets" in r.stdout and "new wallet" in r.stdout
    _secret_free(r.output)


def test_json_keys(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,amount,note\n1,5,ok\n2,7,2FA code 492039\n", encoding="utf-8")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data == {
        "file": str(path),
        "findings": [{"kind": "two_factor_code", "line": 3, "column": 14, "confidence": 0.9, "action": "block",
                      "part": None, "content_type": None}],
        "blocking": 1,
        "skipped_parts": 0,
    }
    assert "492039" not in r.stdout


def test_clean_file_exits_zero(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_text(json.dumps({"txid": "1b5b9ccb3e8d006a5230de9bda23ff91edc794d4f56410560830b418528e446c",
                                "order": 1234567890, "note": "I forgot my password"}), encoding="utf-8")
    r = cli("scan", str(path))
    assert r.exit_code == 0, r.output
    assert "No passwords" in r.stdout


def test_unsure_findings_warn_but_do_not_fail(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("0a7651ded856f511eb4616feed8b64ab5d9dfb032de4c1e42a6c186d7fa36451\n", encoding="utf-8")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["findings"][0]["action"] == "confirm"
    r = cli("scan", str(path))
    assert "may be secret" in r.stdout


def test_stdin_and_chinese(cli: Runner) -> None:
    r = cli("--lang", "zh", "scan", "-", input="你好\n验证码：492039\n")
    assert r.exit_code == 1
    assert "标准输入:2:5：2FA 验证码" in r.stdout
    assert "492039" not in r.output
    r = cli("scan", input="nothing secret here\n")
    assert r.exit_code == 0


def test_eml_parts_are_decoded(cli: Runner, tmp_path: Path) -> None:
    message = EmailMessage()
    message["Subject"] = "Re: ticket 4432123"
    message["From"] = "me@example.com"
    message.set_content(f"Hello,\nmy password is {PASSWORD}\n", cte="base64")
    message.add_attachment("API key: aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f\n", subtype="plain",
                           filename="keys.txt", cte="base64")
    message.add_attachment(b"\x89PNG\r\n", maintype="image", subtype="png", filename="shot.png")
    path = tmp_path / "reply.eml"
    path.write_bytes(bytes(message))
    assert PASSWORD.encode() not in path.read_bytes()  # only found after decoding
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [(f["kind"], f["part"], f["content_type"], f["line"]) for f in data["findings"]] == [
        ("password", 1, "text/plain", 2), ("api_key", 2, "text/plain", 1),
    ]
    assert data["skipped_parts"] == 1
    r = cli("scan", str(path))
    assert "[part 1, text/plain]:2:16: password" in r.stdout
    assert "Skipped 1 attachment" in r.stdout
    _secret_free(r.output)


def test_html_mail_part_and_html_file_read_tags_as_spaces(cli: Runner, tmp_path: Path) -> None:
    """A phrase pasted into an HTML mail arrives as `bid<br>physical…` or a list of `<li>` items."""
    words = SEED_LINES
    message = EmailMessage()
    message["Subject"] = "wallet"
    message["From"] = "me@example.com"
    message.set_content("See the HTML part.\n")
    message.add_alternative("<html><body><p>" + "<br>".join(words) + "</p></body></html>\n", subtype="html")
    path = tmp_path / "reply.eml"
    path.write_bytes(bytes(message))
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 1
    assert [(f["kind"], f["part"], f["content_type"]) for f in json.loads(r.stdout)["findings"]] == [
        ("seed_phrase", 2, "text/html"),
    ]
    page = tmp_path / "notes.html"
    page.write_text("<ol>" + "".join(f"<li>{w}</li>" for w in words) + "</ol>\n", encoding="utf-8")
    r = cli("scan", str(page), "--json")
    assert r.exit_code == 1
    assert [(f["kind"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]] == [
        ("seed_phrase", 1, len("<ol><li>") + 1),
    ]
    page.write_text("<p>Withdrawal&nbsp;18273645 is <b>pending</b> since 2026-11-20.</p>\n", encoding="utf-8")
    assert cli("scan", str(page)).exit_code == 0


def test_missing_file_and_folder_are_usage_errors(cli: Runner, tmp_path: Path) -> None:
    r = cli("scan", str(tmp_path / "nope.txt"))
    assert r.exit_code == 2 and "PATH" in r.stderr and "nope.txt" in r.stderr
    r = cli("scan", str(tmp_path))
    assert r.exit_code == 2 and "folder" in r.stderr


def test_large_file_is_streamed_with_exact_positions(tmp_path: Path) -> None:
    """A phrase one word per line across a chunk boundary is found once, at the right line."""
    path = tmp_path / "big.log"
    filler = "2026-11-27T00:00:00Z INFO order 1234567890 filled 0.01 BTC at 95000 tBTCUSD\n"
    lines_before = stream.CHUNK_CHARS // len(filler) - 5  # the phrase straddles the first chunk's end
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(lines_before):
            fh.write(filler)
        for word in SEED_LINES:
            fh.write(f"  {word}\n")
        for _ in range(3 * lines_before):
            fh.write(filler)
        fh.write(f"password: {PASSWORD}\n")
    with path.open(encoding="utf-8") as fh:
        findings = list(stream.scan_stream(fh))
    assert [(f.kind, f.line, f.column) for f in findings] == [
        ("seed_phrase", lines_before + 1, 3),
        ("password", 4 * lines_before + 13, 11),
    ]
    text = path.read_text(encoding="utf-8")
    assert text[findings[1].start:findings[1].end] == PASSWORD


def test_very_long_line_is_read_in_pieces(tmp_path: Path) -> None:
    path = tmp_path / "one-line.json"
    path.write_text("x" * (stream.MAX_LINE_CHARS * 3 + 10) + f' "password": "{PASSWORD}"', encoding="utf-8")
    with path.open(encoding="utf-8") as fh:
        (finding,) = list(stream.scan_stream(fh))
    assert (finding.line, finding.column) == (1, stream.MAX_LINE_CHARS * 3 + 10 + 15)


def test_json_escapes_are_read_as_what_they_stand_for(cli: Runner, tmp_path: Path) -> None:
    """An exported phrase joined with `\\n` or written as `\\uXXXX` is still found, at its real column."""
    path = tmp_path / "wallet-export.json"
    text = json.dumps({"note": "x", "mnemonic": "\n".join(SEED_LINES)}) + "\n" + json.dumps(
        {"zh": "黄 察 既 堵 氮 取 承 驱 红 腊 述 巴"}) + "\n"
    path.write_text(text, encoding="utf-8")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 1
    found = [(f["kind"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]]
    first_line = text.splitlines()[0]
    assert found == [("seed_phrase", 1, first_line.index("bid") + 1), ("seed_phrase", 2, 9)]


# Twelve wordlist words whose checksum is NOT valid: only the way they are written down says "phrase".
UNCHECKED = ["abandon", "ability", "able", "about", "above", "absent", "absorb", "abstract", "absurd", "abuse",
             "access", "accident"]


@pytest.mark.parametrize(("name", "text"), [
    ("note.json", json.dumps({"note": "\n".join(UNCHECKED)})),
    ("words.json", json.dumps({"words": " ".join(UNCHECKED)})),
    ("backup.json", json.dumps([{"title": "backup", "body": "\r\n".join(UNCHECKED)}])),
    ("list.html", "<p>note</p><ul>" + "".join(f"<li>{w}</li>" for w in UNCHECKED) + "</ul>"),
    ("lines.html", "<div>" + "<br>".join(UNCHECKED) + "</div>"),
])
def test_a_phrase_written_one_word_per_line_in_json_or_html_is_found(
        cli: Runner, tmp_path: Path, name: str, text: str) -> None:
    """An escaped line break or a block tag is a line break for a phrase's shape, and a quoted value
    after its label ("note": "abandon …) is introduced by the label, even when the label is a wordlist word."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 1, r.stdout
    assert [f["kind"] for f in json.loads(r.stdout)["findings"]] == ["seed_phrase"]


def test_twelve_wordlist_words_in_a_json_sentence_are_not_a_phrase(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"text": "Number help after can any number page before make sure you copy the correct"}),
                    encoding="utf-8")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["findings"] == []


def test_csv_with_a_transaction_hash_column(cli: Runner, tmp_path: Path) -> None:
    """A Reports movements export: its hashes are not keys; a key pasted into a note still is."""
    tx = "1b5b9ccb3e8d006a5230de9bda23ff91edc794d4f56410560830b418528e446c"
    path = tmp_path / "movements.csv"
    rows = ["ID,CURRENCY,STATUS,AMOUNT,DESTINATION_ADDRESS,TRANSACTION_ID,NOTE"]
    rows += [f"{9000 + i},BTC,COMPLETED,0.0{i},bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,{tx},"
             for i in range(1, 6)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["findings"] == []
    path.write_text("\n".join([*rows, f"9100,BTC,NOTE,0,-,-,private key {tx[::-1]}"]) + "\n", encoding="utf-8")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 1
    assert [(f["kind"], f["line"]) for f in json.loads(r.stdout)["findings"]] == [("hex_private_key", 7)]


@pytest.mark.parametrize("header", ["编号,币种,金额,目标地址,交易哈希,日期", "id,coin,amount,address,tx_hash,date",
                                    "编号,币种,金额,目标地址,交易ID,日期"])
def test_csv_hash_column_named_in_chinese_or_as_tx_hash(cli: Runner, tmp_path: Path, header: str) -> None:
    """Rows far below the header still count as hashes when the header names the column."""
    path = tmp_path / "export.csv"
    rows = [header] + [f"{i},BTC,0.1,bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,{i * 7919:064x},2026-11-20"
                       for i in range(1, 31)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = cli("--lang", "zh", "scan", str(path))
    assert r.exit_code == 0 and "未发现" in r.stdout and "私钥" not in r.stdout


@pytest.mark.parametrize("args", [["scan", "-"], ["scan", "--help"], ["verify-contact", "bitfinex.com"]])
def test_scan_and_verify_contact_do_not_load_prompt_libraries(args: list[str]) -> None:
    """Both run in scripts and pipes: no questionary / prompt_toolkit start-up cost."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        f"sys.argv = ['supportcli', *{args!r}]\n"
        "from supportcli.cli import main\n"
        "rc = main()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('questionary', 'prompt_toolkit'))\n"
        "print('LOADED=' + ','.join(bad), file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], input="2FA code 492039\n", capture_output=True, text=True,
                       timeout=60, check=False)
    assert "LOADED=\n" in r.stderr, r.stderr


@pytest.mark.parametrize(("name", "data"), [
    ("screenshot.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
    ("statement.pdf", b"%PDF-1.7\n1 0 obj\n"),
    ("export", b"ID,AMOUNT\n1,\x000.5\n"),
])
def test_a_picture_or_binary_file_is_never_called_clean(cli: Runner, tmp_path: Path, name: str, data: bytes) -> None:
    """A screenshot can show a recovery phrase; 'nothing found' would be false comfort."""
    path = tmp_path / name
    path.write_bytes(data)
    r = cli("scan", str(path))
    assert r.exit_code == 2
    assert "PATH" in r.stderr and "not a text file" in r.stderr and "No passwords" not in r.output
    r = cli("--lang", "zh", "scan", str(path), "--json")
    assert r.exit_code == 2 and "不是文本文件" in r.stderr and r.stdout == ""


def test_windows_unicode_text_is_read(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Notes 2026-11-20:\n" + "\n".join(SEED_LINES) + "\n", encoding="utf-16")
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 1
    assert [(f["kind"], f["line"]) for f in json.loads(r.stdout)["findings"]] == [("seed_phrase", 2)]


def test_inline_base64_picture_in_an_html_mail_is_not_a_secret(cli: Runner, tmp_path: Path) -> None:
    """Random base64 holds 'oTp' or '2Fa' every few kilobytes; that is no 2FA context."""
    import base64
    import random

    picture = base64.b64encode(random.Random(7).randbytes(300_000)).decode()
    message = EmailMessage()
    message["Subject"] = "screenshot of my 2FA settings page"
    message["From"] = "me@example.com"
    message.set_content("See the picture.\n")
    message.add_alternative(f'<p>My 2FA settings:</p><img src="data:image/png;base64,{picture}">\n', subtype="html")
    path = tmp_path / "shot.eml"
    path.write_bytes(bytes(message))
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["findings"] == []
    text = tmp_path / "pasted.txt"
    text.write_text("otp page screenshot:\n" + picture + "\n", encoding="utf-8")
    assert cli("scan", str(text)).exit_code == 0

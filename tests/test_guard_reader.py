"""The guard's one reader: encodings decided once, formats read as a person reads them, never 'clean'
for what it cannot read. `scan` goes through it; so will every door that stores a file."""

from __future__ import annotations

import json
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from supportcli.core.guard import reader
from supportcli.core.guard.stream import scan_source
from tests.conftest import Runner

SEED = "bid physical draft gold trouble enrich measure kingdom orient stadium cradle behave"
SEED_ZH = "黄 察 既 堵 氮 取 承 驱 红 腊 述 巴"
SEED_TW = "磚 嘴 磁 表 北 透 舊 跟 峰 鈉 廠 疫"


def _kinds(data: bytes, name: str) -> list[tuple[str, int, int]]:
    result = reader.read_bytes(data, name)
    assert isinstance(result, reader.Readable), result
    return [(f.finding.kind, f.finding.line, f.finding.column) for f in scan_source(result).findings]


@pytest.mark.parametrize(("encoding", "text"), [
    ("gbk", f"我的助记词：\n{SEED_ZH}\n"),
    ("gb18030", f"助记词 {SEED_ZH}\n"),
    ("big5", f"助記詞：\n{SEED_TW}\n"),
    ("utf-32", f"notes\n{SEED}\n"),
    ("utf-16-be", f"notes\n{SEED}\n"),
    ("utf-8-sig", f"notes\n{SEED}\n"),
])
def test_legacy_chinese_and_unicode_encodings_are_read(encoding: str, text: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert [k for k, _, _ in _kinds(data, "notes.txt")] == ["seed_phrase"]


@pytest.mark.parametrize("data", [b"caf\xe9\n", b"\x81\x0a\x82 broken", "é".encode("utf-16-le")[:1] + b"abc\xff\xfe"])
def test_bytes_no_encoding_can_read_are_unreadable_not_clean(data: bytes) -> None:
    assert reader.read_bytes(data, "note.txt") in (reader.Unreadable("encoding", "note.txt"),
                                                   reader.Unreadable("binary", "note.txt"))


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n....", "image"), (b"\xff\xd8\xff\xe0JFIF", "image"), (b"%PDF-1.7\n", "pdf"),
    (b"PK\x03\x04rest", "archive"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"), (b"text\x00with nul", "binary"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image"),
])
def test_binary_files_are_named_by_what_they_are(data: bytes, reason: str) -> None:
    assert reader.read_bytes(data, "upload") == reader.Unreadable(reason, "upload")


def test_json_escapes_nested_or_not_keep_their_columns() -> None:
    inner = json.dumps({"mnemonic": "\n".join(SEED.split())})
    text = json.dumps({"wrapped": inner}) + "\n"
    found = _kinds(text.encode(), "export.json")
    assert found == [("seed_phrase", 1, text.index("bid") + 1)]


def test_html_tags_entities_script_and_attribute_links() -> None:
    words = SEED.split()
    page = ("<html><head><style>p{color:red}</style><script>var k='" + "&#x41;" * 3 + "';</script></head><body>"
            + "<ul>" + "".join(f"<li>{w}</li>" for w in words) + "</ul>"
            + '<p>My&nbsp;password&nbsp;is&nbsp;<b>Hunter2!xyz</b></p>'
            + '<img alt="qr" src="https://api.qrserver.com/v1/create-qr-code/?data=otpauth%3A%2F%2Ftotp%2Fme%3Fsecret%3DJBSWY3DPEHPK3PXP">'
            + "</body></html>\n")
    found = _kinds(page.encode(), "saved.html")
    assert [k for k, _, _ in found] == ["seed_phrase", "password", "totp_secret"]
    assert found[0][2] == page.index("bid") + 1
    clean = ("<p>My password is</p><p>Reset it please</p>"
             "<script>var secret = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f';</script>")
    assert _kinds(clean.encode(), "page.htm") == []


def test_xml_is_read_like_html() -> None:
    doc = "<?xml version='1.0'?><wallet><words>" + "".join(f"<w>{w}</w>" for w in SEED.split()) + "</words></wallet>"
    assert [k for k, _, _ in _kinds(doc.encode(), "backup.xml")] == ["seed_phrase"]


def test_email_parts_decoded_each_by_its_charset_and_attachments_by_their_name() -> None:
    message = EmailMessage()
    message["Subject"] = "wallet"
    message["From"] = "me@example.com"
    message.set_content(f"我的助记词：{SEED_ZH}\n", charset="gb18030", cte="base64")
    message.add_attachment(json.dumps({"pw": "x", "password": "Hunter2!xyz"}).encode(), maintype="application",
                           subtype="octet-stream", filename="settings.json")
    message.add_attachment(f"<p>{'<br>'.join(SEED.split())}</p>", subtype="html", filename="notes.html",
                           cte="quoted-printable")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(200), maintype="image", subtype="png", filename="qr.png")
    inner = EmailMessage()
    inner["Subject"] = "forwarded"
    inner.set_content("2FA code 492039\n")
    message.add_attachment(inner)
    result = reader.read_bytes(bytes(message), "reply.eml")
    assert isinstance(result, reader.Readable)
    scanned = scan_source(result)
    assert [(f.part, f.finding.kind) for f in scanned.findings] == [
        (1, "seed_phrase"), (2, "password"), (3, "seed_phrase"), (5, "two_factor_code"),
    ]
    assert scanned.skipped == 1


def test_blocks_are_bounded_and_positions_exact_in_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    line = "2026-11-27 INFO order 1234567890 filled 0.01 BTC at 95000 tBTCUSD\n"
    count = 3 * reader.BLOCK_CHARS // len(line)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(line * count)
        fh.write("password: Hunter2!xyz\n")
    result = reader.read_path(path)
    assert isinstance(result, reader.Readable)
    (part,) = result.parts
    assert max(len(b) for b in part.blocks()) <= reader.BLOCK_CHARS + 4096
    (finding,) = scan_source(result).findings
    assert (finding.finding.line, finding.finding.column) == (count + 1, 11)


def test_scan_says_a_file_could_not_be_read_as_text(cli: Runner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("résumé: my seed is safe\ncaf\xe9\n".encode("latin-1"))
    r = cli("scan", str(path), "--json")
    assert r.exit_code == 2 and r.stdout == ""
    assert "could not be read as text" in r.stderr and "No passwords" not in r.output
    r = cli("--lang", "zh", "scan", str(path))
    assert r.exit_code == 2 and "无法把" in r.stderr


def test_scan_of_piped_bytes_decides_the_encoding_at_the_edge(tmp_path: Path) -> None:
    """`printf 'caf\\xe9' | supportcli scan -` says why, in one line, and no surrogate reaches an encoder."""
    code = "import sys; from supportcli.cli import main; raise SystemExit(main(['scan', '-']))"
    done = subprocess.run([sys.executable, "-c", code], input=b"caf\xe9", capture_output=True, timeout=60, check=False)
    assert done.returncode == 2 and b"Traceback" not in done.stderr and b"could not be read" in done.stderr
    done = subprocess.run([sys.executable, "-c", code], input=f"助记词 {SEED_ZH}\n".encode("gbk"),
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 1 and b"recovery phrase" in done.stdout


@pytest.mark.parametrize("text", ["BMW of the team said ok", "BZh? No idea what that is", "BM 12 words follow"])
def test_text_that_begins_like_a_magic_number_is_still_text(cli: Runner, tmp_path: Path, text: str) -> None:
    note = tmp_path / "note.txt"
    note.write_text(text + "\nabandon " * 11 + "about\n", encoding="utf-8")
    assert not isinstance(reader.read_path(note), reader.Unreadable)
    r = cli("scan", str(note), "--json")
    assert r.exit_code == 1, r.output  # read as text, so the phrase in it is found
    assert json.loads(r.stdout)["findings"][0]["kind"] == "seed_phrase"


def test_real_bmp_and_bzip2_headers_are_still_refused() -> None:
    bmp = b"BM" + (1234).to_bytes(4, "little") + bytes(4) + (54).to_bytes(4, "little") + bytes(40)
    bz2 = b"BZh9" + b"1AY&SY" + bytes(20)
    assert reader.sniff(bmp) == "image"
    assert reader.sniff(bz2) == "archive"

"""One reader for every file the guard must see: bytes and a name in, text to scan out (or why not).

    from supportcli.core.guard import reader
    result = reader.read_path(path)            # or read_bytes(data, name), read_stream(binary, name)
    if isinstance(result, reader.Unreadable):
        ...                                     # result.reason: "binary", "image", "pdf", "archive",
                                                #   "office", "encoding"; never treat it as clean
    else:
        for part in result.parts:               # a plain file is one part; an e-mail has several
            for block in part.blocks():         # text, about 64 KiB at a time
                ...

`supportcli.core.guard.stream.scan_source(result)` scans it all (what `scan` does); callers that
store files (`cases attach`, `cases bundle`, `faq import`) should call that, and refuse or ask when
it returns `Unreadable`.

Decoding is decided once, here, before anything is scanned: a byte-order mark (UTF-8, UTF-16 LE/BE,
UTF-32 LE/BE), else strict UTF-8, else strict GB18030 (which covers GBK and GB2312) or strict Big5
(Big5 bytes nearly always decode as GB18030 too: then the one whose text holds more common Chinese
characters wins); if none of them decodes every byte the file is `Unreadable("encoding")`. Undecodable bytes
never become replacement characters or surrogates. Binary files (NUL bytes without a UTF-16/32
mark; the magic numbers of pictures, PDF, archives and office files) are `Unreadable` too.

Every block a part yields has exactly the length and the line breaks of the decoded text it stands
for, so a finding's offset, line and column are those of the file as the user sees it:
- JSON (by name or content type): string escapes are read as what they stand for, nested escapes
  too (`\\n`, `\\\\n`, `\\u9ec4`), the character then padding spaces.
- HTML and XML: tags are blanked, block tags (`<p>`, `<br>`, `<li>`, `<div>`, `<tr>`…) to a record
  separator that ends a sentence, others to spaces; quoted attribute values stay where they are
  (a QR-code link in `<img src>`), inline `data:` pictures do not; entities are decoded in place;
  `<script>` and `<style>` content is blanked.
- CSV: a header naming a transaction-hash column gives the part `field_key="txid"`.
- E-mail (`.eml`): the subject is part 0; every leaf part is decoded from base64 or
  quoted-printable and read by its charset (or, failing that, by the rules above) and by its type or
  attachment name with these same rules; parts that are not text (pictures, PDFs) are counted in
  `skipped`.

Files are read in blocks, so a 10 MB file is never held whole (e-mail parts are decoded one at a
time by the stdlib `email` package).
"""

from __future__ import annotations

import codecs
import functools
import io
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from supportcli.core.guard.normalize import RECORD_SEPARATOR

BLOCK_CHARS = 1 << 16
_SNIFF_BYTES = 8192
MAX_NESTING = 5  # e-mails inside e-mails
_CARRY_LIMIT = 4096  # an unclosed tag or escape longer than this is read as text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
FALLBACK_ENCODINGS = ("utf-8", "gb18030", "big5")
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image"), (b"\xff\xd8\xff", "image"), (b"GIF87a", "image"), (b"GIF89a", "image"),
    (b"II*\x00", "image"), (b"MM\x00*", "image"), (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "archive"), (b"PK\x05\x06", "archive"), (b"\x1f\x8b", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!\x1a\x07", "archive"), (b"\xfd7zXZ\x00", "archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"), (b"SQLite format 3\x00", "binary"), (b"\x7fELF", "binary"),
)
_BINARY_SUFFIXES = {
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image", ".webp": "image", ".heic": "image",
    ".bmp": "image", ".tif": "image", ".tiff": "image", ".pdf": "pdf", ".zip": "archive", ".gz": "archive",
    ".7z": "archive", ".rar": "archive", ".xlsx": "office", ".xls": "office", ".docx": "office", ".doc": "office",
    ".mp4": "binary", ".mov": "binary",
}
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_MARKUP_SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".svg")
_TEXT_APPLICATION_TYPES = ("json", "xml", "csv", "x-yaml", "yaml", "x-ndjson", "xhtml+xml")


@dataclass(frozen=True)
class Unreadable:
    """The input cannot be read as text: `reason` is one of binary, image, pdf, archive, office, encoding."""

    reason: str
    name: str


@dataclass
class TextPart:
    """One text to scan: a whole file, or one part of an e-mail (`number` 0 is its subject)."""

    number: int | None
    content_type: str | None
    blocks: Callable[[], Iterator[str]]
    field_key: str | None = None


@dataclass
class Readable:
    parts: list[TextPart]
    skipped: int = 0  # e-mail parts that are not text
    encoding: str = "utf-8"
    _keep: list[object] = field(default_factory=list, repr=False)  # spooled copies kept open


# --------------------------------------------------------------------------- sniffing and decoding

def sniff(head: bytes, name: str = "") -> str | None:
    """Why these first bytes (and this name) are not text, or None when they may be."""
    for magic, reason in _MAGIC:
        if head.startswith(magic):
            return reason
    # Two-letter and three-letter magic numbers begin ordinary words too ("BMW …", "BZh…"): a BMP
    # also has its reserved bytes zero, a bzip2 stream its block size and block signature.
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":
        return "image"
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
        return "archive"
    if head[8:12] in (b"WEBP", b"WAVE", b"AVI ") and head.startswith(b"RIFF"):
        return "image" if head[8:12] == b"WEBP" else "binary"
    if head[4:8] == b"ftyp":
        return "image" if head[8:12] in (b"heic", b"heix", b"mif1") else "binary"
    suffix = Path(name).suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        return _BINARY_SUFFIXES[suffix]
    if b"\x00" in head and not any(head.startswith(bom) for bom, _ in _BOMS):
        return "binary"
    return None


def _decodes(binary: IO[bytes], encoding: str) -> bool:
    binary.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        while block := binary.read(BLOCK_CHARS):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    finally:
        binary.seek(0)
    return True


def detect_encoding(binary: IO[bytes]) -> str | None:
    """The encoding of a seekable byte stream (see the module docstring), or None."""
    binary.seek(0)
    head = binary.read(4)
    binary.seek(0)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding if _decodes(binary, encoding) else None
    if _decodes(binary, "utf-8"):
        return "utf-8"
    chinese = [encoding for encoding in FALLBACK_ENCODINGS[1:] if _decodes(binary, encoding)]
    if len(chinese) == 2:  # Big5 bytes are nearly always valid GB18030 too: keep the one that reads
        return max(chinese, key=lambda encoding: _common_characters(binary, encoding))
    return chinese[0] if chinese else None


def _common_characters(binary: IO[bytes], encoding: str) -> int:
    """How many of the first characters are common Chinese ones (the BIP39 Chinese wordlists' 4,000)."""
    from supportcli.core.guard.bip39 import CHINESE, wordlists

    index = wordlists()
    common = {w for w in index.words if len(w) == 1 and set(index.lookup(w) or ()) & set(CHINESE)}
    binary.seek(0)
    sample = binary.read(BLOCK_CHARS).decode(encoding, errors="ignore")
    binary.seek(0)
    return sum(1 for ch in sample if ch in common)


def decode_bytes(data: bytes) -> str | None:
    """Small bytes decoded by the same rules, or None when they are not text."""
    binary = io.BytesIO(data)
    if sniff(data[:_SNIFF_BYTES]) is not None:
        return None
    encoding = detect_encoding(binary)
    return data.decode(encoding) if encoding else None


# --------------------------------------------------------------------------- formats (length-preserving)

def _lazy(pattern: str) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled on first use: plain text never needs those of JSON and markup."""
    return functools.cache(lambda: re.compile(pattern))


# JSON escapes, nested ones too: a run of backslashes before the escaped letter reads as one escape.
_JSON_ESCAPE = _lazy(r"\\+(?:u([0-9a-fA-F]{4})|([nrtbf/\"']))")
_JSON_TAIL = _lazy(r"\\+(?:u[0-9a-fA-F]{0,3})?$")


def _json_unescape(piece: str) -> str:
    def replace(m: re.Match[str]) -> str:
        width = len(m.group())
        if m.group(1) is not None:
            ch = chr(int(m.group(1), 16))
            ch = ch if ch.isprintable() else " "
        else:
            escaped = {"n": RECORD_SEPARATOR, "r": RECORD_SEPARATOR, "t": " ", "b": " ", "f": " "}
            ch = escaped.get(m.group(2), m.group(2))
        return ch + " " * (width - 1)

    return _JSON_ESCAPE().sub(replace, piece)


_BLOCK_TAGS = frozenset({
    "p", "br", "li", "ul", "ol", "div", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "section", "article", "header", "footer", "hr", "dt", "dd", "title", "body", "html", "head", "form",
    "option",
})
_TAG = _lazy(r"<(/?)([A-Za-z][\w:.-]*)?[^<>]*>|<!--|-->|<!\[CDATA\[|\]\]>")
_ATTR_VALUE = _lazy(r"=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = _lazy(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_DATA_URI = _lazy(r"data:[\w.+-]+/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[A-Za-z0-9+/=\s]*")
_OPEN_TAIL = _lazy(r"<[A-Za-z!/?][^<>]*$")


def _blank(text: str, fill: str = " ") -> str:
    return "".join(ch if ch == "\n" else fill for ch in text)


class _Markup:
    """HTML/XML read block by block; state carries an unclosed <script>/<style> across blocks."""

    def __init__(self) -> None:
        self.skip_until: str | None = None

    def _tag(self, m: re.Match[str]) -> str:
        whole = m.group()
        if not whole.startswith("<") or whole.startswith(("<!--", "<![CDATA[")):
            return " " * len(whole)
        name = (m.group(2) or "").lower()
        out = list(_blank(whole, RECORD_SEPARATOR if name in _BLOCK_TAGS else " "))
        for value in _ATTR_VALUE().finditer(whole):
            group = 1 if value.group(1) is not None else 2
            start, end = value.start(group), value.end(group)
            kept = _DATA_URI().sub(lambda d: " " * len(d.group()), _entities(whole[start:end]))
            out[start:end] = kept
        if not m.group(1) and name in ("script", "style") and not whole.endswith("/>"):
            self.skip_until = f"</{name}"
        return "".join(out)

    def feed(self, text: str) -> str:
        out: list[str] = []
        pos = 0
        while pos < len(text):
            if self.skip_until is not None:
                end = text.lower().find(self.skip_until, pos)
                if end < 0:
                    out.append(_blank(text[pos:]))
                    return "".join(out)
                out.append(_blank(text[pos:end]))
                pos = end
                self.skip_until = None
            m = _TAG().search(text, pos)
            if m is None:
                out.append(_entities(text[pos:]))
                break
            out.append(_entities(text[pos:m.start()]))
            out.append(self._tag(m))
            pos = m.end()
        return "".join(out)


def _entities(piece: str) -> str:
    if "&" not in piece:
        return piece
    import html

    def replace(m: re.Match[str]) -> str:
        decoded = html.unescape(m.group())
        if decoded == m.group() or len(decoded) > len(m.group()):
            return m.group()
        decoded = "".join(ch if ch.isprintable() else " " for ch in decoded).replace("\xa0", " ")
        return decoded + " " * (len(m.group()) - len(decoded))

    return _ENTITY().sub(replace, piece)


def _blocks(fh: IO[str], kind: str) -> Iterator[str]:
    """Blocks of the decoded text, cut after a line break, transformed for its format (same length)."""
    carry = ""
    markup = _Markup() if kind == "markup" else None
    while True:
        piece = fh.read(BLOCK_CHARS)
        text = carry + piece
        carry = ""
        if piece:
            cut = text.rfind("\n") + 1 or len(text)
            tail = text[cut:]
            if kind == "json":
                held = _JSON_TAIL().search(tail)
                tail = tail[held.start():] if held and len(tail) - held.start() < _CARRY_LIMIT else ""
            elif kind == "markup":
                held = _OPEN_TAIL().search(tail)
                tail = tail[held.start():] if held and len(tail) - held.start() < _CARRY_LIMIT else ""
            else:
                tail = tail if len(tail) < _CARRY_LIMIT and cut else ""
            carry = tail
            text = text[:len(text) - len(tail)]
        if text:
            if kind == "json":
                text = _json_unescape(text)
            elif markup is not None:
                text = markup.feed(text)
            yield text
        if not piece:
            return


def csv_field_key(header: str) -> str | None:
    """"txid" when a CSV header names a transaction-hash column (TRANSACTION_ID, tx_hash, 交易哈希)."""
    return "txid" if re.search(r"tx|hash|transaction|哈希|交易\s*(?:id|号|编号)", header, re.IGNORECASE) else None


def _kind(name: str, content_type: str | None) -> str:
    suffix = Path(name).suffix.lower()
    subtype = (content_type or "").split("/")[-1]
    if suffix in _JSON_SUFFIXES or subtype in ("json", "x-ndjson"):
        return "json"
    if suffix in _MARKUP_SUFFIXES or subtype in ("html", "xhtml+xml", "xml"):
        return "markup"
    return "text"


def _text_part(binary: IO[bytes], encoding: str, name: str, number: int | None,
               content_type: str | None) -> TextPart:
    kind = _kind(name, content_type)
    field_key = None
    if Path(name).suffix.lower() in (".csv", ".tsv") or (content_type or "").endswith("csv"):
        binary.seek(0)
        header = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            field_key = csv_field_key(header.readline(BLOCK_CHARS))
        finally:
            header.detach()

    def blocks() -> Iterator[str]:
        binary.seek(0)
        fh = io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline="")
        try:
            yield from _blocks(fh, kind)
        finally:
            fh.detach()

    return TextPart(number, content_type, blocks, field_key)


# --------------------------------------------------------------------------- entry points

def read_stream(binary: IO[bytes], name: str = "", *, content_type: str | None = None) -> Readable | Unreadable:
    """Read a byte stream (a file, or standard input: copied to a spooled file first when not seekable)."""
    keep: list[object] = []
    if not binary.seekable():
        spool = tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115 - kept open with the result
        while block := binary.read(BLOCK_CHARS):
            spool.write(block)
        spool.seek(0)
        keep.append(spool)
        binary = spool
    head = binary.read(_SNIFF_BYTES)
    binary.seek(0)
    if Path(name).suffix.lower() == ".eml" or (content_type or "").startswith("message/rfc822"):
        return _read_email(binary, name, depth=0)
    reason = sniff(head, name)
    if reason is not None:
        return Unreadable(reason, name)
    encoding = detect_encoding(binary)
    if encoding is None:
        return Unreadable("encoding", name)
    return Readable([_text_part(binary, encoding, name, None, content_type)], encoding=encoding, _keep=keep)


def read_bytes(data: bytes, name: str = "", *, content_type: str | None = None) -> Readable | Unreadable:
    return read_stream(io.BytesIO(data), name, content_type=content_type)


def read_path(path: Path) -> Readable | Unreadable:
    """Read a file by path (raises OSError for a missing or unreadable file, as `open` does)."""
    fh = path.open("rb")
    result = read_stream(fh, path.name)
    if isinstance(result, Readable):
        result._keep.append(fh)
    else:
        fh.close()
    return result


def _read_email(binary: IO[bytes], name: str, *, depth: int) -> Readable | Unreadable:
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parse(binary)
    subject = str(message.get("Subject", "") or "")
    parts = [TextPart(0, "subject", lambda: iter([subject]) if subject else iter(()))]
    skipped = 0
    number = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        number += 1
        content_type = part.get_content_type()
        filename = part.get_filename() or ""
        maintype, subtype = content_type.split("/", 1)
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if content_type == "message/rfc822" and depth < MAX_NESTING:
            inner = _read_email(io.BytesIO(data), filename, depth=depth + 1)
            if isinstance(inner, Readable):
                parts.extend(TextPart(number, p.content_type, p.blocks, p.field_key) for p in inner.parts)
                skipped += inner.skipped
            else:
                skipped += 1
            continue
        textual = maintype == "text" or subtype in _TEXT_APPLICATION_TYPES
        if not textual and not filename:
            skipped += 1
            continue
        if sniff(data[:_SNIFF_BYTES], filename) is not None:
            skipped += 1
            continue
        charset = part.get_content_charset()
        encoding = None
        if charset:
            try:
                data.decode(charset)
                encoding = charset
            except (LookupError, UnicodeDecodeError):
                encoding = None
        binary_part = io.BytesIO(data)
        encoding = encoding or detect_encoding(binary_part)
        if encoding is None:
            skipped += 1
            continue
        parts.append(_text_part(binary_part, encoding, filename, number, content_type))
    return Readable(parts, skipped)

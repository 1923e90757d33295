"""The one gate between what a user gives and the disk: every text supportcli stores passes the secret
guard here first, by the same functions, whichever command stores it.

    guard_text(field, text)          a value: a setting, a logged reply, a resolution, an answer
    tree_secret(data)                the first secret among the strings of a TOML/JSON value, with
                                     its key (a settings file, a saved session)
    check_file(name, data)           a file's bytes, read exactly as `supportcli scan` reads them
                                     (`guard.reader` + `guard.stream.scan_source`): an attachment,
                                     each member of an evidence bundle
    first_secret(**fields)           why a record stored at once (an imported article) cannot be kept
    decode_input(data, field)        bytes a user piped or pointed at (`cases log -`, `--file`),
                                     decoded once with the reader's encoding detection, or refused
    decode_arguments(args)           the command line, decided the same way (cli.py)
    echoable(value)                  a typed value safe to say back in an error (cut, never a secret)

A blocking finding raises `SecretFoundError` naming the field (or the file and its line) and the
kind of secret, never the value. A file the guard cannot read as text (a picture, a PDF, bytes in
an unknown encoding) is never called clean: `check_file` says so (`FileCheck.unreadable`) and the
caller refuses it or asks the user, who has to look at it themselves.

Drafts have a finer check of their own (`drafts.service.guard_draft`: the program's headings never
complete a phrase with the user's words); the FAQ import and the records import screen what they
store with the same guard (`faq.importer`, `records.screen`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from supportcli.core.errors import InputError

if TYPE_CHECKING:
    from supportcli.core.guard.secrets import Finding


def guard_text(
    field: str, text: str, *, field_type: str | None = None, confirmed: bool = False, message_key: str | None = None,
) -> None:
    """Refuse text holding a secret: SecretFoundError names the field and the kind, never the secret.

    A value that only might be a secret (say a lone 64-hex string) is refused too unless `confirmed`.
    `message_key` replaces the refusal's message (it gets `field`, `kind`, `advice`, `line`, `column`).
    """
    if not text.strip():
        return
    from supportcli.core.guard.secrets import SecretFoundError, check_answer

    try:
        check_answer(field, text, field_type=field_type, confirmed=confirmed)
    except SecretFoundError as refused:
        if message_key is not None:
            refused.key = message_key
        raise


def _strings(data: Any) -> Iterator[tuple[str, str]]:
    """Every string in a TOML/JSON value with its key path (`answers.subject`, `tags[2]`), without recursion."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend((f"{where}.{key}" if where else str(key), value) for key, value in reversed(item.items()))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", value) for i, value in reversed(list(enumerate(item))))


def tree_secret(data: Any) -> tuple[str, Finding] | None:
    """The first string of `data` that certainly holds a secret, as (its key path, the finding); None if none.

    Only blocking findings count: a stored file may rightly hold a transaction hash.
    """
    from supportcli.core.guard.secrets import blocking, scan_text

    for where, text in _strings(data):
        if not text.strip():
            continue
        found = blocking(scan_text(text, field_key=where.rsplit(".", 1)[-1]))
        if found:
            return where, found[0]
    return None


def first_secret(**fields: str) -> str | None:
    """Why the first of `fields` that certainly holds a secret cannot be stored (a sentence naming the
    field and the kind, never the value), or None: for whole records stored at once (an imported article)."""
    found = tree_secret(fields)
    if found is None:
        return None
    from supportcli.core.guard.secrets import kind_label
    from supportcli.core.i18n import t

    where, finding = found
    return t("errors.stored_secret", field=where, kind=kind_label(finding.kind), line=finding.line)


@dataclass(frozen=True)
class FileCheck:
    """What the guard could see of a file that holds no secret it could read."""

    unreadable: str | None = None  # the reader's reason (image, pdf, archive, office, binary, encoding)
    skipped: int = 0  # parts of an e-mail that are not text (pictures, PDFs)

    @property
    def complete(self) -> bool:
        """The guard read all of it: nothing in it is left for the user to look at."""
        return self.unreadable is None and not self.skipped


def check_file(name: str, data: bytes, *, content_type: str | None = None) -> FileCheck:
    """Read `data` as `scan` does and refuse it (SecretFoundError, `errors.file_secret`, naming `name`
    and the line) when any part holds a secret; else say how much of it the guard could read."""
    from supportcli.core.guard import reader
    from supportcli.core.guard.secrets import Action, SecretFoundError
    from supportcli.core.guard.stream import scan_source

    result = reader.read_bytes(data, name, content_type=content_type)
    if isinstance(result, reader.Unreadable):
        return FileCheck(unreadable=result.reason)
    try:
        scanned = scan_source(result)
    except (UnicodeError, LookupError, ValueError):
        return FileCheck(unreadable="encoding")
    blocked = [item.finding for item in scanned.findings if item.finding.action is Action.BLOCK]
    if blocked:
        refused = SecretFoundError(name, blocked)
        refused.key = "errors.file_secret"  # says what to do with a file, not "answer again"
        raise refused
    return FileCheck(skipped=scanned.skipped)


def decode_input(data: bytes | str, field: str) -> str:
    """Text a user gave as bytes (standard input, `--file`), decoded by the reader's rules (a BOM, else
    strict UTF-8, GB18030 or Big5); InputError naming `field` when it is not text.

    A `str` that Python decoded with `surrogateescape` (the command line, standard input in the C
    locale) carries the bytes it could not decode as surrogates: they are turned back into those bytes
    and decoded by the same rules, so no surrogate ever reaches an encoder. The file's name plays no
    part: an `.eml` or `.html` given as the text of a log entry is the text it holds."""
    from supportcli.core.guard import reader

    if isinstance(data, str):
        try:
            data.encode("utf-8")
            return data.removeprefix("\ufeff")  # a byte-order mark is never part of the text
        except UnicodeEncodeError:
            try:
                data = data.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:  # surrogates that stand for no byte
                raise InputError(field, "", "errors.input_not_decodable") from None
    result = reader.read_bytes(data)
    if isinstance(result, reader.Readable):
        return data.decode(result.encoding)
    if result.reason == "encoding":
        raise InputError(field, "", "errors.input_not_decodable")
    try:  # text that merely starts like a picture's magic number ("BM…", "BZh…") is still text
        if b"\x00" not in data:
            return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raise InputError(field, "", "errors.input_not_text")


def decode_arguments(args: list[str]) -> list[str]:
    """The command line with every argument Python could not decode (its bytes kept as surrogates)
    decoded by the reader's rules, or refused naming it: nothing undecodable gets any further."""
    decoded = []
    for number, arg in enumerate(args, start=1):
        if "\x00" in arg:  # a real command line cannot hold one; a caller of main() can
            raise InputError(f"argument {number}", "", "errors.input_nul")
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            arg = decode_input(arg, f"argument {number}")
        decoded.append(arg)
    return decoded


def echoable(value: str, limit: int = 40) -> str:
    """A value the user typed, safe to say back in an error ("'…' is not a case id"): cut to `limit`
    characters, and never a secret (an id mistyped as a recovery phrase is not printed back)."""
    from supportcli.core.text import clean

    text = clean(value, multiline=False)
    if len(text) > 11:  # shorter than any phrase or key the guard would block
        from supportcli.core.guard.secrets import blocking, scan_text
        from supportcli.core.i18n import t

        if blocking(scan_text(text)):
            return t("errors.hidden_value")
    return text if len(text) <= limit else text[:limit] + "…"

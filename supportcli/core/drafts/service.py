"""Building a draft from a flow's result (pure) and saving it (private, atomic, never overwriting).

Other parts call exactly these:

    build_draft(pack, flow, result, *, lang, timezone, sender_name, sender_email, bilingual=False, now=None)
    save_draft(draft, paths, *, formats=("ticket", "email"), output_dir=None) -> SavedDraft
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from supportcli.core.drafts.collect import Collected, collect, subject_of
from supportcli.core.drafts.formats import parse_formats
from supportcli.core.drafts.mail import email_body, email_bytes, mailto_link, message_id
from supportcli.core.drafts.model import Draft, DraftInfo, SavedDraft
from supportcli.core.drafts.sidecar import public_of, records_of, sidecar_data
from supportcli.core.drafts.sourced import rows_by_kind, rows_csv_text
from supportcli.core.drafts.store import EMAIL_SUFFIX, SIDECAR_SUFFIX, TICKET_SUFFIX, make_id, records_csv_name
from supportcli.core.drafts.templates import CATEGORIES, FALLBACK_CATEGORY, load_template
from supportcli.core.drafts.ticket import ticket_markdown
from supportcli.core.errors import StorageError, UsageError
from supportcli.core.flows.model import AnswerValue, Flow, FlowResult
from supportcli.core.i18n import LANGUAGES, Lang, t
from supportcli.core.pack import Pack
from supportcli.core.paths import AppPaths, expand_user
from supportcli.core.text import clean, slugify

__all__ = [
    "Draft", "DraftSecretError", "SavedDraft", "build_draft", "export_draft", "guard_draft", "load_draft",
    "parse_formats", "rebuild_texts", "rewrite_saved", "save_draft",
]

SLUG_LENGTH = 24
MAX_SLUG_WITH_ID = 48  # the category and the first id, kept whole or not at all
MAX_SUFFIX = 999


class DraftSecretError(UsageError):
    """The guard found a secret in the draft: nothing is written or shown (exit 2). Names the kind only."""

    key = "drafts.guard_blocked"


# --------------------------------------------------------------------------- building

def _category(flow: Flow | None, answers: dict[str, AnswerValue]) -> str:
    chosen = answers.get("category")
    if (flow is None or flow.category == FALLBACK_CATEGORY) and isinstance(chosen, str) and chosen in CATEGORIES:
        return chosen
    if flow is not None and flow.category:
        return flow.category
    return FALLBACK_CATEGORY


def _field_types(flow: Flow | None, answers: dict[str, AnswerValue]) -> dict[str, str]:
    types: dict[str, str] = {}
    for key, value in answers.items():
        step = flow.question(key) if flow else None
        if step is not None:
            types[key] = step.type
        elif isinstance(value, bool):
            types[key] = "confirm"
        elif isinstance(value, int):
            types[key] = "integer_id"
        else:
            types[key] = "multiline" if isinstance(value, str) and "\n" in value else "text"
    return types


def _clean_answers(answers: dict[str, AnswerValue], types: dict[str, str]) -> dict[str, AnswerValue]:
    out: dict[str, AnswerValue] = {}
    for key, value in answers.items():
        if isinstance(value, str):
            value = clean(value, multiline=types.get(key) == "multiline").strip()
        out[key] = value
    return out


def _reports_url(pack: Pack) -> str:
    for channel in pack.manifest.channels:
        if channel.kind == "reports" and channel.official:
            return channel.value
    return ""


def _languages(lang: Lang, bilingual: bool) -> list[Lang]:
    return [lang, *(other for other in LANGUAGES if other != lang)] if bilingual else [lang]


def build_draft(
    pack: Pack, flow: Flow | None, result: FlowResult, *, lang: Lang, timezone: str,
    sender_name: str, sender_email: str, bilingual: bool = False, now: dt.datetime | None = None,
) -> Draft:
    """The ticket and email for a flow's result, in `lang` (and the other language with `bilingual`).

    No files are written; the id is given when the draft is saved.
    """
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    types = _field_types(flow, result.answers)
    answers = _clean_answers(result.answers, types)
    category = _category(flow, answers)
    template = load_template(pack, category)
    parts = [
        collect(
            template=template, flow=flow, answers=answers, field_types=types, tried=list(result.tried),
            lang=part_lang, timezone=timezone, exchange=pack.manifest.name_in(part_lang),
            support_email=pack.manifest.support.email, reports_url=_reports_url(pack),
            ticket_url=pack.manifest.support.ticket_url, records=result.records, public=result.public,
        )
        for part_lang in _languages(lang, bilingual)
    ]
    name = clean(sender_name, multiline=False).strip()
    return Draft(
        flow_id=flow.id if flow else result.flow_id,
        category=template.id,
        subject=subject_of(parts),
        lang=lang,
        created=created,
        timezone=timezone,
        ticket_markdown=ticket_markdown(parts),
        email_body=email_body(parts, name),
        answers=answers,
        field_types=types,
        tried=list(result.tried),
        tried_text=parts[0].tried,
        to=pack.manifest.support.email,
        sender_name=name,
        sender_email=sender_email.strip(),
        pack_id=pack.id,
        bilingual=bilingual,
        send_hint=parts[0].send,
        records=list(result.records),
        public=list(result.public),
    )


def rebuild_texts(draft: Draft, parts: list[Collected]) -> Draft:
    """The draft with its ticket, email and subject rendered again from `parts`."""
    draft.subject = subject_of(parts)
    draft.ticket_markdown = ticket_markdown(parts)
    draft.email_body = email_body(parts, draft.sender_name)
    return draft


# --------------------------------------------------------------------------- the guard

def _allowed_spans(text: str, values: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for value in values:
        if len(value) < 8:
            continue
        start = text.find(value)
        while start != -1:
            spans.append((start, start + len(value)))
            start = text.find(value, start + 1)
    return spans


def guard_draft(draft: Draft, *texts: str) -> None:
    """Scan the draft's texts (and any exact bytes about to be written, decoded) with the secret guard.

    A transaction hash or address the user gave in its own field is not a key; anything else the
    guard blocks raises DraftSecretError naming the kind, never the secret.
    """
    from supportcli.core.guard.secrets import blocking, kind_label, scan_text, template_spans

    # The sender comes from the settings: a secret there is named by its setting, not by a line.
    for setting, value in (("name", draft.sender_name), ("email", draft.sender_email)):
        for finding in blocking(scan_text(value, field_type="text")) if value.strip() else []:
            raise DraftSecretError("errors.config_secret_in_draft", field=setting, kind=kind_label(finding.kind))
    known = [
        str(value) for key, value in draft.answers.items()
        if draft.field_types.get(key) in ("txhash", "address") and isinstance(value, str)
    ]
    # The same for a cited row's own address and transaction hash (the records' guard read them on import).
    known += [row.field(name) for row in draft.records for name in ("address", "tx_id") if row.field(name)]
    # Headings and labels are not the user's words: they never complete a recovery phrase with them
    # (unless the user edited the text by hand, when everything is read as theirs).
    typed = [value for value in draft.answers.values() if isinstance(value, str)]
    for text in (draft.subject, draft.ticket_markdown, draft.email_body, *texts):
        spans = _allowed_spans(text, known)
        template = [] if draft.edited else template_spans(text, typed)
        for finding in blocking(scan_text(text, template_spans=template)):
            if any(start <= finding.start and finding.end <= end for start, end in spans):
                continue
            raise DraftSecretError(kind=kind_label(finding.kind), line=finding.line, column=finding.column)


def eml_text(eml: bytes) -> str:
    """The message as a reader sees it: headers decoded, body decoded from quoted-printable."""
    import email
    from email.policy import default

    msg = email.message_from_bytes(eml, policy=default)
    head = "\n".join(f"{name}: {value}" for name, value in msg.items())
    body = msg.get_content() if not msg.is_multipart() else ""
    return f"{head}\n\n{body}"


# --------------------------------------------------------------------------- saving

def _slug(draft: Draft) -> str:
    """ASCII and short: the category and the first id for a known category, else the subject's words."""
    category = slugify(draft.category, fallback="draft")
    if draft.category == FALLBACK_CATEGORY:
        words = slugify(draft.subject, max_length=200, fallback=category)
        if len(words) > SLUG_LENGTH:
            cut = words[: SLUG_LENGTH + 1].rsplit("-", 1)[0]
            words = cut if len(cut) >= SLUG_LENGTH // 2 else words[:SLUG_LENGTH].rstrip("-")
        return words
    first_id = next(
        (v for k, v in draft.answers.items()
         if draft.field_types.get(k) == "integer_id" and isinstance(v, int) and not isinstance(v, bool)),
        None,
    )
    category = slugify(draft.category, max_length=SLUG_LENGTH, fallback="draft")
    if first_id is None or len(f"{category}-{first_id}") > MAX_SLUG_WITH_ID:
        return category
    return f"{category}-{first_id}"  # whole: a cut number (13105 of 13105603) would point at another one


def _write_set(
    draft: Draft, *, sidecar_dir: Path, files_dir: Path, formats: tuple[str, ...], private_files: bool,
    root: Path | None = None,
) -> SavedDraft:
    """Write the sidecar (first: it reserves the id) and the chosen files, never replacing a file.

    If any write fails, what this call wrote is removed and the StorageError is raised: the caller
    still holds the whole draft and can offer another folder.
    """
    import tomli_w

    from supportcli.core.storage import atomic_write, exists

    formats = parse_formats(formats)
    base = make_id(draft.created, _slug(draft))
    rows = rows_by_kind(draft.records)
    for n in range(1, MAX_SUFFIX + 1):
        draft_id = base if n == 1 else f"{base}-{n}"
        sidecar = sidecar_dir / f"{draft_id}{SIDECAR_SUFFIX}"
        ticket = files_dir / f"{draft_id}{TICKET_SUFFIX}" if "ticket" in formats else None
        email = files_dir / f"{draft_id}{EMAIL_SUFFIX}" if "email" in formats else None
        tables = {files_dir / records_csv_name(draft_id, kind): rows_csv_text(found) for kind, found in rows.items()}
        if any(p is not None and exists(p) for p in (sidecar, ticket, email, *tables)):
            continue
        draft.id = draft_id
        msg_id = message_id(draft)
        eml = email_bytes(draft, msg_id)
        mailto = mailto_link(draft.to, draft.subject, draft.email_body,
                             cut_note=_mailto_cut_note(draft, email or ticket or sidecar))

        def stored(path: Path | None) -> str:
            if path is None:
                return ""
            return path.name if path.parent == sidecar_dir else str(path.resolve())

        files = {k: v for k, v in (("ticket", stored(ticket)), ("email", stored(email))) if v}
        sidecar_text = tomli_w.dumps(
            sidecar_data(draft, status="unsent", files=files, msg_id=msg_id, mailto=mailto,
                         records_csv=[stored(path) for path in tables]),
            multiline_strings=True,
        )
        guard_draft(draft, eml_text(eml), sidecar_text, *tables.values())
        try:
            atomic_write(sidecar, sidecar_text, exclusive=True, private_dir=root is not None, root=root)
        except StorageError as exc:
            if exc.key == "errors.exists":
                continue  # another draft took this name in the same second
            raise
        written: list[Path] = [sidecar]
        try:
            if ticket is not None:
                atomic_write(ticket, draft.ticket_markdown, exclusive=True, private_dir=private_files,
                             root=root if private_files else None)
                written.append(ticket)
            if email is not None:
                atomic_write(email, eml, exclusive=True, private_dir=private_files,
                             root=root if private_files else None)
                written.append(email)
            for path, text in tables.items():  # only the rows the ticket cites, never the history
                atomic_write(path, text, exclusive=True, private_dir=private_files)
                written.append(path)
        except StorageError:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        return SavedDraft(id=draft_id, ticket=ticket, email=email, sidecar=sidecar, mailto=mailto,
                          records_csv=list(tables))
    raise StorageError("errors.exists", path=str(sidecar_dir / f"{base}-{MAX_SUFFIX}{SIDECAR_SUFFIX}"))


def _mailto_cut_note(draft: Draft, whole: Path) -> str:
    """The line a mailto: link too long for its body ends with: where the whole message is."""
    return t("drafts.email.mailto_cut", lang=draft.lang, file=whole.name)


def save_draft(
    draft: Draft, paths: AppPaths, *, formats: tuple[str, ...] = ("ticket", "email"),
    output_dir: Path | None = None,
) -> SavedDraft:
    """Save the draft: its TOML sidecar in the drafts folder, the ticket/email there or in `output_dir`.

    Folders are 0700, files 0600, every write atomic; an existing draft is never overwritten (a second
    draft in the same second gets `-2`). A secret found by the guard stops the save (DraftSecretError).
    """
    sidecar_dir = paths.drafts_dir
    files_dir = _chosen_folder(output_dir) if output_dir is not None else sidecar_dir
    return _write_set(
        draft, sidecar_dir=sidecar_dir, files_dir=files_dir, formats=formats,
        private_files=files_dir == sidecar_dir, root=paths.data_dir,
    )


def _chosen_folder(folder: Path) -> Path:
    """A folder the user named, as an absolute path (a loop of links is a StorageError)."""
    try:
        return expand_user(folder).resolve()
    except (OSError, RuntimeError) as exc:
        raise StorageError("errors.storage_dir", path=str(folder), reason=str(exc)) from exc


def export_draft(draft: Draft, folder: Path, *, formats: tuple[str, ...] = ("ticket", "email")) -> SavedDraft:
    """Write the whole draft (sidecar included) into `folder`: the way out when the drafts folder fails."""
    target = _chosen_folder(folder)
    return _write_set(draft, sidecar_dir=target, files_dir=target, formats=formats, private_files=False)


# --------------------------------------------------------------------------- saved drafts

def load_draft(info: DraftInfo) -> Draft:
    """A saved draft as a Draft again (from its sidecar; the Markdown file wins if it was edited by hand)."""
    data = info.data
    ticket_text = str(data.get("ticket_markdown", ""))
    if info.ticket is not None:
        from supportcli.core.safeload import MAX_CONTENT_BYTES, TooLarge, read_capped

        with contextlib.suppress(OSError, UnicodeDecodeError, TooLarge):
            ticket_text = read_capped(info.ticket, MAX_CONTENT_BYTES).decode("utf-8")
    lang = data.get("lang")
    answers = data.get("answers", {})
    types = data.get("field_types", {})
    return Draft(
        flow_id=info.flow_id, category=info.category, subject=info.subject,
        lang=lang if lang in LANGUAGES else "en",
        created=info.created, timezone=str(data.get("timezone", "UTC")),
        ticket_markdown=ticket_text, email_body=str(data.get("email_body", "")),
        answers=dict(answers) if isinstance(answers, dict) else {},
        field_types={str(k): str(v) for k, v in types.items()} if isinstance(types, dict) else {},
        tried=[str(x) for x in data.get("tried", [])], tried_text=[str(x) for x in data.get("tried_text", [])],
        to=str(data.get("to", "")), sender_name=str(data.get("from_name", "")),
        sender_email=str(data.get("from_email", "")), pack_id=str(data.get("pack", "")),
        bilingual=bool(data.get("bilingual", False)), edited=bool(data.get("edited", False)), id=info.id,
        records=records_of(data), public=public_of(data),
    )


def rewrite_saved(info: DraftInfo, draft: Draft, paths: AppPaths | None = None) -> DraftInfo:
    """Write an edited draft over its own files (atomically; the Message-ID is kept). With `paths`, a
    draft in the drafts folder is written only if no folder of the data dir down to it is a link."""
    import tomli_w

    from supportcli.core.drafts.model import UnreadableDraft
    from supportcli.core.drafts.store import DraftStore
    from supportcli.core.storage import atomic_write

    if info.status != "unsent":
        raise UsageError("drafts.edit_sent", id=info.id)
    msg_id = str(info.data.get("message_id") or message_id(draft))
    eml = email_bytes(draft, msg_id)
    mailto = mailto_link(draft.to, draft.subject, draft.email_body,
                         cut_note=_mailto_cut_note(draft, info.email or info.ticket or info.sidecar))
    files = info.data.get("files", {})
    data = {
        **info.data,
        **sidecar_data(draft, status=info.status, files=files if isinstance(files, dict) else {}, msg_id=msg_id,
                       mailto=mailto),
        "updated": dt.datetime.now(dt.UTC).replace(microsecond=0),
    }
    sidecar_text = tomli_w.dumps(data, multiline_strings=True)
    guard_draft(draft, eml_text(eml), sidecar_text)
    folder = info.sidecar.parent
    root = paths.data_dir if paths is not None and folder == paths.drafts_dir else None
    if info.ticket is not None:
        atomic_write(info.ticket, draft.ticket_markdown, private_dir=info.ticket.parent == folder,
                     root=root if info.ticket.parent == folder else None)
    if info.email is not None:
        atomic_write(info.email, eml, private_dir=info.email.parent == folder,
                     root=root if info.email.parent == folder else None)
    atomic_write(info.sidecar, sidecar_text, root=root)
    updated = DraftStore.read_file(info.sidecar)
    if isinstance(updated, UnreadableDraft):  # pragma: no cover - we just wrote it
        raise StorageError("drafts.unreadable", path=str(updated.path), reason=updated.reason)
    return updated

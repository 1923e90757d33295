"""Runs a flow end to end for a command: menu, flow, summary/edit, Ctrl-C save and resume, drafting.

`troubleshoot` and `draft-ticket` both call `run_flow_session`. With an answers file nothing is ever
prompted; without one, stdin and stdout must be a terminal, or the run stops at once (exit 2) with
how to run it non-interactively.

The flow consults the user's imported records when there are any, and goes online (the platform
status, the market check) only with `online` access: given by the command when the network is on,
used in a terminal after the user says yes, and without one only with `--online`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supportcli.core.errors import ExitCode, UsageError
from supportcli.core.flows.model import Flow, FlowResult
from supportcli.core.i18n import pick, t

if TYPE_CHECKING:
    from supportcli.core.drafts.model import SavedDraft
    from supportcli.core.flows.answers import Session
    from supportcli.core.flows.assist import OnlineAccess
    from supportcli.core.prompting.protocol import Prompter
    from supportcli.core.records.store import RecordStore
    from supportcli.term.context import AppContext
    from supportcli.term.draft_review import Cancelled
    from supportcli.term.terminal import Terminal


def _require_terminal(app_ctx: AppContext, flow_id: str | None, as_json: bool) -> None:
    """Questions need a terminal: stdin and stdout, or with --json (stdout may be a file) stderr."""
    term = app_ctx.terminal
    shown_on = term.stderr_isatty if as_json else term.stdout_isatty
    if not (term.stdin_isatty and shown_on):
        raise UsageError("troubleshoot.needs_terminal", flow=flow_id or "FLOW")


def run_flow_session(
    app_ctx: AppContext,
    flow_id: str | None,
    *,
    answers_file: Path | None,
    formats: tuple[str, ...],
    output_dir: Path | None,
    bilingual: bool,
    as_json: bool,
    resume: bool = False,
    initial: dict[str, Any] | None = None,
    online: OnlineAccess | None = None,
) -> int:
    """Run `flow_id` (or the one the user picks) and draft the ticket/email. Returns the exit status.

    `online`: how the flow may go online, when the network is on (None: it never does).
    """
    from supportcli.core.flows.answers import latest_session
    from supportcli.core.flows.content import load_flow, load_flows

    interactive = answers_file is None
    sessions: list[Session] = []
    if interactive:
        if flow_id is not None and not resume:
            load_flow(app_ctx.pack(), flow_id)  # a mistyped flow is named (with suggestions) first
        if resume:
            sessions = _sessions_to_resume(app_ctx, flow_id, as_json)
        _require_terminal(app_ctx, flow_id, as_json)
    elif flow_id is None:
        raise UsageError("troubleshoot.answers_need_flow")
    tried: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    preset: dict[str, Any] = dict(initial or {})

    pack = app_ctx.pack()
    out = app_ctx.terminal  # where the result goes (the one JSON object, with --json)
    given: dict[str, Any] = {}  # what the answers file says
    flow: Flow | None = None
    prompter: Prompter
    if interactive:
        from supportcli.term.prompting import interactive as questionary_prompter

        app_ctx, prompter = questionary_prompter(app_ctx, beside_json=as_json)
        if resume:
            session = sessions[0] if len(sessions) == 1 else _choose_session(prompter, sessions, app_ctx)
            flow_id = session.flow_id
            preset.update(session.answers)
            tried, skipped = session.tried, session.skipped
    else:
        from supportcli.core.flows.answers import read_answers_file
        from supportcli.core.prompting.scripted import ScriptedPrompter

        assert answers_file is not None and flow_id is not None
        flow = load_flow(pack, flow_id)
        given, tried_file = read_answers_file(answers_file, flow)
        tried = tried_file or tried
        prompter = ScriptedPrompter({**preset, **given}, tried=tried)
    if flow is None and flow_id is None:
        flows = load_flows(pack)
        flow = flows[prompter.choose_flow(list(flows.values()))]
    elif flow is None:
        flow = load_flow(pack, str(flow_id))
    if not resume:
        # An interrupted run of this flow is waiting: offer it (starting again would overwrite it).
        earlier = latest_session(app_ctx.paths, flow.id)
        if earlier is not None and prompter.offer_resume(earlier.saved_at):
            resume = True
            preset.update(earlier.answers)
            tried, skipped = earlier.tried, earlier.skipped
    prompter.intro(flow, resumed=resume)
    if not (prompter.interactive or app_ctx.settings.online) or not app_ctx.settings.network_enabled:
        online = None  # without a terminal only --online lets a flow go online; --offline never
    records = _records(app_ctx, prompter) if flow.records else None
    try:
        return _run(app_ctx, flow, prompter, preset=preset, given=given, tried=tried, skipped=skipped,
                    formats=formats, output_dir=output_dir, bilingual=bilingual, as_json=as_json, out=out,
                    records=records, online=online)
    finally:
        if records is not None:
            records.close()


def _records(app_ctx: AppContext, prompter: Prompter) -> RecordStore | None:
    """The user's imported records, when there are any; a store that cannot be opened is said, not fatal."""
    from supportcli.core.errors import StorageError

    try:
        if not app_ctx.paths.records_db.exists():  # nothing imported: no need for sqlite3 and the store
            return None
        from supportcli.core.records.store import RecordStore

        return RecordStore.existing(app_ctx.paths.records_db)
    except StorageError as exc:
        prompter.note(t("troubleshoot.records.unreadable", reason=exc.render()))
        return None


def _sessions_to_resume(app_ctx: AppContext, flow_id: str | None, as_json: bool) -> list[Session]:
    """The saved sessions `--resume` may continue: that flow's, or every one. None saved: exit 2. Several,
    and no terminal to ask which: exit 2 listing them, with how to pick one."""
    from supportcli.core.flows.answers import latest_session, list_sessions

    if flow_id is not None:
        one = latest_session(app_ctx.paths, flow_id)
        if one is None:
            raise UsageError("troubleshoot.no_session_for", flow=flow_id)
        return [one]
    sessions = list_sessions(app_ctx.paths)
    if not sessions:
        raise UsageError("troubleshoot.no_session")
    term = app_ctx.terminal
    can_ask = term.stdin_isatty and (term.stderr_isatty if as_json else term.stdout_isatty)
    if len(sessions) > 1 and not can_ask:
        listing = "\n".join(f"  {_session_line(s, app_ctx)}" for s in sessions)
        raise UsageError("troubleshoot.several_sessions", count=len(sessions), sessions=listing,
                         flow=sessions[0].flow_id)
    return sessions


def _session_line(session: Session, app_ctx: AppContext) -> str:
    """`abnormal-trade — A trade looks wrong (…) — saved 2026-12-01 09:37 UTC, 3 answers`."""
    from supportcli.core.errors import SupportCliError
    from supportcli.core.flows.content import load_flows

    try:
        flows = load_flows(app_ctx.pack())
        title = flows[session.flow_id].title_in(app_ctx.lang) if session.flow_id in flows else ""
    except SupportCliError:
        title = ""
    count = len(session.answers)
    return t("troubleshoot.session_line", flow=session.flow_id, title=title or session.flow_id,
             saved_at=session.saved_at.replace("T", " ")[:16], count=count)


def _choose_session(prompter: Prompter, sessions: list[Session], app_ctx: AppContext) -> Session:
    """Several interrupted sessions: the user picks one (the newest first)."""
    choices = [(s.flow_id, _session_line(s, app_ctx)) for s in sessions]
    chosen = prompter.select("session", t("troubleshoot.q.which_session"), choices, default=sessions[0].flow_id)
    return next(s for s in sessions if s.flow_id == chosen)


def _run(
    app_ctx: AppContext, flow: Flow, prompter: Prompter, *, preset: dict[str, Any], given: dict[str, Any],
    tried: tuple[str, ...], skipped: tuple[str, ...], formats: tuple[str, ...], output_dir: Path | None,
    bilingual: bool, as_json: bool, out: Terminal, records: RecordStore | None, online: OnlineAccess | None,
) -> int:
    from supportcli.core.flows.assist import FlowAssist
    from supportcli.core.flows.engine import FlowEngine

    settings = app_ctx.settings
    now = settings.now
    engine = FlowEngine(
        flow, prompter, now=now, zone=settings.zone, lang=settings.lang,
        initial=preset if prompter.interactive else {}, tried_initial=tried, skipped_initial=skipped,
        manifest=app_ctx.pack().manifest,
        assist=FlowAssist(records=records, online=online, preferred=given),
    )
    try:
        result = engine.run(review=prompter.interactive)
    except (KeyboardInterrupt, EOFError):
        if not prompter.interactive:
            raise
        from supportcli.core.errors import StorageError
        from supportcli.core.flows.answers import answers_file_text, save_session

        try:
            path = save_session(app_ctx.paths, flow.id, engine.answers, engine.tried, now=now,
                                skipped=engine.skipped)
        except StorageError as exc:  # nothing typed is lost: the answers, as an answers file
            app_ctx.terminal.echo("")
            app_ctx.terminal.error(t("cli.error_prefix") + exc.render())
            app_ctx.terminal.error(t("errors.session_not_saved", flow=flow.id))
            app_ctx.terminal.error(answers_file_text(flow, engine.answers, engine.tried).rstrip("\n"))
            return int(ExitCode.INTERRUPTED)
        app_ctx.terminal.echo("")
        app_ctx.terminal.error(t("troubleshoot.saved_session", path=str(path)))
        app_ctx.terminal.error(t("troubleshoot.resume_hint", flow=flow.id))
        return int(ExitCode.INTERRUPTED)
    if not prompter.interactive:
        # Warnings raised on the way (e.g. the scam warning when the text says "support" DMed the
        # user) matter without a terminal too: stderr, once each, never mixed into --json.
        for text in dict.fromkeys(prompter.warnings):
            app_ctx.terminal.error("⚠ " + text)
        for text in dict.fromkeys(prompter.notes):  # e.g. which zone a time was taken in
            app_ctx.terminal.error(text)
        # An answer the file gives for a question that does not apply (its `when` is not met) is left
        # out of the draft: say so rather than drop it silently.
        for key in given:
            step = flow.question(key)
            if step is not None and key not in result.answers and key not in preset and step.when:
                conditions = ", ".join(c.describe() for c in step.when)
                app_ctx.terminal.error(t("troubleshoot.answer_unused", field=key, when=conditions))
    # Keys the flow does not ask about but a caller passed on (e.g. `case_id` from a case).
    for key, value in preset.items():
        if flow.question(key) is None and not key.startswith("_") and isinstance(value, str | int | bool):
            result.answers.setdefault(key, value)

    from supportcli.core.flows.answers import remove_session

    if result.resolved:
        remove_session(app_ctx.paths, flow.id)
        _report_resolved(app_ctx, flow, result, as_json, out)
        return int(ExitCode.OK)

    send_hint, outcome = _draft(app_ctx, flow, result, prompter, formats=formats, output_dir=output_dir,
                                bilingual=bilingual, now=now)
    from supportcli.term.draft_review import Cancelled

    if isinstance(outcome, Cancelled) and outcome.keep_answers:
        # Cancelled at the review, answers kept: they are saved as an interrupted run would save them.
        from supportcli.core.flows.answers import save_session

        save_session(app_ctx.paths, flow.id, dict(result.answers), list(result.tried), now=now,
                     skipped=engine.skipped)
        _report_saved(app_ctx, flow, result, None, as_json, out, kept=True)
        return int(ExitCode.OK)
    remove_session(app_ctx.paths, flow.id)
    _report_saved(app_ctx, flow, result, None if isinstance(outcome, Cancelled) else outcome, as_json, out,
                  send_hint=send_hint)
    return int(ExitCode.OK)


def _draft(
    app_ctx: AppContext, flow: Flow, result: FlowResult, prompter: Prompter, *, formats: tuple[str, ...],
    output_dir: Path | None, bilingual: bool, now: dt.datetime,
) -> tuple[str, SavedDraft | Cancelled | None]:
    """The draft's own word on how to send it (empty: as a new ticket), and the saved draft (or the cancel)."""
    from supportcli.core.drafts.service import build_draft

    settings = app_ctx.settings
    draft = build_draft(
        app_ctx.pack(), flow, result, lang=settings.lang, timezone=settings.zone,
        sender_name=settings.name, sender_email=settings.email, bilingual=bilingual, now=now,
    )
    from supportcli.term.draft_review import review_and_save, save_with_rescue

    if prompter.interactive:
        return draft.send_hint, review_and_save(app_ctx, draft, prompter, formats=formats, output_dir=output_dir,
                                                resumable=flow.id)
    return draft.send_hint, save_with_rescue(app_ctx, draft, prompter, formats=formats, output_dir=output_dir)


def _report_resolved(app_ctx: AppContext, flow: Flow, result: FlowResult, as_json: bool, out: Terminal) -> None:
    step = next((s for s in flow.steps if s.id == result.resolved_by), None)
    if as_json:
        out.json({
            "flow": flow.id, "resolved": True, "resolved_by": result.resolved_by,
            "answers": dict(result.answers), "tried": result.tried,
            "id": None, "draft_id": None, "ticket": None, "email": None, "sidecar": None, "mailto": None,
            **_found_json(result, None),
        })
        return
    term = app_ctx.terminal
    _say(term, t("troubleshoot.resolved", title=flow.title_in(app_ctx.lang)))
    if step is not None:
        _say(term, t("troubleshoot.resolved_by", advice=pick(step.text, app_ctx.lang)))
    _say(term, t("troubleshoot.resolved_next", flow=flow.id), hint=True)


def _report_saved(
    app_ctx: AppContext, flow: Flow, result: FlowResult, saved: SavedDraft | None, as_json: bool, out: Terminal,
    *, send_hint: str = "", kept: bool = False,
) -> None:
    term = app_ctx.terminal
    if as_json:
        out.json({
            "flow": flow.id,
            "resolved": False,
            "resolved_by": None,
            "answers": dict(result.answers),
            "tried": result.tried,
            "id": saved.id if saved is not None else None,
            "draft_id": saved.id if saved is not None else None,
            "ticket": str(saved.ticket) if saved is not None and saved.ticket else None,
            "email": str(saved.email) if saved is not None and saved.email else None,
            "sidecar": str(saved.sidecar) if saved is not None else None,
            "mailto": saved.mailto if saved is not None else None,
            **_found_json(result, saved),
        })
        return
    if saved is None:
        _say(term, t("troubleshoot.answers_kept", flow=flow.id) if kept else t("troubleshoot.not_saved"))
        return
    term.echo(t("troubleshoot.saved_draft", id=saved.id))
    if saved.ticket:
        term.echo(t("troubleshoot.saved_ticket", path=str(saved.ticket)))
    if saved.email:
        term.echo(t("troubleshoot.saved_email", path=str(saved.email)))
    for path in saved.records_csv:
        term.echo(t("troubleshoot.saved_rows", path=str(path)))
    if saved.email:
        # The file, and a short command that opens it; the mailto: link (thousands of characters) is
        # only in --json and `drafts show --json`.
        _say(term, t("troubleshoot.open_email", id=saved.id), hint=True)
    if send_hint:  # e.g. a follow-up: reply in the same ticket, not a new one
        _say(term, t("troubleshoot.next_steps_send", send=send_hint, id=saved.id), hint=True)
        return
    pack = app_ctx.pack()
    _say(term, t("troubleshoot.next_steps", url=pack.manifest.support.ticket_url, id=saved.id), hint=True)


def _found_json(result: FlowResult, saved: SavedDraft | None) -> dict[str, Any]:
    """What the run found besides the answers: the rows of the user's records it used (and their small
    CSVs, once saved) and the market check it made."""
    market = next((fact for fact in result.public if fact.kind == "market"), None)
    return {
        "records": [{"kind": r.kind, "id": r.id, "file": r.file, "line": r.line, "answers": list(r.keys)}
                    for r in result.records],
        "records_csv": [str(path) for path in saved.records_csv] if saved is not None else [],
        "market": market.data if market is not None else None,
    }


def _say(term: Terminal, text: str, *, hint: bool = False) -> None:
    """A line for a person: wrapped at word boundaries on a terminal, as is when piped. A hint (what
    to do next) is left out with -q."""
    if hint and term.quiet:
        return
    if term.stdout_isatty:
        from supportcli.term.wrap import wrap

        text = wrap(text, term.columns() - 1)
    term.echo(text)

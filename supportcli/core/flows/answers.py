"""Answers files (`--answers FILE.toml`), their commented template, and saved sessions.

An answers file's top-level keys are the flow's question keys; `_tried` may list the ids of advice
steps already tried. A session is what an interrupted run had gathered (only answers that passed
the field parser and the secret guard); it is stored 0600 under `AppPaths.sessions_dir` (the XDG
state dir), one file per flow, and removed when the flow completes. Sessions an earlier version left
in the data dir (`AppPaths.old_sessions_dir`) are still found.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportcli.core.errors import InputError
from supportcli.core.flows.model import AnswerValue, Flow, Step
from supportcli.core.i18n import Lang, pick, t
from supportcli.core.paths import AppPaths
from supportcli.core.storage import atomic_write, ensure_private_dir, remove_file

TRIED_KEY = "_tried"
SESSION_VERSION = 1


def read_answers_file(path: Path, flow: Flow) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The answers in `path` for `flow`, and the advice ids listed as tried. Unknown keys are refused."""
    from supportcli.core.prompting.answers_file import read_answers_toml

    data = read_answers_toml(path)
    keys = [q.id for q in flow.questions]
    advice_ids = [s.id for s in flow.steps if s.kind == "advice"]
    tried: tuple[str, ...] = ()
    answers: dict[str, Any] = {}
    for key, value in data.items():
        if key == TRIED_KEY:
            if not isinstance(value, list) or not all(isinstance(v, str) and v in advice_ids for v in value):
                raise InputError(key, t("troubleshoot.tried_expected", allowed=", ".join(advice_ids) or "-"))
            tried = tuple(value)
            continue
        if key not in keys:
            from difflib import get_close_matches

            close = get_close_matches(key, keys, n=1)
            hint = t("troubleshoot.did_you_mean", names=close[0]) if close else ""
            raise InputError(key, t("troubleshoot.unknown_key", flow=flow.id, known=", ".join(keys)) + hint)
        if isinstance(value, dict | list):
            raise InputError(key, t("troubleshoot.scalar_expected"))
        answers[key] = value
    return answers, tried


def _toml_value(value: AnswerValue | str, step: Step) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if step.type == "integer_id" and str(value).isdigit():
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def answers_template(flow: Flow, lang: Lang) -> str:
    """A commented TOML answers file for `flow`: required keys filled with examples, the rest commented."""
    lines = [
        t("troubleshoot.template.header", flow=flow.id, title=flow.title_in(lang)),
        t("troubleshoot.template.usage", flow=flow.id),
        t("troubleshoot.template.rules"),
        "",
    ]
    for step in flow.questions:
        lines.append(f"# {step.text_in(lang)}")
        if step.help:
            lines.append(f"# {pick(step.help, lang)}")
        meta = [t("troubleshoot.template.type", kind=step.type)]
        if step.choices:
            meta.append(t("troubleshoot.template.choices",
                          choices=", ".join(f"{c.id} ({pick(c.label, lang)})" for c in step.choices)))
        for cond in step.when:
            values = ", ".join(json.dumps(v) if isinstance(v, bool) else str(v) for v in cond.equals or cond.not_equals)
            key = "when_not" if cond.not_equals and not cond.equals else "when"
            meta.append(t(f"troubleshoot.template.{key}", key=cond.key, values=values))
        if step.default is not None:
            meta.append(t("troubleshoot.template.default", value=_toml_value(step.default, step)))
        elif not step.required:
            meta.append(t("troubleshoot.template.optional"))
        else:
            meta.append(t("troubleshoot.template.required"))
        lines.extend(f"# {m}" for m in meta)
        example: AnswerValue | str = step.example_in(lang) or (step.choices[0].id if step.choices else "")
        if step.default is not None:
            lines.append(f"# {step.id} = {_toml_value(step.default, step)}")
        elif step.required and not step.when:
            lines.append(f"{step.id} = {_toml_value(example, step)}")
        else:
            lines.append(f"# {step.id} = {_toml_value(example, step)}")
        lines.append("")
    advice = [s.id for s in flow.steps if s.kind == "advice"]
    if advice:
        lines.append(t("troubleshoot.template.tried"))
        lines.append(f"# {TRIED_KEY} = {json.dumps(advice)}")
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- sessions

@dataclass(frozen=True)
class Session:
    flow_id: str
    answers: dict[str, AnswerValue]
    tried: tuple[str, ...]
    saved_at: str
    path: Path
    skipped: tuple[str, ...] = ()  # optional questions the user chose to leave empty


def session_path(paths: AppPaths, flow_id: str) -> Path:
    return paths.sessions_dir / f"{flow_id}.json"


def kept_answers(answers: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
    """The answers that may be written down: one holding a secret (possible only in a session or an
    answers file edited by hand, since every typed answer passed the guard) is left out."""
    from supportcli.core.gate import tree_secret

    return {key: value for key, value in answers.items()
            if not isinstance(value, str) or tree_secret({key: value}) is None}


def save_session(
    paths: AppPaths, flow_id: str, answers: dict[str, AnswerValue], tried: list[str], *, now: dt.datetime,
    skipped: set[str] | None = None,
) -> Path:
    """Save what an interrupted run gathered (0600, folder 0700; its answers passed the guard: see
    `kept_answers`). Returns the file's path."""
    ensure_private_dir(paths.sessions_dir, root=paths.state_dir)
    payload = {
        "version": SESSION_VERSION, "flow": flow_id, "saved_at": now.isoformat(timespec="seconds"),
        "answers": kept_answers(answers), "tried": list(tried), "skipped": sorted(skipped or ()),
    }
    return atomic_write(session_path(paths, flow_id), json.dumps(payload, ensure_ascii=False, indent=2) + "\n",
                        root=paths.state_dir)


def answers_file_text(flow: Flow, answers: dict[str, AnswerValue], tried: list[str]) -> str:
    """The answers as an answers file (`--answers FILE.toml`): what is printed when a session cannot
    be saved, so that nothing typed is lost."""
    lines = [f"{key} = {_toml_value(value, step)}" for key, value in kept_answers(answers).items()
             if (step := flow.question(key)) is not None]
    advice = [item for item in tried if item in {s.id for s in flow.steps if s.kind == "advice"}]
    if advice:
        lines.append(f"{TRIED_KEY} = {json.dumps(advice)}")
    return "\n".join(lines) + "\n"


def _read_session(path: Path) -> Session | None:
    from supportcli.core.safeload import Unparsable, load_json

    try:
        data = load_json(path)
    except (OSError, Unparsable):
        return None  # damaged or unreadable: as if there were none (it never stops a new run)
    if not isinstance(data, dict) or data.get("version") != SESSION_VERSION:
        return None
    answers = data.get("answers")
    tried = data.get("tried", [])
    flow_id = data.get("flow")
    if not isinstance(answers, dict) or not isinstance(tried, list) or not isinstance(flow_id, str):
        return None
    skipped = data.get("skipped", [])
    clean_answers = {str(k): v for k, v in answers.items() if isinstance(v, str | int | bool)}
    return Session(
        flow_id, clean_answers, tuple(str(x) for x in tried), str(data.get("saved_at", "")), path,
        tuple(str(x) for x in skipped) if isinstance(skipped, list) else (),
    )


def _session_files(paths: AppPaths, flow_id: str | None) -> list[Path]:
    """Saved sessions (of `flow_id`, if given), newest first, in the state dir or the old data dir.

    A folder that cannot be read holds no session for this run (a new run is never stopped by it).
    """
    found: list[tuple[float, Path]] = []
    for folder in (paths.sessions_dir, paths.old_sessions_dir):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith(".json") or (flow_id is not None and entry.name != f"{flow_id}.json"):
                continue
            try:
                if entry.is_file(follow_symlinks=False):
                    found.append((entry.stat(follow_symlinks=False).st_mtime, Path(entry.path)))
            except OSError:
                continue
    return [path for _, path in sorted(found, key=lambda item: item[0], reverse=True)]


def latest_session(paths: AppPaths, flow_id: str | None = None) -> Session | None:
    """The most recently saved session (of `flow_id`, if given), or None."""
    for path in _session_files(paths, flow_id):
        session = _read_session(path)
        if session is not None:
            return session
    return None


def remove_session(paths: AppPaths, flow_id: str) -> None:
    """Forget the saved session of `flow_id` (best effort: one left behind is only offered again)."""
    from supportcli.core.errors import StorageError

    for path in (session_path(paths, flow_id), paths.old_sessions_dir / f"{flow_id}.json"):
        with contextlib.suppress(StorageError):
            remove_file(path)

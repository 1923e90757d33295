"""Answers files (`--answers FILE.toml`), their commented template, and saved sessions.

An answers file's top-level keys are the flow's question keys; `_tried` may list the ids of advice
steps already tried, and `_examples` the keys the `--template` file filled with examples (a listed
key still holding its example is refused: no ticket from an unedited template).

A session is what an interrupted run had gathered (only answers that passed the field parser and
the secret guard); it is stored 0600 under `AppPaths.sessions_dir` (the XDG state dir), one file
per flow, and removed when the flow completes. Sessions an earlier version left
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
from supportcli.core.flows.model import AnswerValue, Condition, Flow, Step
from supportcli.core.i18n import Lang, pick, t
from supportcli.core.paths import AppPaths
from supportcli.core.storage import atomic_write, ensure_private_dir, remove_file

TRIED_KEY = "_tried"
EXAMPLES_KEY = "_examples"  # the keys an answers template filled with examples (see answers_template)
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
        if key == EXAMPLES_KEY:
            continue  # checked below, once every answer is read
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
    if EXAMPLES_KEY in data:
        refuse_unedited_examples(flow, data[EXAMPLES_KEY], answers)
    return answers, tried


def _toml_value(value: AnswerValue | str, step: Step) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if step.type == "integer_id" and str(value).isdigit():
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _condition_meta(cond: Condition) -> str:
    if not cond.answered:
        return t("troubleshoot.template.when_unanswered", key=cond.key)
    values = cond.equals or cond.not_equals
    if not values:
        return t("troubleshoot.template.when_answered", key=cond.key)
    shown = ", ".join(json.dumps(v) if isinstance(v, bool) else str(v) for v in values)
    key = "when_not" if cond.not_equals and not cond.equals else "when"
    return t(f"troubleshoot.template.{key}", key=cond.key, values=shown)


def example_keys(flow: Flow) -> list[str]:
    """The questions `answers_template` fills with an example for the user to replace: required, always
    asked, without a default, and not a choice (a choice is left for the user to make)."""
    return [
        s.id for s in flow.questions
        if s.required and not s.when and s.default is None and s.type != "choice"
    ]


def answers_template(flow: Flow, lang: Lang) -> str:
    """A commented TOML answers file for `flow`: required keys filled with examples, the rest commented.

    The keys holding examples are listed in `_examples` (EXAMPLES_KEY): `read_answers_file` refuses a
    listed key whose answer is still its example, so an unedited template never becomes a ticket.
    """
    examples = example_keys(flow)
    lines = [
        t("troubleshoot.template.header", flow=flow.id, title=flow.title_in(lang)),
        t("troubleshoot.template.usage", flow=flow.id),
        t("troubleshoot.template.rules"),
    ]
    if examples:
        lines += [t("troubleshoot.template.examples"), f"{EXAMPLES_KEY} = {json.dumps(examples)}"]
    lines.append("")
    for step in flow.questions:
        lines.append(f"# {step.text_in(lang)}")
        if step.help:
            lines.append(f"# {pick(step.help, lang)}")
        meta = [t("troubleshoot.template.type", kind=step.type)]
        if step.choices:
            meta.append(t("troubleshoot.template.choices",
                          choices=", ".join(f"{c.id} ({pick(c.label, lang)})" for c in step.choices)))
        meta += [_condition_meta(cond) for cond in step.when]
        finders = [", ".join(lookup.keys()) for lookup in flow.records if step.id in dict(lookup.fill)]
        if finders:  # the user's imported records can answer it: the line may go
            meta.append(t("troubleshoot.template.from_records", keys=" / ".join(dict.fromkeys(finders))))
        if step.default is not None:
            meta.append(t("troubleshoot.template.default", value=_toml_value(step.default, step)))
        elif not step.required:
            meta.append(t("troubleshoot.template.optional"))
        elif step.type == "choice" and not step.when:
            meta.append(t("troubleshoot.template.pick_one"))
        else:
            meta.append(t("troubleshoot.template.required"))
        lines.extend(f"# {m}" for m in meta)
        example: AnswerValue | str = step.example_in(lang) or (step.choices[0].id if step.choices else "")
        if step.default is not None:
            lines.append(f"# {step.id} = {_toml_value(step.default, step)}")
        elif step.id in examples:
            lines.append(f"{step.id} = {_toml_value(example, step)}  # {t('troubleshoot.template.example_mark')}")
        else:
            lines.append(f"# {step.id} = {_toml_value(example, step)}")
        lines.append("")
    advice = [s.id for s in flow.steps if s.kind == "advice"]
    if advice:
        lines.append(t("troubleshoot.template.tried"))
        lines.append(f"# {TRIED_KEY} = {json.dumps(advice)}")
    return "\n".join(lines).rstrip() + "\n"


def refuse_unedited_examples(flow: Flow, listed: Any, answers: dict[str, Any]) -> None:
    """Refuse (exit 2) an answers file whose `_examples` keys still hold the example `--template` put in.

    `listed` is the file's `_examples` value: the keys the template marked as examples. Only those
    are compared with the question's example (in any language), so an answer that happens to equal a
    default or a choice is never taken for an example; a user whose real answer is the example takes
    its key out of `_examples`.
    """
    keys = [q.id for q in flow.questions]
    if not isinstance(listed, list) or not all(isinstance(k, str) and k in keys for k in listed):
        raise InputError(EXAMPLES_KEY, t("troubleshoot.examples_expected", known=", ".join(keys)))
    def folded(value: object) -> str:  # "btc/usd " is still the example "BTC/USD"
        return " ".join(str(value).split()).casefold()

    left: list[str] = []
    for key in dict.fromkeys(listed):
        step = flow.question(key)
        if step is None or key not in answers or isinstance(answers[key], bool | dict | list):
            continue
        examples = {folded(e) for e in (step.example, *step.examples.values()) if e}
        if folded(answers[key]) in examples:
            left.append(key)
    if left:
        raise InputError(", ".join(left), t("troubleshoot.examples_left"))


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


def list_sessions(paths: AppPaths) -> list[Session]:
    """Every saved session that can be read, newest first, one per flow (the newest of its copies,
    as `latest_session` picks it)."""
    found: dict[str, Session] = {}
    for path in _session_files(paths, None):
        session = _read_session(path)
        if session is not None and session.flow_id not in found:
            found[session.flow_id] = session
    return list(found.values())


def remove_session(paths: AppPaths, flow_id: str) -> None:
    """Forget the saved session of `flow_id` (best effort: one left behind is only offered again)."""
    from supportcli.core.errors import StorageError

    for path in (session_path(paths, flow_id), paths.old_sessions_dir / f"{flow_id}.json"):
        with contextlib.suppress(StorageError):
            remove_file(path)

"""Flows as data: reading and checking `content/<pack>/flows/<id>.toml`.

A flow file holds `id`, `category` (the ticket template), `title`, `summary`, `faq` (ids of related
FAQ entries) and `[[steps]]`. A step has `kind` (advice, question or warning), `id`, `text` and
optional `when = [{ key = "…", equals = [...] }]`; a question adds `type`, `help`, `example`,
`default`, `required`, `[[steps.choices]]`, `sensitive_context` and `allow_date`. An advice step may
`offers = "status"`: the platform status check, with consent (see supportcli.core.flows.assist).
`[[records]]` and `[market_check]` say what the user's imported records fill and which answers make
a market check (supportcli.core.flows.lookups). A step that states
facts cites its `sources` (ids in the pack's sources.toml) with `verified` (the date its text was
last read against them), like the pack's channels; `content check` checks the citations (see
sources.py). Every problem is reported as `file:line: key: expected`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from supportcli.core.assets import AssetFacts
from supportcli.core.checks import Checker
from supportcli.core.errors import ContentError, InputError, NotFoundError
from supportcli.core.flows.model import FIELD_TYPES, AnswerValue, Choice, Condition, Flow, Step
from supportcli.core.i18n import t
from supportcli.core.pack import Pack
from supportcli.core.sources import Citation, check_citation, cited_ids
from supportcli.core.tomlfile import KeyPath, Problem, TomlFile

STEP_KINDS = ("advice", "question", "warning")
FLOW_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
QUESTION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_FLOW_KEYS = ("id", "category", "title", "summary", "faq", "steps", "records", "market_check")
_STEP_KEYS = (
    "kind", "id", "text", "when", "type", "help", "example", "default", "required", "choices",
    "sensitive_context", "allow_date", "sources", "verified", "offers",
)
OFFERS = ("status",)  # what an advice step may offer to check online (`offers = "status"`)


def _parse_flow(file: TomlFile, pack: Pack, faq_ids: set[str] | None) -> tuple[Flow | None, list[Problem]]:
    data = file.data
    c = Checker(file, pack.languages)
    c.no_unknown(data, (), _FLOW_KEYS)
    flow_id = c.ident(data, ("id",))
    if flow_id is not None and flow_id != file.path.stem:
        c.fail(("id",), t("troubleshoot.expect.id_matches_file", stem=file.path.stem))
    category = c.ident(data, ("category",))
    title = c.lang_text(data, ("title",))
    summary = c.lang_text(data, ("summary",))
    faq = c.string_list(data, ("faq",)) or []
    if faq_ids is not None:
        for i, ref in enumerate(faq):
            if ref not in faq_ids:
                c.fail(("faq", i), t("content.expect.reference", what="FAQ", id=ref))

    steps: list[Step] = []
    seen: set[str] = set()
    question_types: dict[str, Step] = {}
    raw_steps = c.table_list(data, ("steps",))
    if not raw_steps and "steps" in data:
        c.fail(("steps",), t("content.expect.table_list"))
    for i, raw in enumerate(raw_steps):
        step = _parse_step(c, raw, ("steps", i), seen, question_types, pack.manifest.assets)
        if step is not None:
            steps.append(step)
            if step.kind == "question":
                question_types[step.id] = step
    if raw_steps and not any(s.kind == "question" for s in steps) and not c.problems:
        c.fail(("steps",), t("troubleshoot.expect.a_question"))
    from supportcli.core.flows.lookups import parse_lookups, parse_market

    records = parse_lookups(c, data, question_types)
    market = parse_market(c, data, question_types)
    if c.problems or flow_id is None or category is None or title is None or summary is None:
        return None, c.problems
    return Flow(
        id=flow_id, title=title, summary=summary, category=category, faq=tuple(faq), steps=tuple(steps),
        source_file=file.display, records=records, market_check=market,
    ), []


def _parse_step(
    c: Checker, raw: dict[str, Any], kp: KeyPath, seen: set[str], earlier: dict[str, Step], assets: AssetFacts,
) -> Step | None:
    start = len(c.problems)
    c.no_unknown(raw, kp, _STEP_KEYS)
    kind = c.choice(raw, (*kp, "kind"), STEP_KINDS)
    if kind == "question":
        step_id = c.string(raw, (*kp, "id"), pattern=QUESTION_KEY, hint_key="troubleshoot.expect.key")
    else:
        step_id = c.ident(raw, (*kp, "id"))
    if step_id is not None:
        if step_id in seen:
            c.fail((*kp, "id"), t("content.expect.unique_id", id=step_id))
        seen.add(step_id)
    text = c.lang_text(raw, (*kp, "text"))
    when = _parse_when(c, raw, kp, earlier)
    facts = _parse_source(c, raw, kp)

    if "offers" in raw and kind != "advice":
        c.fail((*kp, "offers"), t("troubleshoot.expect.offers_advice"))
    elif "offers" in raw and c.choice(raw, (*kp, "offers"), OFFERS) is not None:
        facts = {**facts, "offers": raw["offers"]}
    if kind != "question":
        for key in ("type", "help", "example", "default", "required", "choices", "sensitive_context", "allow_date"):
            if key in raw:
                c.fail((*kp, key), t("troubleshoot.expect.question_only"))
        if len(c.problems) > start or kind is None or step_id is None or text is None:
            return None
        return Step(kind=kind, id=step_id, text=text, when=when, extra=facts)  # type: ignore[arg-type]

    ftype = c.choice(raw, (*kp, "type"), FIELD_TYPES)
    help_text = c.lang_text(raw, (*kp, "help"), required=False) or {}
    # An example is one string (an id, an amount, a date), or one per language for answers in words.
    examples: dict[str, str] = {}
    if isinstance(raw.get("example"), dict):
        examples = c.lang_text(raw, (*kp, "example")) or {}
        example = examples.get("en", "")
    else:
        example = c.string(raw, (*kp, "example"), required=False) or ""
    required = c.boolean(raw, (*kp, "required"), required=False)
    sensitive = c.boolean(raw, (*kp, "sensitive_context"), required=False) or False
    allow_date = c.boolean(raw, (*kp, "allow_date"), required=False) or False
    if allow_date and ftype != "datetime":
        c.fail((*kp, "allow_date"), t("troubleshoot.expect.datetime_only"))
    choices: list[Choice] = []
    if ftype == "choice":
        choice_ids: set[str] = set()
        for j, item in enumerate(c.table_list(raw, (*kp, "choices"))):
            ckp = (*kp, "choices", j)
            c.no_unknown(item, ckp, ("id", "label"))
            cid = c.string(item, (*ckp, "id"), pattern=QUESTION_KEY, hint_key="troubleshoot.expect.key")
            label = c.lang_text(item, (*ckp, "label"))
            if cid is not None and cid in choice_ids:
                c.fail((*ckp, "id"), t("content.expect.unique_id", id=cid))
            if cid is not None and label is not None:
                choice_ids.add(cid)
                choices.append(Choice(cid, label))
        if len(choices) < 2 and len(c.problems) == start:
            c.fail((*kp, "choices"), t("troubleshoot.expect.two_choices"))
    elif "choices" in raw:
        c.fail((*kp, "choices"), t("troubleshoot.expect.choice_only"))

    default: AnswerValue | None = None
    if "default" in raw and ftype is not None and step_id is not None:
        default = _check_default(c, raw["default"], (*kp, "default"), ftype, step_id, tuple(choices), allow_date,
                                 assets)
    if len(c.problems) > start or step_id is None or text is None or ftype is None:
        return None
    return Step(
        kind="question", id=step_id, text=text, when=when, type=ftype, help=help_text, example=example,
        default=default, required=True if required is None else required, choices=tuple(choices),
        sensitive_context=sensitive, extra={**facts, **({"allow_date": True} if allow_date else {})},
        examples=examples,
    )


def _parse_source(c: Checker, raw: dict[str, Any], kp: KeyPath) -> dict[str, Any]:
    """`sources` (ids) and `verified` (a TOML date) for a step that states facts: both or neither."""
    if "sources" not in raw and "verified" not in raw:
        return {}
    before = len(c.problems)
    sources = cited_ids(c, raw, (*kp, "sources"), required=True)
    verified = c.date(raw, (*kp, "verified"))
    if len(c.problems) > before or verified is None:
        return {}
    return {"sources": tuple(sources), "verified": verified.isoformat()}


def _check_citations(file: TomlFile, flow: Flow, pack: Pack) -> list[Problem]:
    """Each step's `sources` exist, and a step citing an unconfirmed or third-party source says so."""
    sources, _ = pack.source_index
    problems: list[Problem] = []
    for i, step in enumerate(flow.steps):
        ids = step.extra.get("sources")
        if not ids:
            continue
        kp: KeyPath = ("steps", i)
        texts = {lang: (step.text.get(lang, ""), (*kp, "text", lang)) for lang in pack.languages}
        problems += check_citation(file, Citation(
            keypath=(*kp, "sources"), ids=ids, texts=texts,
            verified=dt.date.fromisoformat(step.extra["verified"]), verified_keypath=(*kp, "verified"),
        ), sources)
    return problems


def _check_default(
    c: Checker, value: Any, kp: KeyPath, ftype: str, key: str, choices: tuple[Choice, ...], allow_date: bool,
    assets: AssetFacts,
) -> AnswerValue | None:
    from supportcli.core.flows.fields import FieldContext, parse

    if ftype == "datetime":
        c.fail(kp, t("troubleshoot.expect.no_datetime_default"))
        return None
    ctx = FieldContext(now=dt.datetime.now(dt.UTC), choices=choices, allow_date=allow_date, assets=assets)
    try:
        parsed = parse(ftype, key, value, ctx)
    except InputError as exc:
        c.fail(kp, t("troubleshoot.expect.default", kind=ftype, reason=exc.reason))
        return None
    # Store what the file says (parsed form) so the engine's default re-parses to the same answer.
    return parsed.value


def _parse_when(c: Checker, raw: dict[str, Any], kp: KeyPath, earlier: dict[str, Step]) -> tuple[Condition, ...]:
    return parse_conditions(c, raw, kp, earlier, unknown_key="troubleshoot.expect.when_key")


WHEN_KEYS = ("key", "equals", "not_equals", "answered")


def parse_conditions(
    c: Checker, raw: Mapping[str, Any], kp: KeyPath, questions: Mapping[str, Step] | None, *,
    unknown_key: str = "troubleshoot.expect.when_key",
) -> tuple[Condition, ...]:
    """`raw["when"]` as conditions: the one condition language of flows and templates (see Condition).

    With `questions` (the keys a condition may name, as the steps that ask them) every key and value
    is checked against its question: a key no question has, a value a choice cannot take, yes/no on a
    question that is not yes/no, a value on free text (only `answered` applies there). `unknown_key` is
    the message key that says which keys may be named (it gets `key` and `known`). Without `questions`
    only the shape is checked (a template is read before it is known which flows use it).
    """
    if "when" not in raw:
        return ()
    items = c.table_list(raw, (*kp, "when"))
    conditions: list[Condition] = []
    for j, item in enumerate(items):
        wkp = (*kp, "when", j)
        start = len(c.problems)
        c.no_unknown(item, wkp, WHEN_KEYS)
        key = c.string(item, (*wkp, "key"))
        answered = c.boolean(item, (*wkp, "answered"), required=False)
        target = questions.get(key) if questions is not None and key is not None else None
        if key is not None and questions is not None and target is None:
            c.fail((*wkp, "key"), t(unknown_key, key=key, known=", ".join(questions) or "-"))
        values: dict[str, tuple[AnswerValue, ...]] = {"equals": (), "not_equals": ()}
        for name in values:
            if name not in item:
                continue
            listed = item[name]
            if not isinstance(listed, list) or not listed:
                c.fail((*wkp, name), t("troubleshoot.expect.when_values"))
                continue
            if answered is False:
                c.fail((*wkp, name), t("troubleshoot.expect.when_unanswered_values"))
                continue
            bad = _bad_values(target, listed) if target is not None else None
            if bad is not None:
                c.fail((*wkp, name), bad)
            values[name] = tuple(listed)
        if answered is None and not values["equals"] and not values["not_equals"] and len(c.problems) == start:
            c.fail(wkp, t("troubleshoot.expect.when_values"))
        if len(c.problems) > start or key is None:
            continue
        conditions.append(Condition(key=key, equals=values["equals"], not_equals=values["not_equals"],
                                    answered=answered is not False))
    return tuple(conditions)


def _bad_values(step: Step, listed: list[Any]) -> str | None:
    """What is wrong with comparing `step`'s answer to `listed` (None: nothing)."""
    if step.type == "choice":
        ids = [ch.id for ch in step.choices]
        if any(not isinstance(v, str) or v not in ids for v in listed):
            return t("content.expect.one_of", allowed=", ".join(ids))
        return None
    if step.type == "confirm":
        if any(not isinstance(v, bool) for v in listed):
            return t("content.expect.one_of", allowed="true, false")
        return None
    if any(isinstance(v, bool) for v in listed):
        return t("troubleshoot.expect.when_yes_no", key=step.id, kind=step.type)
    return t("troubleshoot.expect.when_free_text", key=step.id, kind=step.type)


# --------------------------------------------------------------------------- public API

def _faq_ids(pack: Pack) -> set[str] | None:
    return pack.section_ids("faq") if pack.section_dir("faq").is_dir() else None


def check_pack(pack: Pack) -> list[Problem]:
    """Every problem in the pack's flows (for `content check`)."""
    problems: list[Problem] = []
    faq_ids = _faq_ids(pack)
    ids: dict[str, str] = {}
    for item in pack.read_section("flows"):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        flow, found = _parse_flow(item, pack, faq_ids)
        problems.extend(found)
        if flow is not None:
            problems.extend(_check_citations(item, flow, pack))
            if flow.id in ids:
                problems.append(item.problem(("id",), t("content.expect.unique_id", id=flow.id)))
            ids[flow.id] = item.display
    return problems


def parsed_flows(pack: Pack) -> list[Flow]:
    """Every flow of the pack that reads without a problem (their problems are `check_pack`'s to report)."""
    flows: list[Flow] = []
    for item in pack.read_section("flows"):
        if isinstance(item, TomlFile):
            flow, _ = _parse_flow(item, pack, None)
            if flow is not None:
                flows.append(flow)
    return flows


def load_flows(pack: Pack) -> dict[str, Flow]:
    """Every flow of the pack, by id; a broken flow file raises ContentError listing its problems.

    References to FAQ entries are checked by `content check` (`check_pack`), not on every run.
    """
    flows: dict[str, Flow] = {}
    problems: list[str] = []
    for item in pack.read_section("flows"):
        if isinstance(item, Problem):
            problems.append(str(item))
            continue
        flow, found = _parse_flow(item, pack, None)
        problems.extend(str(p) for p in found)
        if flow is not None:
            flows[flow.id] = flow
    if problems:
        raise ContentError(problems)
    return flows


def flow_ids(pack: Pack) -> list[str]:
    return sorted(pack.section_ids("flows"))


def load_flow(pack: Pack, flow_id: str) -> Flow:
    """One flow by id; NotFoundError with the closest ids when there is none."""
    path = pack.section_dir("flows") / f"{flow_id}.toml"
    if FLOW_ID.match(flow_id) and path.is_file():
        from supportcli.core.tomlfile import read_toml

        item = read_toml(path, pack.display(path))
        if isinstance(item, Problem):
            raise ContentError([str(item)])
        flow, found = _parse_flow(item, pack, None)
        if flow is None:
            raise ContentError([str(p) for p in found])
        return flow
    flows = load_flows(pack)
    if flow_id in flows:
        return flows[flow_id]
    from difflib import get_close_matches

    close = get_close_matches(flow_id, sorted(flows), n=3, cutoff=0.5)
    hint = t("troubleshoot.did_you_mean", names=", ".join(close)) if close else ""
    raise NotFoundError("troubleshoot.flow_unknown", flow=flow_id, known=", ".join(sorted(flows)), hint=hint)

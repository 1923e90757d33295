"""Every shipped template, rendered with every combination of the answers its lines depend on, in both
languages: each sentence said is one whose condition holds and whose values were all given, every
sentence whose condition holds is said, and no draft claims what the answers deny.

The combinations walk each flow as the engine does (a question is asked only when its `when` holds):
every choice and yes/no answer a line or a report depends on takes each of its values, and every
optional answer a line quotes is present and absent; answers no line depends on keep their example.
The expected text is worked out here from the template file itself (its TOML, read independently of
the renderer), and the claims below are written by hand from what each question means.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from supportcli.core.drafts.collect import ATTACHMENTS_KEY, Collected, collect
from supportcli.core.drafts.templates import (
    DATETIME_FORMS,
    Template,
    fill,
    join_sentences,
    load_templates,
    placeholders,
)
from supportcli.core.flows.content import load_flows
from supportcli.core.flows.fields import FieldContext, parse
from supportcli.core.flows.model import AnswerValue, Flow, Step
from supportcli.core.i18n import Lang, t
from supportcli.core.pack import Pack
from tests.drafts_fixtures import bitfinex_pack

NOW = dt.datetime(2026, 11, 27, 8, 15, tzinfo=dt.UTC)
ZONE = "Asia/Shanghai"
LANGS: tuple[Lang, ...] = ("zh", "en")
MAX_COMBINATIONS = 2000  # per flow: the walk stays small because only what a line depends on branches
# Answers a caller passes on without asking (`troubleshoot escalate --case`): present and absent.
EXTRA: dict[str, dict[str, str]] = {"escalate": {ATTACHMENTS_KEY: "alice_movements.csv\nreply-screenshot.png"}}
ABSENT = object()
Answers = dict[str, AnswerValue]


@cache
def _pack() -> Pack:
    return bitfinex_pack()


@cache
def _flows() -> dict[str, Flow]:
    return load_flows(_pack())


@cache
def _templates() -> dict[str, Template]:
    return load_templates(_pack())


@cache
def _raw(template_id: str) -> dict[str, Any]:
    path = _pack().section_dir("templates") / f"{template_id}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the combinations

def _answer_keys(name: str, flow: Flow) -> str:
    """The answer a placeholder reads: `sent_at_when` reads `sent_at`."""
    for form in DATETIME_FORMS:
        base = name.removesuffix(f"_{form}")
        step = flow.question(base)
        if base != name and step is not None and step.type == "datetime":
            return base
    return name


def depends_on(raw: Mapping[str, Any], flow: Flow) -> set[str]:
    """Every answer key a condition or a placeholder of the template names."""
    keys: set[str] = set()
    for part in ("subject", "summary", "evidence", "send", "reports"):
        for entry in raw.get(part, []):
            if not isinstance(entry, dict):
                continue
            keys |= {c["key"] for c in entry.get("when", [])}
            for lang in LANGS:
                value = entry.get(lang, [])
                for wording in [value] if isinstance(value, str) else value:
                    keys |= {_answer_keys(n, flow) for n in placeholders(wording)}
    return keys


def _example(step: Step, lang: Lang) -> AnswerValue:
    if step.default is not None:
        return step.default
    if step.type == "choice":
        return step.choices[0].id
    ctx = FieldContext(now=NOW, zone=ZONE, choices=step.choices, allow_date=bool(step.extra.get("allow_date")),
                       assets=_pack().manifest.assets)
    return parse(step.type, step.id, step.example_in(lang), ctx).value


def _values(step: Step, branches: bool, lang: Lang) -> list[Any]:
    can_skip = not step.required and step.default is None
    if not branches:
        return [_example(step, lang)]
    if step.type == "choice":
        values: list[Any] = [c.id for c in step.choices]
    elif step.type == "confirm":
        values = [True, False]
    else:
        values = [_example(step, lang)]
    return values + ([ABSENT] if can_skip else [])


def combinations(flow: Flow, keys: set[str], lang: Lang) -> list[Answers]:
    """The answers a run of `flow` can end with, branching on `keys` (walked in question order)."""
    runs: list[Answers] = [{}]
    for step in flow.questions:
        grown: list[Answers] = []
        for answers in runs:
            if not step.applies(answers):
                grown.append(answers)
                continue
            for value in _values(step, step.id in keys, lang):
                grown.append(answers if value is ABSENT else {**answers, step.id: value})
        runs = grown
    for key, value in EXTRA.get(flow.id, {}).items():
        runs = [with_extra for answers in runs for with_extra in (answers, {**answers, key: value})]
    return runs


@dataclass(frozen=True)
class Case:
    flow: Flow
    template: Template
    answers: Answers
    lang: Lang

    def render(self) -> Collected:
        types = {q.id: q.type for q in self.flow.questions} | {k: "multiline" for k in EXTRA.get(self.flow.id, {})}
        return collect(
            template=self.template, flow=self.flow, answers=self.answers, field_types=types, tried=[],
            lang=self.lang, timezone=ZONE, exchange="Bitfinex", support_email="support@bitfinex.com",
            reports_url="https://report.bitfinex.com", ticket_url="https://support.bitfinex.com",
        )


def cases() -> Iterator[tuple[str, list[Case]]]:
    for flow in _flows().values():
        template = _templates()[flow.category]
        keys = depends_on(_raw(template.id), flow) | CLAIM_KEYS.get(template.id, set())
        for lang in LANGS:
            yield f"{flow.id}-{lang}", [Case(flow, template, a, lang) for a in combinations(flow, keys, lang)]


# --------------------------------------------------------------------------- what the template says

def holds(condition: Mapping[str, Any], answers: Answers) -> bool:
    """A `when` condition, read as the template format documents it (independently of the code)."""
    key = condition["key"]
    if condition.get("answered") is False:
        return key not in answers
    if key not in answers:
        return False
    value = answers[key]

    def among(values: list[Any]) -> bool:
        return any(type(value) is type(v) and value == v for v in values)

    if "equals" in condition and not among(condition["equals"]):
        return False
    return not ("not_equals" in condition and among(condition["not_equals"]))


def said(entry: Mapping[str, Any], lang: Lang, values: Mapping[str, str], answers: Answers) -> str | None:
    """What one entry says: its first wording whose placeholders all have values, if its condition holds."""
    if not all(holds(c, answers) for c in entry.get("when", [])):
        return None
    return next(iter(wordings_filled(entry, lang, values)), None)


def wordings_filled(entry: Mapping[str, Any], lang: Lang, values: Mapping[str, str]) -> list[str]:
    value = entry[lang]
    filled = (fill(w, values) for w in ([value] if isinstance(value, str) else value))
    return [f for f in filled if f is not None]


def expected(raw: Mapping[str, Any], part: str, case: Case, values: Mapping[str, str]) -> list[str]:
    out = (said(entry, case.lang, values, case.answers) for entry in raw.get(part, []))
    return [s for s in out if s is not None]


# --------------------------------------------------------------------------- claims, by hand

@dataclass(frozen=True)
class Claim:
    """A phrase that, wherever the draft says it (`where`: summary, subject, evidence, send or all), is
    only true when `needs` holds for the answers."""

    template: str
    phrases: Mapping[str, str]  # per language (a language may have none); matched case-insensitively
    needs: Callable[[Answers], bool]
    where: str = "summary"


def _is(key: str, *values: AnswerValue) -> Callable[[Answers], bool]:
    return lambda a: key in a and any(type(a[key]) is type(v) and a[key] == v for v in values)


def _has(*keys: str) -> Callable[[Answers], bool]:
    return lambda a: all(k in a for k in keys)


def _never(_: Answers) -> bool:
    return False


CLAIMS = (
    # The withdrawal hold: the level and the photo only as answered, and the official request only when allowed.
    Claim("password-reset", {"en": "My account is verified at Intermediate", "zh": "我的账户认证级别为中级或以上"},
          _is("intermediate_or_higher", True)),
    Claim("password-reset", {"en": "I have uploaded", "zh": "我已在 https://www.bitfinex.com/verification 上传"},
          _is("selfie_uploaded", True)),
    Claim("password-reset", {"en": "request to lift", "zh": "申请提前解除提现冻结"},
          _is("intermediate_or_higher", True), where="all"),
    Claim("password-reset", {"en": "put a 5-day hold on withdrawals", "zh": "提现因此被冻结 5 天"},
          _is("problem", "withdrawal_hold")),
    Claim("password-reset", {"en": "movements", "zh": "充提记录"}, _is("problem", "withdrawal_hold"), where="evidence"),
    # A deposit: what the block explorer shows only as the user said it; the memo as given.
    Claim("deposit-missing", {"en": "confirmed", "zh": "已确认"}, _is("chain_status", "confirmed")),
    Claim("deposit-missing", {"en": "on chain", "zh": "还在等待确认"}, _is("chain_status", "pending")),
    Claim("deposit-missing", {"en": "cannot find the transaction", "zh": "查不到"}, _is("chain_status", "not_found")),
    Claim("deposit-missing", {"en": "without one", "zh": "没有填写"},
          lambda a: a.get("memo_needed") is True and "memo" not in a),
    Claim("deposit-missing", {"en": "I included the tag/memo", "zh": "我填写了标签"}, _has("memo")),
    Claim("deposit-missing", {"en": "block explorer (with its confirmations)", "zh": "区块浏览器上交易"},
          lambda a: a.get("chain_status") != "not_found", where="evidence"),
    # A withdrawal: nothing holds a completed one; a cancelled one is not "processed".
    Claim("withdrawal-delayed", {"en": "holding it", "zh": "预计什么时候处理"},
          _is("status_shown", "awaiting_confirmation", "processing")),
    Claim("withdrawal-delayed", {"en": "completed", "zh": "已完成"}, _is("status_shown", "completed")),
    Claim("withdrawal-delayed", {"en": "cancelled", "zh": "取消"}, _is("status_shown", "canceled")),
    Claim("withdrawal-delayed", {"en": "withdrawal hold applies", "zh": "提现冻结"}, _is("security_change", True)),
    # An abnormal trade: the balance is the one now (as asked), prices compared only when both were given.
    Claim("abnormal-trade", {"en": "afterwards", "zh": "之后"}, _never, where="all"),
    Claim("abnormal-trade", {"en": "My order's price was", "zh": "我的订单价格是"}, _has("order_price", "fill_price")),
    Claim("abnormal-trade", {"en": "I did not place it", "zh": "不是我下的"}, _is("what_kind", "not_mine")),
    Claim("abnormal-trade", {"en": "see below", "zh": "详见下文"}, _has("description")),
    Claim("abnormal-trade", {"en": "at the time of writing", "zh": "截至撰写本工单时"}, _has("balance")),
    # A failed order: a page or an app only for the website or the app, the API's error for the API.
    Claim("trade-failed", {"zh": "页面"}, _is("platform", "web"), where="summary+evidence"),
    Claim("trade-failed", {"en": "website", "zh": "网页"}, _is("platform", "web")),
    Claim("trade-failed", {"en": "mobile app", "zh": "手机应用"}, _is("platform", "mobile")),
    Claim("trade-failed", {"en": "through the API", "zh": "通过 API"}, _is("platform", "api")),
    Claim("trade-failed", {"en": "no clear", "zh": "明确"}, lambda a: "error_message" not in a),
    Claim("trade-failed", {"en": "screenshot of the message", "zh": "错误提示截图"},
          lambda a: a.get("platform") in ("web", "mobile") and "error_message" in a, where="evidence"),
    # Verification: the official review time is for Intermediate and Full.
    Claim("verify-account", {"en": "2–3 working days", "zh": "2–3 个工作日"}, _is("level", "intermediate", "full")),
    Claim("verify-account", {"en": "why it was rejected", "zh": "被拒绝的原因"}, _is("status_shown", "rejected")),
    # A follow-up: "see below" only with something below; how to send it as the flow's advice says.
    Claim("escalate", {"en": "(it is quoted below)", "zh": "（答复见下文）"},
          _has("support_said")),
    Claim("escalate", {"en": "restated below", "zh": "最初的问题也附在下文"}, _has("original_problem")),
    Claim("escalate", {"en": "no reply so far", "zh": "没有收到任何回复"}, _is("reason", "no_reply")),
    Claim("escalate", {"en": "support's last email", "zh": "最后一封邮件"},
          lambda a: a.get("channel") == "email" and a.get("reason") == "unsatisfied", where="send"),
    Claim("escalate", {"en": "new ticket", "zh": "新开工单"}, _is("channel", "ticket", "chat"), where="send"),
    Claim("escalate", {"en": "alice_movements.csv", "zh": "alice_movements.csv"}, _has(ATTACHMENTS_KEY),
          where="evidence"),
    # draft-ticket: the export that holds what the category is about.
    Claim("general", {"en": "Movements (deposits", "zh": "充提记录（Movements）"},
          _is("category", "deposit", "withdrawal"), where="evidence"),
    Claim("general", {"en": "Ledgers", "zh": "账本（Ledgers）"}, _is("category", "trading", "other"), where="evidence"),
    Claim("general", {"en": "Trades", "zh": "成交（Trades）"}, _is("category", "trading"), where="evidence"),
)
# Claims can depend on answers no line names (a phrase the template must never say): branch on those too.
CLAIM_KEYS: dict[str, set[str]] = {"abnormal-trade": {"order_price", "fill_price", "description"}}


def _texts(c: Collected, where: str) -> str:
    parts = {"summary": c.summary_plain, "subject": c.subject, "evidence": "\n".join(c.evidence), "send": c.send}
    if where == "all":
        return "\n".join(parts.values())
    return "\n".join(parts[w] for w in where.split("+"))


# --------------------------------------------------------------------------- the tests

ALL = list(cases())


@pytest.mark.parametrize(("name", "runs"), ALL, ids=[name for name, _ in ALL])
def test_every_line_is_said_exactly_when_its_condition_holds_and_its_values_were_given(
    name: str, runs: list[Case]
) -> None:
    assert 1 < len(runs) <= MAX_COMBINATIONS, (name, len(runs))
    raw = _raw(runs[0].template.id)
    for case in runs:
        c = case.render()
        where = (name, case.answers)
        summary = expected(raw, "summary", case, c.values)
        assert summary, where  # something is always said
        assert c.summary_plain == join_sentences(summary), where
        assert c.subject == (expected(raw, "subject", case, c.values) or [""])[0], where
        assert c.evidence[: len(expected(raw, "evidence", case, c.values))] == expected(raw, "evidence", case, c.values)
        sends = expected(raw, "send", case, {**c.values, "url": "https://support.bitfinex.com"})
        assert c.send == (sends or [""])[0], where
        for entry in raw.get("summary", []):  # and nothing of a sentence whose condition fails
            if not all(holds(cond, case.answers) for cond in entry.get("when", [])):
                for text in wordings_filled(entry, case.lang, c.values):
                    assert text not in c.summary_plain, (where, text)
        wanted = [r if isinstance(r, str) else r["name"] for r in raw.get("reports", [])
                  if isinstance(r, str) or all(holds(cond, case.answers) for cond in r.get("when", []))]
        exports = next((e for e in c.evidence if "report.bitfinex.com" in e), "")
        for report in ("Ledgers", "Trades", "Orders", "Movements"):
            label = t(f"drafts.report.{report}", lang=case.lang)
            assert (label in exports) == (report in wanted), (where, report, exports)
        for text in (c.subject, c.summary_plain, *c.evidence, c.send):
            assert "{" not in text and "}" not in text, (where, text)  # every placeholder had its value


@pytest.mark.parametrize(("name", "runs"), ALL, ids=[name for name, _ in ALL])
def test_no_draft_claims_what_the_answers_deny(name: str, runs: list[Case]) -> None:
    lang = runs[0].lang
    claims = [claim for claim in CLAIMS if claim.template == runs[0].template.id and lang in claim.phrases]
    said_once: set[int] = set()
    for case in runs:
        c = case.render()
        for i, claim in enumerate(claims):
            phrase = claim.phrases[case.lang].casefold()
            if phrase in _texts(c, claim.where).casefold():
                said_once.add(i)
                assert claim.needs(case.answers), (name, claim.phrases[case.lang], case.answers)
    # A claim no combination ever says proves nothing: each is said by some answers, except "never" ones.
    for i, claim in enumerate(claims):
        assert i in said_once or claim.needs is _never, (name, claim.phrases)


def test_the_combinations_cover_every_value_of_what_a_line_depends_on() -> None:
    flow = _flows()["password-reset"]
    runs = combinations(flow, depends_on(_raw("password-reset"), flow), "en")
    hold = [a for a in runs if a.get("problem") == "withdrawal_hold"]
    assert {(a["intermediate_or_higher"], a.get("selfie_uploaded")) for a in hold} == {
        (True, True), (True, False), (False, None)}  # the photo is asked only at Intermediate or higher
    assert {a["security_change"] for a in hold} == {c.id for c in flow.question("security_change").choices}  # type: ignore[union-attr]
    assert not any("selfie_uploaded" in a for a in runs if a.get("problem") != "withdrawal_hold")
    login = [a for a in runs if a.get("problem") == "login_blocked"]
    assert {("error_message" in a) for a in login} == {True, False}  # an optional answer quoted: both ways

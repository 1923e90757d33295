"""The flow engine with every shipped flow: each path reaches an end, back, edit, guard, resolution."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from pathlib import Path
from typing import Any

import pytest

from supportcli.core.errors import InputError
from supportcli.core.flows.content import load_flow, load_flows
from supportcli.core.flows.engine import FlowEngine
from supportcli.core.flows.fields import Option
from supportcli.core.flows.model import AnswerValue, Flow, Step
from supportcli.core.pack import Pack, load_pack
from supportcli.core.paths import builtin_packs_dir
from supportcli.core.prompting.guard import SecretsGuard
from supportcli.core.prompting.protocol import BACK, AdviceReply, Question, SummaryRow
from supportcli.core.prompting.scripted import ScriptedPrompter

NOW = dt.datetime(2026, 11, 27, 0, 15, tzinfo=dt.UTC)
BITFINEX = load_pack(builtin_packs_dir() / "bitfinex").manifest  # its names and its assets and pairs
REQUIRED_FLOWS = {
    "abnormal-trade", "trade-failed", "deposit-missing", "withdrawal-delayed", "verify-account",
    "password-reset", "trade-dispute", "escalate", "general",
}
SAMPLE: dict[str, Any] = {
    "text": "something happened", "multiline": "first line\nsecond line", "integer_id": "1234567",
    "amount": "12.5 USDT", "pair": "tBTCUSD", "datetime": "2026-11-20 14:05", "txhash": "ab" * 32,
    "address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "email": "me@example.com",
}


@pytest.fixture(scope="module")
def pack() -> Pack:
    from supportcli.core.paths import builtin_packs_dir

    return load_pack(builtin_packs_dir() / "bitfinex")


def branching(flow: Flow) -> list[Step]:
    """Questions that some `when` depends on: every combination of their values is a path."""
    keys = {c.key for s in flow.steps for c in s.when}
    return [q for q in flow.questions if q.id in keys]


def values_of(step: Step) -> list[AnswerValue]:
    if step.type == "choice":
        return [c.id for c in step.choices]
    return [True, False]


def sample_answers(flow: Flow) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in flow.questions:
        if q.type == "choice":
            out[q.id] = q.choices[0].id
        elif q.type == "confirm":
            out[q.id] = "no"
        else:
            out[q.id] = SAMPLE[q.type]
    return out


def run(flow: Flow, prompter: Any, **kwargs: Any) -> tuple[FlowEngine, Any]:
    engine = FlowEngine(flow, prompter, now=NOW, zone="Asia/Shanghai", lang="en", guard=kwargs.pop("guard", None),
                        manifest=BITFINEX, **kwargs)
    return engine, engine.run(review=prompter.interactive)


def test_the_pack_has_every_required_flow_and_each_category_is_its_id(pack: Pack) -> None:
    flows = load_flows(pack)
    assert set(flows) >= REQUIRED_FLOWS
    for flow in flows.values():
        assert flow.category == flow.id
        assert flow.title["zh"]
        assert flow.title["en"]
        assert flow.summary["zh"]
        assert flow.summary["en"]


def test_every_flow_tries_self_help_before_its_first_question(pack: Pack) -> None:
    for flow in load_flows(pack).values():
        kinds = [s.kind for s in flow.steps]
        assert "advice" in kinds, flow.id
        first_advice = kinds.index("advice")
        # Questions before the first advice only choose which advice applies.
        assert all(q.type == "choice" for q in flow.steps[:first_advice] if q.kind == "question"), flow.id


@pytest.mark.parametrize("flow_id", sorted(REQUIRED_FLOWS))
def test_every_path_of_every_flow_reaches_an_end(pack: Pack, flow_id: str) -> None:
    flow = load_flow(pack, flow_id)
    base = sample_answers(flow)
    branches = branching(flow)
    combos = list(itertools.product(*(values_of(q) for q in branches))) or [()]
    for combo in combos:
        answers = dict(base)
        answers.update({q.id: v for q, v in zip(branches, combo, strict=True)})
        prompter = ScriptedPrompter(answers)
        _, result = run(flow, prompter)
        assert not result.resolved
        # Exactly the questions that apply were asked, and each has an answer.
        for q in flow.questions:
            applies = q.applies(result.answers)
            assert (q.id in prompter.asked) == applies, (flow_id, combo, q.id)
            if applies and q.required:
                assert q.id in result.answers, (flow_id, combo, q.id)
            if not applies:
                assert q.id not in result.answers


@pytest.mark.parametrize("flow_id", sorted(REQUIRED_FLOWS))
def test_every_advice_can_end_its_flow(pack: Pack, flow_id: str) -> None:
    flow = load_flow(pack, flow_id)
    answers = sample_answers(flow)
    for step in (s for s in flow.steps if s.kind == "advice"):
        # Choose the branch that shows this advice.
        for cond in step.when:
            answers[cond.key] = cond.equals[0]
        prompter = Scripted(answers, solve=step.id)
        _, result = run(flow, prompter)
        assert result.resolved
        assert result.resolved_by == step.id


def test_abnormal_trade_completes_from_the_five_keys(pack: Pack) -> None:
    flow = load_flow(pack, "abnormal-trade")
    kinds = {q.id: q.type for q in flow.questions}
    assert {"trade_id": "integer_id", "occurred_at": "datetime", "balance": "amount", "pair": "pair",
            "description": "multiline"}.items() <= kinds.items()
    prompter = ScriptedPrompter({
        "trade_id": "１２３４５", "occurred_at": "昨天 15:30", "balance": "1,523.40 usdt", "pair": "btcusd",
        "description": "Filled at the wrong price.",
    })
    _, result = run(flow, prompter)
    assert result.answers["trade_id"] == 12345
    assert result.answers["occurred_at"] == "2026-11-26T15:30+08:00"
    assert result.answers["balance"] == "1523.40 USDT"
    assert result.answers["pair"] == "BTC/USD"
    assert result.tried == []  # a file says nothing about what was tried unless it lists `_tried`
    assert any("Asia/Shanghai" in n for n in prompter.notes)


def test_a_missing_required_answer_names_the_key(pack: Pack) -> None:
    flow = load_flow(pack, "abnormal-trade")
    with pytest.raises(InputError) as info:
        run(flow, ScriptedPrompter({"trade_id": 5}))
    assert info.value.field == "pair"
    assert "pair" in info.value.render()


def test_an_invalid_scripted_answer_stops_with_the_key(pack: Pack) -> None:
    flow = load_flow(pack, "abnormal-trade")
    answers = sample_answers(flow) | {"trade_id": "12a"}
    with pytest.raises(InputError) as info:
        run(flow, ScriptedPrompter(answers))
    assert info.value.field == "trade_id"


# --------------------------------------------------------------------------- an interactive-like prompter

class Scripted(ScriptedPrompter):
    """Answers from the mapping; one advice may be 'solved'."""

    def __init__(self, answers: dict[str, Any], solve: str = "") -> None:
        super().__init__(answers)
        self.solve = solve

    def advice(self, step: Step, text: str, *, can_go_back: bool) -> AdviceReply:
        return "solved" if step.id == self.solve else "not_solved"


class Typist:
    """A person at the keyboard: replies are taken in order; refusals are remembered, not raised."""

    interactive = True

    def __init__(self, replies: list[Any], edits: list[str] | None = None) -> None:
        self.replies = deque(replies)
        self.edits = deque(edits or [])
        self.asked: list[tuple[str, AnswerValue | None]] = []
        self.refused: list[tuple[str, str]] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.clarified: list[tuple[str, tuple[Option, ...]]] = []
        self.summaries: list[list[SummaryRow]] = []
        self.shown: list[tuple[str, str]] = []

    def _next(self) -> Any:
        if not self.replies:
            raise KeyboardInterrupt
        return self.replies.popleft()

    def advice(self, step: Step, text: str, *, can_go_back: bool) -> AdviceReply:
        reply = self._next()
        assert reply in ("solved", "not_solved", "back"), (step.id, reply)
        return reply  # type: ignore[no-any-return]

    def warning(self, text: str) -> None:
        self.warnings.append(text)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def ask(self, question: Question) -> Any:
        self.asked.append((question.key, question.default))
        reply = self._next()
        return BACK if reply == "<" else reply

    def answered(self, question: Question, shown: str) -> None:
        self.shown.append((question.key, shown))

    def rejected(self, question: Question, error: InputError) -> None:
        self.refused.append((question.key, error.render()))

    def clarify(self, question: Question, reason: str, options: tuple[Option, ...]) -> Any:
        self.clarified.append((reason, options))
        reply = self._next()
        return BACK if reply == "<" else options[int(reply)].value

    def confirm_findings(self, question: Question, error: InputError, explanations: list[str]) -> bool:
        return bool(self._next())

    def review(self, rows: list[SummaryRow]) -> str | None:
        self.summaries.append(rows)
        return self.edits.popleft() if self.edits else None


FIVE = ["1234", "BTC/USD", "2026-11-20 14:05", "", "", "10 BTC", "it broke"]  # no order or fill price


def abnormal(pack: Pack) -> Flow:
    return load_flow(pack, "abnormal-trade")


def test_an_invalid_answer_is_asked_again_keeping_earlier_answers(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "other", "12a", "1234", "", "BTC/USD", "2026-11-20 14:05",
                     "", "", "10 BTC", "it broke", ""])
    _, result = run(abnormal(pack), typist)
    assert typist.refused
    assert typist.refused[0][0] == "trade_id"
    assert "whole numbers" in typist.refused[0][1]
    assert [d for k, d in typist.asked if k == "trade_id"] == [None, "12a"]  # the typo is offered back
    assert result.answers["what_kind"] == "other"
    assert result.answers["trade_id"] == 1234
    assert result.tried == ["check-announcements", "check-order-history-and-ledgers"]


def test_going_back_offers_the_earlier_answer_as_default(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "other", "1234", "<", "5678", "", "BTC/USD",
                     "2026-11-20 14:05", "", "", "10 BTC", "it broke", ""])
    _, result = run(abnormal(pack), typist)
    keys = [k for k, _ in typist.asked]
    assert keys[:4] == ["what_kind", "trade_id", "order_id", "trade_id"]
    assert typist.asked[3] == ("trade_id", 1234)  # the earlier answer is pre-filled
    assert result.answers["trade_id"] == 5678


def test_an_optional_answer_erased_after_going_back_is_left_empty(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "other", "1234", "98765", "<", "", *FIVE[1:], ""])
    _, result = run(abnormal(pack), typist)
    assert ("order_id", 98765) in typist.asked  # offered back pre-filled; the user cleared it
    assert "order_id" not in result.answers


def test_going_back_over_an_advice_step_asks_it_again(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "<", "not_solved", "other", *FIVE[:1], "", *FIVE[1:], ""])
    _, result = run(abnormal(pack), typist)
    assert result.tried == ["check-announcements", "check-order-history-and-ledgers"]
    assert result.answers["trade_id"] == 1234


def test_a_condition_shows_its_warning(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "not_mine", "1234", "", "BTC/USD", "2026-11-20 14:05", "", "",
                     "10 BTC", "not me", ""])
    run(abnormal(pack), typist)
    assert any("someone else may be using your account" in w for w in typist.warnings)


def test_the_summary_can_edit_any_answer_and_new_questions_follow(pack: Pack) -> None:
    flow = load_flow(pack, "password-reset")
    typist = Typist(
        ["forgot_password", "not_solved", "me@example.com", "", "withdrawal_hold", "not_solved", "", "2026-11-25",
         "yes", "no"],
        edits=["problem"],
    )
    _, result = run(flow, typist)
    assert result.answers["problem"] == "withdrawal_hold"
    assert result.answers["security_change"] == "password_reset"
    assert result.answers["changed_at"] == "2026-11-25"
    assert result.answers["intermediate_or_higher"] is True
    assert result.answers["selfie_uploaded"] is False
    assert len(typist.summaries) == 2
    assert [r.key for r in typist.summaries[0]] == ["problem", "account_email", "description"]
    assert typist.summaries[0][2].value == "(skipped)"


def test_an_optional_answer_left_empty_can_be_filled_in_from_the_summary(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "other", "1234", "", *FIVE[1:], "", "98765"], edits=["order_id"])
    _, result = run(abnormal(pack), typist)
    assert ("order_id", "(skipped)") in [(r.key, r.value) for r in typist.summaries[0]]
    assert result.answers["order_id"] == 98765
    assert ("order_id", "98765") in [(r.key, r.value) for r in typist.summaries[1]]


def test_an_edit_that_makes_questions_not_apply_drops_their_answers(pack: Pack) -> None:
    flow = load_flow(pack, "deposit-missing")
    address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    answers = ["not_solved"] * 3 + ["250 USDT", "2026-11-20 14:05", "other", "Solana", "ab" * 32, "", address, "no", "",
                                    "bitcoin"]
    typist = Typist(answers, edits=["network"])
    _, result = run(flow, typist)
    assert result.answers["network"] == "bitcoin"
    assert "network_name" not in result.answers


def test_an_advice_reached_by_an_edit_can_still_solve_it(pack: Pack) -> None:
    flow = load_flow(pack, "password-reset")
    typist = Typist(["forgot_password", "not_solved", "me@example.com", "", "withdrawal_hold", "solved"],
                    edits=["problem"])
    _, result = run(flow, typist)
    assert result.resolved
    assert result.resolved_by == "lift-hold"


def test_an_ambiguous_time_in_an_answers_file_stops_with_both_readings(pack: Pack) -> None:
    flow = abnormal(pack)
    answers = sample_answers(flow) | {"occurred_at": "2026-10-25 02:30"}
    engine = FlowEngine(flow, ScriptedPrompter(answers), now=NOW, zone="Europe/Berlin", guard=None, manifest=BITFINEX)
    with pytest.raises(InputError) as info:
        engine.run(review=False)
    assert info.value.field == "occurred_at"
    assert "2026-10-25T02:30+02:00" in info.value.render()
    assert "2026-10-25T02:30+01:00" in info.value.render()


def test_a_dst_gap_is_asked_about(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "other", "1234", "", "BTC/USD", "2026-03-29 02:30", "1", "", "",
                     "10 BTC", "it broke", ""])
    engine = FlowEngine(abnormal(pack), typist, now=NOW, zone="Europe/Berlin", lang="en", manifest=BITFINEX)
    result = engine.run()
    assert typist.clarified
    assert "does not exist" in typist.clarified[0][0]
    assert result.answers["occurred_at"] == "2026-03-29T02:30+02:00"


def test_an_advice_that_solves_it_ends_the_flow_without_questions(pack: Pack) -> None:
    typist = Typist(["not_solved", "solved"])
    _, result = run(abnormal(pack), typist)
    assert result.resolved
    assert result.resolved_by == "check-order-history-and-ledgers"
    assert result.answers == {}
    assert typist.asked == []


def test_initial_answers_are_checked_and_not_asked(pack: Pack) -> None:
    flow = load_flow(pack, "escalate")
    typist = Typist(["not_solved", "", "please escalate"])
    initial = {"reason": "no_reply", "ticket_number": "1234567", "channel": "email", "sent_on": "2026-11-10",
               "support_said": "irrelevant here", "case_id": "c1"}
    _, result = run(flow, typist, initial=initial)
    assert [k for k, _ in typist.asked] == ["original_problem", "request"]
    assert result.answers == {"reason": "no_reply", "ticket_number": "1234567", "channel": "email",
                              "sent_on": "2026-11-10", "request": "please escalate"}


def test_an_invalid_initial_answer_is_asked_instead(pack: Pack) -> None:
    flow = load_flow(pack, "escalate")
    typist = Typist(["unsatisfied", "not_solved", "", "", "they said no", "please escalate"])
    _, result = run(flow, typist, initial={"reason": "maybe", "ticket_number": "99", "channel": "phone",
                                           "sent_on": "2026-11-10"})
    assert [k for k, _ in typist.asked] == ["reason", "channel", "original_problem", "support_said", "request"]
    assert result.answers["channel"] == "ticket"
    # Never dropped silently: which answer was not taken over, and why.
    not_taken = [n for n in typist.notes if n.startswith("Not taken over")]
    assert len(not_taken) == 2
    assert "reason:" in not_taken[0]
    assert "channel:" in not_taken[1]
    assert "ticket, email, chat" in not_taken[1]


# --------------------------------------------------------------------------- the secret guard

SEED = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"


def test_a_secret_is_refused_asked_again_without_default_and_never_kept(pack: Pack) -> None:
    guard = SecretsGuard()
    typist = Typist(["not_solved", "not_solved", "other", "1234", "", "BTC/USD", "2026-11-20 14:05", "", "", "10 BTC",
                     SEED, "it broke", ""])
    engine = FlowEngine(abnormal(pack), typist, now=NOW, zone="UTC", lang="en", guard=guard, manifest=BITFINEX)
    result = engine.run()
    assert typist.refused
    assert typist.refused[0][0] == "description"
    assert "abandon" not in typist.refused[0][1]
    description_asks = [d for k, d in typist.asked if k == "description"]
    assert description_asks == [None, None]
    assert ("description", "it broke") in typist.shown
    assert SEED not in repr(typist.shown)
    assert result.answers["description"] == "it broke"
    assert SEED not in repr(engine.answers)


def test_a_secret_in_an_answers_file_stops_naming_field_and_kind(pack: Pack) -> None:
    guard = SecretsGuard()
    flow = abnormal(pack)
    answers = sample_answers(flow) | {"description": SEED}
    with pytest.raises(InputError) as info:
        FlowEngine(flow, ScriptedPrompter(answers), now=NOW, guard=guard, manifest=BITFINEX).run(review=False)
    assert info.value.field == "description"
    assert "recovery phrase" in info.value.render()
    assert "abandon" not in info.value.render()


def test_talk_of_being_contacted_shows_the_scam_warning(pack: Pack) -> None:
    guard = SecretsGuard()
    typist = Typist(["not_solved", "not_solved", "other", "1234", "", "BTC/USD", "2026-11-20 14:05", "", "", "10 BTC",
                     "Someone from support DMed me about it", ""])
    FlowEngine(abnormal(pack), typist, now=NOW, guard=guard, manifest=BITFINEX).run()
    assert any(guard.scam_warning(BITFINEX) == w for w in typist.warnings)  # naming the exchange


def test_interrupting_leaves_only_accepted_answers(pack: Pack, tmp_path: Path) -> None:
    typist = Typist(["not_solved", "not_solved", "other", "1234", "", "BTC/USD", "2026-11-20 14:05", "", "",
                     "10 BTC", SEED])
    engine = FlowEngine(abnormal(pack), typist, now=NOW, guard=SecretsGuard(), manifest=BITFINEX)
    with pytest.raises(KeyboardInterrupt):
        engine.run()
    assert engine.answers["trade_id"] == 1234
    assert "description" not in engine.answers


HEX = "0a7651ded856f511eb4616feed8b64ab5d9dfb032de4c1e42a6c186d7fa36451"


class Confirming(Typist):
    def __init__(self, replies: list[Any], keep: bool) -> None:
        super().__init__(replies)
        self.keep = keep
        self.confirmations: list[list[str]] = []

    def confirm_findings(self, question: Question, error: InputError, explanations: list[str]) -> bool:
        self.confirmations.append(explanations)
        return self.keep


@pytest.mark.parametrize("keep", [True, False])
def test_an_unsure_finding_is_confirmed_or_typed_again(pack: Pack, keep: bool) -> None:
    guard = SecretsGuard()
    flow = load_flow(pack, "general")
    replies = ["not_solved", "", "Missing funding payment", "It did not arrive", "", HEX]
    if not keep:
        replies.append("order 42")
    replies.append("")
    typist = Confirming(replies, keep=keep)
    result = FlowEngine(flow, typist, now=NOW, guard=guard, manifest=BITFINEX).run()
    assert len(typist.confirmations) == 1
    assert typist.confirmations[0]
    assert result.answers["ids"] == (HEX if keep else "order 42")
    if not keep:
        assert [d for k, d in typist.asked if k == "ids"] == [None, None]


def test_a_hash_in_its_own_field_needs_no_confirmation(pack: Pack) -> None:
    guard = SecretsGuard()
    flow = load_flow(pack, "deposit-missing")
    answers = sample_answers(flow) | {"tx_hash": HEX}
    result = FlowEngine(flow, ScriptedPrompter(answers), now=NOW, guard=guard, manifest=BITFINEX).run(
        review=False)
    assert result.answers["tx_hash"] == HEX


def test_going_back_from_the_dst_question_offers_the_time_as_typed(pack: Pack) -> None:
    typist = Typist(["not_solved", "not_solved", "other", "1234", "", "BTC/USD", "2026-03-29 02:30", "<",
                     "2026-03-29 03:30", "", "", "10 BTC", "it broke", ""])
    engine = FlowEngine(abnormal(pack), typist, now=NOW, zone="Europe/Berlin", lang="en", manifest=BITFINEX)
    result = engine.run()
    assert [d for k, d in typist.asked if k == "occurred_at"] == [None, "2026-03-29 02:30"]
    assert result.answers["occurred_at"] == "2026-03-29T03:30+02:00"


def test_the_guard_is_never_skipped_silently(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import supportcli.core.guard

    # As if the guard could not be imported: the run stops instead of going on without it.
    monkeypatch.delattr(supportcli.core.guard, "secrets", raising=False)
    monkeypatch.setitem(sys.modules, "supportcli.core.guard.secrets", None)
    typist = Typist(["not_solved", "not_solved", "other", "1234"])
    with pytest.raises(ImportError):
        run(abnormal(pack), typist)


def test_a_refusal_gives_the_question_s_own_example(pack: Pack) -> None:
    flow = load_flow(pack, "withdrawal-delayed")
    with pytest.raises(InputError) as info:
        run(flow, ScriptedPrompter(sample_answers(flow) | {"amount": "0,25 BTC"}))
    message = info.value.render()
    assert message.startswith("amount: ")
    assert "write 0.25 BTC" in message
    assert message.endswith("Example: 0.25 BTC")  # as shown with the question, not the generic 1523.40 USDT

"""Flow files are checked on load: every problem names file, line, key and what was expected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from supportcli.core.errors import ContentError, NotFoundError
from supportcli.core.flows.content import check_pack, load_flow, load_flows
from supportcli.core.pack import Pack, load_pack
from tests.conftest import Runner

GOOD = '''id = "{id}"
category = "general"
faq = []
title.zh = "标题"
title.en = "Title"
summary.zh = "摘要"
summary.en = "Summary"

[[steps]]
kind = "advice"
id = "try-this"
text.zh = "先试试这个。"
text.en = "Try this first."

[[steps]]
kind = "question"
id = "kind"
type = "choice"
text.zh = "哪种？"
text.en = "Which?"
[[steps.choices]]
id = "a"
label.zh = "甲"
label.en = "A"
[[steps.choices]]
id = "b"
label.zh = "乙"
label.en = "B"

[[steps]]
kind = "question"
id = "detail"
type = "text"
when = [{{ key = "kind", equals = ["a"] }}]
text.zh = "细节"
text.en = "Detail"
'''


@pytest.fixture
def pack_copy(tmp_path: Path, pack_root: Path) -> Path:
    copy = tmp_path / "bitfinex"
    shutil.copytree(pack_root, copy)
    return copy


def write_flow(root: Path, flow_id: str, text: str) -> Path:
    path = root / "flows" / f"{flow_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check_pack(load_pack(root))]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_a_good_flow_loads(pack_copy: Path) -> None:
    write_flow(pack_copy, "extra", GOOD.format(id="extra"))
    assert problems_of(pack_copy) == []
    flow = load_flow(load_pack(pack_copy), "extra")
    assert [s.id for s in flow.steps] == ["try-this", "kind", "detail"]
    assert flow.question("detail") is not None
    assert flow.question("detail").when[0].equals == ("a",)  # type: ignore[union-attr]


def test_when_must_name_an_earlier_question(pack_copy: Path) -> None:
    text = GOOD.format(id="extra").replace('key = "kind"', 'key = "detail"')
    path = write_flow(pack_copy, "extra", text)
    problems = problems_of(pack_copy)
    assert len(problems) == 1
    line = line_of(path, 'key = "detail"')
    assert problems[0].startswith(f"bitfinex/flows/extra.toml:{line}: steps[2].when[0].key: ")
    assert "'detail' is not one" in problems[0]


def test_when_values_must_be_choice_ids(pack_copy: Path) -> None:
    write_flow(pack_copy, "extra", GOOD.format(id="extra").replace('equals = ["a"]', 'equals = ["c"]'))
    problems = problems_of(pack_copy)
    assert any("steps[2].when[0].equals: one of: a, b" in p for p in problems)


def test_flows_and_templates_share_one_condition_language(pack_copy: Path) -> None:
    """`answered` works in a flow as in a template; yes/no and values on free text are refused alike."""
    extra = (
        '\n[[steps]]\nkind = "advice"\nid = "after-detail"\nwhen = [{ key = "detail", answered = true }]\n'
        'text.zh = "有细节时。"\ntext.en = "When there is a detail."\n'
        '\n[[steps]]\nkind = "advice"\nid = "yes-no-on-text"\nwhen = [{ key = "detail", equals = [true] }]\n'
        'text.zh = "错误。"\ntext.en = "Wrong."\n'
        '\n[[steps]]\nkind = "advice"\nid = "value-on-text"\nwhen = [{ key = "detail", not_equals = ["x"] }]\n'
        'text.zh = "错误。"\ntext.en = "Wrong."\n'
    )
    write_flow(pack_copy, "extra", GOOD.format(id="extra") + extra)
    problems = problems_of(pack_copy)
    assert len(problems) == 2, problems
    assert "steps[4].when[0].equals: no true/false: 'detail' is a text question" in problems[0]
    assert "steps[5].when[0].not_equals: no values: the answer to 'detail' (text) is free text" in problems[1]
    good_only = extra.split('\n[[steps]]\nkind = "advice"\nid = "yes')[0]
    write_flow(pack_copy, "extra", GOOD.format(id="extra") + good_only)
    flow = load_flow(load_pack(pack_copy), "extra")
    step = next(s for s in flow.steps if s.id == "after-detail")
    assert step.applies({"kind": "a", "detail": "x"})
    assert not step.applies({"kind": "b"})


def test_a_condition_never_takes_a_number_for_yes() -> None:
    from supportcli.core.flows.model import Condition

    assert Condition("memo_needed", equals=(True,)).holds({"memo_needed": True})
    assert not Condition("memo_needed", equals=(True,)).holds({"memo_needed": 1})
    assert Condition("memo", answered=False).holds({})
    assert not Condition("memo", answered=False).holds({"memo": "1"})
    assert not Condition("network", not_equals=("other",)).holds({})  # no answer: nothing to compare


def test_id_type_default_and_faq_are_checked(pack_copy: Path) -> None:
    text = (GOOD.format(id="other-name").replace('faq = []', 'faq = ["no-such-entry"]')
            .replace('type = "text"', 'type = "integer_id"\ndefault = "12a"')
            .replace('type = "choice"', 'type = "choise"'))
    write_flow(pack_copy, "extra", text)
    problems = "\n".join(problems_of(pack_copy))
    assert "extra.toml:1: id: the file's name without .toml ('extra')" in problems
    assert "faq[0]: the id of an existing FAQ ('no-such-entry' does not exist)" in problems
    assert "steps[1].type: one of: text, multiline, choice" in problems
    assert "steps[2].default: a valid integer_id answer" in problems


def test_unknown_keys_and_question_only_keys(pack_copy: Path) -> None:
    text = GOOD.format(id="extra").replace('id = "try-this"', 'id = "try-this"\ntype = "text"\ncolour = "red"')
    write_flow(pack_copy, "extra", text)
    problems = "\n".join(problems_of(pack_copy))
    assert "steps[0].colour: a known key" in problems
    assert "steps[0].type: nothing: this key is for question steps only" in problems


def test_a_broken_flow_stops_loading_with_every_problem(pack_copy: Path) -> None:
    write_flow(pack_copy, "extra", GOOD.format(id="extra").replace('text.en = "Detail"\n', ""))
    with pytest.raises(ContentError) as info:
        load_flows(load_pack(pack_copy))
    assert "steps[2].text.en: non-empty text in 'en'" in info.value.render()


def test_unknown_flow_suggests_close_ids(pack_root: Path) -> None:
    with pytest.raises(NotFoundError) as info:
        load_flow(load_pack(pack_root), "deposit-mising")
    message = info.value.render()
    assert "deposit-missing" in message
    assert info.value.exit_code == 2


def test_content_check_reports_flow_problems(cli: Runner, pack_copy: Path) -> None:
    write_flow(pack_copy, "extra", GOOD.format(id="extra").replace('key = "kind"', 'key = "nothing"'))
    r = cli("content", "check", str(pack_copy))
    assert r.exit_code == 1
    assert "flows/extra.toml" in r.output
    assert "when[0].key" in r.output


def test_every_faq_reference_of_the_shipped_flows_exists(pack_root: Path) -> None:
    pack: Pack = load_pack(pack_root)
    faq = pack.section_ids("faq")
    for flow in load_flows(pack).values():
        assert set(flow.faq) <= faq, flow.id


def test_a_source_needs_a_verified_date(pack_copy: Path) -> None:
    text = GOOD.format(id="extra").replace('id = "try-this"', 'id = "try-this"\nsources = ["bfx-help-center"]')
    write_flow(pack_copy, "extra", text)
    assert any("steps[0].verified: a TOML date such as 2026-11-27" in p for p in problems_of(pack_copy))


def test_a_step_citing_an_unknown_or_unconfirmed_source_is_reported(pack_copy: Path) -> None:
    cited = 'id = "try-this"\nsources = ["no-such-source", "guide-zh"]\nverified = 2026-12-01'
    write_flow(pack_copy, "extra", GOOD.format(id="extra").replace('id = "try-this"', cited))
    found = problems_of(pack_copy)
    assert any("steps[0].sources[0]: the id of an existing source in sources.toml ('no-such-source'" in p
               for p in found), found
    # guide-zh is third-party: "Try this first." says nothing about that, in either language
    for lang in ("zh", "en"):
        assert any(f"steps[0].text.{lang}: text that says the fact is not confirmed, because it cites 'guide-zh'" in p
                   for p in found), (lang, found)


def test_steps_that_state_facts_name_their_source(pack_root: Path) -> None:
    flows = load_flows(load_pack(pack_root))
    facts = ("5-day", "2–3 working days", "2–5 business days", "report.bitfinex.com", "tag/memo", "12 hours")
    for flow in flows.values():
        for step in flow.steps:
            if step.kind != "question" and any(f in step.text["en"] for f in facts):
                assert step.extra.get("sources"), (flow.id, step.id)
                assert step.extra.get("verified") == "2026-12-01", (flow.id, step.id)


def test_an_example_in_words_is_given_per_language(pack_copy: Path) -> None:
    examples = 'text.en = "Detail"\nexample.zh = "例子"\nexample.en = "Sample"'
    text = GOOD.format(id="extra").replace('text.en = "Detail"', examples)
    write_flow(pack_copy, "extra", text)
    assert problems_of(pack_copy) == []
    detail = load_flow(load_pack(pack_copy), "extra").question("detail")
    assert detail is not None
    assert (detail.example_in("zh"), detail.example_in("en"), detail.example) == ("例子", "Sample", "Sample")

    write_flow(pack_copy, "extra", text.replace('example.zh = "例子"\n', ""))
    assert any("steps[2].example.zh: non-empty text in 'zh'" in p for p in problems_of(pack_copy))


def test_shipped_examples_in_words_are_in_the_reader_s_language(pack_root: Path) -> None:
    import re

    from supportcli.core.flows.answers import answers_template

    flows = load_flows(load_pack(pack_root))
    template = answers_template(flows["abnormal-trade"], "zh")
    assert 'description = "我在 43000 挂的限价卖单却以 41000 成交。"' in template
    for flow in flows.values():
        for step in flow.questions:
            if step.type in ("text", "multiline") and re.search(r"[a-z]{3,} [a-z]{3,}", step.example):
                # Prose examples come in both languages (quoted error messages may stay as shown).
                assert step.examples or "Invalid" in step.example, (flow.id, step.id)

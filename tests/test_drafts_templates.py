"""Templates: the tiny placeholder syntax and the checks `content check` runs on the templates section."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from supportcli.core.drafts.templates import (
    CATEGORIES,
    TemplateSyntaxError,
    check_pack,
    fill,
    load_templates,
    placeholders,
)
from supportcli.core.pack import load_pack


def test_placeholders_and_literal_braces() -> None:
    assert placeholders("Trade #{trade_id} on {pair} {{not}}") == ["trade_id", "pair"]
    assert fill("{{x}} = {a}", {"a": "1"}) == "{x} = 1"
    assert fill("{a} and {b}", {"a": "1"}) is None  # a missing value: the next candidate is used
    assert fill("{a}", {"a": ""}) is None


@pytest.mark.parametrize("bad", ["{", "}", "{Trade}", "{a.b}", "{0}", "{a!r}", "{a:>10}", "{ a }"])
def test_anything_but_a_plain_name_is_a_syntax_error(bad: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        placeholders(bad)


def test_values_are_inserted_once_and_never_evaluated() -> None:
    values = {"a": "{b} {{c}} {__class__}", "b": "SECRET"}
    assert fill("[{a}]", values) == "[{b} {{c}} {__class__}]"


def test_the_shipped_pack_has_a_valid_template_for_every_category(pack_root: Path) -> None:
    pack = load_pack(pack_root)
    assert check_pack(pack) == []
    assert set(load_templates(pack)) == set(CATEGORIES)


def _copy_pack(pack_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "bitfinex"
    shutil.copytree(pack_root, root)
    return root


def test_problems_name_file_line_and_key(pack_root: Path, tmp_path: Path) -> None:
    root = _copy_pack(pack_root, tmp_path)
    (root / "templates" / "trade-failed.toml").write_text(
        'id = "trade-failed"\n'
        'colour = "red"\n'
        "[name]\n"
        'en = "Failed order"\n'
        "[[subject]]\n"
        'en = ["Order {order_id"]\n'
        'zh = ["订单 {order_id}"]\n'
        "[[summary]]\n"
        'en = "A summary"\n',
        encoding="utf-8",
    )
    problems = [str(p) for p in check_pack(load_pack(root))]
    assert any(p.startswith("bitfinex/templates/trade-failed.toml:2: colour:") for p in problems), problems
    assert any(p.startswith("bitfinex/templates/trade-failed.toml:3: name.zh:") for p in problems), problems
    assert any(":6: subject[0].en[0]:" in p and "stray brace" in p for p in problems), problems
    assert any(":8: summary[0].zh:" in p for p in problems), problems


def _with_lines(pack_root: Path, tmp_path: Path, name: str, extra: str) -> list[str]:
    """The problems `content check` finds once `extra` (TOML) is added to the template `name`."""
    root = _copy_pack(pack_root, tmp_path)
    path = root / "templates" / f"{name}.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return [str(p) for p in check_pack(load_pack(root))]


def test_conditions_are_checked_against_the_flows_questions(pack_root: Path, tmp_path: Path) -> None:
    extra = (
        "[[summary]]\n"
        'when = [{ key = "status_shwon", equals = ["completed"] }]\n'
        'en = "Typo in the key."\nzh = "键名拼错。"\n'
        "[[summary]]\n"
        'when = [{ key = "status_shown", equals = ["complete"] }]\n'
        'en = "A value the choice cannot take."\nzh = "选项里没有这个值。"\n'
        "[[summary]]\n"
        'when = [{ key = "amount", equals = [true] }]\n'
        'en = "Yes/no on an amount."\nzh = "对金额用是非条件。"\n'
        "[[summary]]\n"
        'when = [{ key = "security_change", equals = ["yes"] }]\n'
        'en = "A word for a yes/no answer."\nzh = "是非题写成文字。"\n'
        "[[summary]]\n"
        'when = [{ key = "tx_hash", answered = false, equals = ["x"] }]\n'
        'en = "Values with answered = false."\nzh = "answered = false 还带值。"\n'
        "[[evidence]]\n"
        'when = [{ key = "status_shown", colour = "red" }]\n'
        'en = "An unknown key in a condition."\nzh = "条件里有未知的键。"\n'
    )
    problems = [p for p in _with_lines(pack_root, tmp_path, "withdrawal-delayed", extra)
                if "withdrawal-delayed.toml" in p]
    text = "\n".join(problems)
    summaries = len(tomllib.loads((pack_root / "templates" / "withdrawal-delayed.toml").read_text("utf-8"))["summary"])
    first = summaries  # the index of the first added sentence
    assert f"summary[{first}].when[0].key: the key of a question of the flows that use this template " \
           "('status_shwon' is none" in text, text
    assert f"summary[{first + 1}].when[0].equals: one of: awaiting_confirmation, processing, completed, canceled" \
        in text, text
    assert f"summary[{first + 2}].when[0].equals: no true/false: 'amount' is a amount question" in text, text
    assert f"summary[{first + 3}].when[0].equals: one of: true, false" in text, text
    assert f"summary[{first + 4}].when[0].equals: no values: answered = false" in text, text
    assert "evidence[2].when[0].colour: a known key" in text, text
    lines = (pack_root / "templates" / "withdrawal-delayed.toml").read_text("utf-8").count("\n") + 2
    assert f"withdrawal-delayed.toml:{lines + 1}: summary[{first}].when[0].key:" in text, text  # file:line:key


def test_a_placeholder_no_flow_answers_is_reported(pack_root: Path, tmp_path: Path) -> None:
    extra = '[[evidence]]\nen = "Screenshot of {txhash}"\nzh = ["截图 {tx_hash}", "{withdrawl_id} 的截图"]\n'
    problems = _with_lines(pack_root, tmp_path, "withdrawal-delayed", extra)
    assert any(".en: placeholders that name an answer" in p and "'txhash' is none" in p for p in problems), problems
    assert any(".zh[1]: placeholders that name an answer" in p and "'withdrawl_id'" in p for p in problems), problems
    assert not any(".zh[0]:" in p for p in problems), problems


def test_a_summary_needs_a_fallback_and_a_subject_an_unconditional_last_line(pack_root: Path, tmp_path: Path) -> None:
    root = _copy_pack(pack_root, tmp_path)
    (root / "templates" / "trade-failed.toml").write_text(
        'id = "trade-failed"\n[name]\nen = "Failed"\nzh = "失败"\n'
        '[[subject]]\nwhen = [{ key = "platform", equals = ["api"] }]\nen = "API"\nzh = "API"\n'
        '[[summary]]\nen = "{pair} failed."\nzh = "{pair} 失败。"\n',
        encoding="utf-8",
    )
    problems = [str(p) for p in check_pack(load_pack(root))]
    assert any(":5: subject[0]: a last entry without `when`" in p for p in problems), problems
    assert any("summary: a sentence whose last wording has no placeholders" in p for p in problems), problems


def test_a_flow_category_without_a_template_is_reported(pack_root: Path, tmp_path: Path) -> None:
    root = _copy_pack(pack_root, tmp_path)
    (root / "templates" / "escalate.toml").unlink()
    problems = [str(p) for p in check_pack(load_pack(root))]
    assert any("flows/escalate.toml" in p and "escalate" in p for p in problems), problems


def test_a_broken_toml_file_is_one_problem_with_its_line(pack_root: Path, tmp_path: Path) -> None:
    root = _copy_pack(pack_root, tmp_path)
    (root / "templates" / "general.toml").write_text('id = "general"\nname = [\n', encoding="utf-8")
    problems = [str(p) for p in check_pack(load_pack(root))]
    assert any(p.startswith("bitfinex/templates/general.toml:") and "valid TOML" in p for p in problems)


def test_tried_lines_must_match_the_advice_steps_of_the_category(pack_root: Path, tmp_path: Path) -> None:
    root = _copy_pack(pack_root, tmp_path)
    path = root / "templates" / "trade-failed.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("check-announcements.zh", "check-announcement.zh").replace(
        "check-announcements.en", "check-announcement.en")
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check_pack(load_pack(root))]
    assert any(p.startswith("bitfinex/templates/trade-failed.toml:") and "tried.check-announcement:" in p
               and "check-error-and-settings" in p for p in problems), problems
    assert any("trade-failed.toml:" in p and "tried:" in p and "missing: check-announcements" in p
               for p in problems), problems

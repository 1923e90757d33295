"""Templates: the tiny placeholder syntax and the checks `content check` runs on the templates section."""

from __future__ import annotations

import shutil
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
        "[subject]\n"
        'en = ["Order {order_id"]\n'
        'zh = ["订单 {order_id}"]\n'
        "[summary]\n"
        'en = ["A summary"]\n',
        encoding="utf-8",
    )
    problems = [str(p) for p in check_pack(load_pack(root))]
    assert any(p.startswith("bitfinex/templates/trade-failed.toml:2: colour:") for p in problems), problems
    assert any(p.startswith("bitfinex/templates/trade-failed.toml:3: name.zh:") for p in problems), problems
    assert any(":6: subject.en[0]:" in p and "stray brace" in p for p in problems), problems
    assert any(":7: subject.zh[0]:" in p and "without placeholders" in p for p in problems), problems
    assert any(":8: summary.zh:" in p for p in problems), problems


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

"""An answers file that still holds the `--template` examples is refused (exit 2, naming the keys): no ticket
is ever drafted from an unedited template. Every flow, both languages' templates."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from supportcli.core.flows.answers import EXAMPLES_KEY, example_keys
from supportcli.core.flows.content import load_flow
from supportcli.core.flows.model import Flow
from supportcli.core.paths import AppPaths
from tests.conftest import Runner
from tests.drafts_fixtures import bitfinex_pack

FLOWS = ("abnormal-trade", "trade-failed", "deposit-missing", "withdrawal-delayed", "verify-account",
         "password-reset", "trade-dispute", "escalate", "general")
# Two valid answers of each type: the one that is not the question's example replaces it.
OWN = {
    "integer_id": ("42424242", "53535353"), "amount": ('"77 USDT"', '"88 USDT"'), "pair": ('"ETH/USD"', '"LTC/USD"'),
    "datetime": ('"2026-11-19 09:00"', '"2026-11-18 10:00"'), "txhash": (f'"{"cd" * 32}"', f'"{"ef" * 32}"'),
    "address": ('"0x52908400098527886E0F7030069857D2E4169EE7"', '"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"'),
    "email": ('"alice@example.org"', '"bob@example.org"'), "text": ('"In my own words"', '"Also mine"'),
    "multiline": ('"In my own words.\\nA second line."', '"Also mine."'),
}
REFUSED = {"en": "replace the example answer", "zh": "请把示例答案换成你自己的"}


def template(cli: Runner, flow_id: str, lang: str) -> str:
    r = cli("--lang", lang, "troubleshoot", flow_id, "--template")
    assert r.exit_code == 0, r.output
    return r.stdout


def filled_in(text: str, flow: Flow, *, keep: tuple[str, ...] = ()) -> str:
    """The template as a user fills it in: every example replaced (but `keep`), every required choice made."""
    lines = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        match = re.match(r"^([a-z_]+) = (.*?)  # ", line)
        if match and match.group(1) not in keep and (step := flow.question(match.group(1))) is not None:
            first, second = OWN[step.type]
            value = first if json.loads(first) != step.example_in("en") and first.strip('"') != step.example else second
            line = f"{match.group(1)} = {value}"
        elif line.startswith("# ") and re.match(r"^# [a-z_]+ = ", line) and i and (
            "remove the # and choose one" in lines[i - 1] or "去掉 # 并选一项" in lines[i - 1]
        ):
            line = line[2:]  # a required choice: the user picks one (here the one shown)
        out.append(line)
    return "\n".join(out) + "\n"


def run(cli: Runner, tmp_path: Path, flow_id: str, text: str, lang: str = "en") -> tuple[int, str]:
    path = tmp_path / f"{flow_id}-{lang}-{len(list(tmp_path.iterdir()))}.toml"
    path.write_text(text, encoding="utf-8")
    r = cli("--lang", lang, "troubleshoot", flow_id, "--answers", str(path), "--json")
    return r.exit_code, r.stderr if r.exit_code else r.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("flow_id", FLOWS)
def test_an_unedited_template_is_refused_naming_every_example_key(
    cli: Runner, tmp_path: Path, app_paths: AppPaths, flow_id: str, lang: str
) -> None:
    flow = load_flow(bitfinex_pack(), flow_id)
    keys = example_keys(flow)
    assert keys, flow_id  # every flow asks something a template can only guess
    text = template(cli, flow_id, lang)
    assert tomllib.loads(text)[EXAMPLES_KEY] == keys
    code, stderr = run(cli, tmp_path, flow_id, text, lang)
    assert code == 2
    assert f"{', '.join(keys)}{':' if lang == 'en' else '：'}" in stderr
    assert REFUSED[lang] in stderr
    assert len(stderr.strip().splitlines()) == 1  # one clear line
    assert not app_paths.drafts_dir.exists() or not any(app_paths.drafts_dir.iterdir())  # no fake ticket


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("flow_id", FLOWS)
def test_a_filled_in_template_drafts_the_ticket(cli: Runner, tmp_path: Path, flow_id: str, lang: str) -> None:
    flow = load_flow(bitfinex_pack(), flow_id)
    code, out = run(cli, tmp_path, flow_id, filled_in(template(cli, flow_id, lang), flow), lang)
    assert code == 0, out
    assert json.loads(out)["flow"] == flow_id


def test_only_the_keys_still_holding_their_example_are_named(cli: Runner, tmp_path: Path) -> None:
    flow = load_flow(bitfinex_pack(), "abnormal-trade")
    text = filled_in(template(cli, "abnormal-trade", "en"), flow, keep=("pair", "description"))
    code, stderr = run(cli, tmp_path, "abnormal-trade", text)
    assert code == 2
    assert stderr.startswith("Error: pair, description: still the example answer")
    code, stderr = run(cli, tmp_path, "abnormal-trade", text.replace('pair = "BTC/USD"', 'pair = "btc/usd "'))
    assert code == 2  # the example in other letters is still the example
    assert stderr.startswith("Error: pair, description:")


def test_an_answer_that_really_is_the_example_is_kept_once_taken_out_of_the_list(cli: Runner, tmp_path: Path) -> None:
    flow = load_flow(bitfinex_pack(), "abnormal-trade")
    text = filled_in(template(cli, "abnormal-trade", "en"), flow, keep=("pair",))  # the user does trade BTC/USD
    text = text.replace('"pair", ', "")
    code, out = run(cli, tmp_path, "abnormal-trade", text)
    assert code == 0, out
    assert json.loads(out)["answers"]["pair"] == "BTC/USD"


def test_a_default_or_a_choice_left_as_the_template_shows_it_is_no_example(cli: Runner, tmp_path: Path) -> None:
    flow = load_flow(bitfinex_pack(), "abnormal-trade")
    text = filled_in(template(cli, "abnormal-trade", "en"), flow)
    text = text.replace('# what_kind = "other"', 'what_kind = "other"').replace("# has_export = false",
                                                                                   "has_export = false")
    code, out = run(cli, tmp_path, "abnormal-trade", text)
    assert code == 0, out
    answers = json.loads(out)["answers"]
    assert answers["what_kind"] == "other"
    assert answers["has_export"] is False


def test_the_example_marker_must_name_questions(cli: Runner, tmp_path: Path) -> None:
    flow = load_flow(bitfinex_pack(), "abnormal-trade")
    text = filled_in(template(cli, "abnormal-trade", "en"), flow)
    text = text.replace('_examples = ["trade_id"', '_examples = ["tarde_id"')
    code, stderr = run(cli, tmp_path, "abnormal-trade", text)
    assert code == 2
    assert stderr.startswith("Error: _examples: a list of this flow's question keys")


def test_the_template_marks_each_example_where_it_stands(cli: Runner) -> None:
    text = template(cli, "deposit-missing", "zh")
    assert 'amount = "250 USDT"  # 「示例」请替换' in text
    assert "# network = " in text  # a default is never an example: left commented
    en = template(cli, "password-reset", "en")
    assert '# problem = "forgot_password"' in en  # a required choice is the user's to make, not an example
    assert "# required: remove the # and choose one" in en

"""Fuzzing the parsers of what users (and their editors) hand supportcli: answers files, the settings
file and each setting, case files and timeline entries, draft sidecars, sessions, every field type's
parser, and what `cases log` reads. Each example ends in a result or a typed error (never another
exception), within a time budget per example (hypothesis' deadline). `scripts/fuzz` runs the same
and more for longer, through the whole CLI too."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportcli.core.cases.model import FormatProblem, parse_case, parse_entry
from supportcli.core.errors import SupportCliError
from supportcli.core.safeload import Unparsable, parse_json, parse_toml

TYPED = (SupportCliError, Unparsable, FormatProblem)
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)

# Pieces of TOML and JSON, keys our files use, values of every TOML type, and what breaks parsers.
_TOML_PIECES = st.sampled_from([
    "[", "]", "[[", "]]", "{", "}", "=", " = ", ",", ".", "\n", "#", '"', "'", '"""', "'''", "\\", "\\u00e9",
    "name", "language", "email", "editor", "timezone", "pack", "network", "content_paths", "subject",
    "what_happened", "kind", "summary", "text", "date", "corrects", "ticket_number", "_tried", "answers",
    "id", "seq", "channel", "recorded_at", "sent_on", "created_at", "reply_window_business_days", "attachment",
    "status", "created", "files", "version", "flow", "1", "-1", "0", "99999999999999999999", "1e400", "nan",
    "inf", "true", "false", "1979-05-27", "9999-12-31", "0001-01-01", "1979-05-27T07:32:00Z", "07:32:00",
    '"x"', '"zh"', '"en"', '"Asia/Shanghai"', '"a@b.co"', "[1, 2]", "{a = 1}", "\x00", "\ufeff", "\u200b",
    "助记词", "abandon", "\r\n", " ", "\t",
])
TOML_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_TOML_PIECES, st.text(max_size=5)), max_size=120).map("".join),
)
RAW = st.one_of(st.binary(max_size=400), TOML_TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")))
# scripts/fuzz sets SUPPORTCLI_FUZZ_EXAMPLES (thousands) for the long run; CI runs 120 of each.
FAST = settings(max_examples=int(os.environ.get("SUPPORTCLI_FUZZ_EXAMPLES", "120")), deadline=timedelta(seconds=2),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _typed(call: Callable[[], Any]) -> Any:
    """The call's result, or None when it raised one of the typed errors; anything else fails the test."""
    try:
        return call()
    except TYPED:
        return None


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- the loaders

@FAST
@given(RAW)
def test_the_safe_loaders_give_data_or_unparsable(raw: bytes) -> None:
    for parse in (parse_toml, parse_json):
        data = _typed(lambda parse=parse: parse(raw))  # type: ignore[misc]
        assert data is None or parse is parse_json or isinstance(data, dict)


@FAST
@given(RAW)
def test_answers_files(raw: bytes) -> None:
    from supportcli.core.cases.logbook import read_log_answers
    from supportcli.core.flows.answers import read_answers_file
    from supportcli.core.flows.content import load_flow
    from supportcli.core.pack import resolve_pack
    from supportcli.core.prompting.answers_file import read_answers_toml

    flow = load_flow(resolve_pack("bitfinex", []), "general")
    with tempfile.TemporaryDirectory() as folder:
        path = _file(Path(folder), "answers.toml", raw)
        data = _typed(lambda: read_answers_toml(path))
        if data is not None:
            _typed(lambda: read_answers_file(path, flow))
            _typed(lambda: read_log_answers(data))


# --------------------------------------------------------------------------- settings

@FAST
@given(RAW)
def test_the_settings_file(raw: bytes) -> None:
    from supportcli.core.config import load_config
    from supportcli.core.paths import AppPaths

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = AppPaths(config_dir=root / "config", data_dir=root / "data", state_dir=root / "state")
        _file(paths.config_dir, "config.toml", raw)
        strict = _typed(lambda: load_config(paths))
        lenient = load_config(paths, lenient=True)  # never refuses: says what is wrong instead
        values = lenient.as_dict()
        assert set(values) >= {"language", "name", "email"}
        if strict is not None:
            assert not lenient.damaged and not lenient.problems


@FAST
@given(st.sampled_from(["language", "pack", "name", "email", "timezone", "editor", "content_paths", "network"]),
       TOML_TEXT)
def test_every_setting_parser(key: str, value: str) -> None:
    from supportcli.core.config import parse_value

    _typed(lambda: parse_value(key, value))


# --------------------------------------------------------------------------- case files, sidecars, sessions

@FAST
@given(RAW)
def test_case_files_and_entries(raw: bytes) -> None:
    data = _typed(lambda: parse_toml(raw))
    if data is None:
        return
    case = _typed(lambda: parse_case(data, Path("/cases/k3m9qa")))
    if case is not None:
        case.follow_up(dt.date(2026, 11, 30))  # a hand-edited window or day never hangs or overflows
        case.to_toml()
    entry = _typed(lambda: parse_entry(data))
    if entry is not None:
        entry.to_json()


@FAST
@given(RAW)
def test_draft_sidecars(raw: bytes) -> None:
    from supportcli.core.drafts.model import DraftInfo
    from supportcli.core.drafts.service import load_draft
    from supportcli.core.drafts.store import DraftStore

    with tempfile.TemporaryDirectory() as folder:
        path = _file(Path(folder), "20261120-091500-fuzz.toml", raw)
        info = DraftStore.read_file(path)
        if isinstance(info, DraftInfo):
            info.as_json()
            _typed(lambda: load_draft(info))
            info.created.astimezone(dt.timezone(dt.timedelta(hours=14)))


@FAST
@given(st.one_of(RAW, st.builds(lambda body: ('{"version": 1, "flow": "general", "answers": ' + body + "}").encode(),
                                TOML_TEXT)))
def test_sessions(raw: bytes) -> None:
    from supportcli.core.flows.answers import latest_session
    from supportcli.core.paths import AppPaths

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = AppPaths(config_dir=root / "c", data_dir=root / "d", state_dir=root / "s")
        _file(paths.sessions_dir, "general.json", raw)
        session = latest_session(paths, "general")
        assert session is None or all(isinstance(v, str | int | bool) for v in session.answers.values())


# --------------------------------------------------------------------------- field values and cases log

_VALUES = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(["0.5", "BTC", "tBTCUSD", "/", "USD", "2026-11-20", "14:05", "昨天", "前天", "today",
                              "0x", "a" * 64, "1" * 30, " ", "@", "example.com", "T", "+08:00", "UTC", "下午", "点",
                              "，", "-", "e", "1e9999", "\u200b", "\n"]), max_size=30).map("".join),
    st.integers(), st.floats(allow_nan=True), st.booleans(), st.dates(), st.datetimes(),
)


@FAST
@given(st.sampled_from(["text", "multiline", "choice", "confirm", "integer_id", "amount", "pair", "datetime",
                        "txhash", "address", "email"]), _VALUES, st.booleans())
def test_every_field_type_parser(field_type: str, value: Any, allow_date: bool) -> None:
    from supportcli.core.flows.fields import FieldContext, parse
    from supportcli.core.flows.model import Choice

    choices = (Choice("a", {"en": "A"}), Choice("b", {"en": "B"}))
    for zone in ("UTC", "Asia/Shanghai", "America/New_York"):
        ctx = FieldContext(now=NOW, zone=zone, choices=choices, allow_date=allow_date)
        _typed(lambda ctx=ctx: parse(field_type, "q", value, ctx))  # type: ignore[misc]


@FAST
@given(_VALUES.map(str), st.binary(max_size=200))
def test_what_cases_log_reads(value: str, raw: bytes) -> None:
    from supportcli.core.cases.inputs import clean_pasted, clean_summary, parse_choice, parse_day, parse_ticket_number
    from supportcli.core.cases.model import LOG_KINDS
    from supportcli.core.gate import decode_arguments, decode_input

    today = dt.date(2026, 11, 30)
    _typed(lambda: parse_day(value, "--date", today, not_before=dt.date(2026, 11, 20)))
    _typed(lambda: parse_ticket_number(value))
    _typed(lambda: parse_choice(value, "--kind", LOG_KINDS))
    _typed(lambda: clean_summary(value))
    _typed(lambda: clean_pasted(value))
    text = _typed(lambda: decode_input(raw, "-"))
    if text is not None:
        text.encode("utf-8")  # no surrogate ever gets past the edge
    escaped = raw.decode("utf-8", "surrogateescape")
    args = _typed(lambda: decode_arguments([escaped]))
    if args is not None:
        args[0].encode("utf-8")

"""What a flow consults besides the person answering: their imported records and, when they allow it,
the platform status and the market's range at a minute.

The engine calls `consult(engine)` before each step (and once the steps are done) and
`before_advice(engine, step)` before an advice step. What it finds goes the way typed answers go:

- **Records** (`[[records]]` of the flow, see supportcli.core.flows.lookups). Once the answers a
  lookup needs are given, the row is looked up; the values of the questions it fills that are still
  open are shown for confirmation in a terminal (one "use these?" question; each can be changed on the
  summary) and taken at once from an answers file. They pass the same parsers and guard as typed
  answers (`FlowEngine.take`). An answer the user gave wins over the records, and a difference is said.
  Several deposits or withdrawals that fit: the user picks one, or an answers-file run stops (exit 2)
  naming the answer that would tell them apart. The rows used are cited (`citations`).
- **Online** (`offers = "status"` on an advice step; `[market_check]` of the flow). Only when the run
  has `online` access (the network is on and, without a terminal, `--online` was given), and in a
  terminal only after the user said yes. A failure is one line and the flow goes on without the check.
  The market check becomes a fact the ticket states with its source and fetch time (`public`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from supportcli.core.errors import InputError, StorageError
from supportcli.core.flows.found import PublicFact, RecordCitation
from supportcli.core.flows.lookups import MarketInputs, RecordLookup
from supportcli.core.flows.model import AnswerValue, Step
from supportcli.core.i18n import LANGUAGES, t

if TYPE_CHECKING:
    from supportcli.core.flows.engine import FlowEngine
    from supportcli.core.net.http import HttpClient
    from supportcli.core.pack import OnlineEndpoints
    from supportcli.core.records.lookup import FoundMovement
    from supportcli.core.records.store import Located, RecordStore

_NOTHING = object()
EXPORTS = {"trade": "trades", "order": "orders", "deposit": "movements", "withdrawal": "movements"}
PRECISE = ("id", "tx_hash")  # criteria that name one movement


@dataclass(frozen=True)
class OnlineAccess:
    """How this run may go online: a client under the user's network policy, the pack's endpoints, a clock."""

    open_client: Callable[[], AbstractContextManager[HttpClient]]
    endpoints: OnlineEndpoints
    clock: Callable[[], dt.datetime]


class _Hit(NamedTuple):
    """A row a lookup found: where it is, its fields as raw answers, and (a trade) its order's row."""

    located: Located
    values: dict[str, AnswerValue | None]
    order_at: Located | None = None
    line: str = ""  # how it reads among several (a deposit or withdrawal)


@dataclass
class _Cited:
    """The rows one lookup found, with the answers it was found by and the answers they gave."""

    lookup: int
    find: str
    criteria: tuple[tuple[str, AnswerValue], ...]  # (answer key, its value when the row was found)
    values: dict[str, AnswerValue]  # answer key -> the value the records gave (or agreed with)
    rows: list[tuple[Located, tuple[str, ...]]] = field(default_factory=list)  # each row and the keys it gave


class FlowAssist:
    """The records and the online checks of one run (see the module docstring)."""

    def __init__(
        self, *, records: RecordStore | None = None, online: OnlineAccess | None = None,
        preferred: Mapping[str, Any] | None = None,
    ) -> None:
        self.records = records
        self.online = online
        self.preferred = dict(preferred or {})  # answers that win over the records: an answers file's
        self.public: list[PublicFact] = []
        self._cited: list[_Cited] = []
        self._gave: dict[str, AnswerValue] = {}  # every answer the records ever filled in (a newer row may replace it)
        self._looked: dict[int, tuple[tuple[str, AnswerValue], ...]] = {}
        self._market: tuple[AnswerValue, ...] | None = None
        self._status = False

    # ------------------------------------------------------------------ what the engine calls

    def consult(self, engine: FlowEngine) -> None:
        if self.records is not None:
            for index, lookup in enumerate(engine.flow.records):
                self._lookup(engine, index, lookup)
        if self.online is not None and engine.flow.market_check is not None:
            self._market_check(engine, engine.flow.market_check)

    def before_advice(self, engine: FlowEngine, step: Step) -> None:
        if step.extra.get("offers") == "status" and self.online is not None and not self._status:
            self._status = True
            self._status_check(engine, self.online)

    def filled_from_records(self, answers: Mapping[str, AnswerValue]) -> set[str]:
        """The answers that still hold what the records gave."""
        return {key for cited in self._cited for key, value in cited.values.items() if answers.get(key) == value}

    def citations(self, answers: Mapping[str, AnswerValue]) -> list[RecordCitation]:
        """The rows behind the final `answers`: found by answers that still hold, each with the answers it
        still gives."""
        if not self._cited:  # nothing was found (or nothing imported): no need for the records modules
            return []
        from supportcli.core.records.lookup import cells, short_source
        from supportcli.core.records.rows import row_fields

        rows: dict[tuple[str, int], tuple[Located, list[str]]] = {}  # each row once (an order two lookups found)
        for cited in self._cited:
            if any(answers.get(key) != value for key, value in cited.criteria):
                continue
            for located, keys in cited.rows:
                _, kept = rows.setdefault((located.kind, located.row.id), (located, []))
                kept += [k for k in keys if k not in kept and k in answers and answers[k] == cited.values.get(k)]
        out: list[RecordCitation] = []
        for located, kept in rows.values():
            fields = tuple((k, str(v)) for k, v in row_fields(located.row).items() if v is not None)
            out.append(RecordCitation(located.kind, located.row.id, short_source(located.source), located.line,
                                      tuple(kept), tuple(cells(located.row)), fields))
        return out

    # ------------------------------------------------------------------ records

    def _lookup(self, engine: FlowEngine, index: int, lookup: RecordLookup) -> None:
        keys = lookup.keys()
        if any(key not in engine.answers for key in keys):
            return
        criteria = tuple((key, engine.answers[key]) for key in keys)
        if self._looked.get(index) == criteria:
            return
        self._looked[index] = criteria
        self._cited = [c for c in self._cited if c.lookup != index]
        if any(c.find == lookup.find and self._holds(engine, c) for c in self._cited):
            return  # another of the flow's lookups found this deposit or withdrawal already
        import sqlite3

        try:
            found = self._find(lookup, engine.answers)
        except (StorageError, sqlite3.Error) as exc:  # a store damaged or locked: said once, the flow goes on
            reason = exc.render() if isinstance(exc, StorageError) else str(exc)
            engine.prompter.note(t("troubleshoot.records.unreadable", reason=reason))
            self.records = None
            return
        if not found:
            engine.prompter.note(t("troubleshoot.records.not_found", what=self._wanted(lookup, engine.answers),
                                   export=t(f"troubleshoot.records.export.{EXPORTS[lookup.find]}")))
            return
        chosen = found[0] if len(found) == 1 else self._choose(engine, lookup, found)
        if chosen is not None:
            self._fill(engine, index, lookup, criteria, chosen)

    @staticmethod
    def _holds(engine: FlowEngine, cited: _Cited) -> bool:
        return all(engine.answers.get(key) == value for key, value in cited.criteria)

    def _find(self, lookup: RecordLookup, answers: Mapping[str, AnswerValue]) -> list[_Hit]:
        from supportcli.core.flows.lookups import movement_values, order_values, trade_values
        from supportcli.core.records.lookup import find_movements, find_order, find_trade

        assert self.records is not None
        given = {name: answers[key] for name, key in lookup.by}
        if lookup.find == "trade":
            trade = find_trade(self.records, int(given["id"]))
            return [_Hit(trade.located, trade_values(trade), trade.order_at)] if trade is not None else []
        if lookup.find == "order":
            order = find_order(self.records, int(given["id"]))
            return [_Hit(order, order_values(order))] if order is not None else []
        amount, _, asset = str(given.get("amount", "")).partition(" ")
        around = _moment(given.get("around"))
        moves = find_movements(
            self.records, id=int(given["id"]) if "id" in given else None,
            tx_hash=str(given["tx_hash"]) if "tx_hash" in given else None,
            amount=Decimal(amount) if amount else None, around=around,
        )
        return [_Hit(m.located, movement_values(m), line=_movement_line(m)) for m in moves
                if m.kind == lookup.find and (not asset or _same_asset(m.currency, asset))]

    def _wanted(self, lookup: RecordLookup, answers: Mapping[str, AnswerValue]) -> str:
        """What was looked for, as the user reads it: trade #1500000001, the deposit with tx hash …"""
        given = {name: answers[key] for name, key in lookup.by}
        what = t(f"troubleshoot.records.what.{lookup.find}")
        if "id" in given:
            return f"{what} #{given['id']}"
        if "tx_hash" in given:
            return t("troubleshoot.records.by_tx", what=what, tx=given["tx_hash"])
        moment = _moment(given.get("around"))
        when = f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "-"
        return t("troubleshoot.records.by_amount", what=what, amount=given.get("amount", ""), when=when)

    def _choose(self, engine: FlowEngine, lookup: RecordLookup, found: list[_Hit]) -> _Hit | None:
        """Several deposits or withdrawals fit: the user picks one (or none); an answers file cannot."""
        lines = [hit.line for hit in found]
        what = t(f"troubleshoot.records.what_plural.{lookup.find}")
        if not engine.prompter.interactive:
            raise InputError(self._precise_key(engine, lookup), t(
                "troubleshoot.records.several_file", count=len(found), what=what, rows="; ".join(lines[:5])))
        engine.prompter.note(t("troubleshoot.records.several", count=len(found), what=what))
        choices = [(str(i), line) for i, line in enumerate(lines[:20])]
        choices.append(("none", t("troubleshoot.records.none_of_these")))
        picked = engine.prompter.select("records_row", t("troubleshoot.records.which"), choices)
        return None if picked == "none" else found[int(picked)]

    @staticmethod
    def _precise_key(engine: FlowEngine, lookup: RecordLookup) -> str:
        """The answer that would name one movement: an unanswered id or tx hash of the flow's lookups."""
        for other in engine.flow.records:
            if other.find != lookup.find:
                continue
            for name, key in other.by:
                if name in PRECISE and key not in engine.answers:
                    return key
        return lookup.by[-1][1]

    def _fill(self, engine: FlowEngine, index: int, lookup: RecordLookup,
              criteria: tuple[tuple[str, AnswerValue], ...], found: _Hit) -> None:
        from supportcli.core.flows.lookups import choice_for

        values = found.values
        new: dict[str, AnswerValue] = {}
        parsed_new: dict[str, AnswerValue] = {}
        agreed: dict[str, AnswerValue] = {}
        differ: list[tuple[Step, AnswerValue, AnswerValue]] = []
        for key, name in lookup.fill:
            step = engine.flow.question(key)
            raw = values.get(name)
            if step is not None and step.type == "choice" and raw is not None:
                raw = choice_for(lookup, key, str(raw))
            # (a question may depend on one the same row answers: the hash once the status is "completed")
            if step is None or raw is None or not step.applies({**engine.answers, **parsed_new}):
                continue
            theirs = engine.parsed(step, raw)
            if theirs is None:
                continue  # not a valid answer here (an asset the pack refuses): the question is asked
            mine = self._mine(engine, step)
            if mine is not None:
                if mine == theirs:
                    agreed[key] = theirs
                elif name == "id":  # the row's own id is not the one the user gave: another row
                    engine.prompter.note(t("troubleshoot.records.differs", field=step.id,
                                           mine=engine.display(step, mine), theirs=engine.display(step, theirs),
                                           source=self._source(found.located)))
                    return
                else:
                    differ.append((step, mine, theirs))
            elif key not in engine.skipped:
                new[key], parsed_new[key] = raw, theirs
        source = self._source(found.located)
        prompter = engine.prompter
        if new and prompter.interactive:
            prompter.note(t("troubleshoot.records.found", source=source))
            for key, value in parsed_new.items():
                step = engine.flow.question(key)
                assert step is not None
                prompter.note("  " + t("troubleshoot.records.value", label=short_label(step, engine),
                                       value=engine.display(step, value)))
            if not prompter.confirm("use_records", t("troubleshoot.records.use"), default=True):
                return
        taken = engine.take(new) if new else {}
        self._gave.update(taken)
        if taken and not prompter.interactive:
            from_order = [k for k, name in lookup.fill if k in taken and name == "limit_price"]
            own = [k for k in taken if k not in from_order]
            if own:
                prompter.note(t("troubleshoot.records.filled", keys=", ".join(own), source=source))
            if from_order and found.order_at is not None:
                prompter.note(t("troubleshoot.records.filled", keys=", ".join(from_order),
                                source=self._source(found.order_at)))
        for step, mine, theirs in differ:
            prompter.note(t("troubleshoot.records.differs", field=step.id, mine=engine.display(step, mine),
                            theirs=engine.display(step, theirs), source=source))
        given = {**agreed, **taken}
        if not given:
            return
        cited = _Cited(index, lookup.find, criteria, given)
        own_keys = tuple(k for k, name in lookup.fill if k in given and name != "limit_price")
        cited.rows.append((found.located, own_keys))
        if found.order_at is not None:
            cited.rows.append((found.order_at, tuple(k for k, name in lookup.fill
                                                     if k in given and name == "limit_price")))
        self._cited.append(cited)

    def _mine(self, engine: FlowEngine, step: Step) -> AnswerValue | None:
        """The user's own answer to `step` (an answers file's, or one typed or kept), if any: an answer
        still holding what the records filled in is not theirs (a newer row may replace it)."""
        if step.id in self.preferred:
            parsed = engine.parsed(step, self.preferred[step.id])
            return parsed if parsed is not None else str(self.preferred[step.id])
        if step.id in engine.answers and engine.answers[step.id] != self._gave.get(step.id, _NOTHING):
            return engine.answers[step.id]
        return None

    @staticmethod
    def _source(located: Located) -> str:
        """"your Trades export, row #1500000001 (alice_trades.csv, line 2)"."""
        from supportcli.core.records.lookup import short_source

        return t("troubleshoot.records.source", export=t(f"troubleshoot.records.export.{located.kind}"),
                 id=located.row.id, file=short_source(located.source), line=located.line)

    # ------------------------------------------------------------------ online

    def _ask(self, engine: FlowEngine, key: str, what: str, question: str) -> bool:
        """Consent: in a terminal the user reads what would be sent and says yes first; an answers-file
        run has it from --online."""
        if not engine.prompter.interactive:
            return True
        engine.prompter.note(what)
        return engine.prompter.confirm(key, question, default=False)  # only a yes goes online

    def _status_check(self, engine: FlowEngine, online: OnlineAccess) -> None:
        from supportcli.core.net.errors import NetError
        from supportcli.core.net.policy import host_of

        exchange = engine.exchange(engine.lang)
        host = host_of(online.endpoints.api_base)
        if not self._ask(engine, "status_check", t("troubleshoot.online.status_sends", host=host),
                         t("troubleshoot.online.ask_status", exchange=exchange)):
            return
        from supportcli.core.online.status import check_status  # once the user said yes

        try:
            with online.open_client() as http:
                result = check_status(http, online.endpoints, online.clock)
        except NetError as exc:
            engine.prompter.note(t("troubleshoot.online.status_failed", reason=exc.render()))
            return
        checked = f"{result.checked_at:%Y-%m-%d %H:%M} UTC"
        source = host_of(result.source)
        if result.platform == "operative":
            engine.prompter.note(t("online.status.operative", exchange=exchange, checked=checked, source=source))
        elif result.platform == "maintenance":
            engine.prompter.warning(t("online.status.maintenance", exchange=exchange, checked=checked, source=source))
        else:
            reason = result.error.render() if result.error is not None else "-"
            engine.prompter.note(t("troubleshoot.online.status_failed", reason=reason))

    def _market_check(self, engine: FlowEngine, inputs: MarketInputs) -> None:
        assert self.online is not None
        if any(key not in engine.answers for key in (inputs.pair, inputs.time, inputs.price)):
            return  # checked after every answer: the modules that check come only once it can be done
        from supportcli.core.net.errors import NetError
        from supportcli.core.net.policy import host_of
        from supportcli.core.online.market import check_market, floor_minute, market_fact, parse_query

        given = tuple(engine.answers[key] for key in (inputs.pair, inputs.time, inputs.price))
        if given == self._market:
            return
        self._market = given
        self.public = [p for p in self.public if p.kind != "market"]
        pair, time, price = (str(v) for v in given)
        if "T" not in time:
            return  # a day without a time has no minute to check
        try:
            query = parse_query(pair, time, price, engine.now, "UTC", engine.assets)
        except InputError as exc:
            engine.prompter.note(t("troubleshoot.online.market_skipped", reason=exc.reason))
            return
        minute = f"{floor_minute(query.moment):%Y-%m-%d %H:%M} UTC"
        host = host_of(self.online.endpoints.api_base)
        what = t("troubleshoot.online.market_sends", price=price, pair=query.pair, minute=minute, host=host)
        if not self._ask(engine, "market_check", what, t("troubleshoot.online.ask_market")):
            return
        try:
            with self.online.open_client() as http:
                check = check_market(http, self.online.endpoints.api_base, query.pair, query.moment, query.price,
                                     self.online.clock)
        except NetError as exc:
            engine.prompter.note(t("troubleshoot.online.market_failed", reason=exc.render()))
            return
        texts: dict[str, str] = {lang: market_fact(check, engine.exchange(lang), lang) for lang in LANGUAGES}
        self.public.append(PublicFact("market", texts, check.source, check.fetched_at.isoformat(timespec="seconds"),
                                      check.to_json()))
        engine.prompter.note(texts[str(engine.lang)])


def short_label(step: Step, engine: FlowEngine) -> str:
    """"Trade id (the number of …)" -> "Trade id": a question as a short label."""
    import re

    text = step.text_in(engine.lang)
    return re.sub(r"\s*[（(][^（()）]*[)）]\s*$", "", text).rstrip(" ?？:：") or text


def _moment(value: AnswerValue | None) -> dt.datetime | None:
    """A date-time answer as an aware datetime (a day alone: its midnight in UTC)."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _same_asset(currency: str, asset: str) -> bool:
    """A Movements CURRENCY and the asset of an amount answer: the same code, or a network-specific
    label of it (Tether's USDT/UST written TETHERUSX, TETHERUSE … in Movements)."""
    a, b = currency.upper(), asset.upper()
    if a == b or a.startswith(b):
        return True
    tether = ("USDT", "UST")
    return b in tether and (a in tether or a.startswith("TETHER"))


def _movement_line(found: FoundMovement) -> str:
    """One movement as a choice reads: `#13293040 · 2023-11-14 23:13 UTC · +0.5 BTC · COMPLETED`."""
    from supportcli.core.flows.lookups import number

    sign = "+" if found.amount > 0 else "−"
    return " · ".join(p for p in (f"#{found.id}", f"{found.started:%Y-%m-%d %H:%M} UTC",
                                  f"{sign}{number(abs(found.amount))} {found.currency}", found.status) if p)

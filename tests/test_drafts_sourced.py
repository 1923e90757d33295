"""Drafts state what was not typed — rows of the user's records, a public fact — each with its source,
and write the cited rows, only those, as a small CSV beside the ticket."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest

from supportcli.core.drafts.service import build_draft, load_draft, rewrite_saved, save_draft
from supportcli.core.drafts.store import DraftStore
from supportcli.core.errors import StorageError
from supportcli.core.flows.found import PublicFact, RecordCitation
from supportcli.core.flows.model import FlowResult
from supportcli.core.paths import AppPaths
from tests.drafts_fixtures import NOW, abnormal_trade_flow, abnormal_trade_result, bitfinex_pack

TX = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
TRADE = RecordCitation(
    "trades", 1500000002, "alice_trades.csv", 2, ("pair", "occurred_at"),
    ("1500000002", "BTC/USD", "-0.05", "30100", "-3.01", "0.20%", "USD", "2023-11-14 22:14:21 UTC", "120000002"),
    (("pair", "BTC/USD"), ("side", "sell"), ("amount", "-0.05"), ("price", "30100"), ("fee", "-3.01"),
     ("fee_currency", "USD"), ("time", "2023-11-14T22:14:21+00:00"), ("order_id", "120000002")),
)
DEPOSIT = RecordCitation(
    "movements", 13293040, "alice_movements.csv", 5, (),
    ("13293040", "2023-11-14 23:13:20 UTC", "2023-11-14 23:40:02 UTC", "BTC", "COMPLETED", "0.5", "0",
     "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", TX, ""),
    (("type", "deposit"), ("currency", "BTC"), ("status", "COMPLETED"), ("amount", "0.5"), ("fees", "0"),
     ("address", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"), ("tx_id", TX),
     ("started", "2023-11-14T23:13:20+00:00"), ("updated", "2023-11-14T23:40:02+00:00"),
     ("time", "2023-11-14T23:13:20+00:00")),
)
MARKET = PublicFact(
    "market",
    {"en": "Bitfinex 1-minute candle for BTC/USD at 2023-11-14 22:14 UTC: low 30000, high 30150; the price 30100 "
           "is inside this range (source: api-pub.bitfinex.com, fetched 2026-11-27 08:15 UTC).",
     "zh": "Bitfinex 上 BTC/USD 在 2023-11-14 22:14 UTC 这一分钟……"},
    "https://api-pub.bitfinex.com/v2/candles/trade:1m:tBTCUSD/hist?start=1", "2026-11-27T08:15:00+00:00",
    {"inside": True, "low": "30000", "high": "30150", "candle_used": None},
)


def _result(*records: RecordCitation, public: tuple[PublicFact, ...] = ()) -> FlowResult:
    return dataclasses.replace(abnormal_trade_result(), records=list(records), public=list(public))


def _draft(result: FlowResult, *, bilingual: bool = True):  # type: ignore[no-untyped-def]
    return build_draft(bitfinex_pack(), abnormal_trade_flow(), result, lang="en", timezone="Asia/Shanghai",
                       sender_name="", sender_email="", bilingual=bilingual, now=NOW)


def test_the_ticket_and_email_cite_each_row_and_state_the_public_fact(app_paths: AppPaths) -> None:
    draft = _draft(_result(TRADE, DEPOSIT, public=(MARKET,)))
    ticket = draft.ticket_markdown
    section = ticket.split("## From my records and public data\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section[0].startswith("- From my Trades export, row #1500000002 (alice\\_trades.csv, line 2): sold 0.05")
    assert section[0].endswith("Taken from this row in the details above: Trading pair, Time.")
    assert section[1].startswith("- From my Movements export, row #13293040 (alice\\_movements.csv, line 5): "
                                 "deposit of 0.5 BTC, status COMPLETED, started 2023-11-14 23:13:20 UTC")
    assert "Taken from this row" not in section[1]  # it gave no answer: only cited
    assert section[2].startswith("- Bitfinex 1-minute candle for BTC/USD")
    assert "(source: api-pub.bitfinex.com, fetched 2026-11-27 08:15 UTC)" in section[2]
    assert "## 来自我的记录和公开数据" in ticket
    assert ("取自我的充提（Movements）导出文件中编号 #13293040 的记录（alice\\_movements.csv 第 5 行）："
            "充值 0.5 BTC") in ticket
    assert "From my records and public data:\n- From my Trades export" in draft.email_body
    evidence = ticket.split("## Evidence to attach\n\n", 1)[1]
    assert "- [ ] Only the rows of my Movements export this ticket is about (#13293040)" in evidence
    assert evidence.index("Only the rows of my Trades") < evidence.index("Screenshots of the screens")


def test_a_draft_without_records_has_no_such_section(app_paths: AppPaths) -> None:
    draft = _draft(_result())
    assert "From my records" not in draft.ticket_markdown
    assert "Only the rows" not in draft.ticket_markdown


def test_only_the_cited_rows_are_written_one_csv_per_export_0600(app_paths: AppPaths) -> None:
    saved = save_draft(_draft(_result(TRADE, DEPOSIT)), app_paths)
    assert [p.name for p in saved.records_csv] == [f"{saved.id}.trades.csv", f"{saved.id}.movements.csv"]
    trades = saved.records_csv[0].read_text(encoding="utf-8").splitlines()
    assert trades == ["#,PAIR,AMOUNT,PRICE,FEE,FEE PERC,FEE CURRENCY,DATE,ORDER ID",
                      "1500000002,BTC/USD,-0.05,30100,-3.01,0.20%,USD,2023-11-14 22:14:21 UTC,120000002"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in saved.records_csv)
    info = DraftStore(app_paths).get(saved.id)
    assert info.records_csv == saved.records_csv
    assert saved.as_json()["records_csv"] == [str(p) for p in saved.records_csv]


def test_a_saved_draft_keeps_its_citations_when_read_back_and_rewritten(app_paths: AppPaths) -> None:
    saved = save_draft(_draft(_result(TRADE, public=(MARKET,))), app_paths)
    info = DraftStore(app_paths).get(saved.id)
    loaded = load_draft(info)
    assert loaded.records == [TRADE]
    assert loaded.public == [MARKET]
    loaded.ticket_markdown += "\nOne more line.\n"
    loaded.edited = True
    again = rewrite_saved(info, loaded)
    assert again.records_csv == saved.records_csv
    assert load_draft(again).records == [TRADE]


def test_a_cited_row_s_hash_and_address_are_not_taken_for_secrets(app_paths: AppPaths) -> None:
    # The deposit's 64-hex transaction hash is in no answer, only in the citation and its CSV.
    saved = save_draft(_draft(_result(DEPOSIT), bilingual=False), app_paths)
    assert TX in saved.records_csv[0].read_text(encoding="utf-8")


def test_removing_a_draft_removes_its_rows_and_a_listed_name_cannot_point_elsewhere(
    app_paths: AppPaths, tmp_path: Path,
) -> None:
    saved = save_draft(_draft(_result(TRADE)), app_paths)
    store = DraftStore(app_paths)
    info = store.get(saved.id)
    info.data["records_csv"] = [*info.data["records_csv"], str(tmp_path / "victim.csv"), "../x.trades.csv"]
    assert [p.name for p in info.records_csv] == [f"{saved.id}.trades.csv"]
    removed = store.remove(saved.id)
    assert saved.records_csv[0] in removed
    assert not saved.records_csv[0].exists()


def test_a_failed_rows_write_leaves_no_half_draft(app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    from supportcli.core import storage

    real = storage.atomic_write

    def refuse_csv(path: Path, data: bytes | str, **kwargs: bool) -> Path:
        if path.suffix == ".csv":
            raise StorageError("errors.storage_write", path=str(path), reason="No space left on device")
        return real(path, data, **kwargs)

    monkeypatch.setattr(storage, "atomic_write", refuse_csv)
    with pytest.raises(StorageError):
        save_draft(_draft(_result(TRADE)), app_paths)
    assert list(app_paths.drafts_dir.iterdir()) == []

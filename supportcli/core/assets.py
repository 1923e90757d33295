"""What a pack says about its exchange's assets and trading pairs (`[assets]` in `pack.toml`).

The amount and pair parsers read these facts instead of knowing any exchange: which asset codes a user
is likely to name (others are accepted unless they look like a typo of one), how the exchange writes
a pair (`t` in `tBTCUSD`), the suffix of its perpetual contracts (`BTCF0`), and a note to say back when
an answer names a code that means something else elsewhere (Bitfinex's `UST` is Tether). A pack that
says nothing gets the plain rules: any well-formed code, no prefix, no suffix, no notes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from supportcli.core.checks import Checker

_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_KEYS = ("known", "pair_prefix", "contract_suffix", "notes", "source", "verified")


@dataclass(frozen=True)
class AssetFacts:
    known: frozenset[str] = frozenset()
    pair_prefix: str = ""  # how the exchange writes a trading pair before its assets (`t`: tBTCUSD)
    contract_suffix: str = ""  # how a perpetual contract's asset ends (`F0`: BTCF0, USTF0)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)  # asset -> language -> note
    source: str = ""
    verified: dt.date | None = None

    def is_known(self, asset: str) -> bool:
        """A code the pack names, or a perpetual contract on one (BTCF0)."""
        if asset in self.known:
            return True
        suffix = self.contract_suffix
        return bool(suffix) and asset.endswith(suffix) and asset[: -len(suffix)] in self.known

    def note_for(self, asset: str) -> dict[str, str]:
        """The note said back for `asset` (a contract's note is its asset's), or an empty one."""
        if asset in self.notes:
            return self.notes[asset]
        suffix = self.contract_suffix
        if suffix and asset.endswith(suffix):
            return self.notes.get(asset[: -len(suffix)], {})
        return {}


def parse_asset_facts(c: Checker, data: dict[str, Any]) -> AssetFacts:
    """`[assets]` of a manifest, checked with `c` (every problem named by key); absent: the plain rules."""
    raw = data.get("assets")
    if raw is None:
        return AssetFacts()
    kp = ("assets",)
    if not isinstance(raw, dict):
        from supportcli.core.i18n import t

        c.fail(kp, t("content.expect.table"))
        return AssetFacts()
    c.no_unknown(raw, kp, _KEYS)
    known = c.string_list(raw, (*kp, "known"), required=False) or []
    for i, code in enumerate(known):
        if not _CODE.match(code):
            from supportcli.core.i18n import t

            c.fail((*kp, "known", i), t("content.expect.asset_code"))
    prefix = c.string(raw, (*kp, "pair_prefix"), required=False) or ""
    suffix = c.string(raw, (*kp, "contract_suffix"), required=False) or ""
    notes: dict[str, dict[str, str]] = {}
    raw_notes = raw.get("notes", {})
    if isinstance(raw_notes, dict):
        for code in raw_notes:
            text = c.lang_text(raw_notes, (*kp, "notes", code))
            if text is not None:
                notes[str(code)] = dict(text)
    source = c.string(raw, (*kp, "source"), required=False) or ""
    verified = c.date(raw, (*kp, "verified"), required=False) if "verified" in raw else None
    return AssetFacts(known=frozenset(known), pair_prefix=prefix, contract_suffix=suffix, notes=notes,
                      source=source, verified=verified)

"""What the program expects of some flow questions, checked by `content check`.

A few answer keys mean something to the code: the drafts put `subject` in the heading and `tried` in
the list of what was tried; the `escalate` flow is pre-filled from a case (`reason` = `no_reply`, …).
Each module that relies on a key declares it here as a `KeyContract`, next to the code that uses it,
and its `check_pack` runs `check_contracts`: a pack whose flows break a promise is told where
(`file:line: key: expected`), instead of a draft or a case going quietly wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from supportcli.core.i18n import t
from supportcli.core.tomlfile import KeyPath, Problem, TomlFile

if TYPE_CHECKING:
    from supportcli.core.pack import Pack


@dataclass(frozen=True)
class KeyContract:
    key: str  # the question's id
    types: tuple[str, ...]  # the field types it may have; empty: no question may use this id
    why: str  # message key: what the program does with the answer
    flow: str | None = None  # only in this flow (None: in any flow that asks it)
    required: bool = False  # that flow must ask it
    offers: tuple[str, ...] = ()  # choice ids it must offer
    only: tuple[str, ...] = ()  # choice ids it may offer (empty: any)


def _steps(file: TomlFile) -> list[tuple[int, dict[str, Any]]]:
    steps = file.data.get("steps")
    if not isinstance(steps, list):
        return []
    return [(i, s) for i, s in enumerate(steps) if isinstance(s, dict) and s.get("kind") == "question"]


def _choice_ids(step: dict[str, Any]) -> list[str]:
    choices = step.get("choices")
    if not isinstance(choices, list):
        return []
    return [str(c.get("id")) for c in choices if isinstance(c, dict) and "id" in c]


def check_contracts(pack: Pack, contracts: Iterable[KeyContract]) -> list[Problem]:
    """Every flow question that breaks one of `contracts` (its type, its choices, or it is missing)."""
    contracts = tuple(contracts)
    problems: list[Problem] = []
    for item in pack.read_section("flows"):
        if not isinstance(item, TomlFile):
            continue  # an unreadable file is reported by the flows' own check
        flow_id = item.data.get("id")
        questions = {str(s.get("id")): (i, s) for i, s in _steps(item)}
        for contract in contracts:
            if contract.flow is not None and contract.flow != flow_id:
                continue
            why = t(contract.why)
            found = questions.get(contract.key)
            if found is None:
                if contract.required:
                    problems.append(item.problem(("steps",), t("content.expect.contract_missing", key=contract.key,
                                                               types=", ".join(contract.types), why=why)))
                continue
            index, step = found
            kp: KeyPath = ("steps", index)
            if not contract.types:
                problems.append(item.problem((*kp, "id"), t("content.expect.contract_reserved", key=contract.key,
                                                            why=why)))
                continue
            if step.get("type") not in contract.types:
                problems.append(item.problem((*kp, "type"), t("content.expect.contract_type",
                                                              types=", ".join(contract.types), why=why)))
                continue
            ids = _choice_ids(step)
            missing = [c for c in contract.offers if c not in ids]
            if missing:
                problems.append(item.problem((*kp, "choices"), t("content.expect.contract_offers",
                                                                 ids=", ".join(missing), why=why)))
            stray = [c for c in ids if contract.only and c not in contract.only]
            if stray:
                problems.append(item.problem((*kp, "choices"), t("content.expect.contract_only",
                                                                 ids=", ".join(stray), allowed=", ".join(contract.only),
                                                                 why=why)))
    return problems

"""Write content/bitfinex/asked.toml from the labelled calibration parts (tests/data/faq_eval_*.toml).

    python scripts/asked_questions.py [--check]

Every question of a calibration part becomes an asked question with its best answer (its first id, or
"" when the pack cannot answer it) and the part it came from; a question already taken (the same
features, asked.py) is taken once. The final held-out parts are never taken. With --check, nothing is
written: the exit code is 1 when the file differs from what would be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from supportcli.core.faq.asked import features  # noqa: E402
from supportcli.core.faq.asked_file import ASKED_FILE  # noqa: E402
from supportcli.core.faq.evaluation import CALIBRATION_SETS, load_queries, set_file  # noqa: E402

DATA = ROOT / "tests" / "data"
TARGET = ROOT / "content" / "bitfinex" / ASKED_FILE
HEADER = """\
# Questions users asked, each with the entry that answers it ("" when the pack cannot): the search's
# memory of how people ask (supportcli/core/faq/asked.py). Written by scripts/asked_questions.py from the
# labelled calibration parts in tests/data (`from` names the part); edit those, then run it again.
"""


def render() -> str:
    items: list[dict[str, str]] = []
    seen: set[str] = set()
    for name in CALIBRATION_SETS:
        for query in load_queries(set_file(DATA, name)):
            key = " ".join(features(query.text))
            if not key or key in seen:
                continue
            seen.add(key)
            items.append({"q": query.text, "id": query.ids[0] if query.ids else "", "from": name})
    return HEADER + "\n" + tomli_w.dumps({"asked": items})


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the file is up to date")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        print("up to date" if current == text else f"{TARGET} differs from the calibration parts")
        return 0 if current == text else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}: {text.count('[[asked]]')} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

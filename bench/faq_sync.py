"""`faq sync` of 2,000 help-center articles from the loopback server: time and peak memory.

    python bench/faq_sync.py [--articles 2000] [--rounds 3]

The tests' loopback server (tests/net_server.py) serves a Zendesk Help Center with half the
articles in en-us and half in zh-cn (100 per page, HTML bodies of about 2 KB with lists, links
and the odd script), on 127.0.0.1 only. Each round, in fresh processes under an isolated HOME:

- `supportcli --pack COPY faq sync --json` into an empty index (wall time, peak RSS);
- the same again: a re-sync where nothing changed;
- `supportcli faq import FILE.json` of the very same articles from disk, as the yardstick: the
  ratio sync / import is the cost of the network path (HTTP, pagination, the copy-and-swap);
- `python -c "import httpx"` against `python -c pass`: what the online commands pay to import it.

Rounds are interleaved so machine noise hits every measure alike; medians are reported.
Nothing leaves this machine and nothing of yours is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.net_server import LoopbackServer, ZendeskFake, article, online_pack  # noqa: E402

_EN_WORDS = """withdrawal deposit verification password wallet margin funding lending order trade fee network
address memo ledger report ticket support security device reward staking token transfer limit level document
identity review balance position interest daily confirm pending cancel"""
_ZH_WORDS = """提现 充值 账户 验证 密码 钱包 保证金 借贷 订单 交易 手续费
网络 地址 标签 账本 报表 工单 客服 安全 奖励 质押"""
EN, ZH = _EN_WORDS.split(), _ZH_WORDS.split()

# Runs one CLI command and reports its own peak RSS in kB on the last stderr line: VmHWM, since
# getrusage's ru_maxrss survives exec and would count this (large) parent process at fork time.
CHILD = (
    "import sys\n"
    "from supportcli.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "print('MAXRSS', hwm[0] if hwm else 0, file=sys.stderr)\n"
    "raise SystemExit(rc)\n"
)


def _body(rng: random.Random, words: list[str], sep: str) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        sentence = sep.join(rng.choice(words) for _ in range(rng.randint(12, 30)))
        paragraphs.append(f"<p>{sentence} <a href='https://support.example/x'>{rng.choice(words)}</a>.</p>")
    items = "".join(f"<li>{sep.join(rng.choice(words) for _ in range(6))}</li>" for _ in range(4))
    script = "<script>window.analytics && analytics.track('view')</script>" if rng.random() < 0.2 else ""
    return "".join(paragraphs) + f"<ul>{items}</ul>{script}"


def make_articles(count: int) -> dict[str, list[dict[str, object]]]:
    rng = random.Random(15)
    half = count // 2
    return {
        "en-us": [article(100000 + i, "en-us", " ".join(rng.sample(EN, 4)).capitalize(), _body(rng, EN, " "),
                          label_names=rng.sample(EN, 2)) for i in range(half)],
        "zh-cn": [article(100000 + i, "zh-cn", "".join(rng.sample(ZH, 3)), _body(rng, ZH, ""))
                  for i in range(count - half)],
    }


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env, timeout=600)
    elapsed = time.perf_counter() - started
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
    rss_kb = float(r.stderr.strip().splitlines()[-1].split()[1])
    return elapsed, rss_kb / 1024, r.stdout


def _bare(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    articles = make_articles(options.articles)
    server = LoopbackServer().start()
    ZendeskFake(server, articles, per_page=100)
    results: dict[str, list[float]] = {k: [] for k in ("sync", "sync_rss", "resync", "import", "import_rss",
                                                       "pass", "httpx")}
    try:
        with tempfile.TemporaryDirectory(prefix="supportcli-bench-") as tmp_name:
            tmp = Path(tmp_name)
            pack = str(online_pack(tmp, server.base_url))
            export = tmp / "export.json"
            export.write_text(json.dumps([{**a, "id": f"{a['locale']}-{a['id']}"} for items in articles.values()
                                          for a in items]), encoding="utf-8")
            for n in range(options.rounds):
                home = tmp / f"home-{n}"
                env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                       "XDG_CONFIG_HOME": str(home / "config"), "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
                elapsed, rss, out = _run(["--pack", pack, "faq", "sync", "--json"], env)
                report = json.loads(out)
                assert report["total"] == options.articles, report
                results["sync"].append(elapsed)
                results["sync_rss"].append(rss)
                elapsed, _, out = _run(["--pack", pack, "faq", "sync", "--json"], env)
                assert json.loads(out)["unchanged"] == options.articles
                results["resync"].append(elapsed)
                other = {**env, "XDG_DATA_HOME": str(home / "data-import")}
                elapsed, rss, _ = _run(["--pack", pack, "faq", "import", str(export), "--json"], other)
                results["import"].append(elapsed)
                results["import_rss"].append(rss)
                for _ in range(5):
                    results["pass"].append(_bare("pass"))
                    results["httpx"].append(_bare("import httpx"))
    finally:
        server.stop()

    med = {k: statistics.median(v) for k, v in results.items()}
    pages = len([p for p in server.paths() if p.endswith("articles.json")]) // options.rounds // 2
    print(f"faq sync of {options.articles} articles ({pages} pages per run), median of {options.rounds} rounds:")
    print(f"  first sync   {med['sync']:6.2f} s   peak RSS {med['sync_rss']:6.1f} MB")
    print(f"  re-sync      {med['resync']:6.2f} s   (nothing changed)")
    print(f"  faq import   {med['import']:6.2f} s   peak RSS {med['import_rss']:6.1f} MB   (same articles from disk)")
    print(f"  sync / import: {med['sync'] / med['import']:.2f}x time, "
          f"{med['sync_rss'] / med['import_rss']:.2f}x memory")
    print(f"  import httpx {med['httpx'] * 1000:6.1f} ms against python -c pass {med['pass'] * 1000:.1f} ms "
          f"({med['httpx'] / med['pass']:.1f}x, +{(med['httpx'] - med['pass']) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()

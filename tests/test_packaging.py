"""The wheel carries the content pack, and an installed copy loads it (not the source checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_the_pack_and_loads_it(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(dist.glob("supportcli-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    assert "supportcli/_content/bitfinex/pack.toml" in names
    assert any(n.startswith("supportcli/_content/bitfinex/faq/") for n in names)
    assert any(n.startswith("supportcli/_content/messages/") for n in names)
    code = (
        "import supportcli, sys\n"
        "from pathlib import Path\n"
        "from supportcli.core.paths import builtin_packs_dir\n"
        "from supportcli.core.pack import resolve_pack\n"
        "assert Path(supportcli.__file__).is_relative_to(Path(sys.argv[1])), supportcli.__file__\n"
        "pack = resolve_pack('bitfinex', [])\n"
        "assert pack.root.is_relative_to(Path(sys.argv[1])), pack.root\n"
        "print(pack.id, pack.manifest.support.email)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    r = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "site")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "bitfinex support@bitfinex.com"
    r = subprocess.run(
        [sys.executable, "-m", "supportcli", "--lang", "en", "content", "check"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "is valid" in r.stdout

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


def test_wheel_and_sdist_carry_the_licences(tmp_path: Path) -> None:
    """MIT for the project, and the Apache-2.0 notice for the OpenCC-derived table, in both archives."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(dist.glob("supportcli-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        notice = zf.read(next(n for n in names if n.endswith("licenses/NOTICE"))).decode()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSES/Apache-2.0.txt") for n in names)
    assert "OpenCC" in notice
    assert "supportcli/core/faq/hant.py" in notice
    assert "License-Expression: MIT AND Apache-2.0" in metadata
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in metadata

    import tarfile

    # --no-isolation: the backend comes from the test extras, so building needs no download.
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    sdist = next(dist.glob("supportcli-*.tar.gz"))
    with tarfile.open(sdist) as tf:
        members = {m.name.split("/", 1)[1] for m in tf.getmembers() if "/" in m.name}
    assert {"LICENSE", "NOTICE", "LICENSES/Apache-2.0.txt"} <= members

"""Regenerate the general word lists of the FAQ search (supportcli/core/faq/words/{en,zh}.txt).

    pip download --no-deps -d /tmp/wl jieba==0.42.1 pyspellchecker==0.9.1 pypinyin==0.55.0
    python scripts/faq_wordlists.py /tmp/wl

- en-common.txt and en.txt: the most frequent lower-case words of pyspellchecker's English frequency list (MIT;
  counts from subtitles), used to tell a real word ("close", "create") from a typo ("pasword")
  so that only typos are repaired.
- zh-common.txt and zh.txt: the most frequent two- to four-character words of jieba's dictionary (MIT), used to
  segment a Chinese query into words instead of inventing pairs across word boundaries.

- pinyin.txt: the toneless pinyin of every character of zh-common.txt and zh.txt, its first reading in
  pypinyin's pinyin_dict.json (MIT), used to repair what a pinyin input method typed wrong (工丹 for
  工单, 手须费 for 手续费): one line per syllable, its characters after it.

The -common files hold the everyday words, the others the rest. Each file groups its words by
their first letters (two for English, one for Chinese): one line
per group, the words separated by spaces, so a lookup reads one short line, not the whole list.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "supportcli" / "core" / "faq" / "words"
EN_WORDS = 80000
ZH_WORDS = 100000
EN_COMMON = 12000  # everyday words ("night", "father"): a query's unknown everyday word says little
ZH_COMMON = 15000


def _write(path: Path, header: str, words: list[str], key: int) -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for word in words:
        groups[word[:key]].append(word)
    lines = [" ".join(sorted(groups[k])) for k in sorted(groups)]
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path}: {len(words)} words in {len(lines)} lines, {path.stat().st_size // 1024} KB")


def english(folder: Path) -> None:
    wheel = next(folder.glob("pyspellchecker-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        counts: dict[str, int] = json.loads(gzip.decompress(zf.read("spellchecker/resources/en.json.gz")))
    words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if re.fullmatch(r"[a-z]{2,}", w)]
    header = f"# Words of {wheel.name} (MIT licence) by frequency, %s; see scripts/faq_wordlists.py\n"
    _write(OUT / "en-common.txt", header % f"the first {EN_COMMON}", words[:EN_COMMON], 2)
    _write(OUT / "en.txt", header % f"from {EN_COMMON + 1} to {EN_WORDS}", words[EN_COMMON:EN_WORDS], 2)


def chinese(folder: Path) -> None:
    archive = next(folder.glob("jieba-*.tar.gz"))
    with tarfile.open(archive) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith("jieba/dict.txt"))
        handle = tf.extractfile(member)
        assert handle is not None
        text = handle.read().decode("utf-8")
    rows = []
    for line in text.splitlines():
        word, freq, *_ = line.split()
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", word):
            rows.append((-int(freq), word))
    rows.sort()
    header = f"# Words of {archive.name}'s dict.txt (MIT licence) by frequency, %s; see scripts/faq_wordlists.py\n"
    words = [w for _, w in rows]
    _write(OUT / "zh-common.txt", header % f"the first {ZH_COMMON}", words[:ZH_COMMON], 1)
    _write(OUT / "zh.txt", header % f"from {ZH_COMMON + 1} to {ZH_WORDS}", words[ZH_COMMON:ZH_WORDS], 1)


def pinyin(folder: Path) -> None:
    import unicodedata

    wheel = next(folder.glob("pypinyin-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        readings: dict[str, str] = json.loads(zf.read("pypinyin/pinyin_dict.json"))
    chars = {c for name in ("zh-common.txt", "zh.txt") for line in (OUT / name).read_text(encoding="utf-8").splitlines()
             if not line.startswith("#") for c in line if "\u4e00" <= c <= "\u9fff"}
    by_sound: dict[str, list[str]] = defaultdict(list)
    for c in sorted(chars):
        reading = readings.get(str(ord(c)))
        if not reading:
            continue
        first = unicodedata.normalize("NFD", reading.split(",")[0])
        sound = "".join(ch for ch in first if not unicodedata.combining(ch)).replace("\u00fc", "v")
        if re.fullmatch(r"[a-z]+", sound):
            by_sound[sound].append(c)
    path = OUT / "pinyin.txt"
    lines = [f"{sound} {''.join(cs)}" for sound, cs in sorted(by_sound.items())]
    path.write_text(f"# Toneless pinyin of {wheel.name}'s pinyin_dict.json (MIT licence), first reading; "
                    "see scripts/faq_wordlists.py\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path}: {sum(map(len, by_sound.values()))} characters in {len(lines)} lines, "
          f"{path.stat().st_size // 1024} KB")


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    OUT.mkdir(parents=True, exist_ok=True)
    english(folder)
    chinese(folder)
    pinyin(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

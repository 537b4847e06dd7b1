"""Timing check for kitab.textnorm: µs per string for exact() and fold().

Reads titles + authors + subjects of the LoC Turkic subset and of first_10000.mrc (when ../shared is present,
or $KITAB_SHARED_DATA), one string per record as the indexer builds it, and prints the mean cost per string
and per 300 characters. Not a test: run it by hand, e.g. `python benchmarks/bench_textnorm.py`.
Budget: ~25 µs per 300-character string for exact + fold together.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

FILES = ("loc-booksall-2016/turkic_languages_subset.mrc", "loc-booksall-2016/first_10000.mrc")
TAGS = ("100", "110", "111", "245", "246", "600", "610", "650", "651", "700", "710", "880")


def shared_marc_dir() -> Path | None:
    env = os.environ.get("KITAB_SHARED_DATA")
    path = Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "marc"
    return path if path.is_dir() else None


def record_strings(path: Path) -> list[str]:
    import pymarc

    out: list[str] = []
    with path.open("rb") as fh:
        for record in pymarc.MARCReader(fh, to_unicode=True, permissive=True):
            if record is None:
                continue
            parts = [
                " ".join(sf.value for sf in field.subfields if sf.code.isalpha())
                for field in record.get_fields(*TAGS)
            ]
            out.append(" -- ".join(parts))
    return out


def bench(name: str, strings: list[str]) -> None:
    from kitab.textnorm import exact, fold

    chars = sum(len(s) for s in strings)
    print(
        f"{name}: {len(strings)} strings, mean {chars / len(strings):.0f} chars, "
        f"{sum(not s.isascii() for s in strings)} non-ASCII"
    )
    for label, fn in (("exact", exact), ("fold", fold)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for s in strings:
                fn(s)
            best = min(best, time.perf_counter() - start)
        per_string, per_300 = best / len(strings) * 1e6, best / chars * 300e6
        print(f"  {label:5s} {per_string:7.2f} µs/string  {per_300:7.2f} µs/300 chars")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for s in strings:  # the indexer's pattern: both forms of one value, one after the other
            exact(s)
            fold(s)
        best = min(best, time.perf_counter() - start)
    print(
        f"  both  {best / len(strings) * 1e6:7.2f} µs/string  {best / chars * 300e6:7.2f} µs/300 chars"
        "  (exact then fold per string)"
    )


def main() -> None:
    sys.path.insert(0, str(REPO_ROOT))  # run as a plain script from anywhere
    base = shared_marc_dir()
    samples = {
        "synthetic LC-style mix": [
            (
                "Ŭzbekiston Respublikasining khŭzhalik protsessual kodeksi = Khozi︠a︡ĭstvennyĭ prot︠s︡essualʹnyĭ"
                " kodeks Respubliki Uzbekistan. Uygulamalı özel sigorta hukuku : özel sigorta sözleşmeleri --"
                " Law -- Uzbekistan -- Civil procedure -- Turkey -- History -- 20th century"
            ),
            (
                "The annals of the American academy of political and social science : a study in"
                " nineteenth-century literature / edited by John Smith and Mary Shelley -- United States --"
                " Politics and government -- 1945-1989 -- Sociology, Urban -- Economic conditions"
            ),
        ]
        * 500
    }
    if base is not None:
        for rel in FILES:
            path = base / rel
            if path.is_file():
                samples[rel] = record_strings(path)
    else:
        print("../shared/data/marc not found; timing the synthetic sample only")
    for name, strings in samples.items():
        bench(name, strings)


if __name__ == "__main__":
    main()

"""Helpers shared by the benchmark scripts (not part of the kitab package)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from kitab.core.stats import percentile  # noqa: E402,F401 - re-exported for the benchmark scripts
SHARED = Path(os.environ.get("KITAB_SHARED_DATA", REPO.parent / "shared" / "data" / "marc"))
LOC_250K = SHARED / "loc-booksall-2016" / "BooksAll.2016.part01.utf8.mrc.xz"
BENCH_VAR = REPO / "var" / "bench"


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 3),
        "p95_ms": round(percentile(values, 95), 3),
        "max_ms": round(max(values), 3),
    }


def kitab(args: list[str], *, home: Path, check: bool = True, capture: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, KITAB_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "kitab.cli", *args], env=env, cwd=REPO, check=check, capture_output=capture, text=True
    )


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))

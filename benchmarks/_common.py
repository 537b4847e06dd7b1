"""Helpers shared by the benchmark scripts (not part of the kitab package)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
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


def start_throwaway_django(*, prefix: str, secret_key: str, database_url: str = "") -> str:
    """Point Django (production settings) at a new temporary KITAB_HOME and set it up; returns the home.

    The database is that home's SQLite file unless `database_url` names another (an empty PostgreSQL database);
    the caller migrates it and removes the home when done.
    """
    home = tempfile.mkdtemp(prefix=prefix)
    os.environ["KITAB_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    os.environ.setdefault("KITAB_SECRET_KEY", secret_key)
    if database_url:
        os.environ["KITAB_DATABASE_URL"] = database_url
    else:
        os.environ.pop("KITAB_DATABASE_URL", None)
    import django

    django.setup()
    return home


def kitab(args: list[str], *, home: Path, check: bool = True, capture: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, KITAB_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "kitab.cli", *args], env=env, cwd=REPO, check=check, capture_output=capture, text=True
    )


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))

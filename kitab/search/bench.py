"""`kitab bench search`: time a query mix through the search service on the catalogue at hand.

For operators checking a deployment (after an upgrade, on new hardware); the reproducible benchmarks with
fixed data live in benchmarks/ at the repository root.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from kitab.core.stats import percentile

from .services import search
from .types import SearchRequest

# Works on any catalogue: common words in the languages of the region and English, field searches, filters.
DEFAULT_QUERIES = [
    "history",
    "tarix",
    "tarih",
    "istoriia",
    "history europe",
    "title:history",
    "author:ali",
    "subject:literature",
    "language:eng",
    "year:1990-2000",
    '"world war"',
    "literature year:>1995",
    "kitab*",
    "xyzzy-no-such-word",
]


@dataclass
class QueryTiming:
    query: str
    filters: dict[str, list[str]]
    hits: int
    median_ms: float
    p95_ms: float


@dataclass
class BenchResult:
    timings: list[QueryTiming]
    median_ms: float
    p95_ms: float
    repeat: int


def _p95(values: list[float]) -> float:
    return percentile(values, 95)


def read_queries(path: Path) -> list[str]:
    """One query per line; blank lines and lines starting with # are ignored."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def run(queries: list[str], *, repeat: int = 10, facets: bool = True) -> BenchResult:
    return time_requests([SearchRequest(query=q, limit=20, facets=facets) for q in queries], repeat=repeat)


def time_requests(requests: list[SearchRequest], *, repeat: int = 10) -> BenchResult:
    """Run each request once to warm up, then `repeat` times; per-request and overall median / p95 in ms."""
    timings: list[QueryTiming] = []
    every: list[float] = []
    for request in requests:
        result = search(request)  # warm-up
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = search(request)
            samples.append((time.perf_counter() - start) * 1000)
        every.extend(samples)
        timings.append(
            QueryTiming(request.query, request.filters, result.total, statistics.median(samples), _p95(samples))
        )
    return BenchResult(timings, statistics.median(every) if every else 0.0, _p95(every) if every else 0.0, repeat)

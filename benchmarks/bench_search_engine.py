"""Search engine benchmark: index the Library of Congress 250k file, then time a fixed query mix with facets.

    python benchmarks/bench_search_engine.py                  # 250k records
    python benchmarks/bench_search_engine.py --replicate 4    # the same records four times over: 1M
    python benchmarks/bench_search_engine.py --reuse          # skip indexing, query the index built last time

Indexing goes straight through `SearchEngine` (no database): MARC parsing and `summarize` are timed apart from
`to_document` + `add_document`, which is the search engine's share of an import. Every query of
`benchmarks/queries.py` runs through `SearchEngine.search` with facets on: one warm-up pass, then `--repeat`
rounds. Results go to var/bench/search-engine[-<label>].json.
"""

from __future__ import annotations

import argparse
import dataclasses
import lzma
import pickle
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pymarc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, LOC_250K, machine, percentile, write_json
from kitab.marc.mapping import summarize
from kitab.marc.summary import BibSummary
from kitab.search.documents import to_document
from kitab.search.engine import BULK_HEAP_BYTES, SearchEngine
from kitab.search.types import IndexDoc, SearchRequest

BRANCHES = ("MAIN", "EAST", "WEST", "NORTH", "SOUTH", "LAW", "MUSIC")


def read_summaries(path: Path, limit: int | None, cache: Path | None) -> tuple[list[BibSummary], float]:
    """Parse and summarise the MARC file (or load the pickled summaries of an earlier run); returns seconds spent."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            summaries: list[BibSummary] = pickle.load(fh)
        return summaries[:limit] if limit else summaries, 0.0
    start = time.perf_counter()
    summaries = []
    with lzma.open(path, "rb") as handle:
        for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True, utf8_handling="replace"):
            if record is None:
                continue
            summaries.append(summarize(record))
            if limit and len(summaries) >= limit:
                break
    seconds = time.perf_counter() - start
    if cache is not None and not limit:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump(summaries, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return summaries, seconds


def index_docs(summaries: list[BibSummary], replicate: int) -> Iterator[IndexDoc]:
    """Each record `replicate` times, with new record ids and control numbers; holdings state is synthetic but
    deterministic (LoC records carry no items), so the branch and availability facets have something to count."""
    n = len(summaries)
    for copy in range(replicate):
        for i, s in enumerate(summaries):
            rid = copy * n + i + 1
            if copy:
                s = dataclasses.replace(s, control_number=f"{s.control_number or rid}-r{copy}")
            branches = [BRANCHES[rid % len(BRANCHES)]]
            if rid % 3 == 0:
                branches.append(BRANCHES[(rid // 3) % len(BRANCHES)])
            yield IndexDoc(record_id=rid, summary=s, branches=branches, available=rid % 4 != 0)


def build_index(path: Path, summaries: list[BibSummary], replicate: int, heap: int, threads: int,
                commit_every: int) -> dict[str, object]:
    engine = SearchEngine.recreate(path)
    t_doc = 0.0
    t_add = 0.0
    count = 0
    start = time.perf_counter()
    writer = engine.writer(heap_bytes=heap, threads=threads)
    add = writer._w.add_document  # timed apart from to_document; add() does the same two steps
    for doc in index_docs(summaries, replicate):
        t0 = time.perf_counter()
        tdoc = to_document(doc)
        t1 = time.perf_counter()
        add(tdoc)
        t_add += time.perf_counter() - t1
        t_doc += t1 - t0
        count += 1
        if commit_every and count % commit_every == 0:
            writer.commit()
        if count % 100_000 == 0:
            el = time.perf_counter() - start
            print(f"  {count:>9,} docs  {count / el:,.0f}/s", flush=True)
    fed = time.perf_counter() - start
    t0 = time.perf_counter()
    writer.commit()
    commit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    writer.close(wait_merges=True)
    merge_s = time.perf_counter() - t0
    total = time.perf_counter() - start
    engine.refresh()
    seg = engine._searcher().num_segments
    size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    return {
        "docs": count,
        "to_document_us": round(t_doc / count * 1e6, 1),
        "add_document_us": round(t_add / count * 1e6, 1),
        "feed_seconds": round(fed, 1),
        "final_commit_seconds": round(commit_s, 1),
        "merge_wait_seconds": round(merge_s, 1),
        "total_seconds": round(total, 1),
        "records_per_second": round(count / total, 1),
        "segments": seg,
        "index_mib": round(size / 2**20, 1),
        "heap_bytes": heap,
        "threads": threads,
    }


def load_queries() -> tuple[list[tuple[str, str, dict[str, list[str]], int]], str]:
    """(name, query, filters, expected_min) from the shared mix in benchmarks/queries.py."""
    from benchmarks.queries import QUERIES

    return [(q.name, q.kitab, dict(q.facets or {}), int(q.expected_min or 0)) for q in QUERIES], "benchmarks/queries.py"


def run_queries(engine: SearchEngine, repeat: int, replicate: int) -> dict[str, object]:
    queries, source = load_queries()
    for name, text, filters, _ in queries:  # warm-up: page cache, term dictionaries, fast-field columns
        engine.search(SearchRequest(text, filters=filters))
    rows = []
    all_times: list[float] = []
    for name, text, filters, expected_min in queries:
        times = []
        total = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            res = engine.search(SearchRequest(text, filters=filters))
            times.append((time.perf_counter() - t0) * 1000.0)
            total = res.total
        all_times.extend(times)
        med = statistics.median(times)
        ok = total >= expected_min * replicate
        rows.append({"name": name, "query": text, "filters": filters, "hits": total, "median_ms": round(med, 2),
                     "p95_ms": round(percentile(times, 95), 2), "expected_min": expected_min * replicate,
                     "meets_expected_min": ok})
        print(f"  {name:<28} {med:8.2f} ms  {total:>9,} hits{'' if ok else '  (< expected_min)'}"
              f"   {text!r} {filters or ''}", flush=True)
    per_query_medians = [r["median_ms"] for r in rows]
    return {
        "query_source": source,
        "queries": rows,
        "repeat": repeat,
        "median_ms": round(statistics.median(all_times), 2),
        "p95_ms": round(percentile(all_times, 95), 2),
        "median_of_query_medians_ms": round(statistics.median(per_query_medians), 2),
        "p95_of_query_medians_ms": round(percentile(per_query_medians, 95), 2),
        "slowest": sorted(rows, key=lambda r: -r["median_ms"])[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=LOC_250K)
    parser.add_argument("--limit", type=int, default=0, help="index only the first N records")
    parser.add_argument("--replicate", type=int, default=1, help="index every record N times (4 -> 1M)")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default var/bench/search-<label>)")
    parser.add_argument("--reuse", action="store_true", help="query the existing index, do not rebuild")
    parser.add_argument("--cache", action="store_true",
                        help="keep parsed summaries in var/bench/search-summaries.pkl between runs")
    parser.add_argument("--heap", type=int, default=BULK_HEAP_BYTES)
    # One indexing thread: on a 2-core machine a second one competes with the Python thread that feeds it
    # (measured 7.5k vs 6.4k records/s on 250k) and leaves more segments behind.
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--commit-every", type=int, default=0, help="commit every N documents (0: once at the end)")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    label = f"{(args.limit or 250_000) * args.replicate // 1000}k"
    index_path = args.index or BENCH_VAR / f"search-{label}"
    result: dict[str, object] = {"label": label, "file": args.file.name, "machine": machine()}
    if not args.reuse:
        if not args.file.exists():
            sys.exit(f"{args.file} not found (needs ../shared/data/marc)")
        print(f"reading {args.file.name} ...", flush=True)
        cache = BENCH_VAR / "search-summaries.pkl" if args.cache else None
        summaries, parse_s = read_summaries(args.file, args.limit or None, cache)
        if parse_s:
            result["parse_and_summarize"] = {"records": len(summaries), "seconds": round(parse_s, 1),
                                             "records_per_second": round(len(summaries) / parse_s, 1)}
            print(f"  parsed + summarised {len(summaries):,} records in {parse_s:.1f}s", flush=True)
        print(f"indexing {len(summaries) * args.replicate:,} documents into {index_path} ...", flush=True)
        result["indexing"] = build_index(index_path, summaries, args.replicate, args.heap, args.threads,
                                         args.commit_every)
        del summaries
        print("  " + ", ".join(f"{k}={v}" for k, v in result["indexing"].items()), flush=True)  # type: ignore[union-attr]
    engine = SearchEngine(index_path)
    print(f"querying {engine.doc_count():,} documents ({engine._searcher().num_segments} segments), facets on",
          flush=True)
    result["search"] = run_queries(engine, args.repeat, args.replicate)
    s = result["search"]
    print(f"overall: median {s['median_ms']} ms, p95 {s['p95_ms']} ms "  # type: ignore[index]
          f"(per-query medians: median {s['median_of_query_medians_ms']} ms, "  # type: ignore[index]
          f"p95 {s['p95_of_query_medians_ms']} ms)")  # type: ignore[index]
    print("slowest: " + ", ".join(f"{r['name']} {r['median_ms']} ms" for r in s["slowest"]))  # type: ignore[index]
    out = BENCH_VAR / ("search-engine.json" if label == "250k" else f"search-engine-{label}.json")
    write_json(out, result)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

"""Print the Markdown tables of docs/benchmarks.md from the result files in var/bench/.

    python benchmarks/report.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR  # noqa: E402


def load(name: str) -> dict | None:
    path = BENCH_VAR / name
    return json.loads(path.read_text()) if path.exists() else None


def import_table() -> None:
    print("| catalogue | records | wall time | records/s | peak RSS | pymarc parse alone | import ÷ parse |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label in ("250k", "1m"):
        data = load(f"import-{label}.json")
        if not data:
            continue
        parse = data.get("pymarc_parse_seconds")
        print(
            f"| {label} | {data['records']:,} | {data['wall_seconds']} s | {data['records_per_second']:,.0f} | "
            f"{data['peak_rss_mib']:.0f} MiB | {f'{parse} s' if parse else '—'} | "
            f"{data.get('import_time_over_parse_time', '—')} |"
        )


def search_table(label: str) -> None:
    data = load(f"search-{label}.json")
    if not data:
        return
    zebra = {q["name"]: q for q in data.get("zebra", {}).get("per_query", data.get("zebra", {}).get("results", []))}
    http = {q["name"]: q for q in data.get("http", {}).get("queries", [])}
    head = "| query | hits | service median | service p95 | OPAC HTTP median |"
    sep = "|---|---:|---:|---:|---:|"
    if zebra:
        head += " Zebra median (hits) |"
        sep += "---:|"
    print(head)
    print(sep)
    for q in data["service"]["queries"]:
        facets = " " + " ".join(f"+{k}={','.join(v)}" for k, v in q["facets"].items()) if q["facets"] else ""
        row = (
            f"| `{q['query']}`{facets} | {q['hits']:,} | {q['median_ms']:.2f} | {q['p95_ms']:.2f} | "
            f"{http[q['name']]['median_ms']:.2f} |" if q["name"] in http else
            f"| `{q['query']}`{facets} | {q['hits']:,} | {q['median_ms']:.2f} | {q['p95_ms']:.2f} | — |"
        )
        if zebra:
            z = zebra.get(q["name"])
            row += f" {z['median_ms']:.2f} ({z['hits']:,}) |" if z else " — |"
        print(row)
    s = data["service"]["overall"]
    line = f"| **all** | | **{s['median_ms']:.2f}** | **{s['p95_ms']:.2f}** |"
    if "http" in data:
        h = data["http"]["overall"]
        line += f" **{h['median_ms']:.2f}** (p95 {h['p95_ms']:.2f}) |"
    else:
        line += " — |"
    if zebra:
        z = data["zebra"]["overall"]
        line += f" **{z['median_ms']:.2f}** (p95 {z['p95_ms']:.2f}) |"
    print(line)


def main() -> None:
    print("### Import\n")
    import_table()
    for label in ("250k", "1m"):
        print(f"\n### Search, {label}\n")
        search_table(label)


if __name__ == "__main__":
    main()

"""The embedded search engine: one Tantivy index directory, many reading processes, one writer at a time.

Readers never block on the writer: Tantivy publishes each commit by atomically replacing `meta.json`, and a reader
keeps serving the segments it opened until it reloads. `SearchEngine` reloads when `meta.json` has changed, and
checks that at most every `reload_interval` seconds, so a web worker sees an import's commits within ~200 ms
without paying for a reload on every query.

Writers are exclusive: Tantivy holds a lock file in the directory for as long as an `IndexWriter` lives, in
this process or another. `SearchEngine.writer()` turns "lock busy" into `IndexLockedError` after an optional wait.

Rebuilding while the site is live: one writer that calls `delete_all()`, adds every record and commits once; readers
keep answering from the old segments until that single commit replaces them. `SearchEngine.recreate()` (which
deletes the folder) is for a schema change, when the workers are restarted anyway.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import tantivy

from kitab.core.batching import batched
from kitab.search.documents import facet_label, to_document
from kitab.search.query import build, filter_values_query, parse, parse_year, year_range_query
from kitab.search.schema import (
    DISPLAY_FIELD,
    FACET_COLUMNS,
    FACET_FIELDS,
    KEYED_FACETS,
    SAMPLE_RATES,
    SCHEMA,
    SCHEMA_VERSION,
    VERSION_FILE,
    label_key,
    sample_column,
)
from kitab.search.types import (
    FACET_NAMES,
    SORT_ORDERS,
    FacetValue,
    Hit,
    IndexDoc,
    IndexLockedError,
    QuerySyntaxError,
    SchemaVersionError,
    SearchError,
    SearchRequest,
    SearchResult,
)

#: Buckets returned per facet. Authors and subjects have a long tail; a sidebar shows the head only.
FACET_SIZES: dict[str, int] = {
    "language": 20,
    "material_type": 15,
    "year": 20,
    "author": 15,
    "subject": 15,
    "branch": 30,
    "available": 2,
    "library": 50,
}
# Per-segment candidates kept before merging segment results: enough for exact-looking counts on the head of a
# long-tailed facet without carrying thousands of buckets per segment.
FACET_SEGMENT_FACTOR = 5

#: Above this many hits, author and subject facets are counted on the index-time sample (schema.SAMPLE_RATES) that
#: leaves about this many records, and scaled up (listed in SearchResult.approximate_facets). Counting a
#: long-tailed facet costs ~40 ns per value, so "history" on a million records (190k hits) would spend ~15 ms per
#: such facet otherwise. None: always exact.
FACET_SAMPLE_ABOVE: int | None = 30_000
_LABEL_CACHE_MAX = 200_000

MAX_LIMIT = 1000

#: Grouped searches (SearchRequest.group) rank works by their best record among the first
#: (offset + limit) × GROUP_OVERFETCH hits, at most GROUP_WINDOW_MAX: a work whose every record ranks below that
#: window is missing from the page, and grouped paging stops at the window's end. Group sizes and holders of the
#: works shown are exact (one aggregation over the page's works); the record linked for each holder is its best
#: ranked one among the first GROUP_MEMBERS_MAX records of the page's works.
GROUP_OVERFETCH = 4
GROUP_WINDOW_MAX = 2000
GROUP_MEMBERS_MAX = 1000
FILTER_ALIASES: dict[str, str] = {"type": "material_type", "lang": "language", "authors": "author",
                                  "subjects": "subject"}

DEFAULT_HEAP_BYTES = 128_000_000
BULK_HEAP_BYTES = 512_000_000
_LOCK_POLL_SECONDS = 0.05
_DELETE_CHUNK = 5000

Q = tantivy.Query
_MUST = tantivy.Occur.Must


def _meta_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path / "meta.json")
    except FileNotFoundError:
        return None
    # meta.json is replaced by rename on every commit, so the inode changes even when mtime granularity is coarse.
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _read_version(path: Path) -> int | None:
    try:
        data = json.loads((path / VERSION_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    v = data.get("schema_version") if isinstance(data, dict) else None
    return v if isinstance(v, int) else None


def _write_version(path: Path) -> None:
    tmp = path / (VERSION_FILE + ".tmp")
    tmp.write_text(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n", encoding="utf-8")
    os.replace(tmp, path / VERSION_FILE)


class SearchEngine:
    """Search and maintain the catalogue index stored in `path` (created when missing)."""

    def __init__(self, path: Path | str, *, reload_interval: float = 0.2,
                 facet_sample_above: int | None = FACET_SAMPLE_ABOVE) -> None:
        self.path = Path(path)
        self.reload_interval = reload_interval
        self.facet_sample_above = facet_sample_above
        # facet key -> label; a key is a hash of its label, so an entry never goes stale
        self._labels: dict[int, str] = {}
        self.path.mkdir(parents=True, exist_ok=True)
        if tantivy.Index.exists(str(self.path)):
            found = _read_version(self.path)
            if found != SCHEMA_VERSION:
                raise SchemaVersionError(
                    "schema_version",
                    f"The search index in {self.path} was built with schema version {found} but this Kitab needs "
                    f"version {SCHEMA_VERSION}. Run `kitab reindex` to rebuild it.",
                )
            self._index = tantivy.Index.open(str(self.path))
        else:
            # The version file goes first: an index without one is treated as foreign, never silently adopted.
            _write_version(self.path)
            self._index = tantivy.Index(SCHEMA, str(self.path), reuse=False)
        # Manual reloads, driven by _searcher(): Tantivy's own OnCommit policy polls every 500 ms in a thread per
        # index and would be both later and busier than a stat() piggy-backed on queries.
        self._index.config_reader("manual")
        self._reload_lock = threading.Lock()
        self._meta_sig = _meta_signature(self.path)
        self._last_check = time.monotonic()

    @classmethod
    def recreate(cls, path: Path | str, **kwargs: Any) -> SearchEngine:
        """Delete the index in `path` and start an empty one (for `kitab reindex`); refuses unrelated folders."""
        p = Path(path)
        if p.exists() and any(p.iterdir()):
            if not ((p / "meta.json").exists() or (p / VERSION_FILE).exists()):
                raise SearchError("not_an_index", f"{p} is not empty and does not look like a search index.")
            shutil.rmtree(p)
        return cls(p, **kwargs)

    # -- reading -------------------------------------------------------------------------------------------------

    def _searcher(self) -> tantivy.Searcher:
        now = time.monotonic()
        if now - self._last_check >= self.reload_interval:
            with self._reload_lock:
                if now - self._last_check >= self.reload_interval:
                    self._last_check = now
                    sig = _meta_signature(self.path)
                    # No meta.json means the folder is being recreated right now: keep serving what we have.
                    if sig is not None and sig != self._meta_sig:
                        try:
                            self._index.reload()
                            self._meta_sig = sig
                        except ValueError:
                            pass  # a half-replaced index; the next check retries, meanwhile the old view serves
        return self._index.searcher()

    def doc_freqs(self, field: str, terms: list[str]) -> list[int]:
        """How many documents hold each term in `field` (for spelling suggestions), from one searcher."""
        searcher = self._searcher()
        return [searcher.doc_freq(field, term) for term in terms]

    def refresh(self) -> None:
        """Pick up the latest commit now (the next search would within `reload_interval` anyway)."""
        self._last_check = float("-inf")
        self._searcher()

    def doc_count(self) -> int:
        return int(self._searcher().num_docs)

    def search(self, request: SearchRequest) -> SearchResult:
        """Run one search; raises QuerySyntaxError for a query that cannot be repaired."""
        t0 = time.perf_counter()
        if request.sort not in SORT_ORDERS:
            raise QuerySyntaxError("bad_sort", f"Unknown sort order {request.sort!r}.")
        parsed = parse(request.query)
        built = build(parsed)
        if request.record_ids is not None:
            only = Q.const_score_query(
                Q.term_set_query(SCHEMA, "record_id", [int(i) for i in request.record_ids]), 0.0)
            built.matching = _combine(built.matching, [only])
            built.scoring = _combine(built.scoring, [only])
        text_q = built.matching
        selected = _normalise_filters(request.filters)
        filter_qs = {name: _filter_query(name, values) for name, values in selected.items()}
        searcher = self._searcher()

        limit = max(0, min(int(request.limit), MAX_LIMIT))
        offset = max(0, int(request.offset))
        sort = request.sort
        if sort == "relevance" and not parsed.has_scoring_terms:
            sort = "year_desc"  # every hit would tie: newest first is the useful default
        # Ranking clauses only matter when hits are ordered by score.
        main = _combine(built.scoring if sort == "relevance" else built.matching, list(filter_qs.values()))
        # Tantivy refuses limit=0; ask for one hit and drop it.
        kwargs: dict[str, object] = {"count": True, "offset": offset}
        if sort == "year_desc":
            kwargs.update(order_by_field="year", order=tantivy.Order.Desc)
        elif sort == "year_asc":
            kwargs.update(order_by_field="year", order=tantivy.Order.Asc)
        elif sort == "title":
            kwargs.update(order_by_field="title_sort", order=tantivy.Order.Asc)
        elif sort == "author":
            kwargs.update(order_by_field="author_sort", order=tantivy.Order.Asc)
        by_score = sort == "relevance"
        total_groups: int | None = None
        if request.group:
            hits, total = self._grouped(searcher, main, kwargs, limit, offset, by_score)
            total_groups = _distinct_works(searcher, main) if total else 0
        else:
            res = searcher.search(main, max(limit, 1), **kwargs)
            hits = [self._hit(searcher, value, addr, by_score) for value, addr in res.hits[:limit]]
            total = int(res.count) if res.count is not None else len(hits)

        facets: dict[str, list[FacetValue]] = {}
        approximate: list[str] = []
        if request.facets:
            facets, approximate = self._facets(searcher, text_q, filter_qs, selected, total)
        return SearchResult(total=total, hits=hits, facets=facets, took_ms=(time.perf_counter() - t0) * 1000.0,
                            approximate_facets=approximate, total_groups=total_groups)

    def _grouped(self, searcher: tantivy.Searcher, main: tantivy.Query, kwargs: dict[str, object], limit: int,
                 offset: int, by_score: bool) -> tuple[list[Hit], int]:
        """One hit per work_key, the best-ranked record of each (see GROUP_OVERFETCH for the limits)."""
        window = min(GROUP_WINDOW_MAX, max(offset + limit, 1) * GROUP_OVERFETCH)
        res = searcher.search(main, window, **{**kwargs, "offset": 0})
        total = int(res.count) if res.count is not None else len(res.hits)
        best: dict[str, tuple[object, tantivy.DocAddress]] = {}
        for value, addr in res.hits:
            key = searcher.doc(addr).get_first("work_key") or ""
            if key not in best:
                best[key] = (value, addr)
        page = list(best.items())[offset : offset + limit]
        if not page:
            return [], total
        keys = [key for key, _ in page]
        in_page = _combine(main, [Q.const_score_query(Q.term_set_query(SCHEMA, "work_key", keys), 0.0)])
        agg = searcher.aggregate(in_page, {"works": {
            "terms": {"field": "work_key", "size": len(keys)},
            "aggs": {"libraries": {"terms": {"field": "library", "size": FACET_SIZES["library"]}}},
        }})
        sizes: dict[str, int] = {}
        libraries: dict[str, list[str]] = {}
        for bucket in (agg.get("works") or {}).get("buckets") or []:
            sizes[str(bucket["key"])] = int(bucket["doc_count"])
            sub = (bucket.get("libraries") or {}).get("buckets") or []
            libraries[str(bucket["key"])] = sorted(str(b["key"]) for b in sub)
        records: dict[str, dict[str, int]] = {key: {} for key in keys}
        members = searcher.search(in_page, min(GROUP_MEMBERS_MAX, max(sum(sizes.values()), 1)),
                                  **{**kwargs, "offset": 0, "count": False})
        for _value, addr in members.hits:
            doc = searcher.doc(addr)
            display = json.loads(doc.get_first(DISPLAY_FIELD))
            found = records.setdefault(doc.get_first("work_key") or "", {})
            found.setdefault(display[8], int(doc.get_first("record_id")))
        hits: list[Hit] = []
        for key, (value, addr) in page:
            hit = self._hit(searcher, value, addr, by_score)
            holders = libraries.get(key) or [hit.library]
            hit.holders = [hit.library] + [code for code in holders if code != hit.library]
            hit.group_size = max(sizes.get(key, 1), 1)
            found = records.get(key, {})
            found[hit.library] = hit.record_id
            hit.holder_records = {code: found[code] for code in hit.holders if code in found}
            hits.append(hit)
        return hits, total

    @staticmethod
    def _hit(searcher: tantivy.Searcher, value: object, addr: tantivy.DocAddress, by_score: bool) -> Hit:
        doc = searcher.doc(addr)
        cn, title, authors, year, languages, material_type, available, _subjects, library = json.loads(
            doc.get_first(DISPLAY_FIELD)
        )
        return Hit(
            record_id=int(doc.get_first("record_id")),
            control_number=cn,
            title=title,
            authors=authors,
            year=year,
            languages=languages,
            material_type=material_type,
            available=bool(available),
            score=float(value) if by_score and isinstance(value, (int, float)) else 0.0,
            library=library,
        )

    # -- facets ----------------------------------------------------------------------------------------------------

    def _facets(self, searcher: tantivy.Searcher, text_q: tantivy.Query | None,
                filter_qs: dict[str, tantivy.Query], selected: dict[str, list[str]],
                total: int) -> tuple[dict[str, list[FacetValue]], list[str]]:
        """Facet counts under the query and every *other* active filter, so the values of a facet that is already
        narrowed stay visible for OR-ing; facets without a filter of their own share one aggregation pass."""
        runs: list[tuple[tantivy.Query, list[str], int | None]] = []
        shared = [n for n in FACET_NAMES if n not in filter_qs]
        if shared:
            runs.append((_combine(text_q, list(filter_qs.values())), shared, total))
        for name in FACET_NAMES:
            if name in filter_qs:
                others = [q for n, q in filter_qs.items() if n != name]
                runs.append((_combine(text_q, others), [name], None))

        out: dict[str, list[FacetValue]] = {}
        approximate: list[str] = []
        for query, names, known_total in runs:
            keyed = [n for n in names if n in KEYED_FACETS]
            rate = self._sample_rate(searcher, query, known_total) if keyed else 1
            if rate > 1:
                approximate.extend(keyed)
            # One aggregation pass per run: the sampled columns sit beside the others, so sampling costs no pass.
            aggs = {n: _terms_agg(n, rate if n in KEYED_FACETS else 1) for n in names}
            result = searcher.aggregate(query, aggs)
            for name in names:
                buckets = (result.get(name) or {}).get("buckets") or []
                scale = rate if name in KEYED_FACETS else 1
                out[name] = self._facet_values(searcher, name, buckets, scale, query, selected.get(name, []))
        return {n: out[n] for n in FACET_NAMES if n in out}, sorted(set(approximate))

    def _sample_rate(self, searcher: tantivy.Searcher, query: tantivy.Query, known_total: int | None) -> int:
        """1 to count author/subject facets on every hit, else the SAMPLE_RATES entry that leaves about
        `facet_sample_above` records to count (the sparsest sample when even that leaves more)."""
        if self.facet_sample_above is None:
            return 1
        hits = known_total if known_total is not None else int(searcher.search(query, 1).count or 0)
        if hits <= self.facet_sample_above:
            return 1
        for rate in SAMPLE_RATES:
            if hits / rate <= self.facet_sample_above:
                return rate
        return SAMPLE_RATES[-1]

    def _facet_values(self, searcher: tantivy.Searcher, name: str, buckets: list[dict[str, Any]], scale: float,
                      query: tantivy.Query, chosen_list: list[str]) -> list[FacetValue]:
        chosen = set(chosen_list)
        values: list[FacetValue] = []
        for b in buckets:
            if name in KEYED_FACETS:
                label = self._label(searcher, name, int(b["key"]))
                if label is None:
                    continue
            else:
                label = str(b["key"])
            values.append(FacetValue(label, round(int(b["doc_count"]) * scale), label in chosen))
        if name == "year":
            values.sort(key=lambda fv: int(fv.value), reverse=True)
        for value in sorted(chosen - {fv.value for fv in values}):
            # A selected value outside the top buckets still shows, with its own count.
            count = searcher.search(_combine(query, [_filter_query(name, [value])]), 1).count
            values.append(FacetValue(value, int(count or 0), True))
        return values

    def _label(self, searcher: tantivy.Searcher, name: str, key: int) -> str | None:
        """Label of an author/subject facet key: read from one record that carries the key."""
        label = self._labels.get(key)
        if label is not None:
            return label
        res = searcher.search(Q.term_query(SCHEMA, FACET_COLUMNS[name], key), 1, count=False)
        if not res.hits:
            return None
        display = json.loads(searcher.doc(res.hits[0][1]).get_first(DISPLAY_FIELD))
        candidates = [facet_label(a) for a in display[2]] if name == "author" else display[7]
        for candidate in candidates:
            if label_key(candidate) == key:
                if len(self._labels) >= _LABEL_CACHE_MAX:
                    self._labels.clear()
                self._labels[key] = candidate
                return candidate
        return None

    # -- writing -------------------------------------------------------------------------------------------------

    def writer(self, heap_bytes: int = DEFAULT_HEAP_BYTES, threads: int = 1,
               timeout: float = 0.0) -> IndexWriterSession:
        """Take the index's write lock; raises IndexLockedError if another writer still holds it after `timeout` s.

        For bulk loads use `heap_bytes=BULK_HEAP_BYTES` and commit rarely: each commit flushes segments and each
        segment costs every later query a little.
        """
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                raw = self._index.writer(heap_bytes, threads)
                break
            except ValueError as exc:
                if "LockBusy" not in str(exc) and "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        "index_locked",
                        f"The search index in {self.path} is being written by another process (an import or a "
                        f"reindex); try again when it has finished.",
                    ) from exc
                time.sleep(_LOCK_POLL_SECONDS)
        return IndexWriterSession(self, raw)

    def clear(self) -> None:
        """Remove every document (committed at once)."""
        with self.writer() as w:
            w.delete_all()

    def _committed(self) -> None:
        # Our own commit: make the next search in this process see it without waiting for the interval.
        self._last_check = float("-inf")


class IndexWriterSession:
    """The one writer of an index. As a context manager it commits on success and rolls back on error."""

    def __init__(self, engine: SearchEngine, raw: tantivy.IndexWriter) -> None:
        self._engine = engine
        self._raw: tantivy.IndexWriter | None = raw
        self.pending = 0  # operations since the last commit

    @property
    def _w(self) -> tantivy.IndexWriter:
        if self._raw is None:
            raise SearchError("writer_closed", "This index writer has been closed.")
        return self._raw

    def add(self, docs: Iterable[IndexDoc]) -> int:
        w = self._w
        add = w.add_document
        n = 0
        for d in docs:
            add(to_document(d))
            n += 1
        self.pending += n
        return n

    def add_documents(self, docs: Iterable[tantivy.Document]) -> int:
        """Add documents already built by `to_document` (lets an import build them in worker processes)."""
        w = self._w
        n = 0
        for d in docs:
            w.add_document(d)
            n += 1
        self.pending += n
        return n

    def delete(self, record_ids: Iterable[int]) -> int:
        n = 0
        for chunk in batched((int(r) for r in record_ids), _DELETE_CHUNK):
            self._delete_ids(chunk)
            n += len(chunk)
        self.pending += n
        return n

    def upsert(self, docs: Iterable[IndexDoc]) -> int:
        # A delete applies to documents added before it, so delete-then-add in one commit replaces the old copy.
        # Batched: one term-set delete per chunk instead of one delete operation per record.
        w = self._w
        n = 0
        for chunk in batched(docs, _DELETE_CHUNK):
            latest = {d.record_id: d for d in chunk}  # the same record twice in a batch: the last one wins
            self._delete_ids(list(latest))
            for d in latest.values():
                w.add_document(to_document(d))
            n += len(latest)
        self.pending += n
        return n

    def _delete_ids(self, ids: list[int]) -> None:
        # delete_documents_by_term cannot match a u64 field in tantivy-py 0.27 (the value becomes an i64 term and
        # silently deletes nothing), so deletes go through a query on record_id.
        if ids:
            self._w.delete_documents_by_query(Q.term_set_query(SCHEMA, "record_id", ids))

    def delete_all(self) -> None:
        self._w.delete_all_documents()
        self.pending += 1

    def commit(self) -> int:
        opstamp = int(self._w.commit())
        self.pending = 0
        self._engine._committed()
        return opstamp

    def rollback(self) -> None:
        self._w.rollback()
        self.pending = 0

    def close(self, *, wait_merges: bool = True) -> None:
        """Release the write lock; uncommitted changes are lost. Waiting lets background merges finish and publish."""
        raw, self._raw = self._raw, None
        if raw is None:
            return
        if wait_merges:
            raw.wait_merging_threads()  # consumes the writer, which releases the lock
            self._engine._committed()
        del raw  # the last reference: dropping the Rust writer releases the lock file

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self._raw is not None:
                if exc_type is None:
                    self.commit()
                else:
                    self.rollback()
        finally:
            self.close()


# -- filters and facets -----------------------------------------------------------------------------------------


def _normalise_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, values in (filters or {}).items():
        name = FILTER_ALIASES.get(key, key)
        if name not in FACET_FIELDS:
            raise QuerySyntaxError("bad_filter", f"Unknown filter {key!r}.")
        if isinstance(values, str):
            values = [values]
        vals = [str(v) for v in values if str(v).strip()]
        if name == "available":
            vals = ["yes" if v.lower() in ("yes", "true", "1", "y") else "no" for v in vals]
        if vals:
            out.setdefault(name, []).extend(v for v in vals if v not in out.get(name, []))
    return out


def _filter_query(name: str, values: list[str]) -> tantivy.Query:
    if name == "year":
        ranges = []
        for v in values:
            lo, hi = parse_year(v)
            ranges.append(year_range_query(lo, hi))
        q = ranges[0] if len(ranges) == 1 else Q.boolean_query([(tantivy.Occur.Should, r) for r in ranges])
    else:
        q = filter_values_query(FACET_FIELDS[name], values)
    # Filters select, they do not rank: a constant zero keeps the text query's scores as they are.
    return Q.const_score_query(q, 0.0)


def _combine(text_q: tantivy.Query | None, filters: list[tantivy.Query]) -> tantivy.Query:
    parts = ([text_q] if text_q is not None else []) + filters
    if not parts:
        return Q.all_query()
    if len(parts) == 1:
        return parts[0]
    return Q.boolean_query([(_MUST, p) for p in parts])


def _distinct_works(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    """How many distinct work_keys the query matches (Tantivy's cardinality aggregation: HyperLogLog)."""
    result = searcher.aggregate(query, {"works": {"cardinality": {"field": "work_key"}}})
    return round(float((result.get("works") or {}).get("value") or 0))


def _terms_agg(name: str, rate: int = 1) -> dict[str, Any]:
    size = FACET_SIZES[name]
    column = FACET_COLUMNS[name] if rate == 1 else sample_column(name, rate)
    return {"terms": {"field": column, "size": size, "segment_size": size * FACET_SEGMENT_FACTOR}}

"""The engine around the index: hits, sorting, paging, writing, locking, reloading and schema versions."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest

from kitab.search.engine import SearchEngine
from kitab.search.schema import SCHEMA_VERSION, VERSION_FILE
from kitab.search.types import IndexLockedError, QuerySyntaxError, SchemaVersionError, SearchRequest


def test_hit_carries_the_stored_display_fields(engine):
    result = engine.search(SearchRequest('"war and peace"'))
    assert result.total == 1
    hit = result.hits[0]
    assert hit.record_id == 10
    assert hit.control_number == "cn0010"
    assert hit.title == "War and peace"
    assert hit.authors == ["Tolstoy, Leo, graf, 1828-1910."]
    assert hit.year == 1869
    assert hit.languages == ["eng"]
    assert hit.material_type == "book"
    assert hit.available is True
    assert hit.score > 0
    assert result.took_ms > 0


def test_title_matches_rank_above_keyword_matches(engine):
    # "turkey" is in the title of 12 and only in a subject of 2 (Istanbul (Turkey))
    hits = [h.record_id for h in engine.search(SearchRequest("turkey")).hits]
    assert hits.index(12) < hits.index(2)


def test_sorting_and_paging(engine):
    asc = engine.search(SearchRequest("", sort="year_asc", limit=3))
    assert [h.year for h in asc.hits] == [1869, 1878, 1950]
    desc = engine.search(SearchRequest("", sort="year_desc", limit=2, offset=1))
    assert [h.year for h in desc.hits] == [2010, 2005]
    titles = [h.title for h in engine.search(SearchRequest("", sort="title", limit=2)).hits]
    assert titles == ["Anna Karenina", "Atlas of Turkey"]
    assert engine.search(SearchRequest("", limit=0)).hits == []
    assert engine.search(SearchRequest("", limit=0)).total == 14
    with pytest.raises(QuerySyntaxError):
        engine.search(SearchRequest("", sort="random"))  # type: ignore[arg-type]


def test_unknown_filter_is_an_error(engine):
    with pytest.raises(QuerySyntaxError) as excinfo:
        engine.search(SearchRequest("", filters={"colour": ["red"]}))
    assert excinfo.value.code == "bad_filter"


def test_doc_count(engine):
    assert engine.doc_count() == 14


def test_delete_and_upsert(fresh_engine, catalogue):
    engine = fresh_engine
    with engine.writer() as w:
        w.delete([10])
    assert engine.search(SearchRequest("tolstoy")).total == 1
    assert engine.doc_count() == 13

    anna = catalogue[13]
    renamed = dataclasses.replace(anna, summary=dataclasses.replace(anna.summary, title="Anna Karenina: a novel"),
                                  available=False)
    with engine.writer() as w:
        w.upsert([renamed, renamed])  # twice in one batch still leaves one copy
    result = engine.search(SearchRequest("karenina"))
    assert result.total == 1
    assert result.hits[0].title == "Anna Karenina: a novel"
    assert result.hits[0].available is False
    assert engine.doc_count() == 13


def test_rollback_on_error_in_context(fresh_engine):
    with pytest.raises(RuntimeError), fresh_engine.writer() as w:
        w.delete([1, 2, 3])
        raise RuntimeError("import failed")
    assert fresh_engine.doc_count() == 14


def test_clear(fresh_engine):
    fresh_engine.clear()
    assert fresh_engine.doc_count() == 0
    assert fresh_engine.search(SearchRequest("")).total == 0


def test_schema_version_mismatch_asks_for_reindex(tmp_path, make_engine):
    make_engine(tmp_path / "ix", [])
    (tmp_path / "ix" / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(SchemaVersionError) as excinfo:
        SearchEngine(tmp_path / "ix")
    assert "kitab reindex" in excinfo.value.message
    fresh = SearchEngine.recreate(tmp_path / "ix")
    assert fresh.doc_count() == 0


def test_index_without_version_file_is_refused(tmp_path, make_engine):
    make_engine(tmp_path / "ix", [])
    (tmp_path / "ix" / VERSION_FILE).unlink()
    with pytest.raises(SchemaVersionError):
        SearchEngine(tmp_path / "ix")


def test_recreate_refuses_a_folder_that_is_not_an_index(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(Exception) as excinfo:
        SearchEngine.recreate(tmp_path)
    assert getattr(excinfo.value, "code", None) == "not_an_index"
    assert (tmp_path / "precious.txt").exists()


def test_second_writer_gets_index_locked_error(fresh_engine):
    other_process_view = SearchEngine(fresh_engine.path)
    w = fresh_engine.writer()
    try:
        started = time.monotonic()
        with pytest.raises(IndexLockedError) as excinfo:
            other_process_view.writer(timeout=0.3)
        assert time.monotonic() - started >= 0.25
        assert excinfo.value.code == "index_locked"
        with pytest.raises(IndexLockedError):
            fresh_engine.writer()
    finally:
        w.close()
    with other_process_view.writer() as w2:  # the lock is released on close
        w2.delete([1])
    assert other_process_view.doc_count() == 13


def test_reader_sees_a_commit_made_by_another_writer(fresh_engine, catalogue):
    reader = SearchEngine(fresh_engine.path, reload_interval=0.2)
    assert reader.search(SearchRequest("karenina")).total == 1
    with fresh_engine.writer() as w:
        w.delete([14])
    deadline = time.monotonic() + 2.0
    while reader.search(SearchRequest("karenina")).total != 0:
        assert time.monotonic() < deadline, "reader never picked up the commit"
        time.sleep(0.05)
    assert reader.doc_count() == 13


def test_writer_in_another_process_locks_this_one_out(fresh_engine, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    ready = tmp_path / "ready"
    script = (
        "import sys, time, pathlib\n"
        "from kitab.search.engine import SearchEngine\n"
        f"w = SearchEngine({str(fresh_engine.path)!r}).writer()\n"
        "w.delete([1]); w.commit()\n"
        f"pathlib.Path({str(ready)!r}).write_text('x')\n"
        "sys.stdin.read()\n"  # hold the lock until the test closes our stdin
        "w.close()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=repo, stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "helper process failed"
            time.sleep(0.05)
        with pytest.raises(IndexLockedError):
            fresh_engine.writer(timeout=0.2)
        fresh_engine.refresh()  # and the other process's commit is visible here
        assert fresh_engine.doc_count() == 13
    finally:
        proc.communicate(b"", timeout=30)
    with fresh_engine.writer(timeout=5) as w:
        w.delete([2])
    assert fresh_engine.doc_count() == 12

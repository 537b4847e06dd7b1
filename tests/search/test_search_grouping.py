"""Grouped searches (one hit per work across member libraries) and the `library` facet, on a hand-made index."""

from __future__ import annotations

from kitab.marc.summary import BibSummary
from kitab.search.documents import work_key
from kitab.search.types import IndexDoc, SearchRequest


def _doc(record_id: int, title: str, source: str = "", *, isbns: list[str] | None = None, lccn: str | None = None,
         author: str = "Smith, Ann", year: int = 2001) -> IndexDoc:
    summary = BibSummary(control_number=str(record_id), title=title, authors=[author], year=year, languages=["eng"],
                         isbns=isbns or [], lccn=lccn)
    return IndexDoc(record_id=record_id, summary=summary, source=source)


DOCS = [
    _doc(1, "Rivers of the world", isbns=["9780306406157"]),
    _doc(2, "Rivers of the world", "NORTH", isbns=["9780306406157"]),
    _doc(3, "Rivers of the world", "SOUTH", isbns=["9780306406157"]),
    _doc(4, "Rivers and lakes", "NORTH", lccn="2001012345"),
    _doc(5, "Rivers and lakes", "SOUTH", lccn="2001012345"),
    _doc(6, "Rivers in poetry", "SOUTH"),
    _doc(7, "Rivers in poetry", "NORTH"),  # no ISBN or LCCN: title + surname + year
    _doc(8, "Rivers in poetry", "NORTH", year=1950),  # another edition: another work
    _doc(9, "Mountains", "NORTH"),
]


def test_work_key_prefers_isbn_then_lccn_then_title_author_year():
    assert work_key(DOCS[0].summary, 1) == "isbn:9780306406157"
    assert work_key(DOCS[3].summary, 4).startswith("lccn:")
    assert work_key(DOCS[5].summary, 6) == work_key(DOCS[6].summary, 7) != work_key(DOCS[7].summary, 8)
    assert work_key(DOCS[5].summary, 6).startswith("t:") and work_key(DOCS[5].summary, 6).endswith("|2001")
    assert work_key(BibSummary(), 42) == "id:42"


def test_grouped_search_returns_one_hit_per_work_with_its_holders(tmp_path, make_engine):
    engine = make_engine(tmp_path / "ix", DOCS)
    result = engine.search(SearchRequest(query="rivers", group=True, limit=10))
    assert result.total == 8  # records
    assert result.total_groups == 4  # works
    assert len(result.hits) == 4
    world = next(h for h in result.hits if h.title == "Rivers of the world")
    assert world.group_size == 3
    assert sorted(world.holders) == ["NORTH", "SOUTH", "local"]
    assert world.holders[0] == world.library  # the hit's own library first
    assert world.holder_records == {"local": 1, "NORTH": 2, "SOUTH": 3} | {world.library: world.record_id}
    poetry = [h for h in result.hits if h.title == "Rivers in poetry"]
    assert sorted(h.group_size for h in poetry) == [1, 2]


def test_grouped_paging_counts_works(tmp_path, make_engine):
    engine = make_engine(tmp_path / "ix", DOCS)
    pages = [engine.search(SearchRequest(query="rivers", group=True, limit=2, offset=o)).hits for o in (0, 2, 4)]
    ids = [h.record_id for page in pages for h in page]
    assert len(ids) == 4 and len(pages[2]) == 0
    titles_years = [(h.title, h.group_size) for page in pages for h in page]
    assert len(set(titles_years)) == 4


def test_ungrouped_search_is_unchanged_and_carries_the_library(tmp_path, make_engine):
    engine = make_engine(tmp_path / "ix", DOCS)
    result = engine.search(SearchRequest(query="rivers", limit=20))
    assert result.total == len(result.hits) == 8 and result.total_groups is None
    assert {h.record_id: h.library for h in result.hits}[1] == "local"
    assert all(h.group_size == 1 and h.holders == [] for h in result.hits)


def test_library_facet_and_filter(tmp_path, make_engine):
    engine = make_engine(tmp_path / "ix", DOCS)
    result = engine.search(SearchRequest(query="", limit=20))
    assert {v.value: v.count for v in result.facets["library"]} == {"NORTH": 5, "SOUTH": 3, "local": 1}
    north = engine.search(SearchRequest(query="rivers", filters={"library": ["NORTH"]}, limit=20))
    assert sorted(h.record_id for h in north.hits) == [2, 4, 7, 8]
    grouped = engine.search(SearchRequest(query="rivers", filters={"library": ["SOUTH"]}, group=True))
    assert all(h.holders == ["SOUTH"] for h in grouped.hits)  # holders within the filters

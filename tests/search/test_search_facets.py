"""Filters from the request and facet counts that follow the query and the other active filters."""

from __future__ import annotations

from kitab.search.types import FacetValue, SearchRequest


def counts(values: list[FacetValue]) -> dict[str, int]:
    return {fv.value: fv.count for fv in values}


def test_facets_over_everything(engine):
    result = engine.search(SearchRequest(""))
    f = result.facets
    assert set(f) == {"language", "material_type", "year", "author", "subject", "branch", "available", "library"}
    assert counts(f["language"]) == {"tur": 5, "eng": 4, "rus": 2, "aze": 1, "kaz": 1, "uzb": 1, "ara": 1}
    assert counts(f["material_type"]) == {"book": 12, "map": 1, "serial": 1}
    assert counts(f["author"])["Tolstoy, Leo, graf, 1828-1910"] == 2  # trailing period merged
    assert counts(f["subject"])["Russia"] == 2
    assert counts(f["branch"]) == {"MAIN": 12, "EAST": 3}
    assert counts(f["available"]) == {"yes": 12, "no": 2}
    assert [fv.value for fv in f["year"]][:3] == ["2012", "2010", "2005"]
    assert not any(fv.selected for values in f.values() for fv in values)


def test_facets_follow_the_query(engine):
    f = engine.search(SearchRequest("tolstoy")).facets
    assert counts(f["language"]) == {"eng": 1, "rus": 1}
    assert counts(f["subject"]) == {"Napoleonic Wars, 1800-1815": 1, "Russia": 2}


def test_language_filter(engine):
    result = engine.search(SearchRequest("", filters={"language": ["rus"]}))
    assert {h.record_id for h in result.hits} == {7, 14}
    assert result.total == 2


def test_values_of_one_filter_are_ored_and_filters_are_anded(engine):
    result = engine.search(SearchRequest("", filters={"language": ["rus", "aze"], "year": ["1900-2020"]}, limit=50))
    assert {h.record_id for h in result.hits} == {3, 7}


def test_facet_counts_respect_the_other_filters(engine):
    result = engine.search(SearchRequest("", filters={"language": ["eng"], "material_type": ["map"]}))
    assert [h.record_id for h in result.hits] == [12]
    f = result.facets
    # material_type counted under language=eng only, so the user can widen to another type
    assert counts(f["material_type"]) == {"book": 2, "map": 1, "serial": 1}
    assert [fv.value for fv in f["material_type"] if fv.selected] == ["map"]
    # language counted under material_type=map only
    assert counts(f["language"]) == {"eng": 1, "tur": 1}
    assert [fv.value for fv in f["language"] if fv.selected] == ["eng"]
    # facets without a filter of their own see both filters
    assert counts(f["branch"]) == {"EAST": 1}


def test_selected_value_outside_the_buckets_is_still_listed(engine):
    result = engine.search(SearchRequest("tolstoy", filters={"language": ["kaz"]}))
    assert result.total == 0
    lang = {fv.value: fv for fv in result.facets["language"]}
    assert lang["kaz"].selected and lang["kaz"].count == 0


def test_year_and_availability_filters(engine):
    result = engine.search(SearchRequest("", filters={"year": [">2004"], "available": ["yes"]}, limit=50))
    assert {h.record_id for h in result.hits} == {3, 4, 8}
    result = engine.search(SearchRequest("", filters={"available": ["no"]}, limit=50))
    assert {h.record_id for h in result.hits} == {2, 11}


def test_facets_can_be_skipped(engine):
    assert engine.search(SearchRequest("tolstoy", facets=False)).facets == {}


def test_broad_queries_count_long_tailed_facets_on_a_sample(tmp_path, make_engine):
    from kitab.marc.summary import BibSummary
    from kitab.search.engine import SearchEngine
    from kitab.search.types import IndexDoc

    docs = [
        IndexDoc(i, BibSummary(title=f"Common word {i}", authors=["Popular, Author" if i % 2 else f"Other {i}"],
                               subjects=["Big topic -- Sub"], languages=["eng"]))
        for i in range(1, 4001)
    ]
    make_engine(tmp_path / "ix", docs)
    exact_engine = SearchEngine(tmp_path / "ix", facet_sample_above=None)
    sampled_engine = SearchEngine(tmp_path / "ix", facet_sample_above=500)

    exact = exact_engine.search(SearchRequest("common"))
    assert exact.approximate_facets == []
    assert counts(exact.facets["author"])["Popular, Author"] == 2000
    assert counts(exact.facets["subject"]) == {"Big topic": 4000}

    sampled = sampled_engine.search(SearchRequest("common"))
    assert sampled.total == 4000  # hits and the cheap facets stay exact
    assert counts(sampled.facets["language"]) == {"eng": 4000}
    assert sorted(sampled.approximate_facets) == ["author", "subject"]
    popular = counts(sampled.facets["author"])["Popular, Author"]
    assert 1500 <= popular <= 2500, popular
    assert 3000 <= counts(sampled.facets["subject"])["Big topic"] <= 5000
    # a narrow query is counted exactly
    assert sampled_engine.search(SearchRequest('"common word 17"')).approximate_facets == []


def test_filter_by_author_facet_value(engine):
    result = engine.search(SearchRequest("", filters={"author": ["Tolstoy, Leo, graf, 1828-1910"]}))
    assert {h.record_id for h in result.hits} == {10, 14}
    assert next(fv for fv in result.facets["author"] if fv.selected).count == 2

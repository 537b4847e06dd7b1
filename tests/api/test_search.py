"""GET /api/v1/search/: public, with facets, filters, paging and sort; anonymous callers are throttled."""

from __future__ import annotations

from django.test import override_settings


def test_search_returns_hits_total_and_facets(anon, import_demo):
    import_demo(60)
    response = anon.get("/api/v1/search/", {"q": "", "limit": 5})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 60
    assert len(data["hits"]) == 5
    assert {"record_id", "title", "authors", "year", "available"} <= set(data["hits"][0])
    assert "language" in data["facets"]
    assert all({"value", "count", "selected"} == set(v) for v in data["facets"]["language"])


def test_facet_filter_paging_and_sort(anon, import_demo):
    import_demo(60)
    language = anon.get("/api/v1/search/").json()["facets"]["language"][0]
    filtered = anon.get("/api/v1/search/", {"language": language["value"], "sort": "year_desc", "limit": 100})
    data = filtered.json()
    assert data["total"] == language["count"]
    years = [h["year"] for h in data["hits"] if h["year"] is not None]
    assert years == sorted(years, reverse=True)
    selected = [v for v in data["facets"]["language"] if v["selected"]]
    assert [v["value"] for v in selected] == [language["value"]]
    page2 = anon.get("/api/v1/search/", {"limit": 10, "offset": 10, "sort": "title"}).json()
    page1 = anon.get("/api/v1/search/", {"limit": 20, "sort": "title"}).json()
    assert [h["record_id"] for h in page2["hits"]] == [h["record_id"] for h in page1["hits"][10:20]]


def test_bad_parameters_are_400(anon, db):
    for params in ({"sort": "sideways"}, {"limit": 0}, {"limit": 1000}, {"offset": -1}):
        response = anon.get("/api/v1/search/", params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "invalid"


@override_settings(KITAB_API_ANON_SEARCH_RATE="2/min")
def test_anonymous_search_is_throttled_but_staff_is_not(anon, desk, db):
    assert anon.get("/api/v1/search/").status_code == 200
    assert anon.get("/api/v1/search/").status_code == 200
    refused = anon.get("/api/v1/search/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "Retry-After" in refused
    for _ in range(3):
        assert desk.get("/api/v1/search/").status_code == 200


def test_a_query_the_engine_cannot_read_is_422(anon, db):
    response = anon.get("/api/v1/search/", {"q": "year:soon"})
    assert response.status_code == 422
    assert response.json()["code"] == "bad_year"
    assert response.json()["message"]

"""A small hand-written catalogue indexed once per test module, in a temporary folder, without Django."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# Fail loudly: these tests exercise the real normalisation; a missing kitab.textnorm is a broken build, not a skip.
import kitab.textnorm  # noqa: F401
from kitab.marc.summary import BibSummary
from kitab.search.engine import SearchEngine
from kitab.search.types import IndexDoc, SearchRequest, SearchResult


def _doc(record_id: int, title: str, *, year: int | None, languages: list[str], material_type: str = "book",
         authors: list[str] | None = None, subjects: list[str] | None = None, isbns: list[str] | None = None,
         branches: list[str] | None = None, available: bool = True, **extra: object) -> IndexDoc:
    summary = BibSummary(
        control_number=f"cn{record_id:04d}",
        title=title,
        year=year,
        languages=languages,
        material_type=material_type,
        authors=authors or [],
        subjects=subjects or [],
        isbns=isbns or [],
        **extra,  # type: ignore[arg-type]
    )
    return IndexDoc(record_id=record_id, summary=summary, branches=branches or ["MAIN"], available=available)


CATALOGUE: list[IndexDoc] = [
    _doc(1, "Islak kumlar", year=1995, languages=["tur"], authors=["Yılmaz, Ayşe"],
         subjects=["Turkish fiction -- 20th century"]),
    _doc(2, "İstanbul'un tarihi", year=2001, languages=["tur"], authors=["Ortaylı, İlber"],
         subjects=["Istanbul (Turkey) -- History"], branches=["MAIN", "EAST"], available=False),
    _doc(3, "Azərbaycan tarixi", year=2010, languages=["aze"], authors=["Məmmədov, Əli"]),
    _doc(4, "Azerbaycan tarihi", year=2012, languages=["tur"], authors=["Kaya, Mehmet"]),
    _doc(5, "Qazaq adebietī bastaulary", year=1985, languages=["kaz"]),
    _doc(6, "Ŭzbekiston Respublikasining khŭzhalik protsessual kodeksi", year=2002, languages=["uzb"]),
    _doc(7, "Istorii︠a︡ Rossii v XX veke", year=1998, languages=["rus"], authors=["Ivanov, I. I."]),
    _doc(8, "Özel eğitim ve rehberlik", year=2005, languages=["tur"]),
    _doc(9, "Kitāb al-tārīkh", year=1950, languages=["ara"], vernacular=["كتاب التاريخ"]),
    _doc(10, "War and peace", year=1869, languages=["eng"], authors=["Tolstoy, Leo, graf, 1828-1910."],
         subjects=["Napoleonic Wars, 1800-1815 -- Fiction", "Russia -- History -- 1801-1917 -- Fiction"],
         isbns=["9780140449136"], series=["Penguin classics"], publishers=["Penguin Books"]),
    _doc(11, "Peace and war in the Middle East", year=1990, languages=["eng"], authors=["Smith, John"],
         subjects=["Middle East -- Politics and government"], isbns=["9780306406157"], available=False),
    _doc(12, "Atlas of Turkey", year=1975, languages=["eng", "tur"], material_type="map", branches=["EAST"]),
    _doc(13, "Journal of Turkish studies", year=1977, languages=["eng"], material_type="serial",
         branches=["EAST"], issns=["0000-0019"], lccn="sn77001234"),
    _doc(14, "Anna Karenina", year=1878, languages=["rus"], authors=["Tolstoy, Leo, graf, 1828-1910"],
         subjects=["Russia -- Social life and customs -- Fiction"]),
]


def build_engine(path: Path, docs: list[IndexDoc] | None = None, **kwargs: float) -> SearchEngine:
    engine = SearchEngine(path, **kwargs)
    with engine.writer(heap_bytes=20_000_000, threads=1) as w:
        w.add(CATALOGUE if docs is None else docs)
    return engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    return build_engine(tmp_path_factory.mktemp("index"))


@pytest.fixture()
def fresh_engine(tmp_path: Path) -> SearchEngine:
    return build_engine(tmp_path / "index")


@pytest.fixture(autouse=True)
def _isolated_index(request: pytest.FixtureRequest) -> None:
    """Replaces the suite-wide fixture of the same name so these tests also run without Django settings
    (`-p no:django`); with settings configured, the suite-wide one runs as usual."""
    try:
        from django.conf import settings

        configured = settings.configured
    except ImportError:
        configured = False
    if configured:
        request.getfixturevalue("_isolated_index")  # the parent fixture of the same name


Finder = Callable[..., list[int]]


@pytest.fixture(scope="module")
def find(engine: SearchEngine) -> Finder:
    """`find("query", filters=..., sort=...)` -> record ids of the hits, best first."""

    def run(query: str, **kwargs: object) -> list[int]:
        result: SearchResult = engine.search(SearchRequest(query=query, **kwargs))  # type: ignore[arg-type]
        return [h.record_id for h in result.hits]

    return run


@pytest.fixture()
def catalogue() -> list[IndexDoc]:
    return list(CATALOGUE)


@pytest.fixture()
def make_engine() -> Callable[..., SearchEngine]:
    return build_engine

"""What `to_document` puts in each field (the contract query.py and engine.py rely on)."""

from __future__ import annotations

import json

from kitab.marc.summary import BibSummary
from kitab.search.documents import facet_label, split_cjk, subject_heading, title_sort_key, to_document
from kitab.search.schema import SAMPLE_RATES, label_key, sample_rates
from kitab.search.types import IndexDoc


def _summary() -> BibSummary:
    return BibSummary(
        control_number="123", title="Istorii︠a︡ Rossii", responsibility="I. Ivanov", authors=["Ivanov, I. I.,"],
        subjects=["Russia -- History -- 20th century.", "Russia -- Politics"], isbns=["9780140449136"],
        issns=["0000-0019"], lccn="85-2", year=1998, languages=["rus", "eng"], places=["Moskva"],
        publishers=["Nauka"], series=["Trudy"], notes=["Includes index."], summary="A history.",
        edition="2-e izd.", vernacular=["История России"],
    )


def test_fields_hold_exact_and_folded_forms():
    d = to_document(IndexDoc(7, _summary(), ["MAIN", "EAST"], True)).to_dict()
    assert d["record_id"] == [7]
    assert d["title_exact"] == ["istoriia rossii"]
    assert d["title_fold"] == ["istoriia rossii"]
    # the keyword field carries everything searchable, including both ISBN forms, the place and the 880 text
    kw = " ".join(d["keyword_exact"])
    for piece in ("ivanov", "nauka", "trudy", "moskva", "includes index", "история россии", "9780140449136",
                  "0140449132"):
        assert piece in kw, piece
    assert "istoriia rossii" in " ".join(d["keyword_fold"])
    assert d["isbn"] == ["9780140449136", "0140449132"]
    assert d["issn"] == ["0000-0019"]
    assert d["lccn"] == ["85000002"]
    assert d["language"] == ["rus", "eng"]
    assert d["branch"] == ["MAIN", "EAST"]
    assert d["available"] == ["yes"]
    assert d["year"] == [1998]
    assert d["author_facet"] == ["Ivanov, I. I"]
    assert d["subject_facet"] == ["Russia"]  # first-level heading, deduplicated
    assert d["author_key"] == [label_key("Ivanov, I. I")]
    for rate in SAMPLE_RATES:  # the sampled key columns are filled exactly for records in that sample
        assert (f"author_key_s{rate}" in d) == (rate in sample_rates(7))
    display = json.loads(d["display"][0])
    assert display[:7] == ["123", "Istorii︠a︡ Rossii", ["Ivanov, I. I.,"], 1998, ["rus", "eng"], "book", True]


def test_empty_summary_still_indexes():
    d = to_document(IndexDoc(1, BibSummary())).to_dict()
    assert d["record_id"] == [1]
    assert "year" not in d
    assert d["available"] == ["no"]


def test_helpers():
    assert facet_label(" Smith, John. ") == "Smith, John"
    assert subject_heading("Turkey -- History -- 1918-1960") == "Turkey"
    assert title_sort_key("abc") < title_sort_key("abd") < title_sort_key("b")
    assert split_cjk("北京 abc") == "北 京 abc"
    assert split_cjk("istanbul") == "istanbul"
    n = 64_000
    in_8 = [i for i in range(1, n + 1) if 8 in sample_rates(i)]
    in_64 = [i for i in range(1, n + 1) if 64 in sample_rates(i)]
    assert abs(len(in_8) - n / 8) < n / 80 and abs(len(in_64) - n / 64) < n / 640
    assert set(in_64) <= set(in_8)

"""The extracted, display- and index-ready view of one bibliographic record.

`kitab.marc.mapping.summarize(record)` fills it; the catalogue stores a few of its fields as columns and the
search index stores the rest. It holds plain Python values only, so it crosses process boundaries cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Holding:
    """One physical copy described inside a bibliographic record (Koha 952, 852, 949)."""

    barcode: str | None = None
    home_branch: str | None = None  # branch code
    holding_branch: str | None = None  # branch code where it is now
    location: str | None = None  # shelving location code or label
    call_number: str | None = None
    item_type: str | None = None  # item type code
    status: str = "available"  # available | on_loan | lost | withdrawn | damaged | not_for_loan
    price: str | None = None
    source_tag: str = "952"


@dataclass(slots=True)
class BibSummary:
    control_number: str | None = None  # 001
    control_number_identifier: str | None = None  # 003
    system_numbers: list[str] = field(default_factory=list)  # 035 $a, as written, e.g. "(OCoLC)12345"
    lccn: str | None = None  # 010 $a, normalised
    isbns: list[str] = field(default_factory=list)  # normalised ISBN-13, deduplicated, in record order
    issns: list[str] = field(default_factory=list)  # normalised NNNN-NNNX
    title: str = ""  # 245 $a $b $n $p without trailing ISBD punctuation
    responsibility: str | None = None  # 245 $c
    edition: str | None = None  # 250
    imprint: str | None = None  # 264/260 as one display string
    publishers: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    year: int | None = None  # 008/07-10, else first 4-digit year in 264/260 $c
    languages: list[str] = field(default_factory=list)  # MARC language codes, 008/35-37 first, then 041
    material_type: str = "book"  # book|serial|map|score|sound|video|manuscript|computer|visual|kit|mixed|ebook
    physical_description: str | None = None  # 300
    series: list[str] = field(default_factory=list)  # 490 $a, 8XX
    notes: list[str] = field(default_factory=list)  # 5XX except 520
    summary: str | None = None  # 520
    authors: list[str] = field(default_factory=list)  # 100/110/111 then 700/710/711, display form
    subjects: list[str] = field(default_factory=list)  # 6XX headings, subdivisions joined with " -- "
    # 880 fields, as original-script text, joined per tag; indexed so that either script finds the record
    vernacular: list[str] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    # Other titles a patron may search by: uniform titles (130/240/730), varying forms (246), analytical and
    # related titles (740), name-title added entries (700-711 $t).
    variant_titles: list[str] = field(default_factory=list)

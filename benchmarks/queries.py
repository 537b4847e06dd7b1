"""The shared search query mix for the Library of Congress 250k benchmark.

Defined once, used by every search benchmark: Kitab's own (``kitab`` + ``facets``) and the Zebra baseline in
``benchmarks/zebra/`` (``pqf``), so both engines answer the same questions over
``../shared/data/marc/loc-booksall-2016/BooksAll.2016.part01.utf8.mrc.xz`` (250,000 MARC21 records).

Fields of :class:`BenchQuery`:

``name``
    stable identifier (used as the key in result files).
``kitab``
    the query in Kitab's search syntax: free words are ANDed keyword search; field prefixes ``title:``
    ``author:`` ``subject:`` ``isbn:`` ``issn:`` ``series:`` ``publisher:`` ``year:1990-2000`` ``language:eng``
    ``type:book``; double quotes for phrases.
``pqf``
    the Bib-1 PQF equivalent sent to Zebra (1016 any, 4 title, 1003 author, 21 subject, 7 ISBN, 8 ISSN,
    31 date of publication, 54 language, 1018 publisher, 5 series; ``@attr 4=1`` phrase, ``@attr 4=109`` numeric).
    Facet filters are folded into it with ``@and`` where Zebra has the index.
``facets``
    facet filters applied on top of the query (AND across facets, OR within one facet's values), e.g.
    ``{"language": ["eng"]}``.
``expected_min`` / ``expected_max``
    hit-count bounds on the full 250k file, set from ``benchmarks/zebra/check_queries.py`` (a pymarc scan
    with Unicode/Turkish-aware folding and ISBN-10/13 equivalence). ``expected_min`` is the reference count
    rounded down, so a correct engine must find at least that many; ``expected_max`` is only set for the
    deliberate zero-hit query.
``note``
    why the query is in the mix / what it exercises.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BenchQuery:
    name: str
    kitab: str
    pqf: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    expected_min: int = 0
    expected_max: int | None = None
    note: str = ""


QUERIES: list[BenchQuery] = [
    # --- single keywords of varied selectivity ------------------------------------------------------------------
    BenchQuery(
        "kw_common",
        "history",
        "@attr 1=1016 history",
        expected_min=47000,
        note="very common word (~19% of records)",
    ),
    BenchQuery("kw_mid", "war", "@attr 1=1016 war", expected_min=6900, note="common word"),
    BenchQuery("kw_rare", "photosynthesis", "@attr 1=1016 photosynthesis", expected_min=2, note="rare word"),
    BenchQuery("kw_rare2", "cryptography", "@attr 1=1016 cryptography", expected_min=48, note="rare word"),
    # --- AND of several words -----------------------------------------------------------------------------------
    BenchQuery(
        "and2_common",
        "history europe",
        "@and @attr 1=1016 history @attr 1=1016 europe",
        expected_min=1100,
        note="two common words ANDed",
    ),
    BenchQuery(
        "and3",
        "women education history",
        "@and @and @attr 1=1016 women @attr 1=1016 education @attr 1=1016 history",
        expected_min=56,
        note="three words ANDed",
    ),
    BenchQuery(
        "and2_rare",
        "jazz musicians",
        "@and @attr 1=1016 jazz @attr 1=1016 musicians",
        expected_min=56,
        note="rare AND common",
    ),
    # --- field searches -----------------------------------------------------------------------------------------
    BenchQuery(
        "title_phrase",
        'title:"history of the united states"',
        '@attr 1=4 @attr 4=1 "history of the united states"',
        expected_min=160,
        note="title phrase (words adjacent, in order)",
    ),
    BenchQuery(
        "title_word", "title:napoleon", "@attr 1=4 napoleon", expected_min=97, note="single title word"
    ),
    BenchQuery(
        "author_surname",
        "author:shakespeare",
        "@attr 1=1003 shakespeare",
        expected_min=110,
        note="author surname",
    ),
    BenchQuery(
        "author_two_words",
        "author:dickens author:charles",
        "@and @attr 1=1003 dickens @attr 1=1003 charles",
        expected_min=49,
        note="surname + forename, both in author fields",
    ),
    BenchQuery(
        "subject_phrase",
        'subject:"world war, 1939-1945"',
        '@attr 1=21 @attr 4=1 "world war, 1939-1945"',
        expected_min=1900,
        note="subject heading phrase with punctuation and a date range",
    ),
    BenchQuery(
        "subject_word", "subject:genealogy", "@attr 1=21 genealogy", expected_min=2100, note="subject word"
    ),
    BenchQuery(
        "publisher_phrase",
        'publisher:"oxford university press"',
        '@attr 1=1018 @attr 4=1 "oxford university press"',
        expected_min=1500,
        note="publisher phrase (260/264 $b)",
    ),
    BenchQuery(
        "series_phrase",
        'series:"lecture notes in computer science"',
        '@attr 1=5 @attr 4=1 "lecture notes in computer science"',
        expected_min=200,
        note="series phrase (440/490/830)",
    ),
    # --- identifiers --------------------------------------------------------------------------------------------
    BenchQuery(
        "isbn10",
        "isbn:0801863937",
        "@attr 1=7 0801863937",
        expected_min=1,
        note="ISBN-10 exactly as catalogued (020 $a)",
    ),
    BenchQuery(
        "isbn13_hyphens_of_isbn10",
        "isbn:978-0-8018-6393-6",
        "@or @attr 1=7 978-0-8018-6393-6 @attr 1=7 0801863937",
        expected_min=1,
        note="hyphenated ISBN-13 of a record catalogued with its ISBN-10 only; Zebra gets both forms "
        "(what Koha's SearchWithISBNVariations sends)",
    ),
    BenchQuery(
        "isbn10_hyphens_of_isbn13",
        "isbn:0-8133-3863-8",
        "@or @attr 1=7 0-8133-3863-8 @attr 1=7 9780813338637",
        expected_min=1,
        note="hyphenated ISBN-10 of a record catalogued with its ISBN-13 only (one of 25 such records)",
    ),
    BenchQuery(
        "issn",
        "issn:0302-9743",
        "@attr 1=8 0302-9743",
        expected_min=47,
        note="series ISSN (490 $x), Lecture notes in computer science",
    ),
    # --- date range and language --------------------------------------------------------------------------------
    BenchQuery(
        "year_range",
        "quantum year:1995-1999",
        "@and @attr 1=1016 quantum @and @attr 1=31 @attr 4=109 @attr 2=4 1995 "
        "@attr 1=31 @attr 4=109 @attr 2=2 1999",
        expected_min=28,
        note="keyword + publication year range (008/07-10)",
    ),
    BenchQuery(
        "language_tur",
        "language:tur",
        "@attr 1=54 tur",
        expected_min=760,
        note="language filter alone (008/35-37, 041)",
    ),
    # --- scripts and transliteration ----------------------------------------------------------------------------
    BenchQuery(
        "turkish", "Kıbrıs", "@attr 1=1016 Kıbrıs", expected_min=33, note="Turkish dotless ı (33 records)"
    ),
    BenchQuery(
        "turkish_upper",
        "KIBRIS",
        "@attr 1=1016 KIBRIS",
        expected_min=33,
        note="upper-case Turkish: I must fold to ı/i; Koha/Zebra's ICU chain finds none of the 33",
    ),
    BenchQuery(
        "russian_prime",
        "izdatelʹstvo",
        "@attr 1=1016 izdatelʹstvo",
        expected_min=43,
        note="ALA-LC romanised Russian with the soft-sign prime ʹ (U+02B9)",
    ),
    BenchQuery(
        "russian_breve",
        "rossiiskoi",
        "@attr 1=1016 rossiiskoi",
        expected_min=740,
        note="ASCII query for ALA-LC 'Rossiĭskoĭ' (i + combining breve)",
    ),
    BenchQuery(
        "arabic_880",
        "القاهرة",
        "@attr 1=1016 القاهرة",
        expected_min=330,
        note="Arabic-script word (Cairo) found in 880 fields",
    ),
    BenchQuery(
        "hebrew_880",
        "ירושלים",
        "@attr 1=1016 ירושלים",
        expected_min=1100,
        note="Hebrew-script word (Jerusalem) found in 880 fields",
    ),
    BenchQuery(
        "no_match",
        "xyzzyqwfp",
        "@attr 1=1016 xyzzyqwfp",
        expected_min=0,
        expected_max=0,
        note="matches nothing",
    ),
    # --- with facet filters -------------------------------------------------------------------------------------
    BenchQuery(
        "facet_lang_eng",
        "history",
        "@and @attr 1=1016 history @attr 1=54 eng",
        facets={"language": ["eng"]},
        expected_min=23000,
        note="common word restricted to one language",
    ),
    BenchQuery(
        "facet_lang_or",
        "poetry",
        "@and @attr 1=1016 poetry @or @attr 1=54 ger @attr 1=54 fre",
        facets={"language": ["ger", "fre"]},
        expected_min=280,
        note="two values of one facet are ORed",
    ),
    BenchQuery(
        "facet_year",
        "subject:women",
        "@and @attr 1=21 women @attr 1=31 2000",
        facets={"year": ["2000"]},
        expected_min=2100,
        note="subject word restricted to one publication year",
    ),
    BenchQuery(
        "facet_lang_year",
        "music",
        "@and @and @attr 1=1016 music @attr 1=54 eng @attr 1=31 1999",
        facets={"language": ["eng"], "year": ["1999"]},
        expected_min=210,
        note="two facets ANDed",
    ),
    BenchQuery(
        "facet_type",
        "author:shakespeare",
        "@attr 1=1003 shakespeare",
        facets={"type": ["book"]},
        expected_min=110,
        note="type facet; every record of the LoC file is a book, so Zebra needs no restriction",
    ),
]

assert len({q.name for q in QUERIES}) == len(QUERIES), "duplicate query names"

"""The Tantivy schema of the catalogue index.

Every searchable text is indexed twice, already normalised by `kitab.textnorm` before it reaches Tantivy:

* `X_exact` holds `textnorm.exact(text)`: case-folded (Turkic-aware) but keeping diacritics and script, so a query
  typed in the record's own spelling scores higher;
* `X_fold` holds `textnorm.fold(text)`: the cross-script pivot, so Cyrillic, ALA-LC romanisation, modern Latin
  orthographies and plain ASCII find each other.

Both use Tantivy's `whitespace` tokenizer: textnorm already split the text into tokens joined by single spaces,
and Tantivy's `default` tokenizer would split again on combining marks (ALA-LC's ligature halves) and lowercase
without Turkic rules. The query side (`query.py`) normalises with the same functions and builds term queries
directly, so no Tantivy analyzer ever touches the text and no custom tokenizer needs registering on open.

Bump `SCHEMA_VERSION` whenever a field, its options, or what `documents.py` puts in it changes: an index built
with another version refuses to open (`SchemaVersionError`) until `kitab reindex` rebuilds it.
"""

from __future__ import annotations

from hashlib import blake2b

import tantivy

#: Version of the field layout *and* of the content rules in documents.py; stored beside the index.
SCHEMA_VERSION = 3  # 2: `library` (record source) and `work_key` (grouping); 3: collated title and author sorts

#: Name of the file in the index directory that records SCHEMA_VERSION.
VERSION_FILE = "kitab-search.json"

# The searchable groups; each has an `_exact` and a `_fold` field. `keyword` holds the text of all the others plus
# the rest of the record, so a free word *matches* through it and the specific groups only rank (query.py).
TEXT_GROUPS: tuple[str, ...] = ("title", "author", "subject", "series", "publisher", "keyword")

EXACT = "_exact"
FOLD = "_fold"

# Facet name -> the raw field a filter on it matches (one term per value).
FACET_FIELDS: dict[str, str] = {
    "language": "language",
    "material_type": "material_type",
    "year": "year",
    "author": "author_facet",
    "subject": "subject_facet",
    "branch": "branch",
    "available": "available",
    "library": "library",
}
# Facet name -> the fast column its counts are read from. Low-cardinality facets count their raw text column
# directly. Authors and subjects have hundreds of thousands of distinct values: a terms aggregation on a text
# column allocates and scans a counter per distinct value in every segment on every query (measured: ~3 ms per
# facet even for a query with a few hundred hits on 250k records), so they are counted on a 64-bit key of the
# label instead (cost proportional to the hits only) and the few top keys are turned back into labels afterwards.
FACET_COLUMNS: dict[str, str] = {**FACET_FIELDS, "author": "author_key", "subject": "subject_key"}
KEYED_FACETS: frozenset[str] = frozenset({"author", "subject"})

#: Index-time samples for very broad queries: the author/subject keys of roughly one record in 8 (and one in 64)
#: are copied into extra sparse columns, so a query with 200,000 hits can count those facets on ~25,000 records in
#: the same aggregation pass as the other facets, instead of paying ~40 ns per author of every hit. The records of
#: a sample are chosen by a hash of the record id: fixed, so counts are stable from one query to the next, and the
#: 1-in-64 sample is a subset of the 1-in-8 one.
SAMPLE_RATES: tuple[int, ...] = (8, 64)
_SAMPLE_SPACE = 4096

#: The stored field carrying everything a Hit shows (control number, title, authors, year, languages, material
#: type, availability, and the subject headings for facet labels) as compact JSON. One stored bytes value rather
#: than one stored field each: tantivy-py cannot store a text field without also indexing it, and a hit then costs
#: a single lookup and one json.loads.
DISPLAY_FIELD = "display"


def sample_column(facet: str, rate: int) -> str:
    """Name of the column holding the keys of `facet` ("author" or "subject") for the 1-in-`rate` sample."""
    return f"{facet}_key_s{rate}"


def build_schema() -> tantivy.Schema:
    """Build the schema; the same call on every open, so readers and writers always agree."""
    sb = tantivy.SchemaBuilder()
    # The delete/upsert key, and a fast column so results can be mapped back cheaply.
    sb.add_unsigned_field("record_id", stored=True, indexed=True, fast=True)

    for group in TEXT_GROUPS:
        # Positions are kept on every text field: quoted phrases and multi-token words become phrase queries.
        sb.add_text_field(group + EXACT, tokenizer_name="whitespace", index_option="position")
        sb.add_text_field(group + FOLD, tokenizer_name="whitespace", index_option="position")

    # Identifiers: exact terms, no positions needed.
    for name in ("isbn", "issn", "lccn", "control_number"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")

    # Filters and facets.
    for name in ("language", "material_type", "branch", "available", "library"):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    # The work a record describes (documents.work_key): grouped searches fold records with equal keys into one hit.
    # Indexed to fetch a page's groups in one term-set query; fast for the distinct-works estimate.
    # Stored as well: a grouped search reads it from each hit of its over-fetched window.
    sb.add_text_field("work_key", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    # Display labels, matched exactly by filters; counted through their keys (see FACET_COLUMNS).
    for name in ("author_facet", "subject_facet"):
        sb.add_text_field(name, fast=False, tokenizer_name="raw", index_option="basic")
    # Indexed as well as fast: turning a top key back into its label looks up one record holding the key.
    sb.add_unsigned_field("author_key", indexed=True, fast=True)
    sb.add_unsigned_field("subject_key", indexed=True, fast=True)
    for rate in SAMPLE_RATES:
        sb.add_unsigned_field(sample_column("author", rate), fast=True)
        sb.add_unsigned_field(sample_column("subject", rate), fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    # Sort keys for sort="title" and sort="author" (first author): the first 8 letters ranked in the catalogue's
    # alphabets (kitab.search.collation) as a big-endian integer. A u64 column is far cheaper than a text fast
    # field, and 8 letters order a result list well enough.
    sb.add_unsigned_field("title_sort", fast=True)
    sb.add_unsigned_field("author_sort", fast=True)

    sb.add_bytes_field(DISPLAY_FIELD, stored=True, indexed=False)
    return sb.build()


SCHEMA: tantivy.Schema = build_schema()


def label_key(label: str) -> int:
    """Stable 63-bit key of a facet label (blake2b, not hash(): it must not change between processes)."""
    return int.from_bytes(blake2b(label.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def sample_rates(record_id: int) -> tuple[int, ...]:
    """The SAMPLE_RATES whose sample holds this record (a multiplicative hash of the id picks a fixed bucket)."""
    bucket = ((record_id * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> (65 - _SAMPLE_SPACE.bit_length())
    return tuple(rate for rate in SAMPLE_RATES if bucket * rate < _SAMPLE_SPACE)

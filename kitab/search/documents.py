"""Turn an `IndexDoc` into the Tantivy document described in `schema.py`.

This runs once per record in an import (hundreds of thousands of times), so it normalises every source string
exactly once and reuses the result for both the specific field (title, author, ...) and the catch-all keyword
field, and it hands Tantivy whole lists per field in one call instead of one call per value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import tantivy

from kitab.marc.isbn import isbn_variants, normalize_issn, normalize_lccn
from kitab.marc.summary import BibSummary
from kitab.search.collation import sort_key
from kitab.search.schema import DISPLAY_FIELD, SCHEMA, label_key, sample_column, sample_rates
from kitab.search.types import LOCAL_LIBRARY, IndexDoc
from kitab.textnorm import exact, fold

_TRAILING = " \t.,;:/=+"

# Han, kana and Hangul syllables. Chinese and Japanese are written without spaces, so textnorm hands back a whole
# clause as one token; the fold field indexes such text one character per token instead, and the query side
# (query.py) splits the same way and searches multi-character words as phrases, so "北京" finds "北京大学出版社".
_CJK_RE = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f])"
)


def split_cjk(folded: str) -> str:
    """Put every CJK character of a normalised string in a token of its own (other text is left as it is)."""
    if folded.isascii() or not _CJK_RE.search(folded):
        return folded
    return " ".join(_CJK_RE.sub(r" \1 ", folded).split())


def facet_label(text: str) -> str:
    """Display form used as a facet term: trailing ISBD punctuation removed so "Smith, J." and "Smith, J" merge."""
    return text.strip().rstrip(_TRAILING).strip()


def subject_heading(subject: str) -> str:
    """First-level heading of a subject string whose subdivisions are joined with " -- "."""
    return facet_label(subject.split(" -- ", 1)[0])


def title_sort_key(folded_title: str) -> int:
    """First 8 bytes of the folded title as a big-endian integer, so a u64 column sorts titles alphabetically."""
    raw = folded_title.encode("utf-8")[:8]
    return int.from_bytes(raw.ljust(8, b"\0"), "big")


def work_key(summary: BibSummary, record_id: int) -> str:
    """What groups records of different libraries describing the same book: the first ISBN-13, else the
    normalised LCCN, else folded title + first author's surname + year; a record with none of these (no title)
    is a group of its own."""
    if summary.isbns:
        return "isbn:" + summary.isbns[0]
    if summary.lccn:
        return "lccn:" + (normalize_lccn(summary.lccn) or summary.lccn)
    title = fold(summary.title or "")
    if not title:
        return f"id:{record_id}"
    surname = fold(summary.authors[0].split(",", 1)[0]) if summary.authors else ""
    return f"t:{title}|{surname}|{summary.year or ''}"


FormProvider = Callable[[list[IndexDoc]], None]
_FORM_PROVIDERS: list[FormProvider] = []


def register_form_provider(provider: FormProvider) -> None:
    """Let another app add search forms to documents before they are indexed (kitab.authorities adds the "see
    from" variants of linked headings). A provider gets a whole batch, so it can ask the database once per
    batch, and fills `IndexDoc.extra_forms`."""
    if provider not in _FORM_PROVIDERS:
        _FORM_PROVIDERS.append(provider)


def add_extra_forms(docs: list[IndexDoc]) -> list[IndexDoc]:
    """Run the registered form providers over a batch of documents (called where batches are built)."""
    if docs:
        for provider in _FORM_PROVIDERS:
            provider(docs)
    return docs


def _norm_list(values: list[str]) -> tuple[list[str], list[str]]:
    ex: list[str] = []
    fo: list[str] = []
    for v in values:
        if v:
            e = exact(v)
            if e:
                ex.append(e)
                fo.append(split_cjk(fold(v)))
    return ex, fo


def to_document(doc: IndexDoc) -> tantivy.Document:
    """Build the Tantivy document for one record (see schema.py for what each field holds)."""
    s = doc.summary
    title = s.title or ""
    title_e, title_f = (exact(title), split_cjk(fold(title))) if title else ("", "")
    variants_e, variants_f = _norm_list(s.variant_titles)
    extra = doc.extra_forms  # matched and ranked only: never shown, never counted in facets
    if extra:
        variants_e, variants_f = _norm_list([*s.variant_titles, *extra.get("title", ())])
    authors_e, authors_f = _norm_list([*s.authors, *extra.get("author", ())] if extra else s.authors)
    subjects_e, subjects_f = _norm_list([*s.subjects, *extra.get("subject", ())] if extra else s.subjects)
    series_e, series_f = _norm_list([*s.series, *extra.get("series", ())] if extra else s.series)
    pubs_e, pubs_f = _norm_list(s.publishers)

    # Text that only the keyword field carries.
    extra: list[str] = []
    if s.responsibility:
        extra.append(s.responsibility)
    if s.edition:
        extra.append(s.edition)
    extra.extend(s.places)  # place of publication: "any" searches in library catalogues have always covered it
    extra.extend(s.notes)
    if s.summary:
        extra.append(s.summary)
    extra.extend(s.vernacular)
    extra_e, extra_f = _norm_list(extra)

    isbns: list[str] = []
    for i13 in s.isbns:
        isbns.extend(isbn_variants(i13))
    # Lower-cased so a free word "014044913X" (exact() lowercases it) matches the keyword field too.
    isbn_tokens = [i.lower() for i in isbns]

    keyword_e = [title_e, *variants_e, *authors_e, *subjects_e, *series_e, *pubs_e, *extra_e, *isbn_tokens]
    keyword_f = [title_f, *variants_f, *authors_f, *subjects_f, *series_f, *pubs_f, *extra_f, *isbn_tokens]

    available = "yes" if doc.available else "no"
    author_labels = list(dict.fromkeys(a for a in (facet_label(x) for x in s.authors) if a))
    headings = list(dict.fromkeys(h for h in (subject_heading(x) for x in s.subjects) if h))
    author_keys = [label_key(a) for a in author_labels]
    subject_keys = [label_key(h) for h in headings]
    fields: dict[str, object] = {
        "record_id": doc.record_id,
        "title_exact": [title_e, *variants_e] if variants_e else title_e,
        "title_fold": [title_f, *variants_f] if variants_f else title_f,
        "author_exact": authors_e,
        "author_fold": authors_f,
        "subject_exact": subjects_e,
        "subject_fold": subjects_f,
        "series_exact": series_e,
        "series_fold": series_f,
        "publisher_exact": pubs_e,
        "publisher_fold": pubs_f,
        "keyword_exact": keyword_e,
        "keyword_fold": keyword_f,
        "isbn": isbns,
        # The mapping already normalised these; again here (idempotent) for documents built by other code.
        "issn": [normalize_issn(i) or i for i in s.issns],
        "material_type": s.material_type or "book",
        "language": s.languages,
        "author_facet": author_labels,
        "subject_facet": headings,
        "author_key": author_keys,
        "subject_key": subject_keys,
        "branch": doc.branches,
        "available": available,
        "library": doc.source or LOCAL_LIBRARY,
        "work_key": work_key(s, doc.record_id),
        "title_sort": sort_key(s.title or ""),
        "author_sort": sort_key(s.authors[0] if s.authors else ""),
    }
    for rate in sample_rates(doc.record_id):
        fields[sample_column("author", rate)] = author_keys
        fields[sample_column("subject", rate)] = subject_keys
    if s.lccn:
        fields["lccn"] = normalize_lccn(s.lccn) or s.lccn
    if s.control_number:
        fields["control_number"] = s.control_number
    if s.year is not None:
        fields["year"] = s.year
    # Everything a Hit shows, in one stored value; positional to keep it small (decoded by engine). The subject
    # headings ride along so that a subject facet key can be turned back into its label.
    fields[DISPLAY_FIELD] = json.dumps(
        [s.control_number, title, s.authors, s.year, s.languages, s.material_type or "book", doc.available,
         headings, doc.source or LOCAL_LIBRARY],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    # from_dict with the schema converts each value to the field's type (record_id must be u64, year i64).
    return tantivy.Document.from_dict(fields, SCHEMA)

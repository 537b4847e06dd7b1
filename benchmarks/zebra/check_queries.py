"""Reference hit counts for the shared query mix (benchmarks/queries.py), computed straight from the MARC file.

    python benchmarks/zebra/check_queries.py [--data PATH] [--json var/bench/zebra/reference_counts.json]

One streaming pass with pymarc over the LoC 250k file. Every record is tokenised once and every query of the mix
is evaluated against it with a deliberately simple, engine-independent reading of the Kitab query syntax:

* free words are ANDed over all data fields (880 included); "double quotes" ask for the words in sequence
  inside one field;
* ``title:`` ``author:`` ``subject:`` ``publisher:`` ``series:`` use the same MARC fields as the Zebra
  stylesheet (conf/marc21-index.xsl), 880 fields counted as the field named in their $6;
* ``isbn:`` compares normalised ISBNs (hyphens dropped, ISBN-10 and ISBN-13 forms equivalent); ``issn:`` ditto;
* ``year:A-B`` is 008/07-10 in [A, B]; ``language:xxx`` is 008/35-37 or 041 $a$b$d$h;
* facet filters (``BenchQuery.facets``) AND across facets, OR within one facet's values.

Words are folded the way a multilingual catalogue should (NFD, combining marks removed, Turkish dotless ı and
dotted İ folded to i, case-folded), so "KIBRIS" and "Kıbrıs" count the same records here even though Zebra's
ICU chain does not fold them together. The output is what ``expected_min`` in queries.py is set from.
"""

from __future__ import annotations

import argparse
import json
import lzma
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pymarc

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from benchmarks.queries import QUERIES, BenchQuery

DEFAULT_DATA = (
    REPO.parent / "shared" / "data" / "marc" / "loc-booksall-2016" / "BooksAll.2016.part01.utf8.mrc.xz"
)

TITLE_SUBFIELDS = {
    "245": "abfgknps",
    **{t: "abdfgklmnoprst" for t in ("130", "240", "242", "243", "246", "247", "730", "740")},
    **{t: "anpv" for t in ("440", "490", "830")},
    **{t: "t" for t in ("100", "110", "111", "700", "710", "711", "720")},
    **{t: "tnpv" for t in ("800", "810", "811")},
}
AUTHOR_SUBFIELDS = {
    t: "abcdegjnqu" for t in ("100", "110", "111", "700", "710", "711", "720", "800", "810", "811")
}
SERIES_SUBFIELDS = {
    **{t: "anpv" for t in ("440", "490", "830")},
    **{t: "tnpv" for t in ("800", "810", "811")},
}
SUBJECT_SUBFIELDS = "abcdefghjklmnopqrstuvxyz"
SKIP_IN_ANY = set("6805")

_NUM_HYPHEN = re.compile(r"(?<=\d)-")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    text = _NUM_HYPHEN.sub("", text)
    text = text.replace("ı", "i").replace("İ", "I")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def isbn13(raw: str) -> str | None:
    """ISBN in its 13-digit form, or None when `raw` does not start with an ISBN."""
    m = re.match(r"[\s]*([0-9][0-9\- ]{8,16}[0-9Xx])", raw)
    if not m:
        return None
    digits = re.sub(r"[^0-9Xx]", "", m.group(1)).upper()
    if len(digits) == 13:
        return digits
    if len(digits) == 10:
        core = "978" + digits[:9]
        check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core)) % 10) % 10
        return core + str(check)
    return None


def issn(raw: str) -> str | None:
    m = re.search(r"(\d{4})-?(\d{3}[\dXx])", raw)
    return (m.group(1) + m.group(2)).upper() if m else None


@dataclass
class Doc:
    """The searchable view of one record: per field group, a list of token lists (one per field)."""

    groups: dict[str, list[list[str]]] = field(default_factory=dict)
    isbns: set[str] = field(default_factory=set)
    issns: set[str] = field(default_factory=set)
    year: int | None = None
    languages: set[str] = field(default_factory=set)
    _sets: dict[str, set[str]] = field(default_factory=dict)

    def add(self, group: str, tokens: list[str]) -> None:
        if tokens:
            self.groups.setdefault(group, []).append(tokens)
            self._sets.setdefault(group, set()).update(tokens)

    def has_word(self, group: str, word: str) -> bool:
        return word in self._sets.get(group, ())

    def has_phrase(self, group: str, phrase: list[str]) -> bool:
        n = len(phrase)
        for tokens in self.groups.get(group, ()):
            for i in range(len(tokens) - n + 1):
                if tokens[i : i + n] == phrase:
                    return True
        return False


def subfield_text(subfields: list[tuple[str, str]], codes: str) -> str:
    return " ".join(v for c, v in subfields if c in codes)


def make_doc(record: pymarc.Record) -> Doc:
    doc = Doc()
    f008 = record["008"].data if record["008"] else ""
    if f008[7:11].isdigit():
        doc.year = int(f008[7:11])
    if f008[35:38].strip():
        doc.languages.add(f008[35:38].lower())
    for fld in record.get_fields():
        if fld.is_control_field():
            continue
        subs = [(sf.code, sf.value) for sf in fld.subfields]
        tag = fld.tag
        if tag == "880":
            link = next((v for c, v in subs if c == "6"), "")
            tag = link[:3]
        doc.add("any", words(" ".join(v for c, v in subs if c not in SKIP_IN_ANY)))
        if tag in TITLE_SUBFIELDS:
            doc.add("title", words(subfield_text(subs, TITLE_SUBFIELDS[tag])))
        if tag in AUTHOR_SUBFIELDS:
            doc.add("author", words(subfield_text(subs, AUTHOR_SUBFIELDS[tag])))
        if tag in SERIES_SUBFIELDS:
            doc.add("series", words(subfield_text(subs, SERIES_SUBFIELDS[tag])))
        if tag.startswith("6"):
            doc.add("subject", words(subfield_text(subs, SUBJECT_SUBFIELDS)))
        if tag in ("260", "264"):
            doc.add("publisher", words(subfield_text(subs, "b")))
        if tag == "020":
            for c, v in subs:
                if c == "a" and (n := isbn13(v)):
                    doc.isbns.add(n)
        if tag in ("022", "440", "490", "830"):
            for c, v in subs:
                if c == ("a" if tag == "022" else "x") and (n := issn(v)):
                    doc.issns.add(n)
        if tag == "041":
            for c, v in subs:
                if c in "abdh":
                    doc.languages.update(v[i : i + 3].lower() for i in range(0, len(v) - 2, 3))
    return doc


# --- Kitab query syntax ---------------------------------------------------------------------------------------

_CLAUSE = re.compile(r'(?:(\w+):)?(?:"([^"]*)"|(\S+))')
FIELD_GROUPS = {"title", "author", "subject", "publisher", "series"}


@dataclass(frozen=True)
class Clause:
    field: str  # "any", a field group, "isbn", "issn", "year", "language", "type"
    value: str
    phrase: bool


def parse(query: str) -> list[Clause]:
    clauses = []
    for m in _CLAUSE.finditer(query):
        fld, quoted, bare = m.group(1), m.group(2), m.group(3)
        clauses.append(
            Clause((fld or "any").lower(), quoted if quoted is not None else bare, quoted is not None)
        )
    return clauses


def clause_matches(doc: Doc, clause: Clause) -> bool:
    f, v = clause.field, clause.value
    if f == "isbn":
        return isbn13(v) in doc.isbns
    if f == "issn":
        return issn(v) in doc.issns
    if f == "year":
        lo, _, hi = v.partition("-")
        return doc.year is not None and int(lo) <= doc.year <= int(hi or lo)
    if f == "language":
        return v.lower() in doc.languages
    if f == "type":
        return v.lower() == "book"  # the LoC file is books only (leader/06 = a, 07 = m)
    group = f if f in FIELD_GROUPS else "any"
    tokens = words(v)
    if not tokens:
        return False
    if clause.phrase and len(tokens) > 1:
        return doc.has_phrase(group, tokens)
    return all(doc.has_word(group, t) for t in tokens)


def query_matches(doc: Doc, clauses: list[Clause], facets: dict[str, list[str]]) -> bool:
    if not all(clause_matches(doc, c) for c in clauses):
        return False
    for name, values in facets.items():
        if not any(clause_matches(doc, Clause(name, val, False)) for val in values):
            return False
    return True


def reference_counts(data: Path, queries: list[BenchQuery]) -> tuple[int, dict[str, int]]:
    parsed = [(q, parse(q.kitab)) for q in queries]
    counts = {q.name: 0 for q in queries}
    opener = lzma.open if data.suffix == ".xz" else open
    n = 0
    with opener(data, "rb") as fh:
        for record in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True):
            if record is None:
                continue
            n += 1
            doc = make_doc(record)
            for q, clauses in parsed:
                if query_matches(doc, clauses, q.facets):
                    counts[q.name] += 1
    return n, counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, default=REPO / "var" / "bench" / "zebra" / "reference_counts.json")
    args = ap.parse_args()
    start = time.perf_counter()
    n, counts = reference_counts(args.data, QUERIES)
    elapsed = time.perf_counter() - start
    bad = 0
    print(f"{n} records scanned in {elapsed:.0f} s\n")
    print(f"{'query':28} {'count':>7} {'expected_min':>12}  kitab")
    for q in QUERIES:
        c = counts[q.name]
        ok = c >= q.expected_min and (q.expected_max is None or c <= q.expected_max)
        bad += not ok
        print(f"{q.name:28} {c:7d} {q.expected_min:12d}  {q.kitab}{'' if ok else '   <-- MISMATCH'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"records": n, "counts": counts}, indent=2, ensure_ascii=False) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Headings in MARC 21 authority and bibliographic records: what is a heading, its normalised key, its links.

Pure functions over pymarc records (no Django), shared by the authority import, the linker, the heading update
job and the search hook.

A heading's *key* is `textnorm.fold` of its heading subfields: case, diacritics, punctuation and script folded, so
"Əliyev, Heydər, 1923-2003." in a bibliographic record matches the authority heading "Aliyev, Heydar,
1923-2003" and a Cyrillic "Алиев, Гейдар" matches its ALA-LC romanisation. Control subfields ($0 $2 $6 $8 $9 ...),
relator terms and codes ($e $4, $j in meetings), affiliations ($u) and series numbering/ISSN ($v $x in 8XX) are
not part of a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pymarc

from kitab.marc.isbn import normalize_lccn
from kitab.textnorm import fold

# Authority 1XX tag -> kind (stored on the authority; the labels live in models.Authority.Kind).
KINDS: dict[str, str] = {
    "100": "personal",
    "110": "corporate",
    "111": "meeting",
    "130": "uniform_title",
    "148": "chronological",
    "150": "topical",
    "151": "geographic",
    "155": "genre",
    "162": "medium",
    "180": "subdivision",
    "181": "subdivision",
    "182": "subdivision",
    "185": "subdivision",
}

# Bibliographic heading tag -> the authority 1XX tag it is controlled by.
BIB_TO_AUTHORITY: dict[str, str] = {
    "100": "100", "110": "110", "111": "111", "130": "130",
    "600": "100", "610": "110", "611": "111", "630": "130", "648": "148", "650": "150", "651": "151", "655": "155",
    "700": "100", "710": "110", "711": "111", "730": "130",
    "800": "100", "810": "110", "811": "111", "830": "130",
}

# Which search field a bibliographic heading feeds: a variant of a subject heading must find the work as a
# subject, of an author as an author.
SEARCH_GROUP: dict[str, str] = {
    "1": "author", "6": "subject", "7": "author", "8": "series",
}

SUBDIVISIONS = frozenset("vxyz")
_CONTROL = frozenset("0123456789")


def search_group(bib_tag: str) -> str:
    """author / subject / series / title: where the variant forms of a heading of `bib_tag` are indexed."""
    if bib_tag in ("130", "730"):
        return "title"
    return SEARCH_GROUP.get(bib_tag[0], "author")


@lru_cache(maxsize=512)
def _excluded(tag: str) -> frozenset[str]:
    """Subfield codes of field `tag` that are not part of its heading."""
    kind = tag[1:]
    codes = set(_CONTROL) | {"u", "w", "i"}
    if kind == "11":
        codes |= {"j"}  # in meetings $e is the subordinate unit; $j is the relator
    else:
        codes |= {"e"}
    if tag[0] == "8" or tag[0] == "7" and kind != "50":
        codes |= {"x"}  # ISSN in 7XX/8XX name and title entries
    if tag[0] == "8":
        codes |= {"v"}  # volume / sequential designation
    return frozenset(codes)


def heading_subfields(fld: pymarc.Field, *, main_only: bool = False) -> list[tuple[str, str]]:
    """(code, value) pairs that make the heading of `fld`, in field order; `main_only` drops $v $x $y $z
    subject subdivisions (of 6XX and authority fields)."""
    excluded = _excluded(fld.tag)
    subdivisions_count = fld.tag[0] in "146"  # 1XX/4XX/5XX in authorities, 6XX in bibs carry subdivisions
    out: list[tuple[str, str]] = []
    for code, value in fld.subfields:
        if code in excluded or not code.isalnum():
            continue
        if main_only and subdivisions_count and code in SUBDIVISIONS:
            continue
        if value.strip():
            out.append((code, value))
    return out


def heading_text(pairs: list[tuple[str, str]]) -> str:
    """Display form: subdivisions joined with " -- " as in the OPAC, other subfields with spaces."""
    parts: list[str] = []
    for code, value in pairs:
        value = " ".join(value.split())
        if parts and code in SUBDIVISIONS:
            parts.append(" -- " + value.rstrip(" .,;:"))
        else:
            parts.append((" " if parts else "") + value)
    return "".join(parts).strip().rstrip(" ,;:/").strip()


def heading_key(pairs: list[tuple[str, str]]) -> str:
    """The normalised key two headings match on (see module docstring). Empty for no heading text."""
    return fold(" ".join([value for _code, value in pairs]))[:500]


# --- authority records -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Form:
    tag: str
    text: str
    key: str
    relation: str = ""  # 5XX $w/0 or $i: how a "see also" heading relates


@dataclass(slots=True)
class AuthoritySummary:
    tag: str  # 1XX tag
    kind: str
    heading: str
    key: str
    control_number: str = ""
    control_number_identifier: str = ""
    lccn: str = ""
    see_from: list[Form] = field(default_factory=list)  # 4XX
    see_also: list[Form] = field(default_factory=list)  # 5XX
    notes: list[str] = field(default_factory=list)  # 667/670/680 texts, for the cataloguer


class NotAnAuthority(ValueError):
    """The record cannot be stored as an authority; the message says why."""


def is_authority(record: pymarc.Record) -> bool:
    leader = str(record.leader)
    return len(leader) > 6 and leader[6] == "z"


def summarize_authority(record: pymarc.Record) -> AuthoritySummary:
    """Extract an authority record's heading, variants and identifiers. Raises NotAnAuthority."""
    leader = str(record.leader)
    if len(leader) > 6 and leader[6] != "z":
        raise NotAnAuthority(f"not an authority record (leader/06 is {leader[6]!r}, not 'z')")
    main = next((f for f in record.fields if not f.is_control_field() and f.tag in KINDS), None)
    if main is None:
        raise NotAnAuthority("no heading field (1XX)")
    pairs = heading_subfields(main)
    text = heading_text(pairs)
    if not text:
        raise NotAnAuthority(f"the heading field {main.tag} is empty")
    summary = AuthoritySummary(tag=main.tag, kind=KINDS[main.tag], heading=text, key=heading_key(pairs))
    for fld in record.fields:
        if fld.is_control_field():
            if fld.tag == "001":
                summary.control_number = (fld.data or "").strip()[:64]
            elif fld.tag == "003":
                summary.control_number_identifier = (fld.data or "").strip()[:32]
            continue
        if fld.tag == "010":
            summary.lccn = (normalize_lccn(next(iter(fld.get_subfields("a")), "")) or "")[:32]
        elif fld.tag[0] in "45" and fld.tag[1:] in {t[1:] for t in KINDS}:
            pairs = heading_subfields(fld)
            form_text = heading_text(pairs)
            if not form_text:
                continue
            relation = ""
            if fld.tag[0] == "5":
                relation = next(iter(fld.get_subfields("i")), "") or next(iter(fld.get_subfields("w")), "")[:1]
            target = summary.see_from if fld.tag[0] == "4" else summary.see_also
            target.append(Form(tag=fld.tag, text=form_text, key=heading_key(pairs), relation=relation.strip()))
        elif fld.tag in ("667", "670", "680"):
            note = " ".join(v for _c, v in fld.subfields if v.strip())
            if note:
                summary.notes.append(note)
    return summary


def control_key(identifier: str, number: str) -> str:
    """How $0 "(ORG)number" and 003/001 meet: "ORG|number" with the organisation code folded to upper case."""
    return f"{identifier.strip().upper()}|{number.strip()}"


# --- bibliographic records ---------------------------------------------------------------------------------


@dataclass(slots=True)
class BibHeading:
    tag: str
    occurrence: int  # 1-based among the fields with this tag
    authority_tag: str
    heading: str
    key: str  # of all heading subfields
    main_key: str  # without $v $x $y $z (equals key when there are none)
    refs: list[str]  # $0 values
    local_ids: list[str]  # $9 values (Koha's authority id)


def bib_headings(record: pymarc.Record) -> list[BibHeading]:
    """The controllable headings of a bibliographic record (1XX, 6XX, 7XX, 8XX name/title/subject fields)."""
    out: list[BibHeading] = []
    seen: dict[str, int] = {}
    for fld in record.fields:
        if fld.is_control_field():
            continue
        seen[fld.tag] = seen.get(fld.tag, 0) + 1
        authority_tag = BIB_TO_AUTHORITY.get(fld.tag)
        if authority_tag is None:
            continue
        pairs = heading_subfields(fld)
        if not pairs:
            continue
        key = heading_key(pairs)
        main_key = key
        if fld.tag[0] == "6" and any(code in SUBDIVISIONS for code, _value in pairs):
            main_key = heading_key([(code, value) for code, value in pairs if code not in SUBDIVISIONS])
        out.append(
            BibHeading(
                tag=fld.tag,
                occurrence=seen[fld.tag],
                authority_tag=authority_tag,
                heading=heading_text(pairs)[:500],
                key=key,
                main_key=main_key or key,
                refs=[v.strip() for v in fld.get_subfields("0") if v.strip()],
                local_ids=[v.strip() for v in fld.get_subfields("9") if v.strip()],
            )
        )
    return out


_ORG_REF = re.compile(r"^\((?P<org>[^)]+)\)\s*(?P<number>.+)$")
_LC_URI = re.compile(r"id\.loc\.gov/authorities/(?:names|subjects|genreForms)/(?P<lccn>[a-z]{0,3}\d+)")


@dataclass(slots=True, frozen=True)
class Ref:
    """What one $0 value points at: an authority with a control key (003|001), an LCCN, or a bare 001."""

    control_key: str = ""
    lccn: str = ""
    number: str = ""


def parse_ref(value: str) -> Ref:
    """Read a $0: "(DLC)n  79021164", "(OCoLC)oca00230701", "http://id.loc.gov/authorities/names/n79021164"
    or a bare control number."""
    value = value.strip()
    uri = _LC_URI.search(value)
    if uri:
        return Ref(lccn=uri.group("lccn"))
    match = _ORG_REF.match(value)
    if match:
        org, number = match.group("org"), match.group("number").strip()
        lccn = normalize_lccn(number) if org.upper() in ("DLC", "LC") else None
        return Ref(control_key=control_key(org, number), lccn=lccn or "", number=number)
    if value.startswith(("http://", "https://")):
        return Ref(number=value.rstrip("/").rsplit("/", 1)[-1])
    return Ref(number=value)


# --- rewriting a bibliographic heading from its authority ---------------------------------------------------


def rewrite_heading(fld: pymarc.Field, authority_field: pymarc.Field, *, main_only: bool) -> bool:
    """Replace the heading subfields of bibliographic field `fld` by those of the authority's 1XX, keeping
    relators, subdivisions the authority does not carry (`main_only`), $0/$9 and the rest in place.
    Returns whether the field changed."""
    replaced = {code for code, _v in heading_subfields(fld, main_only=main_only)}
    new_pairs = heading_subfields(authority_field)
    before = [(s.code, s.value) for s in fld.subfields]
    kept: list[tuple[str, str]] = []
    inserted = False
    for code, value in before:
        if code in replaced:
            if not inserted:
                kept.extend(new_pairs)
                inserted = True
            continue
        kept.append((code, value))
    if not inserted:
        kept = new_pairs + kept
    kept = _carry_end_punctuation(before, kept, new_pairs, replaced)
    if kept == before:
        return False
    fld.subfields = [pymarc.Subfield(code=code, value=value) for code, value in kept]
    return True


def _carry_end_punctuation(
    before: list[tuple[str, str]], after: list[tuple[str, str]], new_pairs: list[tuple[str, str]], replaced: set[str]
) -> list[tuple[str, str]]:
    # Bibliographic headings carry ISBD punctuation that authority headings do not: "Twain, Mark, 1835-1910."
    # at the end of a field, "1835-1910, $e author." before a relator. Give the new heading the punctuation the
    # old one ended with, unless it already ends with some (or with an open date "1950-").
    old_last = next((v for c, v in reversed(before) if c in replaced), "").rstrip()
    trailing = old_last[-1] if old_last and old_last[-1] in ".,;:" else ""
    positions = [i for i, pair in enumerate(after) if pair in new_pairs]
    if not trailing or not positions:
        return after
    index = positions[-1]
    code, value = after[index]
    if value.rstrip().endswith((".", ",", ";", ":", "-", "?", "!")):
        return after
    return [*after[:index], (code, value.rstrip() + trailing), *after[index + 1:]]

"""How a bibliographic record reads for a person: pure functions over `pymarc.Record`, no views, no database.

`display_record(record)` gives the OPAC record page what it shows (title, responsibility, imprint, notes, subjects
and names that link to searches, identifiers, languages), each field carrying the original-script text of its
linked 880 field, if any, and that text's writing direction. `marc_lines(record)` gives the staff MARC view.

The labels (note kinds, relator terms, language and material type names) are lazy translations, so a
`RecordDisplay` renders in whatever language is active when the template runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pymarc
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Label = str | Promise

# Bidi marks that cataloguing systems leave at the edges of subfields of right-to-left 880 fields; they only matter
# inside a MARC editor. Embeddings (U+202A..U+202E) inside the text are kept: they order numbers within RTL text.
_EDGE_MARKS = "\u200e\u200f \t"
# MARC-8 script identification codes (the middle part of $6) of right-to-left scripts: Hebrew, Arabic, Extended Arabic.
_RTL_SCRIPTS = {"(2", "(3", "(4"}
# Control subfields that never belong in displayed text.
_CONTROL_CODES = frozenset("0123456789")
_TRAILING = " \t/:;,=+\u060c\u061b"
_SUBDIVISIONS = frozenset("vxyz")
# Words whose final full stop is part of the word, not ISBD punctuation.
_ABBREVIATIONS = frozenset({"jr", "sr", "ed", "etc", "co", "inc", "ltd", "st", "p", "v"})

# MARC language codes: the region's languages and the major ones. Others are shown as their code.
LANGUAGE_NAMES: dict[str, Label] = {
    "aze": _("Azerbaijani"),
    "tur": _("Turkish"),
    "ota": _("Turkish, Ottoman"),
    "rus": _("Russian"),
    "eng": _("English"),
    "per": _("Persian"),
    "ara": _("Arabic"),
    "geo": _("Georgian"),
    "arm": _("Armenian"),
    "uzb": _("Uzbek"),
    "kaz": _("Kazakh"),
    "kir": _("Kyrgyz"),
    "tuk": _("Turkmen"),
    "tat": _("Tatar"),
    "crh": _("Crimean Tatar"),
    "bak": _("Bashkir"),
    "chv": _("Chuvash"),
    "kaa": _("Kara-Kalpak"),
    "uig": _("Uighur"),
    "tut": _("Turkic languages"),
    "tgk": _("Tajik"),
    "kur": _("Kurdish"),
    "ukr": _("Ukrainian"),
    "bel": _("Belarusian"),
    "ger": _("German"),
    "fre": _("French"),
    "spa": _("Spanish"),
    "ita": _("Italian"),
    "por": _("Portuguese"),
    "dut": _("Dutch"),
    "pol": _("Polish"),
    "cze": _("Czech"),
    "hun": _("Hungarian"),
    "rum": _("Romanian"),
    "bul": _("Bulgarian"),
    "srp": _("Serbian"),
    "hrv": _("Croatian"),
    "gre": _("Greek, Modern"),
    "grc": _("Greek, Ancient"),
    "lat": _("Latin"),
    "heb": _("Hebrew"),
    "urd": _("Urdu"),
    "hin": _("Hindi"),
    "chi": _("Chinese"),
    "jpn": _("Japanese"),
    "kor": _("Korean"),
    "mon": _("Mongolian"),
    "swe": _("Swedish"),
    "nor": _("Norwegian"),
    "dan": _("Danish"),
    "fin": _("Finnish"),
    "mul": _("Multiple languages"),
    "und": _("Undetermined"),
    "zxx": _("No linguistic content"),
}

# The material types `kitab.marc.mapping.summarize` assigns (the material_type facet's values).
MATERIAL_TYPES: dict[str, Label] = {
    "book": _("Book"),
    "ebook": _("E-book"),
    "serial": _("Journal or serial"),
    "map": _("Map"),
    "score": _("Music score"),
    "sound": _("Sound recording"),
    "video": _("Video"),
    "manuscript": _("Manuscript"),
    "computer": _("Computer file"),
    "visual": _("Visual material"),
    "kit": _("Kit"),
    "mixed": _("Mixed materials"),
}

# MARC relator codes ($4) most often met, with their terms; an English $e term equal to one of these terms is shown
# translated too.
RELATORS: dict[str, Label] = {
    "aut": pgettext_lazy("role", "author"),
    "edt": pgettext_lazy("role", "editor"),
    "trl": pgettext_lazy("role", "translator"),
    "ill": pgettext_lazy("role", "illustrator"),
    "com": pgettext_lazy("role", "compiler"),
    "ctb": pgettext_lazy("role", "contributor"),
    "aui": pgettext_lazy("role", "author of introduction"),
    "aft": pgettext_lazy("role", "author of afterword"),
    "ann": pgettext_lazy("role", "annotator"),
    "cmm": pgettext_lazy("role", "commentator"),
    "pht": pgettext_lazy("role", "photographer"),
    "cmp": pgettext_lazy("role", "composer"),
    "lyr": pgettext_lazy("role", "lyricist"),
    "prf": pgettext_lazy("role", "performer"),
    "nrt": pgettext_lazy("role", "narrator"),
    "drt": pgettext_lazy("role", "director"),
    "pbl": pgettext_lazy("role", "publisher"),
    "isb": pgettext_lazy("role", "issuing body"),
    "ctg": pgettext_lazy("role", "cartographer"),
    "art": pgettext_lazy("role", "artist"),
    "red": pgettext_lazy("role", "redaktor"),
    "ths": pgettext_lazy("role", "thesis advisor"),
    "dgg": pgettext_lazy("role", "degree granting institution"),
    "spn": pgettext_lazy("role", "sponsor"),
}
_RELATOR_TERMS: dict[str, str] = {
    "author": "aut",
    "editor": "edt",
    "translator": "trl",
    "illustrator": "ill",
    "compiler": "com",
    "contributor": "ctb",
    "author of introduction": "aui",
    "writer of introduction": "aui",
    "author of afterword": "aft",
    "annotator": "ann",
    "commentator": "cmm",
    "photographer": "pht",
    "composer": "cmp",
    "lyricist": "lyr",
    "performer": "prf",
    "narrator": "nrt",
    "director": "drt",
    "publisher": "pbl",
    "issuing body": "isb",
    "cartographer": "ctg",
    "artist": "art",
    "redaktor": "red",
    "thesis advisor": "ths",
    "degree granting institution": "dgg",
    "sponsor": "spn",
    "ed": "edt",
    "tr": "trl",
    "comp": "com",
    "ill": "ill",
}

# 5XX notes: tag -> label. Tags missing here are shown as a plain "Note".
NOTE_KINDS: dict[str, Label] = {
    "500": _("General note"),
    "501": _("With"),
    "502": _("Dissertation"),
    "504": _("Bibliography"),
    "505": _("Contents"),
    "506": _("Access restrictions"),
    "508": _("Credits"),
    "510": _("References"),
    "511": _("Participants or performers"),
    "515": _("Numbering"),
    "518": _("Date and place of event"),
    "520": _("Summary"),
    "521": _("Audience"),
    "524": _("Preferred citation"),
    "525": _("Supplement"),
    "530": _("Other formats"),
    "533": _("Reproduction"),
    "534": _("Original version"),
    "536": _("Funding information"),
    "538": _("System details"),
    "540": _("Terms of use"),
    "541": _("Source of acquisition"),
    "545": _("Biographical or historical note"),
    "546": _("Language note"),
    "550": _("Issuing body"),
    "555": _("Index"),
    "561": _("Provenance"),
    "562": _("Copy identification"),
    "580": _("Linking note"),
    "583": _("Action note"),
    "585": _("Exhibitions"),
    "586": _("Awards"),
    "588": _("Source of description"),
    "590": _("Local note"),
}
# Notes that may be private: first indicator 0 means "private" (541, 561, 583; 583 is shown only when marked public).
_PRIVATE_WHEN_ZERO = {"541", "542", "561"}

_IMPRINT_FUNCTIONS: dict[str, Label] = {
    "0": _("Production"),
    "2": _("Distribution"),
    "3": _("Manufacture"),
    "4": _("Copyright date"),
}


@dataclass(slots=True)
class Vernacular:
    """The original-script text (from a linked 880 field) shown beside a romanised field."""

    text: str
    dir: str  # "rtl" or "ltr"
    query: str = ""  # a search for this text, when the field is a searchable heading


@dataclass(slots=True)
class DisplayText:
    text: str
    vernacular: Vernacular | None = None
    label: Label | None = None
    dir: str = "auto"  # direction of `text` itself: "rtl" when it is an unlinked original-script field


@dataclass(slots=True)
class Heading:
    """A name, subject or series that links to a search for itself."""

    text: str
    query: str
    vernacular: Vernacular | None = None
    dir: str = "auto"


@dataclass(slots=True)
class Author:
    name: str
    query: str
    roles: list[Label] = field(default_factory=list)
    work: str | None = None  # title part of a name/title entry (700 $t)
    main: bool = False  # 1XX main entry
    vernacular: Vernacular | None = None
    dir: str = "auto"


@dataclass(slots=True)
class Note:
    tag: str
    label: Label
    text: str
    vernacular: Vernacular | None = None
    dir: str = "auto"


@dataclass(slots=True)
class Isbn:
    value: str  # without hyphens
    qualifier: str | None = None
    query: str = ""


@dataclass(slots=True)
class Language:
    code: str
    name: Label


@dataclass(slots=True)
class Link:
    url: str
    label: str | None


@dataclass(slots=True)
class RecordDisplay:
    title: DisplayText
    responsibility: DisplayText | None = None
    uniform_title: DisplayText | None = None
    variant_titles: list[DisplayText] = field(default_factory=list)
    edition: list[DisplayText] = field(default_factory=list)
    imprint: list[DisplayText] = field(default_factory=list)
    physical_description: list[DisplayText] = field(default_factory=list)
    series: list[Heading] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    subjects: list[Heading] = field(default_factory=list)
    genres: list[Heading] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    isbns: list[Isbn] = field(default_factory=list)
    issns: list[str] = field(default_factory=list)
    lccn: str | None = None
    control_number: str | None = None
    languages: list[Language] = field(default_factory=list)
    original_languages: list[Language] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def has_vernacular(self) -> bool:
        return any(
            getattr(part, "vernacular", None) is not None or getattr(part, "dir", "auto") == "rtl"
            for part in self._parts()
        )

    def _parts(self) -> Iterable[object]:
        yield self.title
        for single in (self.responsibility, self.uniform_title):
            if single is not None:
                yield single
        for many in (
            self.variant_titles,
            self.edition,
            self.imprint,
            self.physical_description,
            self.series,
            self.notes,
            self.subjects,
            self.genres,
            self.authors,
        ):
            yield from many


@dataclass(slots=True)
class MarcLine:
    """One line of the staff MARC view: the leader, a control field (`data`) or a data field (`subfields`)."""

    tag: str
    ind1: str = ""
    ind2: str = ""
    data: str | None = None
    subfields: list[tuple[str, str]] = field(default_factory=list)
    dir: str = "ltr"


# ---------------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------------


def record_from_raw(raw: bytes | memoryview) -> pymarc.Record:
    """A stored record (`Record.raw`: ISO 2709, UTF-8) as a pymarc record."""
    return pymarc.Record(data=bytes(raw), to_unicode=True, force_utf8=True)


def language_name(code: str) -> Label:
    """Human name of a MARC language code (translated lazily), or the code itself when it is not in the table."""
    return LANGUAGE_NAMES.get((code or "").strip().lower(), code)


def material_type_name(code: str) -> Label:
    return MATERIAL_TYPES.get(code, code)


def relator_name(code_or_term: str) -> Label:
    """Translated relator term for a $4 code or an English $e term; other terms come back cleaned but unchanged."""
    term = clean_end(code_or_term).strip(" .,").strip()
    key = term.lower()
    if key in RELATORS:
        return RELATORS[key]
    if key in _RELATOR_TERMS:
        return RELATORS[_RELATOR_TERMS[key]]
    return term


def clean_end(text: str) -> str:
    """Drop trailing ISBD punctuation (" /", " :", ",", a final full stop) but keep an initial's full stop."""
    text = text.strip(_EDGE_MARKS).rstrip(_TRAILING)
    if text.endswith(".") and not text.endswith("..."):
        before = text[:-1]
        # "Savalan, H. M." and "Jr." keep their stop; "Omar Khayyam." and "Grammar." lose it.
        initial = len(before) >= 1 and before[-1].isupper() and (len(before) == 1 or not before[-2].isalpha())
        abbreviation = before.split(" ")[-1].lower() in _ABBREVIATIONS
        if not initial and not abbreviation:
            text = before.rstrip(_TRAILING)
    return text.strip()


def _first(record: pymarc.Record, tag: str) -> pymarc.Field | None:
    fields = record.get_fields(tag)
    return fields[0] if fields else None


def _clean_value(value: str) -> str:
    # Stored records are NFC already; records straight from a file (LC distributes NFD) are not.
    return unicodedata.normalize("NFC", value).strip(_EDGE_MARKS)


def _phrase(prefix: str, text: str) -> str:
    """A search for `text` as a phrase in one field (double quotes inside the text would end the phrase)."""
    inner = " ".join(text.replace('"', " ").split())
    return f'{prefix}:"{inner}"' if prefix else f'"{inner}"'


def text_direction(text: str) -> str:
    """Return "rtl" when the first strongly directional character is right-to-left (Arabic, Hebrew...)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@dataclass(slots=True, frozen=True)
class _Link6:
    tag: str
    occurrence: str
    script: str
    rtl: bool


def _parse_6(value: str | None) -> _Link6 | None:
    """Read $6 "245-01/(3/r" into its parts; None when absent or malformed."""
    if not value:
        return None
    cleaned = "".join(c for c in value if c not in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e").strip()
    match = re.match(r"^(\d{3})-(\d{2,})(?:/([^/]*))?(?:/(\w))?", cleaned)
    if not match:
        return None
    return _Link6(match.group(1), match.group(2), match.group(3) or "", (match.group(4) or "").lower() == "r")


def _subfield_values(fld: pymarc.Field, codes: str | None = None, *, skip: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for code, value in fld.subfields:
        if code in _CONTROL_CODES or code in skip:
            continue
        if codes is not None and code not in codes:
            continue
        value = _clean_value(value)
        if value:
            out.append((code, value))
    return out


def _join(fld: pymarc.Field, codes: str | None = None, *, skip: str = "") -> str:
    return " ".join(v for _c, v in _subfield_values(fld, codes, skip=skip))


# ---------------------------------------------------------------------------------------------------------------
# 880 linking
# ---------------------------------------------------------------------------------------------------------------


class _Parallels:
    """The record's 880 fields indexed by the tag and occurrence they are linked to."""

    def __init__(self, record: pymarc.Record) -> None:
        self.by_link: dict[tuple[str, str], pymarc.Field] = {}
        self.unlinked: list[tuple[_Link6 | None, pymarc.Field]] = []
        self.used: set[int] = set()
        for fld in record.get_fields("880"):
            link = _parse_6(fld.get("6"))
            if link is None or link.occurrence.strip("0") == "":
                self.unlinked.append((link, fld))
            else:
                self.by_link.setdefault((link.tag, link.occurrence), fld)
        self.linked_tags: set[tuple[str, str]] = set()
        for fld in record.fields:
            if fld.tag == "880" or fld.is_control_field():
                continue
            link = _parse_6(fld.get("6"))
            if link is not None and link.tag == "880":
                self.linked_tags.add((fld.tag, link.occurrence))

    def twin(self, fld: pymarc.Field) -> pymarc.Field | None:
        """The 880 field linked to `fld`, if any."""
        link = _parse_6(fld.get("6"))
        if link is None or link.tag != "880":
            return None
        twin = self.by_link.get((fld.tag, link.occurrence))
        if twin is not None:
            self.used.add(id(twin))
        return twin

    def orphans(self, tags: Sequence[str]) -> list[pymarc.Field]:
        """880 fields standing for a field of one of `tags` that has no romanised twin in the record."""
        found: list[pymarc.Field] = []
        for (tag, occurrence), fld in self.by_link.items():
            if tag in tags and (tag, occurrence) not in self.linked_tags and id(fld) not in self.used:
                self.used.add(id(fld))
                found.append(fld)
        for link, fld in self.unlinked:
            if link is not None and link.tag in tags and id(fld) not in self.used:
                self.used.add(id(fld))
                found.append(fld)
        return found


def _direction_of(fld: pymarc.Field, text: str) -> str:
    link = _parse_6(fld.get("6"))
    if link is not None and (link.rtl or link.script in _RTL_SCRIPTS):
        return "rtl"
    return text_direction(text)


def _vernacular(fld: pymarc.Field | None, text: str, *, searchable: bool = False) -> Vernacular | None:
    if fld is None or not text:
        return None
    # The index keeps 880 text in the keyword field only, so its search is a plain phrase.
    query = _phrase("", text) if searchable else ""
    return Vernacular(text=text, dir=_direction_of(fld, text), query=query)


# ---------------------------------------------------------------------------------------------------------------
# Field extractors: each takes a field (romanised or 880) and returns its display text
# ---------------------------------------------------------------------------------------------------------------


def _title_text(fld: pymarc.Field) -> str:
    return clean_end(_join(fld, "abfgknps"))


def _name_text(fld: pymarc.Field, tag: str) -> str:
    codes = "acdenqg" if tag.endswith("11") else "abcdqg" if tag.endswith("00") else "abcdng"
    return clean_end(_join(fld, codes))


def _work_text(fld: pymarc.Field) -> str | None:
    parts = _subfield_values(fld, "tfklmnoprs")
    return clean_end(" ".join(v for _c, v in parts)) or None


def _series_text(fld: pymarc.Field, tag: str) -> tuple[str, str]:
    """(display text with volume, searchable title without it)."""
    if tag in ("800", "810", "811"):
        name = _name_text(fld, tag[0] + "1" + tag[2])
        title = clean_end(_join(fld, "tnpkl"))
        searchable = title or name
        shown = f"{name}. {title}" if name and title else searchable
    else:
        searchable = clean_end(_join(fld, "anp"))
        shown = searchable
    volume = clean_end(_join(fld, "v"))
    if volume:
        shown = f"{shown} ; {volume}"
    return shown, searchable


def _subject_text(fld: pymarc.Field) -> str:
    skip = "e4" if fld.tag in ("600", "610", "630", "650", "651") else "4"
    main: list[str] = []
    subdivisions: list[str] = []
    for code, value in _subfield_values(fld, skip=skip):
        if code in _SUBDIVISIONS:
            subdivisions.append(clean_end(value))
        elif subdivisions:
            # a name/title part after a subdivision is unusual; keep it with the subdivision it follows
            subdivisions[-1] = f"{subdivisions[-1]} {value}"
        else:
            main.append(value)
    parts = [clean_end(" ".join(main))] + [s for s in subdivisions if s]
    return " -- ".join(p for p in parts if p)


def _roles(fld: pymarc.Field, tag: str) -> list[Label]:
    term_code = "j" if tag.endswith("11") else "e"
    roles: list[Label] = []
    seen: set[str] = set()
    for code, value in fld.subfields:
        if code not in (term_code, "4"):
            continue
        for part in re.split(r",\s*|\s+and\s+", _clean_value(value)):
            label = relator_name(part) if code == term_code else relator_name(part.strip(" .").lower())
            key = str(label).lower()
            if label and key not in seen:
                seen.add(key)
                roles.append(label)
    return roles


def _note_text(fld: pymarc.Field) -> str:
    parts = [v for _c, v in _subfield_values(fld, skip="u")]
    return " ".join(parts).strip()


def _isbn(fld: pymarc.Field) -> Isbn | None:
    value = _clean_value(fld.get("a") or "")
    if not value:
        return None
    match = re.match(r"^([0-9Xx][0-9Xx\- ]*[0-9Xx])\s*(.*)$", value)
    if not match:
        return None
    number = re.sub(r"[\s\-]", "", match.group(1)).upper()
    qualifiers = [match.group(2).strip().strip("()").strip(" :;")]
    qualifiers += [_clean_value(q).strip("()").strip(" :;") for q in fld.get_subfields("q")]
    qualifier = "; ".join(q for q in qualifiers if q) or None
    return Isbn(value=number, qualifier=qualifier, query=f"isbn:{number}")


def _language_codes(record: pymarc.Record) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    fixed = _first(record, "008")
    if fixed is not None and fixed.data and len(fixed.data) >= 38:
        code = fixed.data[35:38].strip().lower()
        if len(code) == 3 and code.isalpha():
            codes.append(code)
    originals: list[str] = []
    for fld in record.get_fields("041"):
        for code, value in fld.subfields:
            if code not in ("a", "h"):
                continue
            value = value.strip().lower()
            # pre-2001 records run several codes together in one subfield ("engfre")
            chunks = [value[i : i + 3] for i in range(0, len(value), 3)] if len(value) % 3 == 0 else [value]
            target = codes if code == "a" else originals
            for chunk in chunks:
                if chunk.isalpha() and chunk not in target:
                    target.append(chunk)
    return codes, originals


# ---------------------------------------------------------------------------------------------------------------
# The record as a whole
# ---------------------------------------------------------------------------------------------------------------


def _texts(
    record: pymarc.Record,
    parallels: _Parallels,
    tags: Sequence[str],
    extract: Callable[[pymarc.Field], str],
    label_of: Callable[[pymarc.Field], Label | None] | None = None,
) -> list[DisplayText]:
    """One entry per field of `tags` (with its 880 twin), then the 880s of `tags` that have no twin."""
    out: list[DisplayText] = []
    for fld in record.get_fields(*tags):
        text = extract(fld)
        if not text:
            continue
        twin = parallels.twin(fld)
        label = label_of(fld) if label_of else None
        out.append(
            DisplayText(text=text, vernacular=_vernacular(twin, extract(twin) if twin else ""), label=label)
        )
    for orphan in parallels.orphans(tags):
        text = extract(orphan)
        if text:
            label = label_of(orphan) if label_of else None
            out.append(DisplayText(text=text, label=label, dir=_direction_of(orphan, text)))
    return out


def _imprint_label(fld: pymarc.Field) -> Label | None:
    tag = fld.tag
    if tag == "880":
        link = _parse_6(fld.get("6"))
        tag = link.tag if link else tag
    if tag == "264":
        return _IMPRINT_FUNCTIONS.get(fld.indicator2)
    return None


def _imprint_text(fld: pymarc.Field) -> str:
    return clean_end(_join(fld, "abcefg3"))


def display_record(record: pymarc.Record) -> RecordDisplay:
    """Everything the public record page shows, in reading order, with 880 original-script text beside its twin."""
    parallels = _Parallels(record)

    titles = _texts(record, parallels, ["245"], _title_text)
    title = titles[0] if titles else DisplayText(text="")
    responsibility = None
    main_title = _first(record, "245")
    if main_title is not None:
        statement = clean_end(_join(main_title, "c"))
        if statement:
            link = _parse_6(main_title.get("6"))
            twin = parallels.by_link.get(("245", link.occurrence)) if link and link.tag == "880" else None
            twin_text = clean_end(_join(twin, "c")) if twin is not None else ""
            responsibility = DisplayText(text=statement, vernacular=_vernacular(twin, twin_text))

    uniform = _texts(record, parallels, ["130", "240"], lambda f: clean_end(_join(f, "adfgklmnoprs")))
    variants = _texts(record, parallels, ["246"], lambda f: clean_end(_join(f, "abnp")))
    edition = _texts(record, parallels, ["250"], lambda f: clean_end(_join(f, "ab")))
    imprint = _texts(record, parallels, ["260", "264"], _imprint_text, _imprint_label)
    physical = _texts(record, parallels, ["300"], lambda f: clean_end(_join(f, "abcefg3")))

    display = RecordDisplay(
        title=title,
        responsibility=responsibility,
        uniform_title=uniform[0] if uniform else None,
        variant_titles=variants,
        edition=edition,
        imprint=imprint,
        physical_description=physical,
    )
    display.authors = _authors(record, parallels)
    display.series = _series(record, parallels)
    display.subjects, display.genres = _subjects(record, parallels)
    display.notes = _notes(record, parallels)

    for fld in record.get_fields("020"):
        isbn = _isbn(fld)
        if isbn and all(i.value != isbn.value for i in display.isbns):
            display.isbns.append(isbn)
    for fld in record.get_fields("022"):
        issn = _clean_value(fld.get("a") or "")
        if issn and issn not in display.issns:
            display.issns.append(issn)
    lccn_field = _first(record, "010")
    if lccn_field is not None and lccn_field.get("a"):
        display.lccn = lccn_field.get("a", "").strip() or None
    control = _first(record, "001")
    display.control_number = control.data.strip() if control is not None and control.data else None

    codes, originals = _language_codes(record)
    display.languages = [Language(c, language_name(c)) for c in codes]
    display.original_languages = [Language(c, language_name(c)) for c in originals if c not in codes]

    for fld in record.get_fields("856"):
        for url in fld.get_subfields("u"):
            url = url.strip()
            if url.startswith(("http://", "https://")):
                label = _clean_value(fld.get("3") or fld.get("y") or fld.get("z") or "") or None
                display.links.append(Link(url=url, label=label))
    return display


def _authors(record: pymarc.Record, parallels: _Parallels) -> list[Author]:
    tags = ("100", "110", "111", "700", "710", "711", "720")
    authors: list[Author] = []
    seen: set[str] = set()

    def make(fld: pymarc.Field, tag: str, twin: pymarc.Field | None, orphan: bool) -> None:
        name = _name_text(fld, tag)
        if not name:
            return
        key = name.lower()
        if key in seen and not orphan:
            return
        seen.add(key)
        vern = None
        if twin is not None:
            vern = _vernacular(twin, _name_text(twin, tag), searchable=True)
        authors.append(
            Author(
                name=name,
                query=_phrase("" if orphan else "author", name),
                roles=_roles(fld, tag),
                work=_work_text(fld),
                main=tag.startswith("1"),
                vernacular=vern,
                dir=_direction_of(fld, name) if orphan else "auto",
            )
        )

    for fld in record.get_fields(*tags):
        make(fld, fld.tag, parallels.twin(fld), orphan=False)
    for orphan in parallels.orphans(tags):
        link = _parse_6(orphan.get("6"))
        make(orphan, link.tag if link else "700", None, orphan=True)
    return authors


def _series(record: pymarc.Record, parallels: _Parallels) -> list[Heading]:
    tags = ("490", "440", "800", "810", "811", "830")
    out: list[Heading] = []
    seen: set[str] = set()
    traced = bool(record.get_fields("800", "810", "811", "830"))
    for fld in record.get_fields(*tags):
        if fld.tag == "490" and fld.indicator1 == "1" and traced and not _parse_6(fld.get("6")):
            continue  # a traced series statement: its 8XX access point is the searchable form
        shown, searchable = _series_text(fld, fld.tag)
        key = " ".join(re.sub(r"[^\w\s]", " ", searchable.lower()).split())
        if not shown or key in seen:
            continue
        seen.add(key)
        twin = parallels.twin(fld)
        vern = None
        if twin is not None:
            twin_shown, _twin_search = _series_text(twin, fld.tag)
            vern = _vernacular(twin, twin_shown, searchable=True)
        out.append(Heading(text=shown, query=_phrase("series", searchable), vernacular=vern))
    for orphan in parallels.orphans(tags):
        link = _parse_6(orphan.get("6"))
        shown, _searchable = _series_text(orphan, link.tag if link else "490")
        if shown:
            out.append(Heading(text=shown, query=_phrase("", shown), dir=_direction_of(orphan, shown)))
    return out


_SUBJECT_TAGS = (
    "600",
    "610",
    "611",
    "630",
    "647",
    "648",
    "650",
    "651",
    "653",
    "654",
    "656",
    "657",
    "690",
    "691",
)


def _subjects(record: pymarc.Record, parallels: _Parallels) -> tuple[list[Heading], list[Heading]]:
    subjects: list[Heading] = []
    genres: list[Heading] = []
    seen: set[tuple[str, str]] = set()
    for fld in record.get_fields(*_SUBJECT_TAGS, "655"):
        target = genres if fld.tag == "655" else subjects
        kind = "genre" if fld.tag == "655" else "subject"
        texts = (
            [clean_end(_clean_value(v)) for v in fld.get_subfields("a")]
            if fld.tag == "653"
            else [_subject_text(fld)]
        )
        twin = parallels.twin(fld)
        for text in texts:
            if not text or (kind, text.lower()) in seen:
                continue
            seen.add((kind, text.lower()))
            vern = None
            if twin is not None:
                vern = _vernacular(twin, _subject_text(twin), searchable=True)
            prefix = "subject" if kind == "subject" else ""
            target.append(Heading(text=text, query=_phrase(prefix, text), vernacular=vern))
    for orphan in parallels.orphans((*_SUBJECT_TAGS, "655")):
        text = _subject_text(orphan)
        link = _parse_6(orphan.get("6"))
        if text:
            target = genres if link and link.tag == "655" else subjects
            target.append(Heading(text=text, query=_phrase("", text), dir=_direction_of(orphan, text)))
    return subjects, genres


def _notes(record: pymarc.Record, parallels: _Parallels) -> list[Note]:
    notes: list[Note] = []
    note_fields = [f for f in record.fields if f.tag.startswith("5") and not f.is_control_field()]
    for fld in note_fields:
        if fld.tag in _PRIVATE_WHEN_ZERO and fld.indicator1 == "0":
            continue
        if fld.tag == "583" and fld.indicator1 != "1":
            continue
        text = _note_text(fld)
        if not text:
            continue
        twin = parallels.twin(fld)
        vern = _vernacular(twin, _note_text(twin)) if twin is not None else None
        notes.append(Note(tag=fld.tag, label=NOTE_KINDS.get(fld.tag, _("Note")), text=text, vernacular=vern))
    note_tags = sorted({f"5{n:02d}" for n in range(100)})
    for orphan in parallels.orphans(note_tags):
        link = _parse_6(orphan.get("6"))
        text = _note_text(orphan)
        if text and link is not None:
            label = NOTE_KINDS.get(link.tag, _("Note"))
            notes.append(Note(tag=link.tag, label=label, text=text, dir=_direction_of(orphan, text)))
    return notes


# ---------------------------------------------------------------------------------------------------------------
# Staff MARC view
# ---------------------------------------------------------------------------------------------------------------


def _blank(value: str) -> str:
    return "#" if value in ("", " ", "\\") else value


def marc_lines(record: pymarc.Record) -> list[MarcLine]:
    """The record as MARC lines: LDR first, then every field in record order (blanks shown as '#')."""
    lines = [MarcLine(tag="LDR", data=str(record.leader).replace(" ", "#"))]
    for fld in record.fields:
        if fld.is_control_field():
            lines.append(MarcLine(tag=fld.tag, data=(fld.data or "").replace(" ", "#")))
            continue
        subfields = [(code, value) for code, value in fld.subfields]
        text = " ".join(v for c, v in subfields if c != "6")
        direction = _direction_of(fld, text) if fld.tag == "880" else "ltr"
        lines.append(
            MarcLine(
                tag=fld.tag,
                ind1=_blank(fld.indicator1 or ""),
                ind2=_blank(fld.indicator2 or ""),
                subfields=subfields,
                dir=direction,
            )
        )
    return lines

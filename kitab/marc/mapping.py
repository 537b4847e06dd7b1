"""MARC 21 bibliographic record -> BibSummary, the display- and index-ready view.

It runs once per imported record, so it walks the field list a single time and dispatches on the tag instead
of
calling pymarc's lookups (each of which is a scan of all fields). Text is trimmed of ISBD punctuation only at
the end
of each element: the " : " between title and subtitle is part of the title as catalogued.
"""

from __future__ import annotations

import re

import pymarc

from kitab.marc.holdings import extract_holdings
from kitab.marc.isbn import normalize_isbn, normalize_issn, normalize_lccn
from kitab.marc.summary import BibSummary

_YEAR = re.compile(r"(?<![0-9])(1[0-9]{3}|20[0-9]{2})(?![0-9])")
_TRAILING = " /:;=,"
# A final period is kept after an initial ("Smith, J.") and after these abbreviations.
_KEEP_PERIOD = frozenset(
    {"etc", "inc", "ltd", "co", "jr", "sr", "dr", "st", "ed", "eds", "corp", "bros", "no", "p"}
)

_SUBJECT_SUBDIVISIONS = frozenset("vxyz")
# Codes that never hold display text in name/title/subject fields: linkage, authority ids, relator codes,
# source.
_NON_TEXT = frozenset("0123456789")
_PERSONAL = frozenset("abcdq")
_CORPORATE = frozenset("ab")
_MEETING = frozenset("andc")
_NAME_TAGS = {
    "100": _PERSONAL,
    "700": _PERSONAL,
    "110": _CORPORATE,
    "710": _CORPORATE,
    "111": _MEETING,
    "711": _MEETING,
}
_SERIES_8XX = frozenset({"800", "810", "811", "830"})
_SERIES_CODES = frozenset("abcdfklmnopqrst")
# Tags whose 880 (original script) counterparts are worth indexing.
_VERNACULAR_SOURCES = frozenset(
    {
        "100",
        "110",
        "111",
        "130",
        "240",
        "245",
        "246",
        "250",
        "260",
        "264",
        "490",
        "700",
        "710",
        "711",
        "730",
        "740",
        "800",
        "810",
        "811",
        "830",
    }
)
_SERIAL_LEVELS = frozenset("bis")
_EFORMS = frozenset("oqs")
_MATERIAL = {
    "c": "score",
    "d": "score",
    "e": "map",
    "f": "map",
    "i": "sound",
    "j": "sound",
    "k": "visual",
    "r": "visual",
    "m": "computer",
    "o": "kit",
    "p": "mixed",
    "t": "manuscript",
}


def trim(text: str) -> str:
    """Strip whitespace and trailing ISBD punctuation (" /", " :", " ;", " =", ",", a final ".") from one
    element.

    A final period is removed only when it is the element's last character and does not end an initial or a
    common abbreviation ("Smith, J.", "etc."); "Minn. :" loses the " :" but keeps "Minn.".
    """
    text = text.strip()
    if text[-1:] in _TRAILING:
        # the element ended with a separator (" :", " /", ","): any period before it belongs to an
        # abbreviation
        return text.rstrip(_TRAILING)
    if text[-1:] == "." and not text.endswith("..."):
        head = text[:-1]
        last = head[head.rfind(" ") + 1 :].lstrip("([")
        last = last[last.rfind(".") + 1 :]
        if not ((len(last) == 1 and last.isalpha() and last.isupper()) or last.lower() in _KEEP_PERIOD):
            text = head.rstrip(_TRAILING)
    return text


def _join(field: pymarc.Field, codes: frozenset[str] | str) -> str:
    return trim(" ".join(v for c, v in field.subfields if c in codes and v.strip()))


def _text(field: pymarc.Field) -> str:
    return trim(" ".join(v for c, v in field.subfields if c not in _NON_TEXT and v.strip()))


def _add(seq: list[str], value: str | None) -> None:
    if value and value not in seq:
        seq.append(value)


def _subject(field: pymarc.Field) -> str:
    main: list[str] = []
    subdivisions: list[str] = []
    for code, value in field.subfields:
        if code in _NON_TEXT or code in "e4" or not value.strip():
            continue
        if code in _SUBJECT_SUBDIVISIONS:
            subdivisions.append(trim(value))
        elif subdivisions:
            # a name/title part after a subdivision is unusual; keep it with the previous subdivision
            subdivisions[-1] = trim(subdivisions[-1] + " " + value)
        else:
            main.append(value.strip())
    heading = trim(" ".join(main))
    parts = [heading] if heading else []
    parts.extend(s for s in subdivisions if s)
    return " -- ".join(parts)


def _material_type(leader: str, f008: str | None, has_007c: bool) -> str:
    kind = leader[6:7]
    level = leader[7:8]
    if kind in ("a", " ", ""):
        if level in _SERIAL_LEVELS:
            return "serial"
        electronic = has_007c or (f008 is not None and len(f008) > 23 and f008[23] in _EFORMS)
        return "ebook" if electronic else "book"
    if kind == "g":
        # projected medium: 008/33 says whether it is a film/video or slides and transparencies
        if f008 is not None and len(f008) > 33 and f008[33] in "mv":
            return "video"
        return "video" if f008 is None or len(f008) <= 33 or f008[33] in " |" else "visual"
    return _MATERIAL.get(kind, "book")


def _imprint(field: pymarc.Field) -> tuple[str, list[str], list[str], str | None]:
    places: list[str] = []
    publishers: list[str] = []
    dates: list[str] = []
    for code, value in field.subfields:
        if code == "a":
            _add(places, trim(value))
        elif code == "b":
            _add(publishers, trim(value))
        elif code == "c":
            _add(dates, trim(value))
    display = " ; ".join(places)
    if publishers:
        display = f"{display} : {' ; '.join(publishers)}" if display else " ; ".join(publishers)
    if dates:
        display = f"{display}, {' '.join(dates)}" if display else " ".join(dates)
    return display, places, publishers, " ".join(dates) or None


def summarize(record: pymarc.Record) -> BibSummary:
    """Extract the BibSummary of one bibliographic record (see kitab.marc.summary for the fields)."""
    s = BibSummary()
    leader = str(record.leader)
    f008: str | None = None
    has_007c = False
    imprint_264: pymarc.Field | None = None
    imprint_260: pymarc.Field | None = None
    imprint_fields: list[pymarc.Field] = []
    lang_041: list[str] = []
    later_authors: list[str] = []
    summaries: list[str] = []
    holdings_present = False

    for field in record.fields:
        tag = field.tag
        if field.control_field:
            if tag == "001":
                s.control_number = (field.data or "").strip() or None
            elif tag == "003":
                s.control_number_identifier = (field.data or "").strip() or None
            elif tag == "008":
                f008 = field.data
            elif tag == "007" and (field.data or "")[:1] == "c":
                has_007c = True
            continue
        first = tag[0]
        if first == "0":
            if tag == "020":
                for code, value in field.subfields:
                    if code == "a":
                        _add(s.isbns, normalize_isbn(value))
            elif tag == "035":
                for code, value in field.subfields:
                    if code == "a" and value.strip():
                        _add(s.system_numbers, value.strip())
            elif tag == "010":
                if s.lccn is None:
                    for code, value in field.subfields:
                        if code == "a":
                            s.lccn = normalize_lccn(value)
                            break
            elif tag == "022":
                for code, value in field.subfields:
                    if code == "a":
                        _add(s.issns, normalize_issn(value))
            elif tag == "041":
                for code, value in field.subfields:
                    if code == "a" or code == "d":  # language of the text / of sung or spoken text
                        value = value.strip().lower()
                        # some records pack several codes into one $a ("engfre")
                        for i in range(0, len(value) - 2, 3):
                            lang_041.append(value[i : i + 3])
        elif first == "1":
            codes = _NAME_TAGS.get(tag)
            if codes is not None:
                _add(s.authors, _join(field, codes))
            elif tag == "130":
                _add(s.variant_titles, _join(field, "adfklmnoprs"))
        elif first == "2":
            if tag == "245":
                if not s.title:
                    s.title = _join(field, "abnp")
                    for code, value in field.subfields:
                        if code == "c":
                            s.responsibility = trim(value) or None
                            break
            elif tag == "264":
                if imprint_264 is None and field.indicator2 == "1":
                    imprint_264 = field
                if field.indicator2 == "1":
                    imprint_fields.append(field)
            elif tag == "260":
                if imprint_260 is None:
                    imprint_260 = field
                imprint_fields.append(field)
            elif tag == "246":
                _add(s.variant_titles, _join(field, "abnp"))
            elif tag == "240":
                _add(s.variant_titles, _join(field, "adfklmnoprs"))
            elif tag == "250" and s.edition is None:
                s.edition = _join(field, "ab") or None
        elif first == "3":
            if tag == "300" and s.physical_description is None:
                s.physical_description = _join(field, "abce") or None
        elif first == "4":
            # 440 is obsolete since 2008 but common in older records (LC's included).
            if tag == "490" or tag == "440":
                for code, value in field.subfields:
                    if code == "a":
                        _add(s.series, trim(value))
                    elif code == "x":  # the series' ISSN finds every volume of it
                        _add(s.issns, normalize_issn(value))
        elif first == "5":
            if tag == "520":
                text = _join(field, "ab")
                if text:
                    summaries.append(text)
            else:
                _add(s.notes, _text(field))
        elif first == "6":
            _add(s.subjects, _subject(field))
        elif first == "7":
            codes = _NAME_TAGS.get(tag)
            if codes is not None:
                _add(later_authors, _join(field, codes))
                for code, value in field.subfields:
                    if code == "t":  # name-title added entry: the work's title
                        _add(s.variant_titles, trim(value))
                        break
            elif tag == "740" or tag == "730":
                _add(s.variant_titles, _join(field, "anp"))
        elif first == "8":
            if tag in _SERIES_8XX:
                _add(s.series, _join(field, _SERIES_CODES))
                for code, value in field.subfields:
                    if code == "x":
                        _add(s.issns, normalize_issn(value))
            elif tag == "880":
                linked = None
                for code, value in field.subfields:
                    if code == "6":
                        linked = value[:3]
                        break
                if linked is not None and (linked in _VERNACULAR_SOURCES or linked[:1] == "6"):
                    _add(s.vernacular, _text(field))
            elif tag == "852":
                holdings_present = True
        elif tag == "952" or tag == "949":
            holdings_present = True

    for name in later_authors:
        _add(s.authors, name)
    if summaries:
        s.summary = " ".join(summaries)

    chosen = imprint_264 or imprint_260
    if chosen is not None:
        s.imprint, _places, _publishers, date_text = _imprint(chosen)
        s.imprint = s.imprint or None
        for f in imprint_fields:
            for code, value in f.subfields:
                if code == "a":
                    _add(s.places, trim(value))
                elif code == "b":
                    _add(s.publishers, trim(value))
    else:
        date_text = None

    if f008 is not None and len(f008) >= 11 and f008[7:11].isdigit() and "1000" <= f008[7:11] <= "2100":
        s.year = int(f008[7:11])
    elif date_text:
        m = _YEAR.search(date_text)
        s.year = int(m.group(1)) if m else None
    if s.year is None:
        for f in imprint_fields:
            for code, value in f.subfields:
                if code == "c":
                    m = _YEAR.search(value)
                    if m:
                        s.year = int(m.group(1))
                        break
            if s.year is not None:
                break

    if f008 is not None and len(f008) >= 38:
        code = f008[35:38].strip().lower()
        if len(code) == 3 and code.isalpha():
            s.languages.append(code)
    for code in lang_041:
        if len(code) == 3 and code.isalpha() and code not in s.languages:
            s.languages.append(code)

    s.material_type = _material_type(leader, f008, has_007c)
    if holdings_present:
        s.holdings = extract_holdings(record)
    return s

"""The guided form: the common descriptive elements of a record as plain form values, read from and
written back
into the MARC record (pure: no database).

Both editor views edit the same record: `read` fills the form from the record, `apply` writes the form into
the record and leaves every field the form does not cover untouched. A repeatable line (a subject, an added
entry) that the cataloguer did not change keeps its field as it was, with its authority link ($0) and any
subfields the form does not show. ISBD punctuation is added when the leader says the record carries it (18 =
a or i) and stripped when read, so the cataloguer types plain values.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pymarc

# Form keys, in form order. Multi-line keys hold one entry per line.
SINGLE = (
    "title",
    "subtitle",
    "responsibility",
    "author",
    "edition",
    "place",
    "publisher",
    "date",
    "extent",
    "other_physical",
    "dimensions",
    "language",
)
MULTI = ("isbns", "series", "notes", "subjects", "added_entries")
_TRAILING = re.compile(r"\s*[:;/,=.]\s*$")
SUBDIVISION = " -- "


def _strip(value: str) -> str:
    text = value.strip()
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING.sub("", text) if not text.endswith("...") else text
    return text.strip()


def _first(record: pymarc.Record, tag: str) -> pymarc.Field | None:
    fields = record.get_fields(tag)
    return fields[0] if fields else None


def _sub(field: pymarc.Field | None, code: str) -> str:
    if field is None:
        return ""
    values = field.get_subfields(code)
    return _strip(values[0]) if values else ""


def _imprint_field(record: pymarc.Record) -> pymarc.Field | None:
    for field in record.get_fields("264"):
        if field.indicators and field.indicators[1] == "1":
            return field
    return _first(record, "260") or _first(record, "264")


def _isbd(record: pymarc.Record) -> bool:
    return str(record.leader)[18:19] in ("a", "i")


# Display lines of repeatable fields, and how a new line becomes a field.
def _isbn_line(field: pymarc.Field) -> str:
    number = _sub(field, "a")
    qualifier = _sub(field, "q")
    return f"{number} ({qualifier})" if qualifier else number


def _series_line(field: pymarc.Field) -> str:
    volume = _sub(field, "v")
    return f"{_sub(field, 'a')} ; {volume}" if volume else _sub(field, "a")


def _subject_line(field: pymarc.Field) -> str:
    parts = [_strip(value) for code, value in field.subfields if code in "abcdvxyz" and value.strip()]
    return SUBDIVISION.join(parts)


def _name_line(field: pymarc.Field) -> str:
    return _sub(field, "a")


def _note_line(field: pymarc.Field) -> str:
    return (field.get_subfields("a") or [""])[0].strip()


def _new_isbn(line: str) -> pymarc.Field:
    match = re.match(r"^(.*?)\s*\((.*)\)\s*$", line)
    subfields = [pymarc.Subfield("a", match.group(1))] if match else [pymarc.Subfield("a", line)]
    if match:
        subfields.append(pymarc.Subfield("q", match.group(2)))
    return pymarc.Field(tag="020", indicators=[" ", " "], subfields=subfields)


def _new_series(line: str) -> pymarc.Field:
    title, _sep, volume = line.partition(" ; ")
    subfields = [pymarc.Subfield("a", title.strip() + (" ;" if volume else ""))]
    if volume:
        subfields.append(pymarc.Subfield("v", volume.strip()))
    return pymarc.Field(tag="490", indicators=["0", " "], subfields=subfields)


def _new_subject(line: str) -> pymarc.Field:
    parts = [p.strip() for p in line.split("--") if p.strip()]
    subfields = [pymarc.Subfield("a", parts[0])] + [pymarc.Subfield("x", p) for p in parts[1:]]
    return pymarc.Field(tag="650", indicators=[" ", "0"], subfields=subfields)


def _new_name(line: str) -> pymarc.Field:
    return pymarc.Field(tag="700", indicators=["1", " "], subfields=[pymarc.Subfield("a", line)])


def _new_note(line: str) -> pymarc.Field:
    return pymarc.Field(tag="500", indicators=[" ", " "], subfields=[pymarc.Subfield("a", line)])


# key: (tags read, line of an existing field, new field from a line)
_LISTS: dict[str, tuple[tuple[str, ...], Callable[[pymarc.Field], str], Callable[[str], pymarc.Field]]] = {
    "isbns": (("020",), _isbn_line, _new_isbn),
    "series": (("490",), _series_line, _new_series),
    "notes": (("500",), _note_line, _new_note),
    "subjects": (("650",), _subject_line, _new_subject),
    "added_entries": (("700",), _name_line, _new_name),
}


def read(record: pymarc.Record) -> dict[str, str]:
    """Form values of `record` (multi-line values joined by newlines)."""
    title = _first(record, "245")
    imprint = _imprint_field(record)
    physical = _first(record, "300")
    f008 = _first(record, "008")
    values = {
        "title": _sub(title, "a"),
        "subtitle": _sub(title, "b"),
        "responsibility": _sub(title, "c"),
        "author": _sub(_first(record, "100"), "a"),
        "edition": _sub(_first(record, "250"), "a"),
        "place": _sub(imprint, "a"),
        "publisher": _sub(imprint, "b"),
        "date": _sub(imprint, "c"),
        "extent": _sub(physical, "a"),
        "other_physical": _sub(physical, "b"),
        "dimensions": _sub(physical, "c"),
        "language": ((f008.data or "")[35:38].strip() if f008 else ""),
    }
    for key, (tags, line, _new) in _LISTS.items():
        values[key] = "\n".join(line(field) for tag in tags for field in record.get_fields(tag))
    return values


def _set_subfields(field: pymarc.Field, wanted: list[tuple[str, str]]) -> None:
    """Put the form's subfields (in the given order) first, keep every other subfield after them."""
    codes = {code for code, _value in wanted}
    kept = [pymarc.Subfield(code, value) for code, value in field.subfields if code not in codes]
    field.subfields = [pymarc.Subfield(code, value) for code, value in wanted if value] + kept


def _punctuate(
    pairs: list[tuple[str, str]], marks: dict[str, str], isbd: bool, final: str = ""
) -> list[tuple[str, str]]:
    """Add ISBD punctuation: each subfield ends with the mark that introduces the next present one."""
    present = [(code, value.strip()) for code, value in pairs if value.strip()]
    if not isbd:
        return present
    out: list[tuple[str, str]] = []
    for n, (code, value) in enumerate(present):
        if n + 1 < len(present):
            value += marks.get(present[n + 1][0], "")
        elif final and not value.endswith((".", "?", "!")):
            value += final
        out.append((code, value))
    return out


def _single_field(
    record: pymarc.Record,
    tag: str,
    field: pymarc.Field | None,
    pairs: list[tuple[str, str]],
    indicators: tuple[str, str],
) -> None:
    if not any(value for _code, value in pairs):
        if field is not None:
            codes = {code for code, _value in pairs}
            if all(code in codes for code, _value in field.subfields):
                record.remove_field(field)
            else:
                _set_subfields(field, [])
                field.subfields = [s for s in field.subfields if s.code not in codes]
        return
    if field is None:
        field = pymarc.Field(tag=tag, indicators=list(indicators), subfields=[])
        record.add_ordered_field(field)
    _set_subfields(field, pairs)


def apply(record: pymarc.Record, values: dict[str, str]) -> pymarc.Record:
    """Write form values into `record` (changed in place and returned)."""
    get = {key: (values.get(key) or "").strip() for key in SINGLE + MULTI}
    isbd = _isbd(record)

    author_field = _first(record, "100")
    if get["author"]:
        if author_field is None:
            author_field = pymarc.Field(tag="100", indicators=["1", " "], subfields=[])
            record.add_ordered_field(author_field)
        if _sub(author_field, "a") != get["author"]:
            _set_subfields(
                author_field,
                [("a", get["author"] + ("," if isbd and author_field.get_subfields("e", "d") else ""))],
            )
    elif author_field is not None:
        record.remove_field(author_field)

    title = _first(record, "245")
    title_pairs = _punctuate(
        [("a", get["title"]), ("b", get["subtitle"]), ("c", get["responsibility"])],
        {"b": " :", "c": " /"},
        isbd,
        ".",
    )
    if title is None:
        title = pymarc.Field(tag="245", indicators=["1" if get["author"] else "0", "0"], subfields=[])
        record.add_ordered_field(title)
    wanted = dict(title_pairs)
    _set_subfields(title, [(code, wanted.get(code, "")) for code in ("a", "b", "c")])
    title.subfields = [s for s in title.subfields if s.value.strip()]
    title.indicators = pymarc.Indicators(
        "1" if record.get_fields("100", "110", "111", "130") else "0",
        (title.indicators or ["", "0"])[1] or "0",
    )

    _single_field(
        record, "250", _first(record, "250"), _punctuate([("a", get["edition"])], {}, isbd, "."), (" ", " ")
    )
    imprint = _imprint_field(record)
    _single_field(
        record,
        imprint.tag if imprint else "264",
        imprint,
        _punctuate(
            [("a", get["place"]), ("b", get["publisher"]), ("c", get["date"])], {"b": " :", "c": ","}, isbd
        ),
        (" ", "1"),
    )
    _single_field(
        record,
        "300",
        _first(record, "300"),
        _punctuate(
            [("a", get["extent"]), ("b", get["other_physical"]), ("c", get["dimensions"])],
            {"b": " :", "c": " ;"},
            isbd,
        ),
        (" ", " "),
    )

    language = get["language"][:3].lower()
    f008 = _first(record, "008")
    if language and f008 is not None:
        data = (f008.data or "").ljust(40)
        f008.data = data[:35] + language.ljust(3) + data[38:]

    for key, (tags, line, new) in _LISTS.items():
        _apply_lines(record, tags, line, new, [x.strip() for x in get[key].splitlines() if x.strip()])
    return record


def _apply_lines(
    record: pymarc.Record,
    tags: tuple[str, ...],
    line: Callable[[pymarc.Field], str],
    new: Callable[[str], pymarc.Field],
    lines: list[str],
) -> None:
    existing = [field for tag in tags for field in record.get_fields(tag)]
    available = [(line(field), field) for field in existing]
    keep: list[pymarc.Field] = []
    for text in lines:
        match = next((pair for pair in available if pair[0] == text), None)
        if match is not None:
            available.remove(match)
            keep.append(match[1])
        else:
            keep.append(new(text))
    for field in existing:
        record.remove_field(field)
    for field in keep:
        record.add_ordered_field(field)

"""The leader and 008 of a MARC 21 bibliographic record, position by position, with labels and valid values.

The editor draws one labelled input (or a list of valid values) per element; `config_for(leader)` picks
the 008
layout for the record's type (MARC 21 calls these "material configurations": BK books, CR continuing
resources, MP maps, MU music and sound recordings, ...). Source:
https://www.loc.gov/marc/bibliographic/bd008.html
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Element:
    start: int
    length: int
    label: str | Promise
    # (value, label) pairs; empty: free text of `length` characters (dates, codes)
    values: tuple[tuple[str, str | Promise], ...] = field(default_factory=tuple)

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def span(self) -> str:
        """Positions as MARC documentation writes them: "06", "07-10"."""
        if self.length == 1:
            return f"{self.start:02d}"
        return f"{self.start:02d}-{self.end - 1:02d}"


_FILL = ("|", _("no attempt to code"))
_BLANK_NONE = (" ", _("none / not applicable"))

LEADER: tuple[Element, ...] = (
    Element(
        5,
        1,
        _("Record status"),
        (
            ("n", _("new")),
            ("c", _("corrected or revised")),
            ("a", _("increase in encoding level")),
            ("d", _("deleted")),
            ("p", _("increase from prepublication")),
        ),
    ),
    Element(
        6,
        1,
        _("Type of record"),
        (
            ("a", _("language material")),
            ("t", _("manuscript language material")),
            ("c", _("notated music")),
            ("d", _("manuscript notated music")),
            ("e", _("cartographic material")),
            ("f", _("manuscript cartographic material")),
            ("g", _("projected medium")),
            ("i", _("nonmusical sound recording")),
            ("j", _("musical sound recording")),
            ("k", _("two-dimensional nonprojectable graphic")),
            ("m", _("computer file")),
            ("o", _("kit")),
            ("p", _("mixed materials")),
            ("r", _("three-dimensional artifact")),
        ),
    ),
    Element(
        7,
        1,
        _("Bibliographic level"),
        (
            ("m", _("monograph/item")),
            ("s", _("serial")),
            ("a", _("monographic component part")),
            ("b", _("serial component part")),
            ("c", _("collection")),
            ("d", _("subunit")),
            ("i", _("integrating resource")),
        ),
    ),
    Element(8, 1, _("Type of control"), ((" ", _("no specified type")), ("a", _("archival")))),
    Element(
        17,
        1,
        _("Encoding level"),
        (
            (" ", _("full level")),
            ("1", _("full level, material not examined")),
            ("3", _("abbreviated level")),
            ("4", _("core level")),
            ("5", _("partial (preliminary) level")),
            ("7", _("minimal level")),
            ("8", _("prepublication level")),
            ("u", _("unknown")),
        ),
    ),
    Element(
        18,
        1,
        _("Descriptive cataloguing form"),
        (
            (" ", _("non-ISBD")),
            ("a", _("AACR 2")),
            ("c", _("ISBD punctuation omitted")),
            ("i", _("ISBD punctuation included")),
            ("u", _("unknown")),
        ),
    ),
    Element(
        19,
        1,
        _("Multipart resource record level"),
        (
            (" ", _("not specified or not applicable")),
            ("a", _("set")),
            ("b", _("part with independent title")),
            ("c", _("part with dependent title")),
        ),
    ),
)

_FORM_OF_ITEM = (
    (" ", _("none of the following (print)")),
    ("a", _("microfilm")),
    ("d", _("large print")),
    ("f", _("braille")),
    ("o", _("online")),
    ("q", _("direct electronic")),
    ("r", _("regular print reproduction")),
    ("s", _("electronic")),
    _FILL,
)
_AUDIENCE = (
    (" ", _("unknown or not specified")),
    ("a", _("preschool")),
    ("b", _("primary")),
    ("c", _("pre-adolescent")),
    ("d", _("adolescent")),
    ("e", _("adult")),
    ("f", _("specialized")),
    ("g", _("general")),
    ("j", _("juvenile")),
    _FILL,
)
_GOVERNMENT = (
    (" ", _("not a government publication")),
    ("f", _("federal/national")),
    ("s", _("state, provincial")),
    ("l", _("local")),
    ("o", _("government publication, level undetermined")),
    ("u", _("unknown")),
    _FILL,
)
_YES_NO = (("0", _("no")), ("1", _("yes")), _FILL)

COMMON_HEAD: tuple[Element, ...] = (
    Element(0, 6, _("Date entered on file (YYMMDD)")),
    Element(
        6,
        1,
        _("Type of date"),
        (
            ("s", _("single known date")),
            ("m", _("multiple dates")),
            ("r", _("reprint and original dates")),
            ("t", _("publication and copyright dates")),
            ("q", _("questionable date")),
            ("n", _("dates unknown")),
            ("c", _("continuing resource currently published")),
            ("d", _("continuing resource ceased publication")),
            ("u", _("continuing resource status unknown")),
            ("i", _("inclusive dates of collection")),
            ("k", _("range of years of bulk of collection")),
            ("e", _("detailed date")),
            ("p", _("date of distribution and production")),
            _FILL,
        ),
    ),
    Element(7, 4, _("Date 1")),
    Element(11, 4, _("Date 2")),
    Element(15, 3, _("Place of publication (MARC country code)")),
)
COMMON_TAIL: tuple[Element, ...] = (
    Element(35, 3, _("Language (MARC language code)")),
    Element(
        38,
        1,
        _("Modified record"),
        (
            (" ", _("not modified")),
            ("o", _("completely romanized")),
            ("r", _("completely romanized, printed cards in script")),
            ("s", _("shortened")),
            ("x", _("missing characters")),
            _FILL,
        ),
    ),
    Element(
        39,
        1,
        _("Cataloguing source"),
        (
            (" ", _("national bibliographic agency")),
            ("c", _("cooperative programme")),
            ("d", _("other")),
            ("u", _("unknown")),
            _FILL,
        ),
    ),
)

CONFIGS: dict[str, tuple[str | Promise, tuple[Element, ...]]] = {
    "BK": (
        _("Books"),
        (
            Element(18, 4, _("Illustrations (up to four codes)")),
            Element(22, 1, _("Target audience"), _AUDIENCE),
            Element(23, 1, _("Form of item"), _FORM_OF_ITEM),
            Element(24, 4, _("Nature of contents (up to four codes)")),
            Element(28, 1, _("Government publication"), _GOVERNMENT),
            Element(29, 1, _("Conference publication"), _YES_NO),
            Element(30, 1, _("Festschrift"), _YES_NO),
            Element(31, 1, _("Index"), _YES_NO),
            Element(32, 1, _("Undefined"), ((" ", _("undefined")), _FILL)),
            Element(
                33,
                1,
                _("Literary form"),
                (
                    ("0", _("not fiction")),
                    ("1", _("fiction")),
                    ("d", _("dramas")),
                    ("e", _("essays")),
                    ("f", _("novels")),
                    ("h", _("humour, satires")),
                    ("i", _("letters")),
                    ("j", _("short stories")),
                    ("p", _("poetry")),
                    ("s", _("speeches")),
                    ("m", _("mixed forms")),
                    ("u", _("unknown")),
                    _FILL,
                ),
            ),
            Element(
                34,
                1,
                _("Biography"),
                (
                    (" ", _("no biographical material")),
                    ("a", _("autobiography")),
                    ("b", _("individual biography")),
                    ("c", _("collective biography")),
                    ("d", _("contains biographical information")),
                    _FILL,
                ),
            ),
        ),
    ),
    "CR": (
        _("Continuing resources"),
        (
            Element(
                18,
                1,
                _("Frequency"),
                (
                    (" ", _("no determinable frequency")),
                    ("a", _("annual")),
                    ("b", _("bimonthly")),
                    ("d", _("daily")),
                    ("f", _("semiannual")),
                    ("m", _("monthly")),
                    ("q", _("quarterly")),
                    ("s", _("semimonthly")),
                    ("w", _("weekly")),
                    ("z", _("other")),
                    ("u", _("unknown")),
                    _FILL,
                ),
            ),
            Element(
                19,
                1,
                _("Regularity"),
                (
                    ("r", _("regular")),
                    ("n", _("normalized irregular")),
                    ("x", _("completely irregular")),
                    ("u", _("unknown")),
                    _FILL,
                ),
            ),
            Element(20, 1, _("Undefined"), ((" ", _("undefined")), _FILL)),
            Element(
                21,
                1,
                _("Type of continuing resource"),
                (
                    (" ", _("none of the following")),
                    ("d", _("updating database")),
                    ("l", _("updating loose-leaf")),
                    ("m", _("monographic series")),
                    ("n", _("newspaper")),
                    ("p", _("periodical")),
                    ("w", _("updating web site")),
                    _FILL,
                ),
            ),
            Element(22, 1, _("Form of original item"), _FORM_OF_ITEM),
            Element(23, 1, _("Form of item"), _FORM_OF_ITEM),
            Element(
                24,
                1,
                _("Nature of entire work"),
                (
                    (" ", _("not specified")),
                    ("b", _("bibliographies")),
                    ("d", _("dictionaries")),
                    ("e", _("encyclopedias")),
                    ("i", _("indexes")),
                    ("r", _("directories")),
                    ("y", _("yearbooks")),
                    _FILL,
                ),
            ),
            Element(25, 3, _("Nature of contents (up to three codes)")),
            Element(28, 1, _("Government publication"), _GOVERNMENT),
            Element(29, 1, _("Conference publication"), _YES_NO),
            Element(30, 3, _("Undefined")),
            Element(
                33,
                1,
                _("Original alphabet or script of title"),
                (
                    (" ", _("no alphabet or script given")),
                    ("a", _("basic Roman")),
                    ("b", _("extended Roman")),
                    ("c", _("Cyrillic")),
                    ("d", _("Japanese")),
                    ("e", _("Chinese")),
                    ("f", _("Arabic")),
                    ("g", _("Greek")),
                    ("h", _("Hebrew")),
                    ("z", _("other")),
                    _FILL,
                ),
            ),
            Element(
                34,
                1,
                _("Entry convention"),
                (("0", _("successive entry")), ("1", _("latest entry")), ("2", _("integrated entry")), _FILL),
            ),
        ),
    ),
    "MP": (
        _("Maps"),
        (
            Element(18, 4, _("Relief (up to four codes)")),
            Element(22, 2, _("Projection")),
            Element(24, 1, _("Undefined"), ((" ", _("undefined")), _FILL)),
            Element(
                25,
                1,
                _("Type of cartographic material"),
                (
                    ("a", _("single map")),
                    ("b", _("map series")),
                    ("c", _("map serial")),
                    ("d", _("globe")),
                    ("e", _("atlas")),
                    ("f", _("separate supplement")),
                    ("g", _("bound as part of another work")),
                    ("u", _("unknown")),
                    ("z", _("other")),
                    _FILL,
                ),
            ),
            Element(26, 2, _("Undefined")),
            Element(28, 1, _("Government publication"), _GOVERNMENT),
            Element(29, 1, _("Form of item"), _FORM_OF_ITEM),
            Element(30, 1, _("Undefined"), ((" ", _("undefined")), _FILL)),
            Element(31, 1, _("Index"), _YES_NO),
            Element(32, 1, _("Undefined"), ((" ", _("undefined")), _FILL)),
            Element(33, 2, _("Special format characteristics")),
        ),
    ),
    "MU": (
        _("Music and sound recordings"),
        (
            Element(18, 2, _("Form of composition")),
            Element(
                20,
                1,
                _("Format of music"),
                (
                    ("a", _("full score")),
                    ("c", _("accompaniment reduced for keyboard")),
                    ("d", _("voice score")),
                    ("g", _("condensed score")),
                    ("m", _("multiple score formats")),
                    ("n", _("not applicable")),
                    ("p", _("piano score")),
                    ("u", _("unknown")),
                    ("z", _("other")),
                    _FILL,
                ),
            ),
            Element(
                21,
                1,
                _("Music parts"),
                (
                    (" ", _("no parts in hand or not specified")),
                    ("d", _("instrumental and vocal parts")),
                    ("e", _("instrumental parts")),
                    ("f", _("vocal parts")),
                    ("n", _("not applicable")),
                    ("u", _("unknown")),
                    _FILL,
                ),
            ),
            Element(22, 1, _("Target audience"), _AUDIENCE),
            Element(23, 1, _("Form of item"), _FORM_OF_ITEM),
            Element(24, 6, _("Accompanying matter (up to six codes)")),
            Element(30, 2, _("Literary text for sound recordings (up to two codes)")),
            Element(32, 1, _("Undefined"), ((" ", _("undefined")), _FILL)),
            Element(
                33,
                1,
                _("Transposition and arrangement"),
                (
                    (" ", _("not arrangement or transposition")),
                    ("a", _("transposition")),
                    ("b", _("arrangement")),
                    ("c", _("both")),
                    ("n", _("not applicable")),
                    ("u", _("unknown")),
                    _FILL,
                ),
            ),
            Element(34, 1, _("Undefined"), ((" ", _("undefined")), _FILL)),
        ),
    ),
}
# Leader/06 (and /07 for continuing resources) -> 008 configuration.
_BY_TYPE = {"a": "BK", "t": "BK", "c": "MU", "d": "MU", "i": "MU", "j": "MU", "e": "MP", "f": "MP"}


def config_for(leader: str) -> str:
    """The 008 configuration code of a record with this leader (BK for anything not covered here)."""
    kind = leader[6:7]
    level = leader[7:8]
    if kind == "a" and level in ("b", "i", "s"):
        return "CR"
    return _BY_TYPE.get(kind, "BK")


def elements_008(leader: str) -> tuple[Element, ...]:
    return COMMON_HEAD + CONFIGS[config_for(leader)][1] + COMMON_TAIL


def split(value: str, elements: tuple[Element, ...], width: int) -> list[tuple[Element, str]]:
    """Each element with its current value, from a fixed field padded (or cut) to `width` characters."""
    text = (value or "").ljust(width)[:width]
    return [(element, text[element.start : element.end]) for element in elements]


def join(parts: dict[int, str], base: str, width: int) -> str:
    """Write element values (keyed by start position) into `base`, each padded or cut to its element's
    length."""
    text = list((base or "").ljust(width)[:width])
    for start, value in parts.items():
        for offset, char in enumerate(value):
            if start + offset < width:
                text[start + offset] = char
    return "".join(text)

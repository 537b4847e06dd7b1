"""A small real catalogue for the OPAC, staff and browser tests, built through the import service.

Real Library of Congress records from the demo file (English, Turkish, Kazakh, and Arabic-script Azerbaijani
records with 880 fields), each given Koha 952 copies in two named branches, written to an ISO 2709 file and
imported with `kitab.catalogue.services.import_file`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pymarc

from kitab.catalogue.models import Record
from kitab.catalogue.services import import_file
from kitab.core.actor import Actor
from kitab.items.models import Branch
from kitab.marc.writer import to_iso2709
from kitab.search import services as search_services
from tests.conftest import demo_raw_records

BRANCHES = {"CENTRAL": "Central Library", "NORTH": "North District Branch"}

# Control numbers of demo records the tests look at.
VERNACULAR_TURK_DILI = "00312788"  # Azerbaijani in Arabic script: 100/245/260 with 880 twins
VERNACULAR_KHAYYAM = "00312787"  # 245/246/260/490/700 with 880 twins
VERNACULAR_ORPHAN_250 = "00313456"  # 250 and its 880 twin
SERIES_TRACED = "00004435"  # 490 1_ + 830
CONTENTS_SUMMARY = "00008083"  # 505 + 520
ISBN_QUALIFIED = "00007345"  # 020 "0130271624 (v. 1)"

_ENGLISH_FIRST = 40


@functools.cache
def demo_records() -> tuple[pymarc.Record, ...]:
    """Every record of the shipped demo file, parsed (cached: the file is read once per test session)."""
    return tuple(pymarc.Record(data=raw, to_unicode=True, force_utf8=True) for raw in demo_raw_records())


def control_number(record: pymarc.Record) -> str:
    return record.get_fields("001")[0].data.strip()


def language_of(record: pymarc.Record) -> str:
    return record.get_fields("008")[0].data[35:38]


def demo_record(control: str) -> pymarc.Record:
    for record in demo_records():
        if control_number(record) == control:
            return record
    raise LookupError(control)


def _copy(branch: str, barcode: str, call_number: str, *, due: str | None = None) -> pymarc.Field:
    subfields = [
        pymarc.Subfield("a", branch),
        pymarc.Subfield("b", branch),
        pymarc.Subfield("c", "Stacks"),
        pymarc.Subfield("o", call_number),
        pymarc.Subfield("p", barcode),
        pymarc.Subfield("y", "BOOK"),
    ]
    if due:
        subfields.append(pymarc.Subfield("q", due))
    return pymarc.Field(tag="952", indicators=[" ", " "], subfields=subfields)


@dataclass
class Catalogue:
    ids: dict[str, int] = field(default_factory=dict)  # control number -> Record.pk
    languages: dict[str, str] = field(default_factory=dict)  # control number -> 008 language
    path: Path | None = None

    def pk(self, control: str) -> int:
        return self.ids[control]

    @property
    def total(self) -> int:
        return len(self.ids)


def pick_records() -> list[pymarc.Record]:
    """The records of the test catalogue (fresh copies, so callers may add fields)."""
    records = demo_records()
    chosen: list[pymarc.Record] = list(records[:_ENGLISH_FIRST])
    by_language: dict[str, int] = {}
    wanted = {"tur": 10, "kaz": 5}
    for record in records:
        lang = language_of(record)
        if lang in wanted and by_language.get(lang, 0) < wanted[lang]:
            by_language[lang] = by_language.get(lang, 0) + 1
            chosen.append(record)
    extra = {
        VERNACULAR_TURK_DILI,
        VERNACULAR_KHAYYAM,
        VERNACULAR_ORPHAN_250,
        SERIES_TRACED,
        CONTENTS_SUMMARY,
        ISBN_QUALIFIED,
        "00313427",
        "00313428",
    }
    have = {control_number(r) for r in chosen}
    chosen.extend(r for r in records if control_number(r) in extra and control_number(r) not in have)
    return [pymarc.Record(data=to_iso2709(r), to_unicode=True, force_utf8=True) for r in chosen]


def build_catalogue(directory: Path) -> Catalogue:
    """Import the test catalogue into the (test) database and index; returns record ids by control number.

    Copies: every English record one available copy at CENTRAL; Turkish records alternate between an available
    copy at CENTRAL and a copy on loan at NORTH; the Türk dili record has both; Kazakh records have none.
    """
    for code, name in BRANCHES.items():
        Branch.objects.update_or_create(code=code, defaults={"name": name})
    catalogue = Catalogue()
    payload: list[bytes] = []
    turkish = 0
    for number, record in enumerate(pick_records(), start=1):
        control = control_number(record)
        lang = language_of(record)
        barcode = f"3900{number:06d}"
        if control == VERNACULAR_TURK_DILI:
            record.add_field(_copy("CENTRAL", barcode + "1", "PL314 .R34 1999"))
            record.add_field(_copy("NORTH", barcode + "2", "PL314 .R34 1999 c.2", due="2030-01-31"))
        elif lang == "tur":
            turkish += 1
            if turkish % 2:
                record.add_field(_copy("CENTRAL", barcode, f"TR {number}"))
            else:
                record.add_field(_copy("NORTH", barcode, f"TR {number}", due="2030-01-31"))
        elif lang != "kaz":
            record.add_field(_copy("CENTRAL", barcode, f"X {number}"))
        catalogue.languages[control] = lang
        payload.append(to_iso2709(record))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "opac-test-catalogue.mrc"
    path.write_bytes(b"".join(payload))
    import_file(path, actor=Actor.system())
    search_services.engine().refresh()
    catalogue.path = path
    catalogue.ids = {cn.strip(): pk for pk, cn in Record.objects.values_list("pk", "control_number")}
    return catalogue

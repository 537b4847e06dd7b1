"""Patron CSV import and export.

The file is UTF-8 (a byte order mark is allowed), separated by commas, semicolons or tabs (guessed from the
header line), with a header line. Columns are matched to fields by header name (case and spaces ignored,
the names and aliases in FIELDS), or explicitly with a mapping {field: header}. Accepted fields:

    card_number (card, barcode)   required; KITAB_CARD_NUMBER_PATTERN; unique in the file and the database
    last_name (surname)           required for new patrons
    first_name                    date_of_birth (birth_date, dob)       email                phone
    address                       language (ISO code: en, az, tr, ru)   notes
    category (category_code)      patron category code; required for new patrons
    home_branch (branch)          branch code; required for new patrons
    expires_on (expiry)           default: the category's enrolment period from today
    guarantor (guarantor_card)    card number of a patron in the database or earlier in the file

Dates are YYYY-MM-DD or DD.MM.YYYY. Every row is checked before anything is written. With any invalid row
nothing is imported unless `skip_invalid` is set, which imports the valid rows. A card number already in the
database is an error unless `update` is set, which changes that patron's fields present in the file (empty
cells leave a field as it is). The problems (row number counting the header as row 1, column, value,
reason) are written to a TSV report in KITAB_REPORTS_DIR. Export writes the same columns.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.items.models import Branch

from . import services
from .errors import PatronError
from .models import Patron, PatronCategory, card_number_pattern

# Field -> other header names that map to it without a --map option.
FIELDS: dict[str, tuple[str, ...]] = {
    "card_number": ("card", "barcode", "card_no"),
    "last_name": ("surname", "family_name"),
    "first_name": ("given_name", "forename"),
    "date_of_birth": ("birth_date", "dob", "birthdate"),
    "email": ("e_mail", "mail"),
    "phone": ("telephone", "mobile"),
    "address": (),
    "language": ("lang",),
    "category": ("category_code", "patron_category"),
    "home_branch": ("branch", "branch_code"),
    "expires_on": ("expiry", "expiry_date", "expires"),
    "notes": ("note",),
    "guarantor": ("guarantor_card",),
}
EXPORT_COLUMNS = tuple(FIELDS)
_DATE_FIELDS = ("date_of_birth", "expires_on")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_CHECK_BATCH = 500


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def field_name(name: str) -> str | None:
    """The field a header or --map name stands for (a field name or one of its aliases), or None."""
    key = _norm(name)
    for name_, aliases in FIELDS.items():
        if key == name_ or key in aliases:
            return name_
    return None


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # line of the file, the header being row 1
    column: str  # the file's header ("" for the whole row)
    value: str
    reason: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    invalid_rows: int = 0
    written: bool = False  # False when invalid rows stopped the whole import
    problems: list[Problem] = field(default_factory=list)
    report_path: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "invalid_rows": self.invalid_rows, "written": self.written,
                "report_path": str(self.report_path) if self.report_path else None,
                "problems": [{"row": p.row, "column": p.column, "value": p.value, "reason": p.reason}
                             for p in self.problems[:100]]}


def _open_rows(path: Path) -> tuple[IO[str], csv.DictReader[str]]:
    stream = path.open(encoding="utf-8-sig", newline="")
    header = stream.readline()
    stream.seek(0)
    delimiter = max((",", ";", "\t"), key=header.count)
    return stream, csv.DictReader(stream, delimiter=delimiter)


def _columns(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """field -> header of the file. Raises PatronError invalid_csv for a bad mapping or no card column."""
    columns: dict[str, str] = {}
    for name, header in mapping.items():
        target = field_name(name)
        if target is None:
            raise PatronError("invalid_csv", _("Unknown patron field: %(field)s.") % {"field": name})
        if header not in headers:
            raise PatronError("invalid_csv", _("The file has no column %(column)s.") % {"column": header})
        columns[target] = header
    for header in headers:
        target = field_name(header or "")
        if target and target not in columns and header not in columns.values():
            columns[target] = header
    if "card_number" not in columns:
        raise PatronError("invalid_csv", _("The file has no card number column."))
    return columns


def _parse_date(value: str) -> date:
    dotted = _DOTTED_DATE.match(value)
    if dotted:
        return date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
    return date.fromisoformat(value)


@dataclass
class _Lookups:
    categories: dict[str, PatronCategory]
    branches: dict[str, Branch]
    languages: set[str]


def _lookups() -> _Lookups:
    return _Lookups(
        categories={c.code.lower(): c for c in PatronCategory.objects.all()},
        branches={b.code.lower(): b for b in Branch.objects.all()},
        languages={code for code, _name in settings.LANGUAGES},
    )


def _parse_row(raw: dict[str, str | None], columns: dict[str, str], lookups: _Lookups,
               row: int) -> tuple[dict[str, Any], list[Problem]]:
    """Typed values of the non-empty cells, and the problems found in this row alone."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []

    def problem(name: str, value: str, reason: str) -> None:
        problems.append(Problem(row, columns[name], value, reason))

    for name, header in columns.items():
        value = (raw.get(header) or "").strip()
        if not value:
            continue
        if name == "card_number" and not re.fullmatch(card_number_pattern(), value):
            problem(name, value, _("Card number %(card)s has the wrong format.") % {"card": value})
        elif name in _DATE_FIELDS:
            try:
                values[name] = _parse_date(value)
            except ValueError:
                problem(name, value, _("Not a date (use YYYY-MM-DD or DD.MM.YYYY)."))
            continue
        elif name == "email":
            try:
                validate_email(value)
            except ValidationError:
                problem(name, value, _("Not a valid email address."))
        elif name == "language":
            value = value.lower()
            if value not in lookups.languages:
                problem(name, value, _("Unknown language: %(language)s.") % {"language": value})
        elif name == "category":
            if value.lower() not in lookups.categories:
                problem(name, value, _("Unknown patron category: %(code)s.") % {"code": value})
            else:
                values[name] = lookups.categories[value.lower()]
            continue
        elif name == "home_branch":
            if value.lower() not in lookups.branches:
                problem(name, value, _("Unknown branch: %(code)s.") % {"code": value})
            else:
                values[name] = lookups.branches[value.lower()]
            continue
        values[name] = value
    if None in raw:  # more cells than headers
        problems.append(Problem(row, "", ";".join(str(v) for v in raw[None] or []),  # type: ignore[index]
                                _("The row has more cells than the header.")))
    return values, problems


def _read(path: Path, mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, Any], list[Problem], dict[str, str]]]:
    stream, reader = _open_rows(path)
    with stream:
        columns = _columns(list(reader.fieldnames or []), mapping)
        lookups = _lookups()
        for raw in reader:
            row = reader.line_num
            values, problems = _parse_row(raw, columns, lookups, row)
            yield row, values, problems, columns


def _existing(cards: list[str]) -> dict[str, int]:
    return dict(Patron.objects.filter(card_number__in=cards).values_list("card_number", "pk"))


def _validate(path: Path, mapping: dict[str, str], *, update: bool) -> tuple[int, set[int], list[Problem], set[str]]:
    """First pass: (rows, invalid row numbers, problems, card numbers of the valid rows)."""
    problems: list[Problem] = []
    invalid: set[int] = set()
    seen: dict[str, int] = {}  # card -> first row
    valid_cards: set[str] = set()
    guarantors: list[tuple[int, str, str, str]] = []  # (row, header, guarantor card, card)
    batch: list[tuple[int, dict[str, Any], list[Problem], dict[str, str]]] = []
    rows = 0

    def flush() -> None:
        existing = _existing([v["card_number"] for _r, v, _p, _c in batch if "card_number" in v])
        for row, values, row_problems, columns in batch:
            card = values.get("card_number")
            header = columns["card_number"]
            if card is None and not any(p.column == header for p in row_problems):
                row_problems.append(Problem(row, header, "", _("The card number is required.")))
            if card is not None and card in seen:
                row_problems.append(Problem(row, header, card, _("Card number %(card)s is also in row %(row)s.")
                                            % {"card": card, "row": seen[card]}))
            elif card is not None:
                seen[card] = row
            is_new = card not in existing
            if card is not None and not is_new and not update:
                row_problems.append(Problem(row, header, card, _("Card number %(card)s is already in use.")
                                            % {"card": card}))
            if is_new:
                for name in ("last_name", "category", "home_branch"):
                    if name not in values and not (name in columns and any(p.column == columns[name]
                                                                           for p in row_problems)):
                        row_problems.append(Problem(row, columns.get(name, name), "",
                                                    _("This field is required for a new patron.")))
            category = values.get("category")
            if is_new and category is not None and category.requires_guarantor and "guarantor" not in values:
                row_problems.append(Problem(row, columns.get("guarantor", "guarantor"), "",
                                            _("Patrons in category %(category)s need a guarantor.")
                                            % {"category": category.name}))
            if "guarantor" in values:
                guarantors.append((row, columns["guarantor"], values["guarantor"], card or ""))
            if row_problems:
                invalid.add(row)
                problems.extend(row_problems)
            elif card is not None:
                valid_cards.add(card)
        batch.clear()

    for item in _read(path, mapping):
        rows += 1
        batch.append(item)
        if len(batch) >= _CHECK_BATCH:
            flush()
    flush()
    # Guarantors may be in the database or be imported by an earlier valid row of this file.
    known = _existing(sorted({g for _r, _h, g, _c in guarantors}))
    for row, header, guarantor, card in guarantors:
        earlier = seen.get(guarantor)
        if guarantor == card or (guarantor not in known and not (guarantor in valid_cards and earlier
                                                                 and earlier < row)):
            problems.append(Problem(row, header, guarantor, _("Unknown guarantor card number: %(card)s.")
                                    % {"card": guarantor}))
            invalid.add(row)
            valid_cards.discard(card)
    problems.sort(key=lambda p: p.row)
    return rows, invalid, problems, valid_cards


def _write_report(problems: list[Problem], at: datetime) -> Path:
    reports = Path(settings.KITAB_REPORTS_DIR)
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / f"patrons-import-{timezone.localtime(at):%Y%m%d-%H%M%S-%f}.tsv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["row", "column", "value", "reason"])
        for p in problems:
            writer.writerow([p.row, p.column, p.value, p.reason])
    return path


def import_patrons(path: Path, *, actor: Actor, at: datetime | None = None, mapping: dict[str, str] | None = None,
                   update: bool = False, skip_invalid: bool = False) -> ImportResult:
    """Validate every row of the CSV file `path`, then register (or with `update`, change) the patrons in one
    transaction. See the module docstring for the format. `mapping` is {field: header}.

    Raises PatronError invalid_csv (unknown field, missing column, no card number column).
    A PatronError from the services during the writes (a concurrent change) rolls the whole import back.
    """
    at = at or timezone.now()
    rows, invalid, problems, _valid = _validate(path, mapping or {}, update=update)
    result = ImportResult(rows=rows, invalid_rows=len(invalid), problems=problems)
    if problems:
        result.report_path = _write_report(problems, at)
    if invalid and not skip_invalid:
        return result
    with transaction.atomic():
        for row, values, _row_problems, _columns in _read(path, mapping or {}):
            if row in invalid:
                continue
            card = values.pop("card_number")
            if "guarantor" in values:  # in the database, or registered by an earlier row (checked above)
                values["guarantor"] = Patron.objects.get(card_number=values["guarantor"])
            patron = Patron.objects.filter(card_number=card).first()
            if patron is None:
                services.register_patron(card_number=card, actor=actor, at=at, **values)
                result.created += 1
            else:
                services.update_patron(patron, actor=actor, at=at, **values)
                result.updated += 1
    result.written = True
    return result


def export_patrons(out: IO[str], *, delimiter: str = ",", include_anonymised: bool = False) -> int:
    """Write every patron as CSV (the import's columns, with a header), streaming. Returns the row count."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    patrons = Patron.objects.select_related("category", "home_branch", "guarantor").order_by("card_number")
    if not include_anonymised:
        patrons = patrons.filter(is_anonymised=False)
    count = 0
    for p in patrons.iterator(chunk_size=2000):
        writer.writerow([
            p.card_number, p.last_name, p.first_name, p.date_of_birth.isoformat() if p.date_of_birth else "",
            p.email, p.phone, p.address, p.language, p.category.code, p.home_branch.code, p.expires_on.isoformat(),
            p.notes, p.guarantor.card_number if p.guarantor else "",
        ])
        count += 1
    return count

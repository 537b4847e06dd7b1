"""Checks a bibliographic record must pass before `editing.save_record` stores it (editor, API, batch edit).

Pure functions over a pymarc.Record: no database. Each problem is an `Issue` with a stable code, the position
of the field it concerns (so the editor can point at it) and a translated message. Errors block a save;
warnings are shown but do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pymarc
from django.utils.translation import gettext as _

from kitab.marc.isbn import normalize_isbn, normalize_issn

from .errors import CatalogueError

if TYPE_CHECKING:
    from .frameworks import FrameworkSpec

ERROR = "error"
WARNING = "warning"

# MARC 21 Bibliographic leader values (https://www.loc.gov/marc/bibliographic/bdleader.html).
LEADER_05 = "acdnp"
LEADER_06 = "acdefgijkmoprt"
LEADER_07 = "abcdims"
LEADER_17 = " 1234578uzIJKLM"
LEADER_18 = " acinu"
# Fields MARC 21 defines as not repeatable that cataloguers most often duplicate by mistake.
NOT_REPEATABLE = ("001", "003", "005", "008", "010", "245", "250", "254", "256", "263")
_TAG = re.compile(r"^[0-9A-Za-z]{3}$")
_CODE = re.compile(r"^[0-9a-z]$")
_LINK = re.compile(r"^(\d{3})-(\d{2})(?:/.*)?$")


@dataclass(frozen=True, slots=True)
class Issue:
    severity: str  # ERROR | WARNING
    code: str  # stable: "isbn_checksum", "field_008_length", ...
    message: str
    tag: str = ""
    field_index: int | None = None  # index in record.fields; None for the leader or the record as a whole
    subfield: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "tag": self.tag,
            "field_index": self.field_index,
            "subfield": self.subfield,
        }


class RecordInvalid(CatalogueError):
    """A save refused because the record has errors; `issues` lists all of them (warnings too)."""

    def __init__(self, issues: list[Issue]) -> None:
        errors = [issue for issue in issues if issue.is_error]
        super().__init__("record_invalid", "; ".join(issue.message for issue in errors[:5]))
        self.issues = issues


def validate(record: pymarc.Record, framework: FrameworkSpec | None = None) -> list[Issue]:
    """Every problem found in `record`, errors first. `framework` adds its required fields and controlled
    values (the cataloguing template of the record's material type)."""
    issues: list[Issue] = []
    issues += _leader(record)
    issues += _structure(record)
    issues += _required(record)
    issues += _fixed_fields(record)
    issues += _standard_numbers(record)
    issues += _linkage(record)
    if framework is not None:
        issues += framework.check(record)
    return sorted(issues, key=lambda issue: (issue.severity != ERROR,))


def errors(issues: list[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.is_error]


def _leader(record: pymarc.Record) -> list[Issue]:
    leader = str(record.leader)
    issues: list[Issue] = []
    if len(leader) != 24:
        return [
            Issue(
                ERROR,
                "leader_length",
                _("The leader must be 24 characters long; it has %(n)d.") % {"n": len(leader)},
            )
        ]
    for position, allowed, code in (
        (5, LEADER_05, "leader_05"),
        (6, LEADER_06, "leader_06"),
        (7, LEADER_07, "leader_07"),
        (17, LEADER_17, "leader_17"),
        (18, LEADER_18, "leader_18"),
    ):
        if leader[position] not in allowed:
            issues.append(
                Issue(
                    ERROR,
                    code,
                    _("Leader position %(pos)02d has the invalid value “%(value)s”.")
                    % {"pos": position, "value": leader[position]},
                )
            )
    return issues


def _structure(record: pymarc.Record) -> list[Issue]:
    issues: list[Issue] = []
    for index, field in enumerate(record.fields):
        tag = field.tag or ""
        if not _TAG.match(tag):
            issues.append(
                Issue(
                    ERROR,
                    "tag_invalid",
                    _("“%(tag)s” is not a valid field tag (three letters or digits).") % {"tag": tag},
                    tag,
                    index,
                )
            )
            continue
        if tag < "010" and tag.isdigit():
            if not field.is_control_field():
                issues.append(
                    Issue(
                        ERROR,
                        "control_field_subfields",
                        _("Field %(tag)s is a control field: it has data, no indicators or subfields.")
                        % {"tag": tag},
                        tag,
                        index,
                    )
                )
            elif not (field.data or "").strip():
                issues.append(
                    Issue(ERROR, "field_empty", _("Field %(tag)s is empty.") % {"tag": tag}, tag, index)
                )
            continue
        if field.is_control_field():
            issues.append(
                Issue(
                    ERROR,
                    "data_field_without_subfields",
                    _("Field %(tag)s needs indicators and subfields.") % {"tag": tag},
                    tag,
                    index,
                )
            )
            continue
        for ind in field.indicators or ("", ""):
            if len(ind or " ") != 1 or not (ind == " " or ind.isdigit() or ("a" <= ind <= "z")):
                issues.append(
                    Issue(
                        ERROR,
                        "indicator_invalid",
                        _(
                            "Field %(tag)s has an invalid indicator “%(ind)s” (a digit, a lower-case letter "
                            "or blank)."
                        )
                        % {"tag": tag, "ind": ind},
                        tag,
                        index,
                    )
                )
        if not field.subfields:
            issues.append(
                Issue(ERROR, "field_empty", _("Field %(tag)s has no subfields.") % {"tag": tag}, tag, index)
            )
        for code, value in field.subfields:
            if not _CODE.match(code or ""):
                issues.append(
                    Issue(
                        ERROR,
                        "subfield_code_invalid",
                        _(
                            "Field %(tag)s has an invalid subfield code “%(code)s” (a lower-case letter or "
                            "a digit)."
                        )
                        % {"tag": tag, "code": code},
                        tag,
                        index,
                        code or "",
                    )
                )
            elif not (value or "").strip():
                issues.append(
                    Issue(
                        ERROR,
                        "subfield_empty",
                        _("Subfield $%(code)s of field %(tag)s is empty.") % {"tag": tag, "code": code},
                        tag,
                        index,
                        code,
                    )
                )
    return issues


def _required(record: pymarc.Record) -> list[Issue]:
    issues: list[Issue] = []
    titles = record.get_fields("245")
    if not titles:
        issues.append(Issue(ERROR, "title_missing", _("The record has no title (field 245).")))
    elif not any(code in ("a", "k") and value.strip() for code, value in titles[0].subfields):
        issues.append(
            Issue(
                ERROR,
                "title_missing",
                _("Field 245 needs a title in $a (or a form in $k)."),
                "245",
                record.fields.index(titles[0]),
            )
        )
    for tag in NOT_REPEATABLE:
        found = record.get_fields(tag)
        if len(found) > 1:
            issues.append(
                Issue(
                    ERROR,
                    "not_repeatable",
                    _("Field %(tag)s may appear only once; it appears %(n)d times.")
                    % {"tag": tag, "n": len(found)},
                    tag,
                    record.fields.index(found[1]),
                )
            )
    main_entries = [f for f in record.fields if f.tag in ("100", "110", "111", "130")]
    if len(main_entries) > 1:
        issues.append(
            Issue(
                ERROR,
                "main_entry_repeated",
                _("A record has at most one main entry (100, 110, 111 or 130)."),
                main_entries[1].tag,
                record.fields.index(main_entries[1]),
            )
        )
    if titles and titles[0].indicators and titles[0].indicators[1] not in "0123456789":
        issues.append(
            Issue(
                ERROR,
                "nonfiling_invalid",
                _("The second indicator of 245 (characters to skip when sorting) must be a digit."),
                "245",
                record.fields.index(titles[0]),
            )
        )
    return issues


def _fixed_fields(record: pymarc.Record) -> list[Issue]:
    fields = record.get_fields("008")
    if not fields:
        return [Issue(WARNING, "field_008_missing", _("The record has no 008 (fixed-length data elements)."))]
    data = fields[0].data or ""
    index = record.fields.index(fields[0])
    if len(data) != 40:
        return [
            Issue(
                ERROR,
                "field_008_length",
                _("Field 008 must be exactly 40 characters long; it has %(n)d.") % {"n": len(data)},
                "008",
                index,
            )
        ]
    issues: list[Issue] = []
    if data[6] not in "bcdeikmnpqrstu|":
        issues.append(
            Issue(
                ERROR,
                "field_008_date_type",
                _("008/06 (type of date) has the invalid value “%(v)s”.") % {"v": data[6]},
                "008",
                index,
            )
        )
    date1 = data[7:11]
    if not all(c.isdigit() or c in "u |" for c in date1):
        issues.append(
            Issue(
                ERROR,
                "field_008_date1",
                _("008/07-10 (date 1) must be a year, with u for unknown digits: “%(v)s”.") % {"v": date1},
                "008",
                index,
            )
        )
    language = data[35:38]
    if language.strip(" |") and not (language.isalpha() and language.islower()):
        issues.append(
            Issue(
                WARNING,
                "field_008_language",
                _("008/35-37 (language) “%(v)s” is not a MARC language code.") % {"v": language},
                "008",
                index,
            )
        )
    issues += _coded_008(str(record.leader), data, index)
    return issues


def _coded_008(leader: str, data: str, index: int) -> list[Issue]:
    """One-character 008 elements with a MARC 21 list of values for the record's type (fixedfields): another
    value is a warning (local practice sometimes differs; the type of date, checked above, is an error)."""
    from .fixedfields import elements_008  # imports only lazy labels; kept local to keep this module light

    issues: list[Issue] = []
    for element in elements_008(leader):
        if element.length != 1 or not element.values or element.start == 6:
            continue
        value = data[element.start]
        if value not in {code for code, _label in element.values}:
            issues.append(
                Issue(
                    WARNING,
                    "field_008_value",
                    _(
                        "008/%(pos)s (%(name)s) has the value “%(value)s”, which MARC 21 does not define "
                        "for this type of material."
                    )
                    % {"pos": element.span, "name": element.label, "value": value.replace(" ", "#")},
                    "008",
                    index,
                )
            )
    return issues


def _standard_numbers(record: pymarc.Record) -> list[Issue]:
    issues: list[Issue] = []
    for index, field in enumerate(record.fields):
        if field.tag == "020":
            for code, value in field.subfields:
                if code == "a" and normalize_isbn(value) is None:
                    issues.append(
                        Issue(
                            ERROR,
                            "isbn_checksum",
                            _(
                                "“%(value)s” in 020 $a is not a valid ISBN (check digit); record an invalid "
                                "ISBN in $z."
                            )
                            % {"value": value},
                            "020",
                            index,
                            "a",
                        )
                    )
        elif field.tag == "022":
            for code, value in field.subfields:
                if code == "a" and normalize_issn(value) is None:
                    issues.append(
                        Issue(
                            ERROR,
                            "issn_checksum",
                            _(
                                "“%(value)s” in 022 $a is not a valid ISSN (check digit); record an invalid "
                                "ISSN in $y."
                            )
                            % {"value": value},
                            "022",
                            index,
                            "a",
                        )
                    )
    return issues


def _linkage(record: pymarc.Record) -> list[Issue]:
    """880 alternate graphic representation: each 880 $6 `TTT-NN` must pair with a field TTT whose $6 is
    `880-NN`, and the other way round (occurrence 00 marks an 880 with no partner)."""
    issues: list[Issue] = []
    links: dict[
        tuple[str, str], int
    ] = {}  # (tag of the regular field, occurrence) -> index of the regular field
    vernacular: list[tuple[int, str, str]] = []
    for index, field in enumerate(record.fields):
        if field.is_control_field():
            continue
        for code, value in field.subfields:
            if code != "6":
                continue
            match = _LINK.match(value.strip())
            if not match:
                issues.append(
                    Issue(
                        ERROR,
                        "linkage_invalid",
                        _("$6 “%(value)s” of field %(tag)s is not a linkage (TTT-NN).")
                        % {"value": value, "tag": field.tag},
                        field.tag,
                        index,
                        "6",
                    )
                )
                break
            linked_tag, occurrence = match.groups()
            if field.tag == "880":
                vernacular.append((index, linked_tag, occurrence))
            elif linked_tag == "880":
                links[(field.tag, occurrence)] = index
            break
    paired: set[tuple[str, str]] = set()
    for index, linked_tag, occurrence in vernacular:
        if occurrence == "00":
            continue
        if (linked_tag, occurrence) not in links:
            issues.append(
                Issue(
                    ERROR,
                    "linkage_unpaired",
                    _("Field 880 links to %(tag)s occurrence %(n)s, but no field %(tag)s has $6 880-%(n)s.")
                    % {"tag": linked_tag, "n": occurrence},
                    "880",
                    index,
                    "6",
                )
            )
        paired.add((linked_tag, occurrence))
    for (tag, occurrence), index in links.items():
        if (tag, occurrence) not in paired:
            issues.append(
                Issue(
                    ERROR,
                    "linkage_unpaired",
                    _("Field %(tag)s links to 880 occurrence %(n)s, but there is no such 880.")
                    % {"tag": tag, "n": occurrence},
                    tag,
                    index,
                    "6",
                )
            )
    return issues


def tolerate_existing(issues: list[Issue], before: list[Issue]) -> tuple[list[Issue], bool]:
    """Framework errors the record already had before this edit become warnings (an old imported record may
    lack fields a framework now requires; fixing a typo must not force a full upgrade). Returns the issues and
    whether any were tolerated. Structural errors are never tolerated."""
    existing = {(i.code, i.tag, i.subfield) for i in before if i.is_error and i.code.startswith("framework_")}
    out: list[Issue] = []
    tolerated = False
    for issue in issues:
        if issue.is_error and (issue.code, issue.tag, issue.subfield) in existing:
            issue = Issue(WARNING, issue.code, issue.message, issue.tag, issue.field_index, issue.subfield)
            tolerated = True
        out.append(issue)
    return sorted(out, key=lambda i: (i.severity != ERROR,)), tolerated

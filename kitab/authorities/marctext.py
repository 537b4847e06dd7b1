"""The authority editor's text form of a MARC record, one field per line (MarcEdit's mnemonic style):

    LDR 00000nz  a2200000n  4500
    001 n79021164
    008 800520n|\\acannaabn\\\\\\\\\\|a\\aaa\\\\\\
    100 1\\ $aTwain, Mark,$d1835-1910
    400 1\\ $aClemens, Samuel Langhorne,$d1835-1910

A backslash stands for a blank in indicators and control fields ("#" and "_" are accepted as blank indicators
too); `$` starts a subfield and `{dollar}` is a literal dollar sign. Parse errors carry the line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pymarc

_TAG = re.compile(r"^[0-9A-Za-z]{3}$")
_BLANKS = {"\\": " ", "#": " ", "_": " ", " ": " "}
DOLLAR = "{dollar}"


@dataclass(slots=True)
class TextProblem:
    line: int  # 1-based; 0 for the whole record
    code: str  # tag | indicators | subfields | leader | empty | duplicate_leader
    text: str  # the line as written


class MarcTextError(ValueError):
    def __init__(self, problems: list[TextProblem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.code}" for p in problems))
        self.problems = problems


def to_text(record: pymarc.Record) -> str:
    lines = [f"LDR {str(record.leader).replace(' ', chr(92))}"]
    for fld in record.fields:
        if fld.is_control_field():
            lines.append(f"{fld.tag} {(fld.data or '').replace(' ', chr(92))}")
            continue
        ind = "".join((i if i and i != " " else "\\") for i in (fld.indicators or ("", "")))
        body = "".join(f"${code}{value.replace('$', DOLLAR)}" for code, value in fld.subfields)
        lines.append(f"{fld.tag} {ind} {body}")
    return "\n".join(lines) + "\n"


def from_text(text: str) -> pymarc.Record:
    """Parse the editor's text. Raises MarcTextError listing every line that could not be read."""
    record = pymarc.Record(force_utf8=True)
    problems: list[TextProblem] = []
    leader_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        line = line.lstrip()
        line = line.removeprefix("=")  # MarcEdit's "=100  1\$a..." form pasted as it is
        tag, _sep, rest = line.partition(" ")
        rest = rest.lstrip(" ") if tag.upper() == "LDR" or tag < "010" else rest
        if tag.upper() == "LDR":
            leader = rest.replace("\\", " ")
            if len(leader) != 24:
                problems.append(TextProblem(number, "leader", line))
            elif leader_seen:
                problems.append(TextProblem(number, "duplicate_leader", line))
            else:
                record.leader = pymarc.Leader(leader)
                leader_seen = True
            continue
        if not _TAG.match(tag):
            problems.append(TextProblem(number, "tag", line))
            continue
        if tag.isdigit() and tag < "010":
            record.add_field(pymarc.Field(tag=tag, data=rest.replace("\\", " ")))
            continue
        rest = rest.lstrip(" ")
        indicators, body = rest[:2], rest[2:].lstrip(" ")
        if len(indicators) < 2 or indicators.startswith("$") or any(
            c not in _BLANKS and not c.isalnum() for c in indicators
        ):
            problems.append(TextProblem(number, "indicators", line))
            continue
        if not body.startswith("$") or len(body) < 3:
            problems.append(TextProblem(number, "subfields", line))
            continue
        subfields = []
        for part in body[1:].split("$"):
            if not part:
                continue
            code, value = part[0], part[1:].replace(DOLLAR, "$")
            if not code.isalnum():
                problems.append(TextProblem(number, "subfields", line))
                break
            subfields.append(pymarc.Subfield(code=code, value=value))
        else:
            ind = pymarc.Indicators(*(_BLANKS.get(c, c) for c in indicators))
            record.add_field(pymarc.Field(tag=tag, indicators=ind, subfields=subfields))
    if not record.fields and not problems:
        problems.append(TextProblem(0, "empty", ""))
    if problems:
        raise MarcTextError(problems)
    return record


def new_authority_text(
    tag: str, today: str, *, heading: list[tuple[str, str]] | None = None, first_indicator: str | None = None
) -> str:
    """A starting record for a new authority of heading tag `tag` (008 with the date entered, `today` YYMMDD),
    with the heading subfields `heading` when it is made from a bibliographic heading."""
    f008 = (today + "n| acannaabn" + " " * 10 + "|a aaa").ljust(40)
    if not first_indicator or first_indicator == " ":
        first_indicator = {"100": "1", "110": "2", "111": "2"}.get(tag, "\\")
    body = "".join(f"${code}{value.replace('$', DOLLAR)}" for code, value in heading) if heading else "$a"
    lines = [
        "LDR " + "00000nz  a2200000n  4500".replace(" ", "\\"),
        "008 " + f008.replace(" ", "\\"),
        "040 \\\\ $a$beng$c",
        f"{tag} {first_indicator}\\ {body}",
    ]
    return "\n".join(lines) + "\n"

"""Export formats for a list or the cart: CSV, RIS (for reference managers), a formatted reference, and MARC
(ISO 2709 through kitab.catalogue.exporting, so the stored record goes out byte for byte).

Built from each record's `BibSummary` (kitab.marc.summary); pure functions over summaries, no requests.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy, pgettext

from kitab.catalogue.display import language_name, material_type_name
from kitab.catalogue.exporting import export_record_ids
from kitab.catalogue.models import Record
from kitab.marc.iso2709 import parse_record
from kitab.marc.mapping import summarize
from kitab.marc.summary import BibSummary

# Export format -> (file extension, content type).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "citations": ("txt", "text/plain; charset=utf-8"),
    "marc": ("mrc", "application/marc"),
}

FORMAT_LABELS = {
    "csv": gettext_lazy("Spreadsheet (CSV)"),
    "ris": gettext_lazy("Reference manager (RIS)"),
    "citations": gettext_lazy("References (text)"),
    "marc": gettext_lazy("MARC (ISO 2709)"),
}

# Life dates and fuller forms of names that catalogues add but references leave out:
# "Aurand, Samuel Herbert, 1854-" -> "Aurand, Samuel Herbert"; "Palmer, Florence U. (Florence Ursula)".
_DATES = re.compile(r",?\s*(?:b\.\s*|d\.\s*|ca\.\s*)?\d{3,4}\??-?(?:\d{3,4}\??)?\.?\s*$")
_FULLER = re.compile(r"\s*\([^)]*\)")
_RIS_TYPES = {"book": "BOOK", "ebook": "EBOOK", "serial": "JOUR", "map": "MAP", "score": "MUSIC",
              "sound": "SOUND", "video": "VIDEO", "manuscript": "MANSCPT", "computer": "COMP"}


@dataclass(slots=True)
class RecordSummary:
    record_id: int
    summary: BibSummary


def summaries(record_ids: list[int]) -> list[RecordSummary]:
    """Summaries of the records `record_ids` names, in that order; deleted records are skipped."""
    out: list[RecordSummary] = []
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start : start + 500]
        raws = dict(Record.objects.filter(pk__in=chunk).values_list("pk", "raw"))
        for record_id in chunk:
            if record_id in raws:
                record, _warnings = parse_record(bytes(raws[record_id]))
                out.append(RecordSummary(record_id, summarize(record)))
    return out


def citation_name(heading: str) -> str:
    """An author heading as a reference shows it: without life dates and fuller forms of the name."""
    name = _FULLER.sub("", heading).strip()
    previous = None
    while previous != name:
        previous, name = name, _DATES.sub("", name).strip().rstrip(",").strip()
    return name


def _names(summary: BibSummary) -> list[str]:
    return [n for n in (citation_name(a) for a in summary.authors) if n]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def reference(summary: BibSummary) -> str:
    """A formatted reference in the shape of the Chicago author-date bibliography style:
    Author, A., and B. Author. Year. Title. Edition. Place: Publisher.

    A plain-text approximation: MARC does not say which name is the given name, so names stay as catalogued."""
    names = _names(summary)
    parts: list[str] = []
    if names:
        if len(names) > 3:
            parts.append(_sentence(f"{names[0]} et al"))
        elif len(names) > 1:
            parts.append(_sentence(", ".join(names[:-1]) + ", and " + names[-1]))
        else:
            parts.append(_sentence(names[0]))
    if summary.year:
        parts.append(f"{summary.year}.")
    parts.append(_sentence(summary.title or "[Untitled]"))
    if summary.edition:
        parts.append(_sentence(summary.edition))
    place = summary.places[0] if summary.places else ""
    publisher = summary.publishers[0] if summary.publishers else ""
    if place and publisher:
        parts.append(_sentence(f"{place}: {publisher}"))
    elif place or publisher:
        parts.append(_sentence(place or publisher))
    if summary.isbns:
        parts.append(f"ISBN {summary.isbns[0]}.")
    return " ".join(parts)


def references_text(items: list[RecordSummary]) -> str:
    return "".join(f"{reference(item.summary)}\n\n" for item in items)


def ris_text(items: list[RecordSummary], *, record_url: str = "") -> str:
    """RIS (the tagged format Zotero, EndNote, Mendeley and JabRef import). `record_url` has a `{id}` slot."""
    lines: list[str] = []
    for item in items:
        s = item.summary
        lines.append(f"TY  - {_RIS_TYPES.get(s.material_type, 'GEN')}")
        lines.append(f"TI  - {s.title}")
        lines.extend(f"AU  - {name}" for name in _names(s))
        if s.year:
            lines.append(f"PY  - {s.year}")
        if s.edition:
            lines.append(f"ET  - {s.edition}")
        lines.extend(f"PB  - {p}" for p in s.publishers[:1])
        lines.extend(f"CY  - {p}" for p in s.places[:1])
        lines.extend(f"SN  - {i}" for i in s.isbns + s.issns)
        lines.extend(f"LA  - {code}" for code in s.languages[:1])
        lines.extend(f"KW  - {subject}" for subject in s.subjects)
        lines.extend(f"T3  - {series}" for series in s.series[:1])
        if s.physical_description:
            lines.append(f"SP  - {s.physical_description}")
        if s.summary:
            lines.append(f"AB  - {s.summary}")
        if s.control_number:
            lines.append(f"AN  - {s.control_number}")
        if record_url:
            lines.append(f"UR  - {record_url.format(id=item.record_id)}")
        lines.append("ER  - ")
        lines.append("")
    # RIS lines carry no line breaks of their own.
    return "\r\n".join(" ".join(line.split("\n")) for line in lines)


# A spreadsheet program opening the CSV must not run a cell that starts like a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_text(items: list[RecordSummary], *, record_url: str = "") -> str:
    """CSV with a header row in the interface language; one row per record."""
    out = io.StringIO()
    writer = csv.writer(out)
    # A context of their own: "Place" or "Publisher" alone mean other things elsewhere in the interface.
    writer.writerow([pgettext("CSV column", "Title"), pgettext("CSV column", "Authors"),
                     pgettext("CSV column", "Year"), pgettext("CSV column", "Publisher"),
                     pgettext("CSV column", "Place"), pgettext("CSV column", "Edition"),
                     pgettext("CSV column", "ISBN"), pgettext("CSV column", "Language"),
                     pgettext("CSV column", "Type of material"), pgettext("CSV column", "Control number"),
                     pgettext("CSV column", "Link")])
    for item in items:
        s = item.summary
        writer.writerow([_cell(str(v)) for v in (
            s.title, "; ".join(s.authors), s.year or "", "; ".join(s.publishers), "; ".join(s.places),
            s.edition or "", "; ".join(s.isbns), "; ".join(str(language_name(c)) for c in s.languages),
            material_type_name(s.material_type), s.control_number or "",
            record_url.format(id=item.record_id) if record_url else "",
        )])
    return out.getvalue()


def export_bytes(fmt: str, record_ids: list[int], *, record_url: str = "") -> bytes:
    """The records in export format `fmt` (a FORMATS key). Raises ValueError for an unknown format."""
    if fmt == "marc":
        stream = io.BytesIO()
        export_record_ids(stream, record_ids, fmt="iso2709")
        return stream.getvalue()
    items = summaries(record_ids)
    if fmt == "csv":
        return ("\ufeff" + csv_text(items, record_url=record_url)).encode("utf-8")  # BOM: Excel reads UTF-8
    if fmt == "ris":
        return ris_text(items, record_url=record_url).encode("utf-8")
    if fmt == "citations":
        return references_text(items).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")

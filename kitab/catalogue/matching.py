"""Which keys identify a record across imports (pure functions, no database)."""

from __future__ import annotations

from kitab.marc.summary import BibSummary


def control_key(summary: BibSummary) -> str | None:
    """`003|001`: the control number is only unique within the organisation that assigned it."""
    if not summary.control_number:
        return None
    return f"{(summary.control_number_identifier or '').strip().upper()}|{summary.control_number.strip()}"


def system_keys(summary: BibSummary) -> list[str]:
    """035 $a values, whitespace-normalised; `(OCoLC)ocm00012345` and `(OCoLC)12345` are the same number."""
    keys: list[str] = []
    for value in summary.system_numbers:
        value = "".join(value.split())
        if value.startswith("(OCoLC)"):
            digits = value[7:].lstrip("ocmnw").lstrip("0")
            value = "(OCoLC)" + digits
        if value and value not in keys:
            keys.append(value[:128])
    return keys


def identifier_rows(summary: BibSummary) -> list[tuple[str, str]]:
    """All (kind, value) pairs stored for a record; the first two kinds are also match keys."""
    rows: list[tuple[str, str]] = []
    ctl = control_key(summary)
    if ctl:
        rows.append(("ctl", ctl[:128]))
    rows.extend(("035", key) for key in system_keys(summary))
    rows.extend(("isbn", isbn) for isbn in dict.fromkeys(summary.isbns))
    if summary.lccn:
        rows.append(("lccn", summary.lccn[:128]))
    return rows


MATCH_KINDS = ("ctl", "035")

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


def scoped(source: str, key: str) -> str:
    """A match key of a record from member library `source` (blank: a local record, whose keys stay as they are).

    Two members may use the same 001 or 035 for different books, so a harvested record only ever matches records
    of its own source.
    """
    return f"{source}|{key}" if source else key


def identifier_rows(summary: BibSummary, *, source: str = "") -> list[tuple[str, str]]:
    """All (kind, value) pairs stored for a record; `ctl` and `035` are also match keys (scoped by `source`)."""
    rows: list[tuple[str, str]] = []
    ctl = control_key(summary)
    if ctl:
        rows.append(("ctl", scoped(source, ctl)[:128]))
    rows.extend(("035", scoped(source, key)[:128]) for key in system_keys(summary))
    rows.extend(("isbn", isbn) for isbn in dict.fromkeys(summary.isbns))
    if summary.lccn:
        rows.append(("lccn", summary.lccn[:128]))
    return rows


# Strongest first. `oai` (source|OAI-PMH identifier) only exists on harvested records (kitab.consortium): the
# identifier a member's repository gives a record never changes, even when its 001 does.
MATCH_KINDS = ("oai", "ctl", "035")

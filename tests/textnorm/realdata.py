"""Access to the real Library of Congress records in ../shared (absent in a bare checkout: tests skip)."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TURKIC_SUBSET = "loc-booksall-2016/turkic_languages_subset.mrc"


def shared_marc_dir() -> Path | None:
    """`../shared/data/marc` beside the repository root, or $KITAB_SHARED_DATA; None when missing."""
    env = os.environ.get("KITAB_SHARED_DATA")
    path = Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "marc"
    return path if path.is_dir() else None


@dataclass(frozen=True)
class Title:
    control_number: str
    language: str
    title: str  # 245 $a $b as stored (LC records are mostly decomposed, NFD)
    vernacular: str  # 880 linked to 245, "" when none


@cache
def turkic_titles() -> tuple[Title, ...] | None:
    """Titles of the 1,549 Turkic-language LoC records, or None when the shared file is absent."""
    base = shared_marc_dir()
    path = base / TURKIC_SUBSET if base else None
    if path is None or not path.is_file():
        return None
    import pymarc

    out: list[Title] = []
    with path.open("rb") as fh:
        for record in pymarc.MARCReader(fh, to_unicode=True):
            field = record["245"] if record is not None else None
            if field is None:
                continue
            vernacular = ""
            for linked in record.get_fields("880"):
                if (linked.get("6") or "").startswith("245"):
                    vernacular = " ".join(linked.get_subfields("a", "b"))
            out.append(
                Title(
                    control_number=record["001"].data.strip(),
                    language=record["008"].data[35:38],
                    title=" ".join(field.get_subfields("a", "b")),
                    vernacular=vernacular,
                )
            )
    return tuple(out)


def by_control_number(titles: tuple[Title, ...], number: str) -> Title:
    return next(t for t in titles if t.control_number == number)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)

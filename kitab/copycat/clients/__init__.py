"""Clients for remote catalogues: a Z39.50 client on Kitab's own codec, and an SRU client on urllib and lxml."""

from __future__ import annotations

from dataclasses import dataclass, field


class TargetError(Exception):
    """The target could not be reached or refused the request; the message is shown to staff as it is."""


@dataclass(frozen=True, slots=True)
class QueryFields:
    """What a cataloguer searches by; blank fields are left out, the others are ANDed."""

    title: str = ""
    author: str = ""
    isbn: str = ""

    def items(self) -> list[tuple[str, str]]:
        """(field name, value) of the non-blank fields, in a fixed order."""
        pairs = [("title", self.title), ("author", self.author), ("isbn", self.isbn)]
        return [(name, " ".join(value.split())) for name, value in pairs if value and value.strip()]

    def __bool__(self) -> bool:
        return bool(self.items())


@dataclass(slots=True)
class Retrieved:
    """What a target answered: how many records matched, and the raw bytes of the first ones."""

    total: int
    records: list[tuple[int, bytes]] = field(default_factory=list)  # (position in the result set, bytes)
    # Per-record problems the target reported instead of a record (surrogate diagnostics), by position.
    record_errors: dict[int, str] = field(default_factory=dict)

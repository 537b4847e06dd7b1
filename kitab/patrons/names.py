"""How a person's name is shown: one rule for patrons and for online registration requests."""

from __future__ import annotations


def full_name(first_name: str, last_name: str) -> str:
    """The given name then the family name, leaving out an empty part ("" when both are empty)."""
    return " ".join(part for part in (first_name, last_name) if part)

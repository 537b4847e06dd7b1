"""Errors of the authorities app: a stable code for adapters, a translated message for people."""

from __future__ import annotations

from kitab.core.errors import KitabError


class AuthorityError(KitabError):
    """Codes: file_not_found, file_unreadable, invalid_record, not_found, heading_in_use, link_mismatch."""

"""Saved-search errors: a stable `code` for adapters, a translated message for people.

Codes: name_required, name_too_long, duplicate_name, too_many_saved, empty_search, no_email.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class SavedSearchError(KitabError):
    code = "saved_search_error"

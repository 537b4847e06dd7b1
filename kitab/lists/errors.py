"""List and cart errors: a stable `code` for adapters, a translated message for people.

Codes: name_required, name_too_long, notes_too_long, duplicate_name, too_many_lists, list_full, record_not_found,
cart_full, cart_empty, bad_address, email_limit.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class ListError(KitabError):
    code = "list_error"

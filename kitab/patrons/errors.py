"""Patron errors: a stable `code` for adapters, a translated message for people.

Codes: invalid_card_number, card_number_taken, guarantor_required, invalid_guarantor, invalid_language,
unknown_field, missing_field, merge_same_patron, has_open_loans, has_outstanding_fines, patron_anonymised,
block_not_found, unknown_role, unknown_branch, invalid_csv.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class PatronError(KitabError):
    code = "patron_error"

"""Copy errors: a stable `code` for adapters and a translated message for people.

Codes: no_branch, unknown_branch, unknown_item_type, unknown_pattern, no_barcode_pattern, too_many_copies,
invalid_count, barcode_invalid, barcode_taken, barcode_repeated, range_invalid, range_reversed, range_too_long,
barcodes_exhausted, field_too_long, item_on_loan, item_in_circulation, invalid_status_change, missing_reason,
nothing_selected, nothing_to_change, item_has_history.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class ItemError(KitabError):
    code = "item_error"

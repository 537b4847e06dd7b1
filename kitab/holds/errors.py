"""Hold errors: a stable `code` for adapters, a translated message.

Refusal codes (policy.can_place_hold, raised by place_hold): patron_anonymised, card_expired, patron_blocked,
overdue_items, fines_over_limit, pickup_not_allowed, item_not_of_record, record_has_no_items,
item_not_holdable, holds_not_allowed, max_holds_reached, hold_exists, already_borrowed, invalid_expiry.
Service codes: hold_not_active, hold_not_queued, hold_not_suspended, invalid_date, invalid_position,
missing_reason, item_not_available, idempotency_key_reused.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class HoldError(KitabError):
    code = "hold_error"

"""Circulation errors: a stable `code` for adapters (HTTP status, SIP2 screen message), a translated message.

Refusal codes (policy.can_checkout / can_renew, raised by checkout / renew): item_on_loan, item_lost,
item_in_transit, item_on_hold_shelf, item_not_loanable, patron_anonymised, card_expired, patron_blocked,
overdue_items, fines_over_limit, max_loans_reached, loan_not_open, no_renewals_left, renewal_blocked_by_hold
(another patron waits for the title: kitab.holds.policy.blocking_hold; overridable).
Service codes: not_on_loan, not_in_transit, invalid_transition, idempotency_key_reused, unknown_branch.
Fine ledger codes: invalid_amount, amount_exceeds_balance, not_waivable, missing_reason.
Configuration codes (ConfigurationError): no_circulation_rule, no_open_day.
Settings codes (settings_services): rule_exists, default_rule_scope, default_rule_required, invalid_rule,
unknown_field, invalid_calendar, invalid_closure, invalid_opening.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class CirculationError(KitabError):
    code = "circulation_error"


class ConfigurationError(CirculationError):
    """The library's own data is incomplete (no default rule, a branch that never opens)."""

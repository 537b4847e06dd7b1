"""Patron account errors: a stable `code` for adapters, a translated message for people.

Codes: registration_closed, no_category, missing_field, invalid_email, invalid_password, invalid_branch,
invalid_language, too_many_registrations, spam_suspected, invalid_token, token_expired, not_pending,
missing_reason, locked_out, wrong_password, no_account, history_disabled.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class AccountError(KitabError):
    code = "account_error"

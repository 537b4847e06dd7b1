"""SIP2 terminal account errors. Codes: unknown_branch, invalid_charset, missing_password."""

from __future__ import annotations

from kitab.core.errors import KitabError


class SIP2AccountError(KitabError):
    code = "sip2_error"

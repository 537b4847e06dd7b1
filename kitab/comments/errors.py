"""Comment errors: a stable `code` for adapters, a translated message for people.

Codes: empty_comment, comment_too_long, too_many_pending, not_pending, reason_required, record_not_found.
"""

from __future__ import annotations

from kitab.core.errors import KitabError


class CommentError(KitabError):
    code = "comment_error"

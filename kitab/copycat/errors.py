"""Copy cataloguing errors: a stable code and a translated message, no HTTP status."""

from __future__ import annotations


class CopycatError(Exception):
    """codes: unreadable_record, rejected_record, target_disabled."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

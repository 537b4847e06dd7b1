"""Base class for domain errors: a stable code for adapters, a translated message for people, no HTTP status."""

from __future__ import annotations


class KitabError(Exception):
    code: str = "error"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

"""Who does something, where, and through which channel: passed explicitly to every service."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    channel: str  # "cli", "staff", "opac", "api", "sip2", "system"
    user_id: int | None = None
    username: str | None = None
    branch_code: str | None = None

    @classmethod
    def cli(cls, username: str | None = None) -> Actor:
        return cls(channel="cli", username=username)

    @classmethod
    def system(cls) -> Actor:
        return cls(channel="system", username="system")

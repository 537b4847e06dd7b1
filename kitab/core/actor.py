"""Who does something, where, and through which channel: passed explicitly to every service."""

from __future__ import annotations

from dataclasses import dataclass

# A permission naming one refusal code ("override:max_loans_reached") lets the actor override that refusal;
# OVERRIDE_ANY lets it override every refusal a policy marks as overridable.
OVERRIDE_ANY = "override:*"


@dataclass(frozen=True, slots=True)
class Actor:
    channel: str  # "cli", "staff", "opac", "api", "sip2", "system"
    user_id: int | None = None
    username: str | None = None
    branch_code: str | None = None
    # Granted by the adapter after it authorised the caller; services only read them.
    permissions: frozenset[str] = frozenset()

    @classmethod
    def cli(cls, username: str | None = None) -> Actor:
        return cls(channel="cli", username=username)

    @classmethod
    def system(cls) -> Actor:
        return cls(channel="system", username="system")

    def may_override(self, code: str) -> bool:
        """Whether this actor may go past a policy refusal with the given stable code."""
        return OVERRIDE_ANY in self.permissions or f"override:{code}" in self.permissions

    def label(self) -> str:
        """`channel:username` for audit columns ("sip2:selfcheck-3", "system:system")."""
        return f"{self.channel}:{self.username or self.user_id or '-'}"

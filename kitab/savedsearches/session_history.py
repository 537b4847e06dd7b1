"""A visitor's search history, kept in their session only (nothing in the database for people not signed in)."""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

from .spec import SearchSpec

SESSION_KEY = "kitab_search_history"
KEEP = 20


def entries(session: MutableMapping[str, Any]) -> list[dict[str, Any]]:
    """Newest first: {"spec": SearchSpec, "total": int, "at": datetime}."""
    out = []
    for raw in session.get(SESSION_KEY) or []:
        try:
            out.append({"spec": SearchSpec.from_json(raw["spec"]), "total": int(raw["total"]),
                        "at": datetime.fromisoformat(raw["at"])})
        except (KeyError, TypeError, ValueError):
            continue
    return out


def remember(session: MutableMapping[str, Any], spec: SearchSpec, total: int, at: datetime) -> None:
    if spec.is_empty:
        return
    kept = [raw for raw in (session.get(SESSION_KEY) or []) if isinstance(raw, dict)]
    if kept and SearchSpec.from_json(kept[0].get("spec") or {}).key() == spec.key():
        kept = kept[1:]
    kept.insert(0, {"spec": spec.to_json(), "total": total, "at": at.isoformat()})
    session[SESSION_KEY] = kept[:KEEP]


def clear(session: MutableMapping[str, Any]) -> None:
    session.pop(SESSION_KEY, None)

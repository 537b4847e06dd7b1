"""A per-process cache of the circulation settings: rules, branch calendars, closures, exceptional openings,
and the small reference tables every loan points at (branches, item types, patron categories).

Every checkout needs the rule matrix and the branch calendar; they change a few times a year, so reading
them from the database for each loan is wasted work. Each process keeps one `Snapshot` of those tables,
valid for one value of the `CirculationSettingsVersion` token. Saving or deleting any of those rows (through
the ORM: receivers.py) gives the token a new random value in the same transaction, so every process sees
the change as soon as it commits, and a rolled-back change restores the old token and the old snapshot.

The token is read once per service call (`pinned`), so one checkout sees one consistent snapshot.
Writes that bypass model signals (`QuerySet.update`, `bulk_create`, raw SQL) must call `bump()`.
"""

from __future__ import annotations

import contextvars
import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection

from .models import (
    BranchCalendar,
    CirculationRule,
    CirculationSettingsVersion,
    Closure,
    ExceptionalOpening,
)

if TYPE_CHECKING:
    from kitab.items.models import Branch

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")
_MISSING = object()


@dataclass
class Snapshot:
    """The settings tables as of one token, loaded lazily, table by table. Treat the rows as read-only."""

    token: int | None
    _rules: list[CirculationRule] | None = None
    _weeks: dict[int, tuple[str, time]] | None = None
    _closures: list[tuple[int | None, date, date]] | None = None
    _openings: dict[int, frozenset[date]] | None = None
    # Memo of computed answers (calendar._first_open) valid for this snapshot.
    memo: dict[Any, Any] = field(default_factory=dict)
    _rows: dict[type, dict[int, Any]] = field(default_factory=dict)

    def table(self, model: type[M]) -> dict[int, M]:
        """All rows of a small reference table (Branch, ItemType, PatronCategory) by primary key."""
        rows = self._rows.get(model)
        if rows is None:
            rows = self._rows[model] = {row.pk: row for row in model.objects.all()}  # type: ignore[attr-defined]
        return rows

    def row(self, model: type[M], pk: int | None) -> M | None:
        """Row `pk` of a reference table (None for None) without a query. A row added without signals
        (bulk_create) since the snapshot was taken is read from the database."""
        if pk is None:
            return None
        found = self.table(model).get(pk)
        return found if found is not None else model.objects.get(pk=pk)  # type: ignore[attr-defined, no-any-return]

    def branch_by_code(self, code: str) -> Branch | None:
        """The branch with this code (None when there is none)."""
        from kitab.items.models import Branch

        found = next((b for b in self.table(Branch).values() if b.code == code), None)
        return found if found is not None else Branch.objects.filter(code=code).first()

    def rules(self) -> list[CirculationRule]:
        if self._rules is None:
            self._rules = list(CirculationRule.objects.all())
        return self._rules

    def weeks(self) -> dict[int, tuple[str, time]]:
        """branch id -> (open weekdays, closing time), for branches with a calendar row."""
        if self._weeks is None:
            self._weeks = {b: (days, closes) for b, days, closes in
                           BranchCalendar.objects.values_list("branch_id", "open_weekdays", "closes_at")}
        return self._weeks

    def closures(self) -> list[tuple[int | None, date, date]]:
        """(branch id or None for all branches, first day, last day)."""
        if self._closures is None:
            self._closures = list(Closure.objects.values_list("branch_id", "start_date", "end_date"))
        return self._closures

    def openings(self) -> dict[int, frozenset[date]]:
        if self._openings is None:
            by_branch: dict[int, set[date]] = {}
            for branch_id, day in ExceptionalOpening.objects.values_list("branch_id", "date"):
                by_branch.setdefault(branch_id, set()).add(day)
            self._openings = {b: frozenset(days) for b, days in by_branch.items()}
        return self._openings


_snapshot: Snapshot | None = None
_pinned: contextvars.ContextVar[Any] = contextvars.ContextVar("kitab_circulation_settings", default=None)


def _read_token() -> int | None:
    # Read on every service call: a fixed SQL string is a fraction of the cost of building the ORM query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {CirculationSettingsVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None


def current() -> Snapshot:
    """The snapshot for the token in the database now (read once per `pinned` call)."""
    pin = _pinned.get()
    if isinstance(pin, Snapshot):
        return pin
    snapshot = _snapshot_for(_read_token())
    if pin is _MISSING:
        _pinned.set(snapshot)
    return snapshot


def _snapshot_for(token: int | None) -> Snapshot:
    global _snapshot
    if token is None:
        # No token row (a flushed test database): nothing to key a cache on, so read fresh every time.
        return Snapshot(token=None)
    if _snapshot is not None and _snapshot.token == token:
        return _snapshot
    _snapshot = Snapshot(token=token)
    return _snapshot


def adopt(token: int | None) -> None:
    """Pin the snapshot of `token`, which the caller read in a query of its own (rows.lock_item), so that
    `current()` needs no query of its own during this service call. No effect outside `pinned` or once pinned."""
    if _pinned.get() is _MISSING:
        _pinned.set(_snapshot_for(token))


def pinned(func: F) -> F:
    """Read the token at most once during `func` (a service call), so the call sees one snapshot."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _pinned.get() is not None:
            return func(*args, **kwargs)
        reset = _pinned.set(_MISSING)
        try:
            return func(*args, **kwargs)
        finally:
            _pinned.reset(reset)

    return wrapper  # type: ignore[return-value]


def bump() -> None:
    """Give the settings a new token (in the caller's transaction): every process reloads them."""
    token = secrets.randbits(62)
    if not CirculationSettingsVersion.objects.filter(pk=1).update(token=token):
        CirculationSettingsVersion.objects.update_or_create(pk=1, defaults={"token": token})
    if isinstance(_pinned.get(), Snapshot):
        _pinned.set(_MISSING)


def clear() -> None:
    """Forget this process's snapshot (tests; the token makes this unnecessary otherwise)."""
    global _snapshot
    _snapshot = None

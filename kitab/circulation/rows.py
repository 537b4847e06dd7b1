"""The rows every checkout and check-in reads first, in fixed SQL.

A desk scan locks the copy, locks the borrower (checkout) or finds the open loan (check-in). Building those
queries through the ORM cost more Python than the database spent running them, so each is a SQL string made
once per process (same text every time: with prepared statements the server also plans it once) and turned
into a model instance with the same field converters the ORM applies. The copy's lock also reads the settings
cache token (kitab.circulation.cache), which saves that read its own round trip.

Only the rows' own columns are read; related rows (branch, item type, category) come from the settings cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

from kitab.items.models import Item
from kitab.patrons.models import Patron

from .models import CirculationSettingsVersion, Loan, LoanEvent

M = TypeVar("M", bound=Model)
_Converters = list[tuple[int, list[Callable[..., Any]], Any]]


@functools.cache
def _shape(model: type[Model], vendor: str) -> tuple[str, list[str], _Converters]:
    """(quoted column list, attribute names, converters by column) for `model` on this database."""
    fields = model._meta.concrete_fields
    columns = ", ".join(f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(f.column)}"
                        for f in fields)
    converters: _Converters = []
    for index, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if found:
            converters.append((index, found, col))
    return columns, [f.attname for f in fields], converters


def _instance(model: type[M], row: tuple[Any, ...] | list[Any]) -> M:
    _columns, names, converters = _shape(model, connection.vendor)
    values = list(row)
    for index, functions, col in converters:
        value = values[index]
        for convert in functions:
            value = convert(value, col, connection)
        values[index] = value
    return model.from_db(connection.alias, names, values)


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


@functools.cache
def _lock_item_sql(vendor: str) -> str:
    columns, _names, _conv = _shape(Item, vendor)
    token = f"(SELECT token FROM {CirculationSettingsVersion._meta.db_table} WHERE id = 1)"
    return f"SELECT {columns}, {token} FROM {Item._meta.db_table} WHERE id = %s{_for_update()}"


def lock_item(pk: int) -> tuple[Item, int | None]:
    """Copy `pk`, locked until the transaction ends (SQLite: the writer lock BEGIN IMMEDIATE already holds),
    and the settings token. Raises Item.DoesNotExist.

    On PostgreSQL the token is read as of the statement's start: a settings change committed while this
    statement waited for the lock is seen from the next service call on, as if this one had begun a moment
    earlier. The copy's row itself is always its latest version (FOR UPDATE rereads it)."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_item_sql(connection.vendor), [pk])
        row = cursor.fetchone()
    if row is None:
        raise Item.DoesNotExist(f"Item {pk} does not exist.")
    token = row[-1]
    return _instance(Item, row[:-1]), (int(token) if token is not None else None)


@functools.cache
def _lock_patron_sql(vendor: str) -> str:
    columns, _names, _conv = _shape(Patron, vendor)
    return f"SELECT {columns} FROM {Patron._meta.db_table} WHERE id = %s{_for_update()}"


def lock_patron(pk: int) -> Patron:
    """Patron `pk`, locked until the transaction ends. Raises Patron.DoesNotExist."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_patron_sql(connection.vendor), [pk])
        row = cursor.fetchone()
    if row is None:
        raise Patron.DoesNotExist(f"Patron {pk} does not exist.")
    return _instance(Patron, row)


@functools.cache
def _open_loan_sql(vendor: str) -> str:
    columns, _names, _conv = _shape(Loan, vendor)
    statuses = ", ".join(f"'{status}'" for status in (Loan.Status.ON_LOAN, Loan.Status.LOST))
    return (f"SELECT {columns} FROM {Loan._meta.db_table} WHERE item_id = %s AND status IN ({statuses}) "
            "ORDER BY id LIMIT 1")


def open_loan(item_pk: int) -> Loan | None:
    """The loan of copy `item_pk` not settled yet (Loan.objects.open()), if any. The caller holds the copy's
    lock, so it cannot change meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute(_open_loan_sql(connection.vendor), [item_pk])
        row = cursor.fetchone()
    return _instance(Loan, row) if row is not None else None


# -- writes ----------------------------------------------------------------------------------------------------
# The same for the rows every loan writes (the loan, its event, the copy): Model.save() compiled an UPDATE or
# INSERT afresh each time, half of a pair's Python. These write the same values (each field's pre_save and
# database preparation, as save() does) through SQL made once per model and field list. No model signals are
# sent: nothing listens to saves of these models (tests/circulation/test_rows.py checks that stays so).

@functools.cache
def _update_sql(model: type[Model], names: tuple[str, ...], vendor: str) -> tuple[str, list[Any]]:
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    return f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = %s", fields


def update(instance: Model, names: tuple[str, ...] | None = None) -> None:
    """Write fields `names` (default: all but the primary key) of a saved `instance`, as save(update_fields=)."""
    model = type(instance)
    if names is None:
        names = tuple(f.name for f in model._meta.concrete_fields if not f.primary_key)
    sql, fields = _update_sql(model, names, connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, instance.pk])


@functools.cache
def _insert_sql(model: type[Model], vendor: str) -> tuple[str, list[Any], bool]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    returning = connection.features.can_return_columns_from_insert
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})" + (" RETURNING id" if returning else ""))
    return sql, fields, returning


def insert(instance: M) -> M:
    """Insert a new `instance` (primary key made by the database), as save() does; returns it, saved."""
    model = type(instance)
    sql, fields, returning = _insert_sql(model, connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = cursor.fetchone()[0] if returning else connection.ops.last_insert_id(
            cursor, model._meta.db_table, model._meta.pk.column)
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


@functools.cache
def _loan_and_event_sql(adding: bool, vendor: str) -> tuple[str, list[Any], list[Any]]:
    quote = connection.ops.quote_name
    loan_fields = [f for f in Loan._meta.concrete_fields if not f.primary_key]
    event_fields = [f for f in LoanEvent._meta.concrete_fields if not f.primary_key and f.attname != "loan_id"]
    if adding:
        write = (f"INSERT INTO {quote(Loan._meta.db_table)} ({', '.join(quote(f.column) for f in loan_fields)}) "
                 f"VALUES ({', '.join(['%s'] * len(loan_fields))}) RETURNING id")
    else:
        write = (f"UPDATE {quote(Loan._meta.db_table)} SET "
                 f"{', '.join(f'{quote(f.column)} = %s' for f in loan_fields)} WHERE id = %s RETURNING id")
    sql = (f"WITH written AS ({write}) INSERT INTO {quote(LoanEvent._meta.db_table)} "
           f"(loan_id, {', '.join(quote(f.column) for f in event_fields)}) "
           f"VALUES ((SELECT id FROM written), {', '.join(['%s'] * len(event_fields))}) RETURNING loan_id")
    return sql, loan_fields, event_fields


def write_loan_with_event(loan: Loan, event: LoanEvent) -> None:
    """Save `loan` (insert when new, else every field) and insert its `event`. On PostgreSQL one statement
    does both (a data-modifying WITH), one round trip instead of two; elsewhere insert/update then insert."""
    if connection.vendor != "postgresql":
        if loan._state.adding:
            insert(loan)
        else:
            update(loan)
        event.loan = loan
        insert(event)
        return
    adding = loan._state.adding
    sql, loan_fields, event_fields = _loan_and_event_sql(adding, connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(loan, adding), connection) for f in loan_fields]
    if not adding:
        values.append(loan.pk)
    values += [f.get_db_prep_save(f.pre_save(event, True), connection) for f in event_fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        loan.pk = cursor.fetchone()[0]
    loan._state.adding = False
    loan._state.db = connection.alias
    event.loan = loan

"""A visitor's search history, kept in a signed browser cookie for the visit (nothing in the database).

A cookie rather than the server-side session: a search page is read far more often than anything else, and a
session row written on every visitor's search (crawlers included) would make each search wait for the database's
write lock while an import runs. The cookie lives until the browser is closed, is signed (a visitor cannot plant
entries that the page would show as theirs), and stays well under the browsers' 4 KB cookie limit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse

from .spec import SearchSpec

COOKIE = "kitab_searches"
SALT = "kitab.savedsearches.history"
KEEP = 10
MAX_COOKIE_BYTES = 3000
MAX_QUERY_IN_COOKIE = 300
_PENDING = "_kitab_search_history"


def _load(request: HttpRequest) -> list[list[Any]]:
    pending = getattr(request, _PENDING, None)
    if pending is not None:
        return pending
    value = request.COOKIES.get(COOKIE)
    if not value:
        return []
    try:
        rows = signing.loads(value, salt=SALT)
    except (signing.BadSignature, ValueError):
        return []
    return [row for row in rows if isinstance(row, list) and len(row) == 5] if isinstance(rows, list) else []


def entries(request: HttpRequest) -> list[dict[str, Any]]:
    """Newest first: {"spec": SearchSpec, "total": int, "at": datetime}."""
    out = []
    for query, filters, sort, total, stamp in _load(request):
        try:
            out.append({"spec": SearchSpec.of(str(query), filters if isinstance(filters, dict) else {}, str(sort)),
                        "total": int(total), "at": datetime.fromtimestamp(float(stamp), tz=UTC)})
        except (TypeError, ValueError, OverflowError):
            continue
    return out


def remember(request: HttpRequest, spec: SearchSpec, total: int, at: datetime) -> None:
    """Put the search at the top of the visitor's history; `store` writes it into the response."""
    if spec.is_empty or len(spec.query) > MAX_QUERY_IN_COOKIE:
        return
    rows = [row for row in _load(request) if SearchSpec.of(str(row[0]), row[1] if isinstance(row[1], dict) else {},
                                                           str(row[2])).key() != spec.key()]
    rows.insert(0, [spec.query, spec.filters, spec.sort, total, round(at.timestamp())])
    rows = rows[:KEEP]
    while rows and len(_encode(rows)) > MAX_COOKIE_BYTES:
        rows.pop()
    setattr(request, _PENDING, rows)


def store(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Write a history changed during this request into the response's cookie."""
    rows = getattr(request, _PENDING, None)
    if rows is not None:
        response.set_cookie(COOKIE, _encode(rows), httponly=True, samesite="Lax", secure=request.is_secure())
    return response


def _encode(rows: list[list[Any]]) -> str:
    # Signed and compressed URL-safe base64: plain ASCII whatever the script of the searches (a cookie value may
    # not carry other bytes), and a visitor cannot plant entries.
    return signing.dumps(rows, salt=SALT, compress=True)


def clear(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE, samesite="Lax")
    return response

"""How the API answers errors: every error body is `{"code": ..., "message": ...}`.

Domain errors (KitabError subclasses) carry a stable code and no HTTP status; the tables below give the status.
400 is a malformed request (a missing or mistyped field, with `fields` saying which); 422 a well-formed request
the domain rejects as invalid; 409 a request that conflicts with the current state (the copy is on loan, the
patron is blocked); 404 an unknown object. A domain code not listed below is a refusal: 409.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from kitab.core.errors import KitabError
from kitab.search.types import QuerySyntaxError

#: Domain codes for input the domain rejects (HTTP 422).
UNPROCESSABLE = frozenset({
    # patrons
    "invalid_card_number", "invalid_language", "invalid_guarantor", "guarantor_required", "missing_field",
    "unknown_field", "unknown_branch", "unknown_role",
    # circulation and holds
    "idempotency_key_reused", "invalid_expiry", "invalid_date", "invalid_position", "missing_reason",
    "pickup_not_allowed", "item_not_of_record",
    # search (every QuerySyntaxError is 422 too, whatever its code)
    "query_syntax", "bad_sort", "bad_filter", "bad_year", "invalid_query", "too_long", "too_many_terms",
})

#: Domain codes meaning "no such thing" (HTTP 404).
NOT_FOUND = frozenset({"not_found", "block_not_found", "unknown_user"})


class ApiError(KitabError):
    """An error the API itself raises (an unknown card number or barcode, a bad parameter)."""

    code = "api_error"


def status_for(code: str) -> int:
    """The HTTP status of a domain error code."""
    if code in NOT_FOUND:
        return status.HTTP_404_NOT_FOUND
    if code in UNPROCESSABLE:
        return status.HTTP_422_UNPROCESSABLE_ENTITY
    return status.HTTP_409_CONFLICT


def not_found(message: str) -> ApiError:
    return ApiError("not_found", message)


def _body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: domain errors by code, DRF's own errors in the same body shape."""
    if isinstance(exc, QuerySyntaxError):
        return Response(_body(exc.code, exc.message), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, KitabError):
        return Response(_body(exc.code, exc.message), status=status_for(exc.code))
    if isinstance(exc, Http404):
        return Response(_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.ValidationError):
        return Response(_body("invalid", _("The request is not valid."), fields=exc.detail),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        headers: dict[str, str] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        code = exc.get_codes()
        return Response(_body(code if isinstance(code, str) else exc.default_code, str(detail)),
                        status=exc.status_code, headers=headers)
    return None

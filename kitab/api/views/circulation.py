"""Loans (staff with circulation.checkout): checkout, checkin, renewal; a patron's current loans."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from kitab.circulation import selectors as circulation_selectors
from kitab.circulation import services as circulation_services
from kitab.circulation.models import Loan
from kitab.core import clock

from ..base import ApiView
from ..serializers.circulation import (
    CheckinResultSerializer,
    CheckinSerializer,
    CheckoutSerializer,
    LoanSerializer,
    PatronParamSerializer,
    RenewSerializer,
)
from ..serializers.common import ErrorSerializer
from .lookups import item_by_barcode, loan_by_id, patron_by_card

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=False,
    description="A key unique to this request (at most 100 characters); repeating the request with the same key "
                "returns the first result (200) and changes nothing.")
REFUSALS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
            409: ErrorSerializer, 422: ErrorSerializer}


def _idempotency_key(request: Request) -> str | None:
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    return key[:100] or None


def _loan_out(loan: Loan) -> Loan:
    return Loan.objects.select_related("item", "patron", "branch").get(pk=loan.pk)


class LoanListView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"GET": "patrons.view", "POST": "circulation.checkout"}
    required_scopes: ClassVar[dict[str, str]] = {"GET": "loans:read", "POST": "loans:write"}

    @extend_schema(operation_id="loans_list", parameters=[PatronParamSerializer],
                   responses={200: LoanSerializer(many=True), **REFUSALS})
    def get(self, request: Request) -> Response:
        """A patron's current loans (open and lost), the first due first."""
        params = PatronParamSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        patron = patron_by_card(params.validated_data["patron"])
        loans = circulation_selectors.current_loans(patron).select_related("patron", "branch")
        return Response(LoanSerializer(loans, many=True).data)

    @extend_schema(operation_id="loans_checkout", request=CheckoutSerializer, parameters=[IDEMPOTENCY_PARAMETER],
                   responses={201: LoanSerializer, 200: LoanSerializer, **REFUSALS})
    def post(self, request: Request) -> Response:
        """Check a copy out to a patron: 201 with the new loan, or 200 with the first loan when the
        Idempotency-Key was already used for this patron and copy."""
        body = CheckoutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        patron = patron_by_card(body.validated_data["patron"])
        item = item_by_barcode(body.validated_data["item"])
        key = _idempotency_key(request)
        # Only chooses the status code; the service itself guarantees that a repeated key lends nothing.
        seen = key is not None and Loan.objects.filter(idempotency_key=key).exists()
        loan = circulation_services.checkout(item, patron, actor=self.actor(request), at=clock.now(),
                                             override=body.validated_data["override"], idempotency_key=key)
        return Response(LoanSerializer(_loan_out(loan)).data,
                        status=status.HTTP_200_OK if seen else status.HTTP_201_CREATED)


class CheckinView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"POST": "circulation.checkout"}
    required_scopes: ClassVar[dict[str, str]] = {"POST": "loans:write"}

    @extend_schema(operation_id="loans_checkin", request=CheckinSerializer, parameters=[IDEMPOTENCY_PARAMETER],
                   responses={200: CheckinResultSerializer, **REFUSALS})
    def post(self, request: Request) -> Response:
        """Take a copy back: where it goes next, and the overdue fine settled."""
        body = CheckinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = item_by_barcode(body.validated_data["barcode"])
        result = circulation_services.checkin(item, actor=self.actor(request), at=clock.now(),
                                              idempotency_key=_idempotency_key(request))
        data = CheckinResultSerializer(result).data
        data["loan"] = LoanSerializer(_loan_out(result.loan)).data
        return Response(data)


class RenewView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"POST": "circulation.checkout"}
    required_scopes: ClassVar[dict[str, str]] = {"POST": "loans:write"}

    @extend_schema(operation_id="loans_renew", request=RenewSerializer, responses={200: LoanSerializer, **REFUSALS})
    def post(self, request: Request, pk: int) -> Response:
        """Renew a loan."""
        body = RenewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loan = circulation_services.renew(loan_by_id(pk), actor=self.actor(request), at=clock.now(),
                                          override=body.validated_data["override"])
        return Response(LoanSerializer(_loan_out(loan)).data)

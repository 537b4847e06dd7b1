"""Holds (staff with circulation.checkout to place and cancel, patrons.view to read)."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from kitab.core import clock
from kitab.holds import selectors as hold_selectors
from kitab.holds import services as hold_services
from kitab.holds.models import Hold

from ..base import ApiView
from ..serializers.circulation import PatronParamSerializer
from ..serializers.common import ErrorSerializer
from ..serializers.holds import CancelHoldSerializer, HoldSerializer, PlaceHoldSerializer
from .circulation import IDEMPOTENCY_PARAMETER, REFUSALS, _idempotency_key
from .lookups import branch_by_code, hold_by_id, item_by_barcode, patron_by_card, record_by_id


def _hold_out(hold: Hold) -> Hold:
    return Hold.objects.select_related("patron", "pickup_branch", "item").get(pk=hold.pk)


class HoldListView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"GET": "patrons.view", "POST": "circulation.checkout"}
    required_scopes: ClassVar[dict[str, str]] = {"GET": "holds:read", "POST": "holds:write"}

    @extend_schema(operation_id="holds_list", parameters=[PatronParamSerializer],
                   responses={200: HoldSerializer(many=True), **REFUSALS})
    def get(self, request: Request) -> Response:
        """A patron's live holds, oldest first."""
        params = PatronParamSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        holds = hold_selectors.patron_holds(patron_by_card(params.validated_data["patron"]))
        return Response(HoldSerializer(holds.select_related("patron", "item"), many=True).data)

    @extend_schema(operation_id="holds_place", request=PlaceHoldSerializer, parameters=[IDEMPOTENCY_PARAMETER],
                   responses={201: HoldSerializer, 200: HoldSerializer, **REFUSALS})
    def post(self, request: Request) -> Response:
        """Place a hold: 201 with the new hold, or 200 with the first hold when the Idempotency-Key was used."""
        body = PlaceHoldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        patron = patron_by_card(data["patron"])
        record = record_by_id(data["record"])
        pickup = branch_by_code(data["pickup_branch"])
        item = item_by_barcode(data["item"]) if data.get("item") else None
        key = _idempotency_key(request)
        # Only chooses the status code; the service itself makes a repeated key harmless.
        seen = key is not None and Hold.objects.filter(idempotency_key=key).exists()
        hold = hold_services.place_hold(patron, record, pickup_branch=pickup, actor=self.actor(request),
                                        at=clock.now(), item=item, expires_at=data.get("expires_at"),
                                        idempotency_key=key, override=data["override"])
        return Response(HoldSerializer(_hold_out(hold)).data,
                        status=status.HTTP_200_OK if seen else status.HTTP_201_CREATED)


class HoldDetailView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"GET": "patrons.view", "DELETE": "circulation.checkout"}
    required_scopes: ClassVar[dict[str, str]] = {"GET": "holds:read", "DELETE": "holds:write"}

    @extend_schema(operation_id="holds_retrieve", responses={200: HoldSerializer, **REFUSALS})
    def get(self, request: Request, pk: int) -> Response:
        """One hold."""
        return Response(HoldSerializer(hold_by_id(pk)).data)

    @extend_schema(operation_id="holds_cancel",
                   parameters=[OpenApiParameter("reason", str, required=True,
                                                description="Why the hold is cancelled.")],
                   responses={200: HoldSerializer, **REFUSALS, 404: ErrorSerializer})
    def delete(self, request: Request, pk: int) -> Response:
        """Cancel a hold; answers with the cancelled hold. The reason comes as the `reason` query parameter."""
        params = CancelHoldSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        hold = hold_services.cancel_hold(hold_by_id(pk), actor=self.actor(request), at=clock.now(),
                                         reason=params.validated_data["reason"])
        return Response(HoldSerializer(_hold_out(hold)).data)

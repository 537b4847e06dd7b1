"""Patrons (staff only): search, register, read, change."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from kitab.core import clock
from kitab.patrons import selectors as patron_selectors
from kitab.patrons import services as patron_services
from kitab.patrons.models import Patron

from ..base import ApiView
from ..serializers.common import ErrorSerializer
from ..serializers.patrons import PatronSearchSerializer, PatronSerializer, PatronWriteSerializer
from .lookups import patron_by_id

REFUSALS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 409: ErrorSerializer,
            422: ErrorSerializer}


class PatronListView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"GET": "patrons.view", "POST": "patrons.edit"}
    required_scopes: ClassVar[dict[str, str]] = {"GET": "patrons:read", "POST": "patrons:write"}

    @extend_schema(operation_id="patrons_search", parameters=[PatronSearchSerializer],
                   responses={200: PatronSerializer(many=True), **REFUSALS})
    def get(self, request: Request) -> Response:
        """Find patrons by card number, email, phone or name."""
        params = PatronSearchSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        patrons = patron_selectors.search_patrons(params.validated_data["q"],
                                                  limit=params.validated_data["limit"])
        return Response(PatronSerializer(patrons, many=True).data)

    @extend_schema(operation_id="patrons_create", request=PatronWriteSerializer,
                   responses={201: PatronSerializer, **REFUSALS})
    def post(self, request: Request) -> Response:
        """Register a patron."""
        body = PatronWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        patron = patron_services.register_patron(**body.validated_data, actor=self.actor(request), at=clock.now())
        return Response(PatronSerializer(patron).data, status=status.HTTP_201_CREATED)


class PatronDetailView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"GET": "patrons.view", "PATCH": "patrons.edit"}
    required_scopes: ClassVar[dict[str, str]] = {"GET": "patrons:read", "PATCH": "patrons:write"}

    @extend_schema(operation_id="patrons_retrieve", responses={200: PatronSerializer, 404: ErrorSerializer,
                                                               **REFUSALS})
    def get(self, request: Request, pk: int) -> Response:
        """One patron."""
        return Response(PatronSerializer(patron_by_id(pk)).data)

    @extend_schema(operation_id="patrons_partial_update", request=PatronWriteSerializer(partial=True),
                   responses={200: PatronSerializer, 404: ErrorSerializer, **REFUSALS})
    def patch(self, request: Request, pk: int) -> Response:
        """Change some of a patron's details; a field that cannot be changed is refused (unknown_field)."""
        patron: Patron = patron_by_id(pk)
        body = PatronWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        # Fields the serializer does not know go to the service, which refuses them by name.
        unknown = {name: request.data[name] for name in request.data if name not in body.fields}
        patron = patron_services.update_patron(patron, actor=self.actor(request), at=clock.now(),
                                               **body.validated_data, **unknown)
        return Response(PatronSerializer(patron).data)

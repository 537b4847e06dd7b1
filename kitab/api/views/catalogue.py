"""Records (public read, staff delete), their MARC (MARCXML and ISO 2709) and their copies."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from kitab.catalogue import services as catalogue_services
from kitab.catalogue.display import record_from_raw
from kitab.catalogue.models import Record
from kitab.items.models import Item
from kitab.marc.writer import to_marcxml

from ..base import ApiView
from ..serializers.catalogue import (
    ItemSerializer,
    RecordDetailSerializer,
    RecordPageSerializer,
    RecordSerializer,
)
from ..serializers.common import ErrorSerializer
from .lookups import item_by_barcode, record_by_id


class Pages(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


class RecordListView(ApiView):
    required_scopes: ClassVar[dict[str, str]] = {"GET": "records:read"}

    @extend_schema(operation_id="records_list", responses={200: RecordPageSerializer},
                   parameters=[OpenApiParameter("limit", int, description="Page size (at most 100)."),
                               OpenApiParameter("offset", int, description="Records to skip.")])
    def get(self, request: Request) -> Response:
        """Every record, by id, a page at a time (`limit`, `offset`)."""
        pages = Pages()
        page = pages.paginate_queryset(Record.objects.defer("raw").order_by("pk"), request, view=self)
        return pages.get_paginated_response(RecordSerializer(page, many=True).data)


class RecordDetailView(ApiView):
    required_permissions: ClassVar[dict[str, str]] = {"DELETE": "catalogue.edit"}
    required_scopes: ClassVar[dict[str, str]] = {"GET": "records:read", "DELETE": "records:write"}

    @extend_schema(operation_id="records_retrieve", responses={200: RecordDetailSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """One record: its stored fields and its display fields."""
        return Response(RecordDetailSerializer(record_by_id(pk)).data)

    @extend_schema(operation_id="records_destroy",
                   responses={204: None, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def delete(self, request: Request, pk: int) -> Response:
        """Delete a record and its copies (staff with catalogue.edit); harvesters learn of it from a tombstone."""
        record = record_by_id(pk)
        catalogue_services.delete_records([record.pk], actor=self.actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecordMarcXmlView(ApiView):
    required_scopes: ClassVar[dict[str, str]] = {"GET": "records:read"}

    @extend_schema(operation_id="records_marcxml",
                   responses={(200, "application/marcxml+xml"): OpenApiResponse(OpenApiTypes.STR,
                                                                                description="MARCXML"),
                              404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> HttpResponse:
        """The record as MARCXML."""
        data = to_marcxml(record_from_raw(record_by_id(pk).raw))
        return HttpResponse(data, content_type="application/marcxml+xml; charset=utf-8")


class RecordIso2709View(ApiView):
    required_scopes: ClassVar[dict[str, str]] = {"GET": "records:read"}

    @extend_schema(operation_id="records_iso2709",
                   responses={(200, "application/marc"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                         description="ISO 2709, UTF-8"),
                              404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> HttpResponse:
        """The record as stored: ISO 2709, UTF-8."""
        record = record_by_id(pk)
        response = HttpResponse(bytes(record.raw), content_type="application/marc")
        response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.mrc"'
        return response


def _items() -> QuerySet[Item]:
    return Item.objects.select_related("home_branch", "holding_branch", "item_type").order_by("pk")


class RecordItemsView(ApiView):
    required_scopes: ClassVar[dict[str, str]] = {"GET": "items:read"}

    @extend_schema(operation_id="records_items", responses={200: ItemSerializer(many=True), 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """The record's copies and their status."""
        record = record_by_id(pk)
        return Response(ItemSerializer(_items().filter(record=record), many=True).data)


class ItemDetailView(ApiView):
    required_scopes: ClassVar[dict[str, str]] = {"GET": "items:read"}

    @extend_schema(operation_id="items_retrieve", responses={200: ItemSerializer, 404: ErrorSerializer})
    def get(self, request: Request, barcode: str) -> Response:
        """One copy, by barcode."""
        item = item_by_barcode(barcode)
        return Response(ItemSerializer(_items().get(pk=item.pk)).data)

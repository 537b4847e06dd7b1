"""Records and their copies."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.functional import Promise
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitab.catalogue.display import display_record, record_from_raw
from kitab.catalogue.models import Record
from kitab.items.models import Item


def plain(value: Any) -> Any:
    """Display dataclasses as JSON-ready values (lazy translated labels become text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Promise):
        return str(value)
    return value


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Record
        fields = ("id", "control_number", "control_number_identifier", "title", "author", "year", "language",
                  "material_type", "source", "created_at", "updated_at")


class RecordPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RecordSerializer(many=True)


class RecordDetailSerializer(RecordSerializer):
    display = serializers.SerializerMethodField(
        help_text="What the public record page shows: title, authors, imprint, subjects, notes, ISBNs, links.")

    class Meta(RecordSerializer.Meta):
        fields = (*RecordSerializer.Meta.fields, "display")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_display(self, record: Record) -> dict[str, Any]:
        return plain(display_record(record_from_raw(record.raw)))


class ItemSerializer(serializers.ModelSerializer):
    record = serializers.IntegerField(source="record_id")
    status_label = serializers.CharField(source="get_status_display")
    home_branch = serializers.CharField(source="home_branch.code")
    holding_branch = serializers.CharField(source="holding_branch.code")
    item_type = serializers.CharField(source="item_type.code", allow_null=True, default=None)

    class Meta:
        model = Item
        fields = ("id", "barcode", "record", "status", "status_label", "home_branch", "holding_branch", "location",
                  "call_number", "item_type")

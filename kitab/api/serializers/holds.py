"""Holds: placing one, and the holds staff read."""

from __future__ import annotations

from rest_framework import serializers

from kitab.holds.models import Hold


class HoldSerializer(serializers.ModelSerializer):
    patron = serializers.IntegerField(source="patron_id")
    patron_card = serializers.CharField(source="patron.card_number")
    record = serializers.IntegerField(source="record_id")
    item = serializers.CharField(source="item.barcode", allow_null=True, default=None,
                                 help_text="The one copy held (item-level holds only).")
    pickup_branch = serializers.CharField(source="pickup_branch.code")

    class Meta:
        model = Hold
        fields = ("id", "patron", "patron_card", "record", "item", "pickup_branch", "status", "position",
                  "placed_at", "expires_at", "ready_at", "pickup_deadline", "cancelled_at", "cancellation_reason")


class PlaceHoldSerializer(serializers.Serializer):
    patron = serializers.CharField(help_text="The patron's card number.")
    record = serializers.IntegerField(help_text="The record id (any copy).")
    pickup_branch = serializers.CharField(help_text="Branch code where the patron collects the copy.")
    item = serializers.CharField(required=False, help_text="Barcode, for a hold on this one copy.")
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    override = serializers.BooleanField(required=False, default=False)


class CancelHoldSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the hold is cancelled.")

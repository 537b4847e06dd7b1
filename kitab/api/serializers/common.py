"""Shapes shared by every domain: the error body."""

from __future__ import annotations

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable error code, e.g. item_on_loan.")
    message = serializers.CharField(help_text="What went wrong, in the request's language.")
    fields = serializers.DictField(required=False, help_text="Per-field problems (400 only).")

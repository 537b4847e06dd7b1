"""Shapes shared by every domain: the error body, and a reference to a row by its code."""

from __future__ import annotations

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable error code, e.g. item_on_loan.")
    message = serializers.CharField(help_text="What went wrong, in the request's language.")
    fields = serializers.DictField(required=False, help_text="Per-field problems (400 only).")


class CodeRelatedField(serializers.SlugRelatedField):
    """A branch, category or other coded row named by its `code`. A NUL character is refused as a field error
    before the lookup: PostgreSQL cannot compare text with NUL in it and would fail the request (DRF's CharField
    refuses NUL the same way; its SlugRelatedField does not)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                ProhibitNullCharactersValidator()(data)
            except Exception as error:  # django's ValidationError: report it as DRF's
                raise serializers.ValidationError(list(getattr(error, "messages", [str(error)]))) from error
        return super().to_internal_value(data)

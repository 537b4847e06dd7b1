"""Patrons: what staff read, and the fields they may set when registering or changing a patron."""

from __future__ import annotations

from rest_framework import serializers

from kitab.api.serializers.common import CodeRelatedField
from kitab.items.models import Branch
from kitab.patrons.models import Patron, PatronCategory


class PatronSerializer(serializers.ModelSerializer):
    home_branch = serializers.CharField(source="home_branch.code")
    category = serializers.CharField(source="category.code")
    guarantor = serializers.IntegerField(source="guarantor_id", allow_null=True)

    class Meta:
        model = Patron
        fields = ("id", "card_number", "first_name", "last_name", "date_of_birth", "email", "phone", "address",
                  "language", "home_branch", "category", "expires_on", "notes", "guarantor", "is_anonymised",
                  "created_at", "updated_at")


class PatronWriteSerializer(serializers.Serializer):
    """Registration (POST) and changes (PATCH, every field optional). Branch and category by code."""

    card_number = serializers.CharField(max_length=32)
    last_name = serializers.CharField(max_length=150, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    category = CodeRelatedField(queryset=PatronCategory.objects.all())
    home_branch = CodeRelatedField(queryset=Branch.objects.all())
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    language = serializers.CharField(max_length=8, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    guarantor = serializers.PrimaryKeyRelatedField(queryset=Patron.objects.all(), required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, help_text="Default: the category's enrolment period.")


class PatronSearchSerializer(serializers.Serializer):
    q = serializers.CharField(help_text="Card number, email, phone digits or name words (any script).")
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)

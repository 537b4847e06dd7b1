"""Cataloguing frameworks are edited here by an administrator (which fields the editor shows, requires, allows
to repeat, and their controlled values)."""

from __future__ import annotations

from django.contrib import admin

from .models import Framework, FrameworkField


class FrameworkFieldInline(admin.TabularInline):
    model = FrameworkField
    extra = 1
    fields = (
        "order",
        "tag",
        "label",
        "shown",
        "required",
        "repeatable",
        "in_template",
        "indicators",
        "default",
        "subfields",
    )


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "material_types", "leader", "order")
    inlines = [FrameworkFieldInline]

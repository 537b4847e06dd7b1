"""Read-only admin views: writes go through kitab.lists.services (the OPAC pages)."""

from __future__ import annotations

from django.contrib import admin

from .models import PatronList


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PatronList)
class PatronListAdmin(ReadOnlyAdmin):
    list_display = ["name", "patron", "is_public", "updated_at"]
    list_filter = ["is_public"]
    search_fields = ["name", "patron__card_number"]
    exclude = ["share_token"]

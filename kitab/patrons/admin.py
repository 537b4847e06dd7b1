from django.contrib import admin

from .models import Patron, PatronBlock, PatronCategory, PatronEvent


@admin.register(PatronCategory)
class PatronCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "enrolment_period_days", "requires_guarantor", "fine_limit"]


@admin.register(Patron)
class PatronAdmin(admin.ModelAdmin):
    list_display = ["card_number", "last_name", "first_name", "category", "home_branch", "expires_on"]
    list_filter = ["category", "home_branch", "is_anonymised"]
    search_fields = ["card_number", "last_name", "email"]
    raw_id_fields = ["guarantor"]
    # Writes go through kitab.patrons.services; the admin is for looking.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PatronBlock)
class PatronBlockAdmin(admin.ModelAdmin):
    list_display = ["patron", "reason", "created_at", "created_by", "lifted_at"]
    raw_id_fields = ["patron"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PatronEvent)
class PatronEventAdmin(admin.ModelAdmin):
    """The record history is written by the services only."""

    list_display = ["at", "patron", "action", "detail", "actor_name", "actor_branch", "actor_channel"]
    list_filter = ["action"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

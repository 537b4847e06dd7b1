from django.contrib import admin

from .models import Hold, HoldSettings


@admin.register(HoldSettings)
class HoldSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pickup_allowed", "accepts_transfers", "shelf_days"]


@admin.register(Hold)
class HoldAdmin(admin.ModelAdmin):
    """Holds change only through the services (they keep the queue and the audit trail)."""

    list_display = ["pk", "record", "patron", "pickup_branch", "status", "position", "placed_at", "pickup_deadline"]
    list_filter = ["status", "pickup_branch"]
    raw_id_fields = ["patron", "record", "item", "trapped_item", "loan"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

from django.contrib import admin

from .models import SipTerminal


@admin.register(SipTerminal)
class SipTerminalAdmin(admin.ModelAdmin):
    """Terminals are created and their passwords set with `kitab sip2 add-terminal` (the password is hashed
    there); here they can be moved to another branch, given a character set, or disabled."""

    list_display = ["login", "branch", "enabled", "charset"]
    list_filter = ["enabled", "branch"]
    search_fields = ["login"]
    exclude = ["password"]
    readonly_fields = ["login"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

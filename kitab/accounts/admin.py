from django.contrib import admin

from .models import PatronAccount, RegistrationRequest, RegistrationSettings


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "open", "requires_approval", "category", "card_prefix")


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(admin.ModelAdmin):
    list_display = ("__str__", "branch", "status", "created_at", "decided_at")
    list_filter = ("status", "branch")
    exclude = ("password_hash", "token_hash")
    readonly_fields = ("patron",)


@admin.register(PatronAccount)
class PatronAccountAdmin(admin.ModelAdmin):
    list_display = ("patron", "created_at")
    raw_id_fields = ("user", "patron")

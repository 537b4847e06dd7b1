from django.contrib import admin

from .models import (
    BranchCalendar,
    CirculationRule,
    Closure,
    ExceptionalOpening,
    FineEntry,
    Loan,
    SettingsChange,
    Transfer,
)


@admin.register(CirculationRule)
class CirculationRuleAdmin(admin.ModelAdmin):
    list_display = ["pk", "branch", "patron_category", "item_type", "loan_period", "loan_unit", "max_loans",
                    "renewals_allowed", "fine_per_day"]
    list_filter = ["branch", "patron_category", "item_type"]


@admin.register(BranchCalendar)
class BranchCalendarAdmin(admin.ModelAdmin):
    list_display = ["branch", "open_weekdays", "closes_at"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "start_date", "end_date"]


@admin.register(ExceptionalOpening)
class ExceptionalOpeningAdmin(admin.ModelAdmin):
    list_display = ["branch", "date", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Loans, transfers and fines change only through the services (they keep the audit trail)."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["pk", "item", "patron", "status", "issued_at", "due_at", "returned_at"]
    list_filter = ["status", "branch"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["item", "from_branch", "to_branch", "sent_at", "received_at"]


@admin.register(FineEntry)
class FineEntryAdmin(ReadOnlyAdmin):
    list_display = ["patron", "kind", "amount", "outstanding", "created_at", "actor_name"]
    list_filter = ["kind"]


@admin.register(SettingsChange)
class SettingsChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "subject", "actor_name", "actor_branch", "actor_channel"]
    list_filter = ["action"]

"""Admin: elections and polling areas editable; the books (donations, support, budgets) are read-only here —
they are written through the services, which keep them balanced and audited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Budget, BudgetAllocation, BudgetSpending, Donation, Election, PollingArea, Support


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin[Election]):
    list_display = ["name", "polling_day", "unit"]
    raw_id_fields = ["unit", "created_by"]


@admin.register(PollingArea)
class PollingAreaAdmin(admin.ModelAdmin[PollingArea]):
    list_display = ["name", "number", "commune", "election"]
    raw_id_fields = ["commune", "election"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["receipt_no", "receipt_year", "receiver", "donor_name", "kind", "amount", "estimated_value"]
    list_filter = ["kind", "donor_kind"]


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ["given_on", "giver", "recipient_name", "kind", "amount", "quantity"]


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year"]


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(ReadOnlyAdmin):
    list_display = ["budget", "allocated_on", "amount", "decision"]


@admin.register(BudgetSpending)
class BudgetSpendingAdmin(ReadOnlyAdmin):
    list_display = ["budget", "spent_on", "category", "amount", "description"]

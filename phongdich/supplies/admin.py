"""The supply catalogue is data: items are added, renamed or retired here (a retired item keeps its ledger).
The ledger itself is written only through the services (pages, API), so it is read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Movement, SupplyItem, Threshold


@admin.register(SupplyItem)
class SupplyItemAdmin(admin.ModelAdmin[SupplyItem]):
    list_display = ["code", "name", "category", "unit_of_measure", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin[Movement]):
    list_display = ["occurred_on", "holder", "item", "kind", "quantity", "reason"]
    list_filter = ["kind", "item"]
    readonly_fields = [f.name for f in Movement._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin[Threshold]):
    list_display = ["holder", "item", "minimum"]
    list_filter = ["item"]
    raw_id_fields = ["holder"]

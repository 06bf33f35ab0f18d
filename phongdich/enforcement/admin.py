"""The caps and the regulations catalogue are data, edited here. Gatherings, inspections and violations are
written only through the services (pages, API: audited), so they are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CapRule, Gathering, Inspection, Regulation, Violation


@admin.register(CapRule)
class CapRuleAdmin(admin.ModelAdmin[CapRule]):
    list_display = ["kind", "cap", "effective_from", "effective_to", "source", "uncertain"]
    list_filter = ["kind", "uncertain"]


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin[Regulation]):
    list_display = ["code", "article", "document", "fine_min", "fine_max", "uncertain", "is_active"]
    list_filter = ["uncertain", "is_active"]
    search_fields = ["code", "article", "title"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Gathering)
class GatheringAdmin(_ReadOnly):
    list_display = ["event_date", "title", "kind", "commune", "expected_attendance", "cap", "status"]
    list_filter = ["kind", "status"]


@admin.register(Inspection)
class InspectionAdmin(_ReadOnly):
    list_display = ["inspected_on", "inspector_unit", "target_unit", "result"]
    list_filter = ["result"]


@admin.register(Violation)
class ViolationAdmin(_ReadOnly):
    list_display = ["occurred_on", "offender_name", "kind", "sanction", "published"]
    list_filter = ["kind", "sanction", "published"]

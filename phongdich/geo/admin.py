"""Django admin for the administrative tree (superusers)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Unit, UnitSuccession


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ("code", "name", "tree", "level", "unit_type", "population", "population_source", "parent")
    list_filter = ("tree", "level", "unit_type", "population_source")
    search_fields = ("code", "name", "name_folded")
    readonly_fields = ("uid", "path", "name_folded", "created_at", "updated_at")
    raw_id_fields = ("parent",)
    ordering = ("tree", "path")
    list_select_related = ("parent",)

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> Any:
        # Code, parent and tree make up the materialised path of the unit and of everything below it.
        if obj is not None:
            return (*self.readonly_fields, "tree", "code", "parent", "level")
        return self.readonly_fields


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin[UnitSuccession]):
    list_display = ("old_code", "old_name", "new_unit", "whole", "is_default", "note", "effective_from")
    list_filter = ("whole", "is_default", "new_unit__tree")
    search_fields = ("old_code", "old_name", "new_unit__name", "new_unit__code")
    raw_id_fields = ("old_unit", "new_unit")
    list_select_related = ("new_unit",)

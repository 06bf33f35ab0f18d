"""Campaigns and rounds, read-only: campaigns change through their pages (audited), rounds are drawn there."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Campaign, Round


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "sample_mode", "sample_percent", "sample_count", "period", "start_date", "end_date"]
    list_filter = ["period", "is_active"]
    search_fields = ["name"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "number", "period_start", "seed", "eligible_count", "drawn_count"]

from django.contrib import admin

from .models import OfficeHours, OnSitePlan, PublicHoliday, Trip, WorkerPass


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin[PublicHoliday]):
    list_display = ["day", "name", "uncertain", "source"]
    list_filter = ["uncertain"]
    date_hierarchy = "day"


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin[OfficeHours]):
    list_display = [
        "effective_from",
        "effective_to",
        "weekdays",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
    ]


@admin.register(Trip)
class TripAdmin(admin.ModelAdmin[Trip]):
    list_display = ["traveller", "organisation", "depart_at", "return_at", "status"]
    list_filter = ["status", "needs_approval"]
    raw_id_fields = [
        "traveller",
        "membership",
        "organisation",
        "unit",
        "declaration",
        "decided_by",
        "created_by",
        "approvers",
    ]


@admin.register(OnSitePlan)
class OnSitePlanAdmin(admin.ModelAdmin[OnSitePlan]):
    list_display = ["organisation", "start_date", "end_date", "capacity", "workers_on_site", "workers_total"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(WorkerPass)
class WorkerPassAdmin(admin.ModelAdmin[WorkerPass]):
    list_display = ["person", "organisation", "direction", "from_date", "to_date"]
    list_filter = ["direction"]
    raw_id_fields = ["plan", "organisation", "person", "created_by"]

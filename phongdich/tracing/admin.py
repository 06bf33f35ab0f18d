from django.contrib import admin

from .models import ChainSnapshot, Contact, F1WindowRule


@admin.register(F1WindowRule)
class F1WindowRuleAdmin(admin.ModelAdmin[F1WindowRule]):
    """The F1 window is dated data: an administrator corrects it here (levels follow on the next refresh)."""

    list_display = ["effective_from", "effective_to", "days_before", "source", "uncertain"]
    list_filter = ["uncertain"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ["source", "contact", "exposure_type", "first_exposure", "last_exposure"]
    list_filter = ["exposure_type"]
    raw_id_fields = ["source", "contact", "organisation", "premises", "place_unit", "recorded_by"]


@admin.register(ChainSnapshot)
class ChainSnapshotAdmin(admin.ModelAdmin[ChainSnapshot]):
    list_display = ["key", "first_case_code", "size", "case_count", "generations", "dirty", "computed_at"]
    list_filter = ["dirty"]
    readonly_fields = ["json"]
    raw_id_fields = ["unit"]

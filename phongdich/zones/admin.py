from django.contrib import admin

from .models import EpidemicArea, ExposureFlag, LookBackRule, PlaceVisit


@admin.register(EpidemicArea)
class EpidemicAreaAdmin(admin.ModelAdmin[EpidemicArea]):
    list_display = ("__str__", "kind", "start_date", "end_date", "source_number", "is_complex")
    list_filter = ("kind", "is_complex")
    raw_id_fields = ("unit",)
    readonly_fields = ("created_by",)


@admin.register(LookBackRule)
class LookBackRuleAdmin(admin.ModelAdmin[LookBackRule]):
    list_display = ("days", "effective_from", "effective_to", "source")


@admin.register(PlaceVisit)
class PlaceVisitAdmin(admin.ModelAdmin[PlaceVisit]):
    list_display = ("person", "kind", "country", "unit", "from_date", "to_date", "source")
    raw_id_fields = ("person", "unit")
    readonly_fields = ("recorded_by",)


@admin.register(ExposureFlag)
class ExposureFlagAdmin(admin.ModelAdmin[ExposureFlag]):
    list_display = ("person", "area", "source", "flagged_at", "cleared_at")
    raw_id_fields = ("person", "area")

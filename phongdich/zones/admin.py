from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Checkpoint,
    ControlZone,
    EpidemicArea,
    ExposureFlag,
    LookBackRule,
    MeasureSet,
    PassCheck,
    PlaceVisit,
    TransportPass,
)


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


# --- Control zones, measure sets, goods-transport passes (Z1, Z2) ------------------------------


@admin.register(MeasureSet)
class MeasureSetAdmin(admin.ModelAdmin[MeasureSet]):
    list_display = ("code", "name", "level", "effective_from", "effective_to", "is_uncertain")
    search_fields = ("code", "name", "source_document")

    @admin.display(boolean=True, description=_("có biện pháp chưa xác nhận"))
    def is_uncertain(self, obj: MeasureSet) -> bool:
        return obj.is_uncertain


@admin.register(ControlZone)
class ControlZoneAdmin(admin.ModelAdmin[ControlZone]):
    list_display = ("name", "zone_kind", "area", "measure_set", "start_date", "end_date", "lifted_on")
    list_filter = ("zone_kind", "area", "measure_set")
    raw_id_fields = ("units", "premises")
    readonly_fields = ("created_by",)
    search_fields = ("name", "decision_number")


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin[Checkpoint]):
    list_display = ("name", "unit", "zone", "is_active")
    raw_id_fields = ("unit", "zone")


@admin.register(TransportPass)
class TransportPassAdmin(admin.ModelAdmin[TransportPass]):
    list_display = ("plate", "driver_name", "valid_from", "valid_to", "issuing_unit", "revoked_at")
    search_fields = ("plate",)
    raw_id_fields = ("origin_unit", "destination_unit", "issuing_unit", "zones", "replaced_by")
    exclude = ("nonce",)
    readonly_fields = ("issued_by",)


@admin.register(PassCheck)
class PassCheckAdmin(admin.ModelAdmin[PassCheck]):
    list_display = ("checked_at", "checkpoint", "transport_pass", "result", "checked_by")
    list_filter = ("result",)
    raw_id_fields = ("transport_pass", "checkpoint")
    readonly_fields = ("checked_by",)

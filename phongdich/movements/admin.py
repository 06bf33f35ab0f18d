from django.contrib import admin

from .models import Movement


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin[Movement]):
    list_display = ["move_date", "direction", "person", "unit", "place_kind", "country", "left_on"]
    list_filter = ["direction", "transport", "declared_by"]
    date_hierarchy = "move_date"
    raw_id_fields = ["person", "unit", "commune", "place_unit", "closed_by", "recorded_by"]

from django.contrib import admin

from .models import Lab, MandatoryTestRule


@admin.register(MandatoryTestRule)
class MandatoryTestRuleAdmin(admin.ModelAdmin[MandatoryTestRule]):
    list_display = [
        "trigger",
        "kind",
        "due_within_days",
        "applies_to",
        "effective_from",
        "effective_to",
        "source",
        "uncertain",
    ]
    list_filter = ["trigger", "uncertain"]


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin[Lab]):
    list_display = ["name", "unit", "capacity_rapid", "capacity_pcr", "active"]
    raw_id_fields = ["unit", "organisation"]

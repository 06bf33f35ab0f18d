from django.contrib import admin

from .models import Facility, QuarantineRule


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin[Facility]):
    list_display = ["name", "kind", "unit", "capacity", "ready"]
    list_filter = ["kind", "ready"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "operator"]


@admin.register(QuarantineRule)
class QuarantineRuleAdmin(admin.ModelAdmin[QuarantineRule]):
    list_display = ["effective_from", "effective_to", "applies_to", "source", "centralised_days", "home_days"]
    list_filter = ["applies_to", "source_local", "uncertain"]

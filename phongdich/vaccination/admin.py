from django.contrib import admin

from . import models as m


@admin.register(m.VaccineProduct)
class VaccineProductAdmin(admin.ModelAdmin[m.VaccineProduct]):
    list_display = ["name", "manufacturer", "primary_doses", "min_interval_days", "uncertain", "active"]


@admin.register(m.VaccineLot)
class VaccineLotAdmin(admin.ModelAdmin[m.VaccineLot]):
    list_display = ["product", "lot_number", "expiry_date"]
    list_filter = ["product"]
    search_fields = ["lot_number"]


@admin.register(m.VaccinationSite)
class VaccinationSiteAdmin(admin.ModelAdmin[m.VaccinationSite]):
    list_display = ["name", "unit", "organisation", "active"]
    raw_id_fields = ["unit", "organisation"]


@admin.register(m.EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin[m.EligibilityRule]):
    list_display = ["effective_from", "effective_to", "min_age", "booster_min_days", "source", "uncertain"]


class PriorityGroupInline(admin.TabularInline[m.PriorityGroup, m.PriorityList]):
    model = m.PriorityGroup
    fk_name = "priority_list"
    extra = 0


@admin.register(m.PriorityList)
class PriorityListAdmin(admin.ModelAdmin[m.PriorityList]):
    list_display = ["name", "effective_from", "effective_to", "source", "uncertain"]
    inlines = [PriorityGroupInline]

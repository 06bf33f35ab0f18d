from django.contrib import admin

from .models import Assessment, CapacityReport, LevelDecision, RuleCell, RuleSet


class RuleCellInline(admin.TabularInline):
    model = RuleCell
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "effective_from", "effective_to")
    inlines = [RuleCellInline]


@admin.register(CapacityReport)
class CapacityReportAdmin(admin.ModelAdmin):
    list_display = ("unit", "week_start", "beds", "free_beds", "icu_beds", "mobile_stations", "oxygen_adequate")
    list_filter = ("week_start",)
    raw_id_fields = ("unit", "reported_by")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "week_start", "rule_set", "level", "uncertain")
    list_filter = ("week_start", "rule_set", "level")
    raw_id_fields = ("unit",)


@admin.register(LevelDecision)
class LevelDecisionAdmin(admin.ModelAdmin):
    list_display = ("unit", "level", "computed_level", "is_override", "published_at", "effective_from")
    raw_id_fields = ("unit", "assessment", "published_by")

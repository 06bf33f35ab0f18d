from django.contrib import admin

from .models import Case, CaseStatusChange


class CaseStatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "on_date", "at", "actor", "note"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["case_code", "person", "status", "detected_in", "confirmation_date", "residence_unit"]
    list_filter = ["status", "detected_in", "reported_by"]
    search_fields = ["case_code", "person__name_folded"]
    raw_id_fields = ["person", "facility", "residence_unit"]
    readonly_fields = ["case_code", "status", "confirmation_date", "confirmed_at"]
    inlines = [CaseStatusChangeInline]

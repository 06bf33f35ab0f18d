from django.contrib import admin

from .models import ExposureCandidate


@admin.register(ExposureCandidate)
class ExposureCandidateAdmin(admin.ModelAdmin[ExposureCandidate]):
    list_display = ("case", "person", "premises", "first_overlap_start", "overlap_minutes", "status")
    list_filter = ("status",)
    raw_id_fields = ("case", "person", "premises", "decided_by", "contact")
    readonly_fields = ("uid", "created_at", "updated_at")

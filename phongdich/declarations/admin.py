from django.contrib import admin

from .models import FollowUpTask, MedicalDeclaration


@admin.register(MedicalDeclaration)
class MedicalDeclarationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "residence_unit", "declared_at", "version", "has_symptoms", "in_epidemic_area"]
    raw_id_fields = ["person", "first", "residence_unit"]
    exclude = ["code_hash"]


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ["person", "commune", "reason", "created_at", "done_at"]
    raw_id_fields = ["person", "commune", "declaration"]

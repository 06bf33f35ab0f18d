from django.contrib import admin

from .models import Person, StaffMembership


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["full_name", "birth_year", "sex", "cccd", "phone", "residence_unit", "nationality", "merged_into"]
    list_filter = ["sex", "nationality", "illegal_entry", "is_synthetic"]
    search_fields = ["name_folded", "full_name", "=cccd", "=phone", "=passport_no"]
    raw_id_fields = ["residence_unit", "organisation", "user", "merged_into"]
    readonly_fields = ["uid", "name_folded", "given_name_folded", "created_at", "updated_at"]
    show_full_result_count = False


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin[StaffMembership]):
    list_display = ["person", "organisation", "position", "category", "is_head", "manager", "start_date", "end_date"]
    list_filter = ["category", "is_head", "is_party_member"]
    search_fields = ["person__name_folded", "person__full_name", "=person__cccd", "organisation__name", "position"]
    raw_id_fields = ["person", "organisation", "manager"]

from django.contrib import admin

from .models import DutyShift, Hotline, RapidResponseTeam, TeamMember, Tip, TipEvent


@admin.register(Hotline)
class HotlineAdmin(admin.ModelAdmin[Hotline]):
    list_display = ("name", "number", "unit", "hours", "is_public", "is_active")
    raw_id_fields = ("unit",)


class TeamMemberInline(admin.TabularInline[TeamMember, RapidResponseTeam]):
    model = TeamMember
    raw_id_fields = ("user",)
    extra = 0


@admin.register(RapidResponseTeam)
class RapidResponseTeamAdmin(admin.ModelAdmin[RapidResponseTeam]):
    list_display = ("name", "unit", "is_active")
    raw_id_fields = ("unit",)
    inlines = [TeamMemberInline]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin[DutyShift]):
    list_display = ("full_name", "team", "hotline", "start", "end")
    raw_id_fields = ("team", "hotline", "user")


class TipEventInline(admin.TabularInline[TipEvent, Tip]):
    model = TipEvent
    extra = 0
    readonly_fields = ("at", "actor", "from_status", "to_status", "note")
    can_delete = False


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin[Tip]):
    list_display = ("code", "kind", "commune", "routed_unit", "status", "received_at")
    list_filter = ("kind", "status", "channel")
    search_fields = ("code",)
    raw_id_fields = ("commune", "hamlet", "routed_unit", "assignee", "received_by")
    inlines = [TipEventInline]

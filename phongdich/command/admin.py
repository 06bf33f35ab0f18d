"""Admin of the command app: for looking things up. Writes go through the pages (audited services); the
history of plans and progress reports is read-only here."""

from django.contrib import admin

from .models import Directive, DirectiveTask, ResponsePlan, ResponsePlanVersion, TaskAssignment, TaskProgress


class ResponsePlanVersionInline(admin.TabularInline[ResponsePlanVersion, ResponsePlan]):
    model = ResponsePlanVersion
    extra = 0
    can_delete = False
    readonly_fields = ("version", "title", "approved_on", "approved_by", "attachment", "recorded_by", "created_at")
    exclude = ("content",)


@admin.register(ResponsePlan)
class ResponsePlanAdmin(admin.ModelAdmin[ResponsePlan]):
    list_display = ("organisation", "level", "title", "version", "approved_on")
    list_filter = ("level",)
    search_fields = ("organisation__name", "title")
    raw_id_fields = ("organisation", "recorded_by")
    inlines = [ResponsePlanVersionInline]


class DirectiveTaskInline(admin.TabularInline[DirectiveTask, Directive]):
    model = DirectiveTask
    extra = 0
    fields = ("number", "title", "deadline_kind", "due_at", "daily_time", "lead")
    raw_id_fields = ("lead",)


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin[Directive]):
    list_display = ("number", "issued_on", "issuing_body", "kind", "title")
    list_filter = ("kind",)
    search_fields = ("number", "title", "issuing_body")
    raw_id_fields = ("recorded_by",)
    inlines = [DirectiveTaskInline]


class TaskProgressInline(admin.TabularInline[TaskProgress, TaskAssignment]):
    model = TaskProgress
    extra = 0
    can_delete = False
    readonly_fields = ("status", "report", "evidence", "reported_at", "reported_by")


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(admin.ModelAdmin[TaskAssignment]):
    list_display = ("task", "organisation", "status", "done_at", "last_reported_at")
    list_filter = ("status",)
    search_fields = ("organisation__name", "task__title")
    raw_id_fields = ("task", "organisation")
    inlines = [TaskProgressInline]

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


# --- reports to the province (R1, R2) ---------------------------------------------------------------

from .models import Report, ReportField, ReportForm, ReportVersion  # noqa: E402


class ReportFieldInline(admin.TabularInline[ReportField, ReportForm]):
    model = ReportField
    extra = 0
    fields = ("order", "key", "label", "kind", "source", "required")


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin[ReportForm]):
    list_display = ("name", "code", "period", "deadline_time", "due_at", "active_from", "active_to")
    list_filter = ("period",)
    search_fields = ("name", "code")
    raw_id_fields = ("recipient", "created_by")
    inlines = [ReportFieldInline]


class ReportVersionInline(admin.TabularInline[ReportVersion, Report]):
    model = ReportVersion
    extra = 0
    can_delete = False
    readonly_fields = ("version", "values", "changes", "note", "recorded_at", "recorded_by")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    """Read-only: reports are submitted and corrected through the pages (audited, versioned)."""

    list_display = ("form", "day", "unit", "organisation", "version", "late", "first_submitted_at")
    list_filter = ("form", "late")
    date_hierarchy = "day"
    raw_id_fields = ("unit", "organisation", "submitted_by")
    inlines = [ReportVersionInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False

"""Directives, their numbered tasks assigned to the agencies they name, and each agency's progress reports
(R3, R4). ``TaskAssignment`` holds one agency's current state of one task; ``TaskProgress`` keeps every
report (the history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.orgs.models import Organisation


class DirectiveKind(models.TextChoices):
    OFFICIAL_LETTER = "official_letter", _("Công văn")
    DIRECTIVE = "directive", _("Chỉ thị")
    CONCLUSION = "conclusion", _("Thông báo kết luận")
    PLAN = "plan", _("Kế hoạch")
    DECISION = "decision", _("Quyết định")
    RESOLUTION = "resolution", _("Nghị quyết")
    OTHER = "other", _("Văn bản khác")


class Directive(BaseModel):
    """A directive as issued: number (may be missing on a conclusion notice), date, issuing body, text or PDF."""

    number = models.CharField(_("số, ký hiệu"), max_length=40, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DirectiveKind.choices)
    title = models.CharField(_("trích yếu"), max_length=500)
    text = models.TextField(_("nội dung"), blank=True)
    attachment = models.FileField(_("tệp PDF"), upload_to="command/directives/", blank=True, max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người nhập"),
    )

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issued_on"],
                condition=~models.Q(number=""),
                name="command_directive_number_date_unique",
            )
        ]

    def __str__(self) -> str:
        label = self.number or self.get_kind_display()
        return f"{label} ({self.issued_on:%d/%m/%Y})"


class DeadlineKind(models.TextChoices):
    ONCE = "once", _("Hạn một lần")
    DAILY = "daily", _("Định kỳ hằng ngày, trước giờ quy định")
    ONGOING = "ongoing", _("Thường xuyên, không có hạn")


class DirectiveTask(BaseModel):
    """A numbered task of a directive (``2.15``), the agencies it names, and its deadline."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("văn bản"))
    number = models.CharField(_("số mục"), max_length=20)
    title = models.CharField(_("nội dung tóm tắt"), max_length=300)
    text = models.TextField(_("nội dung chi tiết"), blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.ONCE
    )
    due_at = models.DateTimeField(_("hạn hoàn thành"), null=True, blank=True)
    daily_time = models.TimeField(_("giờ báo cáo hằng ngày"), null=True, blank=True)
    lead = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan chủ trì"),
    )
    assignees = models.ManyToManyField(
        Organisation, through="TaskAssignment", related_name="directive_tasks", verbose_name=_("cơ quan thực hiện")
    )

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["directive", "id"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "number"], name="command_task_number_unique"),
            models.CheckConstraint(
                condition=(models.Q(deadline_kind="once") & models.Q(due_at__isnull=False))
                | (models.Q(deadline_kind="daily") & models.Q(daily_time__isnull=False))
                | models.Q(deadline_kind="ongoing"),
                name="command_task_deadline_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    BLOCKED = "blocked", _("Gặp vướng mắc")


class TaskAssignment(BaseModel):
    """One agency's share of one task, with its current status (the latest report)."""

    task = models.ForeignKey(
        DirectiveTask, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("nhiệm vụ")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="task_assignments", verbose_name=_("cơ quan thực hiện")
    )
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("báo cáo gần nhất lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công nhiệm vụ")
        verbose_name_plural = _("phân công nhiệm vụ")
        ordering = ["task", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["task", "organisation"], name="command_assignment_unique")]
        indexes = [models.Index(fields=["organisation", "status"], name="command_assign_org_status")]

    def __str__(self) -> str:
        return f"{self.task} — {self.organisation}"


class TaskProgress(BaseModel):
    """One progress report of an agency on a task (kept: the history)."""

    assignment = models.ForeignKey(
        TaskAssignment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("phân công")
    )
    status = models.CharField(_("tình trạng"), max_length=12, choices=ProgressStatus.choices)
    report = models.TextField(_("nội dung báo cáo"))
    evidence = models.FileField(_("tệp minh chứng"), upload_to="command/evidence/", blank=True, max_length=200)
    evidence_name = models.CharField(_("tên tệp minh chứng"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("báo cáo lúc"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người báo cáo"),
    )

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["assignment", "-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.get_status_display()} ({self.reported_at:%d/%m/%Y %H:%M})"

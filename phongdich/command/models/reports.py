"""Reports sent up to the province (R1, R2): report forms are data (their fields, who must submit, the
period, the deadline and the recipient); a ``Report`` is one submitter's report for one day, ``ReportVersion``
keeps every version (the history of corrections) and ``ReportAttachment`` the files of a one-off report.

A submitter is a unit of the administrative tree (a district, a commune) or an organisation (a member agency
of the steering committee); ``submitter_key`` (``u:<id>`` or ``o:<id>``) makes one report per submitter,
form and day unique whichever it is."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation


class ReportPeriod(models.TextChoices):
    DAILY = "daily", _("Hằng ngày")
    ONE_OFF = "one_off", _("Đột xuất, một lần")


class FieldKind(models.TextChoices):
    NUMBER = "number", _("Số")
    TEXT = "text", _("Văn bản")


class FigureSource(models.TextChoices):
    """Where a number field is pre-filled from: the system's own figures for the submitter's area."""

    NEW_CASES = "new_cases", _("Ca mắc mới trong ngày")
    F1 = "f1", _("Số F1 đang theo dõi")
    F2 = "f2", _("Số F2 đang theo dõi")
    Q_CENTRALISED = "q_centralised", _("Đang cách ly tập trung")
    Q_HOME = "q_home", _("Đang cách ly tại nhà")
    Q_POST = "q_post", _("Đang theo dõi sau cách ly")
    Q_SELF = "q_self", _("Đang tự theo dõi, cách ly")
    TESTS = "tests", _("Số mẫu xét nghiệm có kết quả trong ngày")
    POSITIVES = "positives", _("Số mẫu dương tính trong ngày")
    DOSES = "doses", _("Số mũi vắc xin đã tiêm trong ngày")
    ARRIVALS = "arrivals", _("Người về từ vùng dịch trong ngày")


class ReportForm(BaseModel):
    """A kind of report: the daily report to the province, or a one-off request with its own deadline."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên báo cáo"), max_length=255)
    period = models.CharField(_("kỳ báo cáo"), max_length=10, choices=ReportPeriod.choices)
    deadline_time = models.TimeField(_("giờ hạn nộp hằng ngày"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn nộp"), null=True, blank=True)
    active_from = models.DateField(_("áp dụng từ ngày"))
    active_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    unit_level = models.PositiveSmallIntegerField(
        _("đơn vị hành chính phải nộp (cấp)"), choices=Level.choices, null=True, blank=True
    )
    org_kinds = models.JSONField(_("loại cơ quan phải nộp"), default=list, blank=True)
    org_unit_level = models.PositiveSmallIntegerField(
        _("cơ quan phải nộp thuộc cấp"), choices=Level.choices, null=True, blank=True
    )
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    recipient = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan nhận báo cáo"),
    )
    recipient_label = models.CharField(_("nơi nhận"), max_length=255, blank=True)
    instructions = models.TextField(_("yêu cầu"), blank=True)
    allow_attachments = models.BooleanField(_("cho phép đính kèm tệp"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        ordering = ["period", "-active_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(period="daily") & models.Q(deadline_time__isnull=False))
                | (models.Q(period="one_off") & models.Q(due_at__isnull=False)),
                name="command_reportform_deadline_consistent",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReportField(BaseModel):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="fields", verbose_name=_("mẫu"))
    key = models.SlugField(_("mã trường"), max_length=40)
    label = models.CharField(_("nội dung"), max_length=255)
    kind = models.CharField(_("kiểu"), max_length=8, choices=FieldKind.choices)
    source = models.CharField(_("lấy số liệu từ"), max_length=16, choices=FigureSource.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=False)

    class Meta:
        verbose_name = _("trường báo cáo")
        verbose_name_plural = _("trường báo cáo")
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="command_reportfield_key_unique")]

    def __str__(self) -> str:
        return self.label


class Report(BaseModel):
    """One submitter's report of one form for one day (its current version)."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports", verbose_name=_("mẫu"))
    day = models.DateField(_("ngày báo cáo"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị hành chính")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    submitter_key = models.CharField(max_length=24, editable=False)
    values = models.JSONField(_("số liệu"), default=dict)
    system_figures = models.JSONField(_("số liệu hệ thống"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    first_submitted_at = models.DateTimeField(_("nộp lần đầu lúc"))
    submitted_at = models.DateTimeField(_("cập nhật lúc"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người nộp"),
    )
    late = models.BooleanField(_("nộp muộn"), default=False)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "day", "submitter_key"], name="command_report_one_per_day"),
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(organisation__isnull=True))
                | (models.Q(unit__isnull=True) & models.Q(organisation__isnull=False)),
                name="command_report_one_submitter",
            ),
        ]
        indexes = [models.Index(fields=["form", "day"], name="command_report_form_day")]

    def __str__(self) -> str:
        return f"{self.form} — {self.submitter_name} ({self.day:%d/%m/%Y})"

    @property
    def submitter_name(self) -> str:
        if self.unit_id:
            return str(self.unit.name)  # type: ignore[union-attr]
        return str(self.organisation.name)  # type: ignore[union-attr]


class ReportVersion(BaseModel):
    """One version of a report as submitted or corrected: the values, what changed, who and when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions", verbose_name=_("báo cáo"))
    version = models.PositiveIntegerField(_("phiên bản"))
    values = models.JSONField(_("số liệu"), default=dict)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.CharField(_("lý do điều chỉnh"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("lúc"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người nộp"),
    )

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report", "-version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="command_reportversion_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"


class ReportAttachment(BaseModel):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("báo cáo"))
    file = models.FileField(_("tệp"), upload_to="command/reports/", max_length=200)
    name = models.CharField(_("tên tệp"), max_length=200)
    size = models.PositiveIntegerField(_("dung lượng"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tệp đính kèm báo cáo")
        verbose_name_plural = _("tệp đính kèm báo cáo")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name

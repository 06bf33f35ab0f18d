"""Hotlines, rapid-response teams and their duty shifts (R5), and tips from citizens (G4) followed from
receipt to closure with their status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit


class Hotline(BaseModel):
    """A hotline of a province or district (``đường dây nóng``)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    name = models.CharField(_("tên"), max_length=200)
    number = models.CharField(_("số điện thoại"), max_length=20)
    hours = models.CharField(_("thời gian trực"), max_length=100, default="24/7")
    is_public = models.BooleanField(_("công bố cho người dân"), default=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đường dây nóng")
        verbose_name_plural = _("đường dây nóng")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class RapidResponseTeam(BaseModel):
    """A rapid-response team (``Đội phản ứng nhanh``) of a province or district."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    name = models.CharField(_("tên đội"), max_length=200)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đội phản ứng nhanh")
        verbose_name_plural = _("đội phản ứng nhanh")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(BaseModel):
    team = models.ForeignKey(RapidResponseTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("đội"))
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("nhiệm vụ trong đội"), max_length=100, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tài khoản"),
    )

    class Meta:
        verbose_name = _("thành viên đội")
        verbose_name_plural = _("thành viên đội")
        ordering = ["team", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class DutyShiftQuerySet(models.QuerySet["DutyShift"]):
    def at(self, moment: object) -> DutyShiftQuerySet:
        """Shifts running at ``moment`` (start inclusive, end exclusive)."""
        return self.filter(start__lte=moment, end__gt=moment)


class DutyShift(BaseModel):
    """Who is on duty for a team or a hotline, from ``start`` to ``end``."""

    team = models.ForeignKey(
        RapidResponseTeam,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("đội"),
    )
    hotline = models.ForeignKey(
        Hotline, null=True, blank=True, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("đường dây")
    )
    full_name = models.CharField(_("người trực"), max_length=120)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tài khoản"),
    )
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("ca trực")
        verbose_name_plural = _("ca trực")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="hotlines_shift_end_after_start"
            ),
            models.CheckConstraint(
                condition=(models.Q(team__isnull=False) & models.Q(hotline__isnull=True))
                | (models.Q(team__isnull=True) & models.Q(hotline__isnull=False)),
                name="hotlines_shift_team_or_hotline",
            ),
        ]
        indexes = [models.Index(fields=["start", "end"], name="hotlines_shift_period")]

    def __str__(self) -> str:
        return f"{self.full_name} {self.start:%d/%m %H:%M}–{self.end:%d/%m %H:%M}"


class TipKind(models.TextChoices):
    SUSPECTED_CASE = "suspected_case", _("Nghi mắc COVID-19")
    ILLEGAL_ENTRY = "illegal_entry", _("Nhập cảnh trái phép")
    FALSE_INFORMATION = "false_information", _("Thông tin sai sự thật")
    PRICE_GOUGING = "price_gouging", _("Nâng giá, hàng giả vật tư y tế")
    VIOLATION = "violation", _("Vi phạm quy định phòng, chống dịch")
    OTHER = "other", _("Khác")


class TipChannel(models.TextChoices):
    PUBLIC = "public", _("Người dân gửi qua trang công khai")
    HOTLINE = "hotline", _("Cán bộ trực đường dây nóng nhập")


class TipStatus(models.TextChoices):
    NEW = "new", _("Mới")
    ASSIGNED = "assigned", _("Đã giao")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    CLOSED = "closed", _("Đã kết thúc")


class TipOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Đúng sự thật, đã xử lý")
    UNFOUNDED = "unfounded", _("Không đúng sự thật")
    REFERRED = "referred", _("Chuyển cơ quan có thẩm quyền")
    DUPLICATE = "duplicate", _("Trùng tin báo khác")


class Tip(BaseModel):
    """A tip from a citizen (``tin báo``): what, where, when, optionally who reported it; routed to the
    responsible unit, assigned, followed to closure. ``code`` lets the reporter follow its status."""

    code = models.CharField(_("mã tin báo"), max_length=12, unique=True)
    kind = models.CharField(_("loại tin báo"), max_length=20, choices=TipKind.choices)
    description = models.TextField(_("nội dung"))
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    hamlet = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn, xóm")
    )
    address = models.CharField(_("địa chỉ, nơi xảy ra"), max_length=200, blank=True)
    happened_at = models.DateTimeField(_("thời điểm xảy ra"), null=True, blank=True)
    reporter_name = models.CharField(_("người báo tin"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("số điện thoại người báo"), max_length=15, blank=True)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=TipChannel.choices)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cán bộ tiếp nhận"),
    )
    routed_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị chịu trách nhiệm")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=TipStatus.choices, default=TipStatus.NEW)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=TipOutcome.choices, blank=True)
    outcome_note = models.TextField(_("kết quả xử lý"), blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin báo")
        verbose_name_plural = _("tin báo")
        ordering = ["-id"]
        indexes = [models.Index(fields=["routed_unit", "status"], name="hotlines_tip_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""), name="hotlines_tip_closed_has_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.get_kind_display()}"


class TipEvent(models.Model):
    """The status history of a tip: each change, by whom, when, with a note."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="events", verbose_name=_("tin báo"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=12, choices=TipStatus.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=12, choices=TipStatus.choices)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("diễn biến tin báo")
        verbose_name_plural = _("diễn biến tin báo")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.tip_id} {self.from_status}→{self.to_status}"

"""Response plans per level (R6): each agency records its plan for each of the four levels; a new version
keeps the old ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.orgs.models import Organisation


class PlanLevel(models.IntegerChoices):
    """The four epidemic levels (Resolution 128/NQ-CP) a plan answers."""

    GREEN = 1, _("Cấp 1 — nguy cơ thấp (xanh)")
    YELLOW = 2, _("Cấp 2 — nguy cơ trung bình (vàng)")
    ORANGE = 3, _("Cấp 3 — nguy cơ cao (cam)")
    RED = 4, _("Cấp 4 — nguy cơ rất cao (đỏ)")


PLAN_COLOURS = {1: "green", 2: "yellow", 3: "orange", 4: "red"}


class ResponsePlan(BaseModel):
    """The plan in force of one organisation for one level (its latest version)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="response_plans", verbose_name=_("cơ quan, đơn vị")
    )
    level = models.PositiveSmallIntegerField(_("cấp độ dịch"), choices=PlanLevel.choices)
    title = models.CharField(_("tên phương án"), max_length=255)
    content = models.TextField(_("nội dung"), blank=True)
    attachment = models.FileField(_("tệp PDF"), upload_to="command/plans/", blank=True, max_length=200)
    approved_on = models.DateField(_("ngày phê duyệt"))
    approved_by = models.CharField(_("người phê duyệt (họ tên, chức vụ)"), max_length=200)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )

    class Meta:
        verbose_name = _("phương án ứng phó")
        verbose_name_plural = _("phương án ứng phó")
        ordering = ["organisation", "level"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "level"], name="command_plan_one_per_org_level"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="command_plan_level_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_level_display()}"

    @property
    def colour(self) -> str:
        return PLAN_COLOURS.get(self.level, "")


class ResponsePlanVersion(BaseModel):
    """Every version ever recorded, the current one included (its number equals the plan's ``version``)."""

    plan = models.ForeignKey(
        ResponsePlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("phương án")
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tên phương án"), max_length=255)
    content = models.TextField(_("nội dung"), blank=True)
    attachment = models.FileField(_("tệp PDF"), upload_to="command/plans/", blank=True, max_length=200)
    approved_on = models.DateField(_("ngày phê duyệt"))
    approved_by = models.CharField(_("người phê duyệt (họ tên, chức vụ)"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )

    class Meta:
        verbose_name = _("phiên bản phương án")
        verbose_name_plural = _("phiên bản phương án")
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="command_plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan} — v{self.version}"

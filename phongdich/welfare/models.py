"""Elections with mobile ballot boxes (E1), donations through the Fatherland Front and support to affected
people (E4), and the prevention budget per unit (E5).

Money is whole đồng in integer columns (``BigIntegerField``): never a float. Goods carry a quantity (a decimal
with three places) and an estimated value in đồng.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person

# --- Elections (E1) ----------------------------------------------------------------------------


class Election(BaseModel):
    """One polling day (an election of the National Assembly and the People's Councils, a by-election)."""

    name = models.CharField(_("tên cuộc bầu cử"), max_length=255)
    polling_day = models.DateField(_("ngày bầu cử"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn tổ chức"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cuộc bầu cử")
        verbose_name_plural = _("cuộc bầu cử")
        ordering = ["-polling_day", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.polling_day:%d/%m/%Y})"


class PollingArea(BaseModel):
    """A polling area (khu vực bỏ phiếu) of a commune, covering some of its hamlets."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="polling_areas", verbose_name=_("cuộc bầu cử")
    )
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    number = models.PositiveSmallIntegerField(_("số khu vực"))
    name = models.CharField(_("tên khu vực bỏ phiếu"), max_length=255)
    location = models.CharField(_("địa điểm bỏ phiếu"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("khu vực bỏ phiếu")
        verbose_name_plural = _("khu vực bỏ phiếu")
        ordering = ["commune__path", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "commune", "number"], name="welfare_area_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.commune.name}"


class PollingAreaUnit(models.Model):
    """A hamlet covered by a polling area: at most one polling area per hamlet and election (enforced here)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    polling_area = models.ForeignKey(
        PollingArea, on_delete=models.CASCADE, related_name="area_units", verbose_name=_("khu vực bỏ phiếu")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn, xóm, tổ dân phố"))

    class Meta:
        verbose_name = _("thôn, xóm của khu vực bỏ phiếu")
        verbose_name_plural = _("thôn, xóm của khu vực bỏ phiếu")
        constraints = [
            models.UniqueConstraint(fields=["election", "unit"], name="welfare_hamlet_one_area_per_election"),
        ]

    def __str__(self) -> str:
        return f"{self.polling_area_id} ← {self.unit_id}"


# --- Donations and support (E4) ----------------------------------------------------------------


class DonorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức")
    INDIVIDUAL = "individual", _("Cá nhân")


class GiftKind(models.TextChoices):
    MONEY = "money", _("Tiền")
    GOODS = "goods", _("Hiện vật")


class Donation(BaseModel):
    """A donation received by a receiving body (the Fatherland Front of a unit), with its receipt number:
    numbered from 1 per receiving body and year."""

    receiver = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="donations", verbose_name=_("đơn vị tiếp nhận")
    )
    receipt_year = models.PositiveSmallIntegerField(_("năm"))
    receipt_no = models.PositiveIntegerField(_("số biên nhận"))
    received_on = models.DateField(_("ngày tiếp nhận"))
    donor_kind = models.CharField(_("loại nhà tài trợ"), max_length=16, choices=DonorKind.choices)
    donor_name = models.CharField(_("tên đơn vị, cá nhân ủng hộ"), max_length=255)
    donor_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    donor_phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    kind = models.CharField(_("hình thức"), max_length=8, choices=GiftKind.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    goods = models.CharField(_("tên hàng hóa"), max_length=255, blank=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=3, default=0)
    goods_unit = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    estimated_value = models.BigIntegerField(_("giá trị ước tính (đồng)"), default=0)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("khoản ủng hộ")
        verbose_name_plural = _("khoản ủng hộ")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["receiver", "receipt_year", "receipt_no"], name="welfare_receipt_number_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="welfare_donation_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="welfare_donation_quantity_not_negative"),
            models.CheckConstraint(
                condition=models.Q(estimated_value__gte=0), name="welfare_donation_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no}/{self.receipt_year} — {self.donor_name}"

    @property
    def receipt_code(self) -> str:
        return f"{self.receipt_no:04d}/{self.receipt_year}"

    @property
    def value(self) -> int:
        """What the donation is worth in đồng: the money, or the goods' estimated value."""
        return self.amount if self.kind == GiftKind.MONEY else self.estimated_value


class Support(BaseModel):
    """Support given out by a receiving body to an affected household or person: money from its pool of money
    donations, or goods from one goods donation."""

    giver = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_given", verbose_name=_("đơn vị trao")
    )
    given_on = models.DateField(_("ngày trao"))
    recipient_name = models.CharField(_("người, hộ nhận hỗ trợ"), max_length=255)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhận")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    household_size = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=1)
    reason = models.CharField(_("hoàn cảnh"), max_length=255)
    kind = models.CharField(_("hình thức"), max_length=8, choices=GiftKind.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    donation = models.ForeignKey(
        Donation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support",
        verbose_name=_("từ khoản ủng hộ hiện vật"),
    )
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=3, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("khoản hỗ trợ")
        verbose_name_plural = _("khoản hỗ trợ")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="welfare_support_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="welfare_support_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} ({self.given_on:%d/%m/%Y})"


# --- Budget (E5) -------------------------------------------------------------------------------


class Budget(BaseModel):
    """The prevention and control budget of a unit for a year: allocations in, spending lines out."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    year = models.PositiveSmallIntegerField(_("năm"))

    class Meta:
        verbose_name = _("kinh phí phòng, chống dịch")
        verbose_name_plural = _("kinh phí phòng, chống dịch")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="welfare_budget_unit_year_unique")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"


class BudgetAllocation(BaseModel):
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="allocations")
    allocated_on = models.DateField(_("ngày cấp"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    decision = models.CharField(_("quyết định, nguồn"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kinh phí được cấp")
        verbose_name_plural = _("kinh phí được cấp")
        ordering = ["allocated_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="welfare_allocation_positive")]

    def __str__(self) -> str:
        return f"{self.budget} +{self.amount}"


class SpendingCategory(models.TextChoices):
    SUPPLIES = "supplies", _("Vật tư, trang thiết bị y tế")
    TESTING = "testing", _("Xét nghiệm")
    QUARANTINE = "quarantine", _("Cách ly, điều trị")
    ALLOWANCES = "allowances", _("Chế độ, bồi dưỡng cho lực lượng")
    COMMUNICATION = "communication", _("Tuyên truyền")
    OTHER = "other", _("Khác")


class BudgetSpending(BaseModel):
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="spending")
    spent_on = models.DateField(_("ngày chi"))
    category = models.CharField(_("nội dung chi"), max_length=16, choices=SpendingCategory.choices)
    description = models.CharField(_("diễn giải"), max_length=255)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    voucher = models.CharField(_("số chứng từ"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("khoản chi")
        verbose_name_plural = _("khoản chi")
        ordering = ["spent_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="welfare_spending_positive")]

    def __str__(self) -> str:
        return f"{self.budget} −{self.amount}"

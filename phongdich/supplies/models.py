"""Medical supplies, test kits and equipment in stock (E6).

The catalogue (``SupplyItem``) is data, seeded by a data migration and editable in the admin. Stock is a
ledger: each ``Movement`` adds (received, positive adjustment) or removes (issued, used, negative adjustment)
a quantity of one item at one holder — an administrative unit or an organisation. What remains is the sum of
the holder's movements of that item and never goes below zero. An issue to another holder writes the
receiver's "received" movement in the same transaction (``counterpart`` links the pair).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation


class ItemCategory(models.TextChoices):
    TEST_KIT = "test_kit", _("Sinh phẩm, kit xét nghiệm")
    PROTECTIVE = "protective", _("Bảo hộ cá nhân")
    DISINFECTANT = "disinfectant", _("Khử khuẩn")
    OXYGEN = "oxygen", _("Ô-xy, hỗ trợ hô hấp")
    EQUIPMENT = "equipment", _("Trang thiết bị")
    OTHER = "other", _("Khác")


class SupplyItem(BaseModel):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên vật tư"), max_length=200)
    category = models.CharField(_("nhóm"), max_length=16, choices=ItemCategory.choices)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=30)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("vật tư")
        verbose_name_plural = _("danh mục vật tư")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_of_measure})"


class Holder(BaseModel):
    """Who keeps stock: an administrative unit (its health centre, its steering committee) or an organisation."""

    unit = models.OneToOneField(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn")
    )
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )

    class Meta:
        verbose_name = _("nơi giữ vật tư")
        verbose_name_plural = _("nơi giữ vật tư")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(organisation__isnull=True))
                | (models.Q(unit__isnull=True) & models.Q(organisation__isnull=False)),
                name="supplies_holder_unit_or_org",
            )
        ]

    def __str__(self) -> str:
        return str(self.unit or self.organisation)

    @property
    def name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return self.organisation.name if self.organisation is not None else ""


class MovementKind(models.TextChoices):
    RECEIVED = "received", _("Nhập")
    ISSUED = "issued", _("Xuất cấp")
    USED = "used", _("Sử dụng")
    ADJUSTMENT = "adjustment", _("Điều chỉnh")


class Movement(BaseModel):
    """One line of a holder's stock ledger; ``quantity`` is signed (+ in, − out)."""

    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="movements", verbose_name=_("nơi giữ"))
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("vật tư"))
    kind = models.CharField(_("loại"), max_length=12, choices=MovementKind.choices)
    quantity = models.IntegerField(_("số lượng"))
    occurred_on = models.DateField(_("ngày"))
    other_holder = models.ForeignKey(
        Holder, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi nhận/nơi cấp")
    )
    counterpart = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chứng từ đối ứng")
    )
    reason = models.CharField(_("lý do, ghi chú"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phát sinh kho")
        verbose_name_plural = _("phát sinh kho")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["holder", "item"], name="supplies_movement_holder_item")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="supplies_movement_nonzero"),
            models.CheckConstraint(
                condition=models.Q(kind="received", quantity__gt=0)
                | models.Q(kind__in=["issued", "used"], quantity__lt=0)
                | models.Q(kind="adjustment"),
                name="supplies_movement_sign_follows_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} {self.kind} {self.quantity} {self.item.code}"


class Threshold(BaseModel):
    """Below ``minimum`` the holder's stock of the item is on the low-stock warning list."""

    holder = models.ForeignKey(Holder, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("nơi giữ"))
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("vật tư"))
    minimum = models.PositiveIntegerField(_("mức tối thiểu"))

    class Meta:
        verbose_name = _("mức tồn tối thiểu")
        verbose_name_plural = _("mức tồn tối thiểu")
        constraints = [models.UniqueConstraint(fields=["holder", "item"], name="supplies_threshold_once")]

    def __str__(self) -> str:
        return f"{self.holder} {self.item.code} ≥ {self.minimum}"

"""The administrative tree (D1): province → district-level → commune-level → hamlet.

Since 07/2025 Vietnam has a two-tier tree (province → commune). Both trees can live in
one database side by side, told apart by ``tree``; a deployment picks the one in force
with ``settings.ADMIN_TREE``. Units are stored with a materialised ``path`` of GSO codes
(``/19/164/05431/``) so that a subtree is one indexed prefix query.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Tỉnh, thành phố")
    DISTRICT = 2, _("Huyện, quận, thị xã, thành phố thuộc tỉnh")
    COMMUNE = 3, _("Xã, phường, thị trấn")
    HAMLET = 4, _("Thôn, xóm, bản, tổ dân phố")


class UnitType(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TRUNG_UONG = "thanh_pho_trung_uong", _("Thành phố trực thuộc trung ương")
    THANH_PHO = "thanh_pho", _("Thành phố")
    THI_XA = "thi_xa", _("Thị xã")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    PHUONG = "phuong", _("Phường")
    XA = "xa", _("Xã")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")
    XOM = "xom", _("Xóm")
    THON = "thon", _("Thôn")
    BAN = "ban", _("Bản")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    AP = "ap", _("Ấp")
    KHU_PHO = "khu_pho", _("Khu phố")


HAMLET_TYPES = (UnitType.XOM, UnitType.THON, UnitType.BAN, UnitType.TO_DAN_PHO, UnitType.AP, UnitType.KHU_PHO)


class PopulationSource(models.TextChoices):
    CENSUS_2019 = "census_2019", _("Tổng điều tra dân số 2019")
    IMPORTED = "imported", _("Nhập từ tệp")
    ENTERED = "entered", _("Nhập tay")
    SYNTHESIZED = "synthesized", _("Số liệu tổng hợp (giả lập)")


class UnitQuerySet(models.QuerySet["Unit"]):
    def current_tree(self) -> UnitQuerySet:
        from django.conf import settings

        return self.filter(tree=getattr(settings, "ADMIN_TREE", "2021"))

    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it."""
        return self.filter(tree=unit.tree, path__startswith=unit.path)

    def descendants(self, unit: Unit) -> UnitQuerySet:
        return self.subtree(unit).exclude(pk=unit.pk)


class Unit(BaseModel):
    """One administrative unit. Hamlets (xóm, bản, tổ dân phố) are added by commune officers."""

    tree = models.CharField(_("bộ đơn vị"), max_length=16, db_index=True, help_text=_("2021, 2025 hoặc tên tệp nhập"))
    code = models.CharField(_("mã"), max_length=20, help_text=_("Mã GSO; thôn, xóm mang mã do xã đặt"))
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    unit_type = models.CharField(_("loại"), max_length=24, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(_("đường dẫn"), max_length=255, editable=False)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("năm số liệu dân số"), null=True, blank=True)
    population_source = models.CharField(
        _("nguồn số liệu dân số"), max_length=16, choices=PopulationSource.choices, blank=True
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["tree", "path"]
        constraints = [
            models.UniqueConstraint(fields=["tree", "code"], name="geo_unit_unique_code_per_tree"),
            models.UniqueConstraint(fields=["tree", "path"], name="geo_unit_unique_path_per_tree"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="geo_unit_valid_to_after_from",
            ),
        ]
        indexes = [models.Index(fields=["tree", "level"], name="geo_unit_tree_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hamlet(self) -> bool:
        return self.level == Level.HAMLET

    def ancestors(self) -> UnitQuerySet:
        """From the province down to the parent (excludes self)."""
        codes = self.path.strip("/").split("/")[:-1]
        return Unit.objects.filter(tree=self.tree, code__in=codes).order_by("level")

    def full_name(self) -> str:
        """``Phường Quán Triều, Thành phố Thái Nguyên, Tỉnh Thái Nguyên``."""
        names = [self.name, *[u.name for u in self.ancestors().reverse()]]
        return ", ".join(names)


class UnitSuccession(models.Model):
    """Old → new unit (the 2025 reorganisation): a commune merged whole or split among several.

    The old side is kept by code and name (``old_code``, ``old_name``, ``old_full_name``) because
    it may lie in a province whose old tree is not loaded (Thái Nguyên absorbed Bắc Kạn in 2025);
    ``old_unit`` links to the old tree's unit whenever that tree is in the database.
    A split commune (``whole=False``) has one succession per new unit, and ``is_default``
    marks the new unit that an address in the old commune goes to when nothing else tells.
    """

    old_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        verbose_name=_("đơn vị cũ"),
    )
    old_code = models.CharField(_("mã đơn vị cũ"), max_length=20, db_index=True)
    old_name = models.CharField(_("tên đơn vị cũ"), max_length=120, blank=True)
    old_full_name = models.CharField(_("tên đầy đủ đơn vị cũ"), max_length=255, blank=True)
    new_unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="predecessors", verbose_name=_("đơn vị mới")
    )
    whole = models.BooleanField(_("nhập toàn bộ"), default=True)
    is_default = models.BooleanField(_("đơn vị mới chính"), default=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị")
        verbose_name_plural = _("chuyển đổi đơn vị")
        ordering = ["new_unit__path", "old_code"]
        constraints = [models.UniqueConstraint(fields=["old_code", "new_unit"], name="geo_succession_unique_pair")]

    def __str__(self) -> str:
        return f"{self.old_name or self.old_code} → {self.new_unit}"

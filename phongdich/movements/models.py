"""Movements (M3, M9): arrivals into a commune or hamlet of the province, and departures from it.

An arrival says where the person came from (a foreign country, or a unit anywhere in Vietnam when
that unit is loaded, with a free-text note for the rest), when, how, where they lodge and for how
long. A departure closes the person's open arrival in that commune (``left_on``). The commune's
"present now" list is the open arrivals.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.people.models import Person
from phongdich.zones.countries import country_name
from phongdich.zones.models import PlaceKind


class Direction(models.TextChoices):
    ARRIVAL = "arrival", _("Đến")
    DEPARTURE = "departure", _("Đi")


class Transport(models.TextChoices):
    CAR = "car", _("Ô tô cá nhân")
    COACH = "coach", _("Xe khách")
    TRAIN = "train", _("Tàu hỏa")
    PLANE = "plane", _("Máy bay")
    MOTORBIKE = "motorbike", _("Xe máy")
    OTHER = "other", _("Khác")


class LodgingKind(models.TextChoices):
    OWN_HOME = "own_home", _("Nhà riêng")
    RELATIVE = "relative", _("Nhà người thân")
    BOARDING = "boarding", _("Nhà trọ, khu lưu trú")
    HOTEL = "hotel", _("Khách sạn, nhà nghỉ")
    OTHER = "other", _("Khác")


class DeclaredBy(models.TextChoices):
    SELF = "self", _("Người đến/đi tự khai")
    LODGING_OWNER = "lodging_owner", _("Chủ nơi lưu trú")
    OFFICIAL = "official", _("Trưởng thôn, xóm, tổ dân phố hoặc cán bộ")


class Movement(BaseModel):
    """One arrival into, or departure from, a commune or hamlet of the province."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="movements", verbose_name=_("người"))
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường hoặc thôn, xóm")
    )
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    # The other end: where an arrival came from, where a departure goes to.
    place_kind = models.CharField(_("nơi đi/đến là"), max_length=8, choices=PlaceKind.choices, blank=True)
    country = models.CharField(_("nước"), max_length=2, blank=True)
    place_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tỉnh, huyện, xã")
    )
    place_note = models.CharField(_("địa chỉ nơi đi/đến"), max_length=255, blank=True)
    place_from = models.DateField(_("ở nơi đi từ ngày"), null=True, blank=True)
    move_date = models.DateField(_("ngày"))
    move_time = models.TimeField(_("giờ"), null=True, blank=True)
    transport = models.CharField(_("phương tiện"), max_length=10, choices=Transport.choices)
    vehicle_no = models.CharField(_("biển số xe, số hiệu chuyến"), max_length=40, blank=True)
    lodging_kind = models.CharField(_("loại nơi lưu trú"), max_length=10, choices=LodgingKind.choices, blank=True)
    lodging_address = models.CharField(_("địa chỉ lưu trú"), max_length=255, blank=True)
    expected_departure = models.DateField(_("dự kiến đi ngày"), null=True, blank=True)
    declared_by = models.CharField(_("người khai báo"), max_length=14, choices=DeclaredBy.choices)
    declarant_name = models.CharField(_("họ tên người khai báo"), max_length=120, blank=True)
    declarant_phone = models.CharField(_("số điện thoại người khai báo"), max_length=20, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    left_on = models.DateField(_("đã đi ngày"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("khai báo đi")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("khai báo di biến động")
        verbose_name_plural = _("khai báo di biến động")
        ordering = ["-move_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("move_date")),
                name="movements_left_not_before_arrival",
            ),
            models.CheckConstraint(
                condition=Q(expected_departure__isnull=True) | Q(expected_departure__gte=models.F("move_date")),
                name="movements_expected_not_before_arrival",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "direction", "move_date", "id"], name="movements_commune_date"),
            models.Index(fields=["direction", "left_on", "commune"], name="movements_open"),
            models.Index(fields=["person", "direction"], name="movements_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.unit} {self.move_date:%d/%m/%Y}"

    @property
    def place_name(self) -> str:
        """The other end as people read it: the country, or the unit, with the note."""
        if self.place_kind == PlaceKind.COUNTRY:
            name = country_name(self.country)
        elif self.place_unit is not None:
            name = self.place_unit.name
        else:
            name = ""
        if self.place_note:
            return f"{self.place_note}, {name}" if name else self.place_note
        return name

    @property
    def place_key(self) -> str:
        """What the exposure rule compares (``zones.rules``), '' when only a note is known."""
        if self.place_kind == PlaceKind.COUNTRY and self.country:
            return self.country
        if self.place_unit is not None:
            return f"{self.place_unit.tree}:{self.place_unit.path}"
        return ""

    def is_overdue(self, today: object) -> bool:
        return bool(self.left_on is None and self.expected_departure is not None and self.expected_departure < today)  # type: ignore[operator]

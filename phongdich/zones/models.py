"""Epidemic areas, the dated look-back rule, places people stayed in, and the exposure flags (M5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.people.models import Person

from .countries import country_name

DEFAULT_LOOK_BACK_DAYS = 14


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Nước ngoài")
    UNIT = "unit", _("Địa phương trong nước")


def _one_place() -> Q:
    return Q(kind=PlaceKind.COUNTRY, unit__isnull=True) & ~Q(country="") | Q(
        kind=PlaceKind.UNIT, unit__isnull=False, country=""
    )


class PlaceMixin(models.Model):
    """A place: a foreign country (ISO 3166-1 alpha-2) or an administrative unit anywhere in Vietnam."""

    kind = models.CharField(_("loại địa điểm"), max_length=8, choices=PlaceKind.choices)
    country = models.CharField(_("nước"), max_length=2, blank=True, help_text=_("Mã ISO 3166-1 hai chữ cái"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị hành chính")
    )

    class Meta:
        abstract = True

    @property
    def place_key(self) -> str:
        """What the exposure rule compares: the country code, or the unit's tree and materialised path."""
        if self.kind == PlaceKind.COUNTRY:
            return self.country
        assert self.unit is not None
        return f"{self.unit.tree}:{self.unit.path}"

    @property
    def place_name(self) -> str:
        if self.kind == PlaceKind.COUNTRY:
            return country_name(self.country)
        assert self.unit is not None
        return self.unit.name


class EpidemicArea(PlaceMixin, BaseModel):
    """A place declared epidemic from ``start_date`` until ``end_date`` (open while it is null)."""

    start_date = models.DateField(_("là vùng dịch từ ngày"))
    end_date = models.DateField(_("là vùng dịch đến hết ngày"), null=True, blank=True)
    source_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    source_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    source_issuer = models.CharField(_("cơ quan ban hành"), max_length=160, blank=True)
    source_text = models.TextField(_("trích yếu, nội dung"), blank=True)
    is_complex = models.BooleanField(_("diễn biến phức tạp"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("vùng dịch")
        verbose_name_plural = _("vùng dịch")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="zones_area_end_not_before_start",
            ),
            models.CheckConstraint(condition=_one_place(), name="zones_area_one_place_per_kind"),
        ]

    def __str__(self) -> str:
        return self.place_name

    @property
    def source_label(self) -> str:
        parts = [p for p in (self.source_number, self.source_issuer) if p]
        label = " ".join(parts)
        if self.source_date:
            label = (
                gettext("%(document)s ngày %(date)s") % {"document": label, "date": f"{self.source_date:%d/%m/%Y}"}
            ).strip()
        return label or self.source_text[:80]


class LookBackRule(BaseModel):
    """The look-back window in force from ``effective_from`` (to ``effective_to`` when set), with its source."""

    days = models.PositiveSmallIntegerField(_("số ngày truy ngược"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy định số ngày truy ngược")
        verbose_name_plural = _("quy định số ngày truy ngược")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=60), name="zones_lookback_days_1_60"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="zones_lookback_to_not_before_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.days} ({self.effective_from:%d/%m/%Y})"


class PlaceVisit(PlaceMixin, BaseModel):
    """A person's stay in a place, from a declaration, a movement, travel or an official's entry.

    ``source`` is ``"<label>:<uid>"`` of the record it came from; ``reported_on`` is the day it
    was reported, which ends the look-back window the visit is judged in.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="place_visits")
    from_date = models.DateField(_("từ ngày"))
    to_date = models.DateField(_("đến ngày"))
    reported_on = models.DateField(_("ngày khai báo"))
    source = models.CharField(_("nguồn"), max_length=80)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("nơi đã đến")
        verbose_name_plural = _("nơi đã đến")
        constraints = [
            models.CheckConstraint(condition=Q(to_date__gte=F("from_date")), name="zones_visit_to_not_before_from"),
            models.CheckConstraint(condition=_one_place(), name="zones_visit_one_place_per_kind"),
        ]
        indexes = [
            models.Index(fields=["country"], name="zones_visit_country"),
            models.Index(fields=["unit"], name="zones_visit_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.place_name} {self.from_date:%d/%m/%Y}–{self.to_date:%d/%m/%Y}"


class ExposureFlag(BaseModel):
    """A person flagged as having stayed in an epidemic area within the look-back window."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exposure_flags")
    area = models.ForeignKey(EpidemicArea, on_delete=models.CASCADE, related_name="flags")
    source = models.CharField(_("nguồn"), max_length=80)
    reason = models.CharField(_("lý do"), max_length=400)
    visit_from = models.DateField(_("đến từ ngày"))
    visit_to = models.DateField(_("đến ngày"))
    flagged_at = models.DateTimeField(_("gắn cờ lúc"))
    cleared_at = models.DateTimeField(_("bỏ cờ lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cờ phơi nhiễm")
        verbose_name_plural = _("cờ phơi nhiễm")
        constraints = [
            models.UniqueConstraint(fields=["person", "area", "source"], name="zones_flag_unique_person_area_source"),
        ]
        indexes = [models.Index(fields=["area", "cleared_at"], name="zones_flag_area_active")]

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None

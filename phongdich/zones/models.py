"""Epidemic areas, the dated look-back rule, places people stayed in, the exposure flags (M5); control
zones with their measure sets, goods-transport passes and their checks (Z1, Z2)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.people.models import Person

from .countries import country_name

if TYPE_CHECKING:
    from .measures import MeasureRules

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


# --- Control zones, their measures, goods-transport passes (Z1, Z2) ---------------------------


class PublicTransport(models.TextChoices):
    NORMAL = "normal", _("Hoạt động bình thường")
    LIMITED = "limited", _("Hạn chế")
    STOPPED = "stopped", _("Dừng hoạt động")


class BusinessKind(models.TextChoices):
    """Kinds of business a measure set may close; the first group is essential (never closed by
    "non-essential services closed")."""

    FOOD_GROCERY = "food_grocery", _("Lương thực, thực phẩm, chợ, siêu thị")
    PHARMACY = "pharmacy", _("Thuốc, thiết bị y tế")
    MEDICAL = "medical", _("Khám bệnh, chữa bệnh")
    FUEL_UTILITIES = "fuel_utilities", _("Xăng dầu, điện, nước")
    BANK_POST = "bank_post", _("Ngân hàng, bưu chính, viễn thông")
    GOODS_TRANSPORT = "goods_transport", _("Vận tải hàng hóa")
    PRODUCTION = "production", _("Nhà máy, cơ sở sản xuất")
    RESTAURANT = "restaurant", _("Nhà hàng, quán ăn, cà phê (phục vụ tại chỗ)")
    KARAOKE = "karaoke", _("Karaoke")
    MASSAGE = "massage", _("Massage, xông hơi")
    BAR = "bar", _("Quán bar")
    DISCOTHEQUE = "discotheque", _("Vũ trường")
    BEAUTY_SALON = "beauty_salon", _("Thẩm mỹ viện, làm đẹp, cắt tóc")
    CINEMA = "cinema", _("Rạp chiếu phim")
    GYM = "gym", _("Phòng tập, thể dục thể thao")
    TOURISM = "tourism", _("Điểm du lịch, khu vui chơi")
    INTERNET_GAMES = "internet_games", _("Internet, trò chơi điện tử")


ESSENTIAL_BUSINESS_KINDS = frozenset(
    {
        BusinessKind.FOOD_GROCERY,
        BusinessKind.PHARMACY,
        BusinessKind.MEDICAL,
        BusinessKind.FUEL_UTILITIES,
        BusinessKind.BANK_POST,
        BusinessKind.GOODS_TRANSPORT,
        BusinessKind.PRODUCTION,
    }
)

# The measures a set holds (the names of MeasureSet fields), in the order pages show them.
MEASURE_FIELDS = (
    "indoor_gathering_cap",
    "outdoor_gathering_cap",
    "events_stopped",
    "min_distance_m",
    "non_essential_closed",
    "closed_business_kinds",
    "public_transport",
    "stay_home",
)


class MeasureSet(BaseModel):
    """The measures of a directive (15/CT-TTg, 16/CT-TTg, 19/CT-TTg) or of an epidemic level, as data.

    ``uncertain`` lists the measures (field names of ``MEASURE_FIELDS``) whose value no checked source
    states: they are kept as editable data and shown flagged, never as settled law.
    A gathering cap is the largest group allowed (``None``: no number set).
    """

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    source_document = models.CharField(_("văn bản"), max_length=200)
    source_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("cấp độ dịch"), null=True, blank=True, help_text=_("1–4 khi là biện pháp của một cấp độ dịch")
    )
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    indoor_gathering_cap = models.PositiveIntegerField(_("tụ tập trong nhà tối đa (người)"), null=True, blank=True)
    outdoor_gathering_cap = models.PositiveIntegerField(_("tụ tập ngoài trời tối đa (người)"), null=True, blank=True)
    events_stopped = models.BooleanField(_("dừng lễ hội, sự kiện đông người"), default=False)
    min_distance_m = models.DecimalField(
        _("khoảng cách tối thiểu (m)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    non_essential_closed = models.BooleanField(_("dừng dịch vụ không thiết yếu"), default=False)
    closed_business_kinds = models.JSONField(_("loại hình kinh doanh phải đóng cửa"), default=list, blank=True)
    public_transport = models.CharField(
        _("vận tải hành khách công cộng"), max_length=8, choices=PublicTransport.choices, default=PublicTransport.NORMAL
    )
    stay_home = models.BooleanField(_("ở nhà, chỉ ra ngoài khi thật cần thiết"), default=False)
    uncertain = models.JSONField(_("biện pháp chưa được xác nhận"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bộ biện pháp")
        verbose_name_plural = _("bộ biện pháp")
        ordering = ["level", "effective_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="zones_measureset_to_not_before_from",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4), name="zones_measureset_level_1_4"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_uncertain(self) -> bool:
        return bool(self.uncertain)

    def rules(self) -> MeasureRules:
        """The measures as plain data for the pure functions of ``measures``."""
        from .measures import rules_of

        return rules_of(self)


class ZoneKind(models.TextChoices):
    MEDICAL_ISOLATION = "medical_isolation", _("Cách ly y tế")
    LOCKDOWN = "lockdown", _("Phong tỏa")
    SOCIAL_DISTANCING = "social_distancing", _("Giãn cách xã hội")


class ZoneArea(models.TextChoices):
    UNITS = "units", _("Các đơn vị hành chính")
    HAMLET = "hamlet", _("Một thôn, xóm, tổ dân phố")
    PREMISES = "premises", _("Một cơ sở, địa điểm")


class ControlZone(BaseModel):
    """An isolation, lockdown or distancing zone: a set of units, one hamlet (thôn, xóm, tổ dân phố)
    or one premises, in force from ``start_date`` to ``end_date`` inclusive (open while null), under a
    measure set. Lifting from a day ends it the day before (``lifted_on`` keeps the day)."""

    name = models.CharField(_("tên vùng"), max_length=200)
    zone_kind = models.CharField(_("loại vùng"), max_length=20, choices=ZoneKind.choices)
    area = models.CharField(_("phạm vi"), max_length=10, choices=ZoneArea.choices)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("đơn vị hành chính"))
    premises = models.ForeignKey(
        "orgs.Premises",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ sở, địa điểm"),
    )
    measure_set = models.ForeignKey(
        MeasureSet, on_delete=models.PROTECT, related_name="zones", verbose_name=_("bộ biện pháp")
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến hết ngày"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuing_authority = models.CharField(_("cơ quan quyết định"), max_length=160)
    lifted_on = models.DateField(_("dỡ bỏ từ ngày"), null=True, blank=True)
    lift_decision_number = models.CharField(_("số quyết định dỡ bỏ"), max_length=60, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("vùng cách ly, phong tỏa, giãn cách")
        verbose_name_plural = _("vùng cách ly, phong tỏa, giãn cách")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="zones_control_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(area="premises", premises__isnull=False) | (~Q(area="premises") & Q(premises__isnull=True)),
                name="zones_control_premises_iff_premises_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Checkpoint(BaseModel):
    """A control point (chốt kiểm soát) where staff check goods-transport passes."""

    name = models.CharField(_("tên chốt"), max_length=160)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    zone = models.ForeignKey(
        ControlZone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("vùng"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("chốt kiểm soát")
        verbose_name_plural = _("chốt kiểm soát")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TransportPass(BaseModel):
    """A goods-transport pass (thẻ nhận diện phương tiện luồng xanh) for one vehicle.

    ``nonce`` is the random half of the token in the QR; the other half is a MAC keyed by SECRET_KEY
    (``pass_tokens``). Re-issuing revokes this pass and makes a new one (``replaced_by``)."""

    nonce = models.CharField(max_length=20, unique=True, editable=False)
    plate = models.CharField(_("biển kiểm soát"), max_length=16, db_index=True)
    driver_name = models.CharField(_("họ tên lái xe"), max_length=120)
    driver_phone = models.CharField(_("số điện thoại lái xe"), max_length=10)
    driver_cccd = models.CharField(_("số CCCD lái xe"), max_length=12, blank=True)
    carrier = models.CharField(_("đơn vị vận tải, chủ hàng"), max_length=200, blank=True)
    goods = models.CharField(_("hàng hóa"), max_length=255)
    origin_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nơi đi")
    )
    origin_text = models.CharField(_("nơi đi (ngoài tỉnh)"), max_length=200, blank=True)
    destination_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nơi đến")
    )
    destination_text = models.CharField(_("nơi đến (ngoài tỉnh)"), max_length=200, blank=True)
    zones = models.ManyToManyField(ControlZone, blank=True, related_name="passes", verbose_name=_("vùng đi qua"))
    valid_from = models.DateField(_("có giá trị từ ngày"))
    valid_to = models.DateField(_("có giá trị đến hết ngày"))
    issuing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị cấp"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoke_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", verbose_name=_("cấp lại")
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thẻ luồng xanh")
        verbose_name_plural = _("thẻ luồng xanh")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="zones_pass_to_not_before_from"),
            models.CheckConstraint(
                condition=Q(origin_unit__isnull=False) | ~Q(origin_text=""), name="zones_pass_has_origin"
            ),
            models.CheckConstraint(
                condition=Q(destination_unit__isnull=False) | ~Q(destination_text=""), name="zones_pass_has_destination"
            ),
        ]

    def __str__(self) -> str:
        return self.plate

    @property
    def origin_label(self) -> str:
        return self.origin_unit.name if self.origin_unit else self.origin_text

    @property
    def destination_label(self) -> str:
        return self.destination_unit.name if self.destination_unit else self.destination_text


class PassResult(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    NOT_YET_VALID = "not_yet_valid", _("Chưa đến ngày có giá trị")
    EXPIRED = "expired", _("Hết hạn")
    REVOKED = "revoked", _("Đã thu hồi")
    UNKNOWN = "unknown", _("Không xác định")


class PassCheck(BaseModel):
    """One check of a pass at a checkpoint: every scan or typed code is recorded, unknown ones too."""

    transport_pass = models.ForeignKey(
        TransportPass, on_delete=models.PROTECT, null=True, blank=True, related_name="checks", verbose_name=_("thẻ")
    )
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="checks", verbose_name=_("chốt"))
    checked_at = models.DateTimeField(_("kiểm tra lúc"))
    result = models.CharField(_("kết quả"), max_length=16, choices=PassResult.choices)
    code = models.CharField(_("mã đã quét"), max_length=64, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("lượt kiểm tra thẻ")
        verbose_name_plural = _("lượt kiểm tra thẻ")
        ordering = ["-id"]
        indexes = [models.Index(fields=["checkpoint", "-id"], name="zones_check_checkpoint")]

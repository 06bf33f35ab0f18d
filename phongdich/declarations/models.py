"""The electronic medical declaration (tờ khai y tế, M2), its places visited and the commune's follow-up tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.people.models import Person
from phongdich.zones.models import PlaceMixin

SYMPTOM_FIELDS = ("fever", "cough", "breathlessness", "pneumonia", "sore_throat", "fatigue")
EXPOSURE_FIELDS = ("contact_case", "contact_from_epidemic_country", "contact_symptomatic")


class Channel(models.TextChoices):
    SELF = "self", _("Tự khai")
    ASSISTED = "assisted", _("Cán bộ khai giúp")


class Vehicle(models.TextChoices):
    NONE = "", _("Không đi phương tiện công cộng")
    PLANE = "plane", _("Máy bay")
    SHIP = "ship", _("Tàu thuyền")
    TRAIN = "train", _("Tàu hỏa")
    COACH = "coach", _("Ô tô khách")
    OTHER = "other", _("Khác")


class MedicalDeclaration(BaseModel):
    """One version of a declaration. An update adds a version linked to the first; the first holds the code."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    first = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions")
    version = models.PositiveSmallIntegerField(_("lần khai"), default=1)
    superseded_at = models.DateTimeField(_("thay bằng bản mới lúc"), null=True, blank=True)
    code_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    declared_at = models.DateTimeField(_("khai lúc"))
    channel = models.CharField(_("cách khai"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Identity, as declared.
    full_name = models.CharField(_("họ và tên"), max_length=120)
    id_number = models.CharField(_("số CCCD hoặc hộ chiếu"), max_length=12)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    sex = models.CharField(_("giới tính"), max_length=1)
    nationality = models.CharField(_("quốc tịch"), max_length=2, default="VN")
    # Contact.
    residence_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    address = models.CharField(_("số nhà, đường, thôn, xóm"), max_length=200)
    phone = models.CharField(_("điện thoại"), max_length=10, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # Travel (optional).
    vehicle = models.CharField(_("phương tiện"), max_length=8, choices=Vehicle.choices, blank=True)
    vehicle_number = models.CharField(_("số hiệu phương tiện"), max_length=20, blank=True)
    seat = models.CharField(_("số ghế"), max_length=10, blank=True)
    departure_date = models.DateField(_("ngày khởi hành"), null=True, blank=True)
    departure_place = models.CharField(_("nơi khởi hành"), max_length=120, blank=True)
    arrival_date = models.DateField(_("ngày đến"), null=True, blank=True)
    arrival_place = models.CharField(_("nơi đến"), max_length=120, blank=True)
    # Symptoms in the last 14 days.
    fever = models.BooleanField(_("sốt"), default=False)
    cough = models.BooleanField(_("ho"), default=False)
    breathlessness = models.BooleanField(_("khó thở"), default=False)
    pneumonia = models.BooleanField(_("viêm phổi"), default=False)
    sore_throat = models.BooleanField(_("đau họng"), default=False)
    fatigue = models.BooleanField(_("mệt mỏi"), default=False)
    # Exposures in the last 14 days.
    contact_case = models.BooleanField(_("tiếp xúc người bệnh hoặc nghi mắc"), default=False)
    contact_from_epidemic_country = models.BooleanField(_("tiếp xúc người từ nước có dịch"), default=False)
    contact_symptomatic = models.BooleanField(_("tiếp xúc người có biểu hiện sốt, ho, khó thở"), default=False)
    # Derived when stored, for the officials' filters.
    has_symptoms = models.BooleanField(_("có triệu chứng"), default=False)
    in_epidemic_area = models.BooleanField(_("đến vùng dịch"), default=False)

    class Meta:
        verbose_name = _("tờ khai y tế")
        verbose_name_plural = _("tờ khai y tế")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "version"], name="declarations_one_number_per_version"),
        ]
        indexes = [models.Index(fields=["residence_unit", "superseded_at"], name="declarations_unit_current")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.declared_at:%d/%m/%Y})"

    @property
    def root(self) -> MedicalDeclaration:
        return self.first or self

    def _labels(self, names: tuple[str, ...]) -> list[str]:
        return [str(getattr(self._meta.get_field(name), "verbose_name", name)) for name in names if getattr(self, name)]

    @property
    def symptoms(self) -> list[str]:
        return self._labels(SYMPTOM_FIELDS)

    @property
    def exposures(self) -> list[str]:
        return self._labels(EXPOSURE_FIELDS)


class DeclaredVisit(PlaceMixin, BaseModel):
    """A place visited in the 14 days before the declaration: a unit in the tree or a country."""

    declaration = models.ForeignKey(MedicalDeclaration, on_delete=models.CASCADE, related_name="visits")
    from_date = models.DateField(_("từ ngày"))
    to_date = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("nơi đã đến")
        verbose_name_plural = _("nơi đã đến")
        ordering = ["from_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_date__gte=F("from_date")), name="declarations_visit_to_after_from"),
        ]


class FollowUpTask(BaseModel):
    """Work for the residence commune: someone declared symptoms or a stay in an epidemic area."""

    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follow_up_tasks")
    declaration = models.ForeignKey(MedicalDeclaration, on_delete=models.CASCADE, related_name="tasks")
    reason = models.CharField(_("lý do"), max_length=400)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("việc cần theo dõi")
        verbose_name_plural = _("việc cần theo dõi")
        ordering = ["done_at", "-id"]
        indexes = [models.Index(fields=["commune", "done_at"], name="declarations_task_open")]

    def __str__(self) -> str:
        return self.reason

"""Organisations, their premises, roles scoped to a jurisdiction, and follow assignments (D2–D5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.core.text import fold
from phongdich.geo.models import Unit


class OrganisationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Cơ quan Đảng, cấp ủy")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    STEERING_COMMITTEE = "steering_committee", _("Ban Chỉ đạo phòng, chống dịch")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    HEALTH_AGENCY = "health_agency", _("Cơ quan y tế, CDC, trung tâm y tế")
    POLICE = "police", _("Công an")
    MILITARY = "military", _("Quân sự")
    HOSPITAL = "hospital", _("Bệnh viện, cơ sở y tế")
    UNIVERSITY = "university", _("Đại học, cao đẳng")
    SCHOOL = "school", _("Trường học")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    INDUSTRIAL_PARK = "industrial_park", _("Khu công nghiệp")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc, đoàn thể")
    PRESS = "press", _("Cơ quan báo chí")
    OTHER = "other", _("Khác")


class Sector(models.TextChoices):
    """Sectors a steering-committee member may be assigned to follow (D5)."""

    HEALTH = "health", _("Y tế")
    SECURITY = "security", _("An ninh, trật tự")
    DEFENCE = "defence", _("Quốc phòng")
    EDUCATION = "education", _("Giáo dục")
    ECONOMY = "economy", _("Kinh tế, doanh nghiệp")
    INDUSTRY = "industry", _("Công nghiệp, khu công nghiệp")
    INFORMATION = "information", _("Thông tin, truyền thông")
    FINANCE = "finance", _("Tài chính")
    SOCIAL = "social", _("An sinh xã hội")
    PARTY = "party", _("Xây dựng Đảng")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def subtree(self, org: Organisation) -> OrganisationQuerySet:
        return self.filter(path__startswith=org.path)

    def for_user(self, user: object) -> OrganisationQuerySet:
        from .scope import scope_for

        return scope_for(user).organisations(self)  # type: ignore[arg-type]


class Organisation(BaseModel):
    """An agency, department, hospital, school, enterprise … with its place in the tree.

    ``path`` holds the chain of parent organisations' ids (``/3/17/``) so that an
    organisation and all its sub-units are one prefix query.
    """

    name = models.CharField(_("tên"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True, default="")
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại hình"), max_length=24, choices=OrganisationKind.choices)
    sector = models.CharField(_("lĩnh vực"), max_length=16, choices=Sector.choices, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("địa bàn"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("địa chỉ trụ sở"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=20, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"], name="orgs_org_kind")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The diacritic-free search key (with the short name), kept with the row it describes.
        self.name_folded = fold(f"{self.name} {self.short_name}")[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ({"name", "short_name"} & set(update_fields)):
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)


class Premises(BaseModel):
    """A place of an organisation: head office, gate, meeting room, workshop line."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Trụ sở")
        GATE = "gate", _("Cổng ra vào")
        MEETING_ROOM = "meeting_room", _("Phòng họp")
        WORKSHOP = "workshop", _("Xưởng, dây chuyền")
        CANTEEN = "canteen", _("Nhà ăn")
        RECEPTION = "reception", _("Bộ phận một cửa, tiếp dân")
        OTHER = "other", _("Khác")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="premises", verbose_name=_("cơ quan, đơn vị")
    )
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.OFFICE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="premises", verbose_name=_("địa bàn"))
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("địa điểm")
        verbose_name_plural = _("địa điểm")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name} — {self.organisation}"


# A top-level name for the API schema (drf-spectacular ENUM_NAME_OVERRIDES).
PremisesKind = Premises.Kind


class Role(models.TextChoices):
    """What a user does; each assignment is scoped to a unit or an organisation (D4)."""

    PROVINCE_ADMIN = "province_admin", _("Quản trị hệ thống cấp tỉnh")
    STEERING_COMMITTEE = "steering_committee", _("Ban Chỉ đạo phòng, chống dịch")
    STANDING_COMMITTEE = "standing_committee", _("Ủy viên Ban Thường vụ")
    DISTRICT_OFFICER = "district_officer", _("Cán bộ cấp huyện")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    HAMLET_HEAD = "hamlet_head", _("Trưởng xóm, tổ dân phố")
    ORGANISATION_HEAD = "organisation_head", _("Thủ trưởng cơ quan, đơn vị")
    HEALTH = "health", _("Y tế")
    POLICE = "police", _("Công an")
    MILITARY = "military", _("Quân sự")
    ELECTION_COMMITTEE = "election_committee", _("Ủy ban bầu cử")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")


# Roles that act on a piece of territory; the others act on an organisation.
UNIT_ROLES = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.STEERING_COMMITTEE,
        Role.STANDING_COMMITTEE,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.HAMLET_HEAD,
        Role.HEALTH,
        Role.POLICE,
        Role.MILITARY,
        Role.ELECTION_COMMITTEE,
        Role.FATHERLAND_FRONT,
    }
)
ORGANISATION_ROLES = frozenset({Role.ORGANISATION_HEAD})


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self) -> RoleAssignmentQuerySet:
        from django.utils import timezone

        today = timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=today),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=today),
        )


class RoleAssignment(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("tài khoản")
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(organisation__isnull=True))
                | (models.Q(unit__isnull=True) & models.Q(organisation__isnull=False)),
                name="orgs_role_scoped_to_unit_or_org",
            ),
            models.UniqueConstraint(fields=["user", "role", "unit", "organisation"], name="orgs_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit or self.organisation}"


class FollowAssignment(BaseModel):
    """A steering or standing committee member assigned to follow a locality or a sector (D5)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_assignments", verbose_name=_("ủy viên")
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn theo dõi")
    )
    sector = models.CharField(_("lĩnh vực theo dõi"), max_length=16, choices=Sector.choices, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phân công theo dõi")
        verbose_name_plural = _("phân công theo dõi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | ~models.Q(sector=""),
                name="orgs_follow_has_unit_or_sector",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit or self.get_sector_display()}"

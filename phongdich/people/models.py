"""The person registry (D3, M6) and staff memberships with their management chain."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.core.text import fold
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


# Foreigners and illegal entrants (M6); the same condition defines a partial index below.
FOREIGNER_Q = ~models.Q(nationality="VN") | models.Q(illegal_entry=True)


_BROAD_ATTR = "_phongdich_people_broad_scope"
_RESIDENCE_NO_INDEX = "_residence_unit_no_index"


class PersonQuerySet(models.QuerySet["Person"]):
    """Querysets of people. ``for_user`` is the one door to them (D4).

    Query plans: a list is ``ORDER BY name_folded, id LIMIT n``. For a small jurisdiction (a
    commune, a hamlet) the best plan reads the residence index of its few units and sorts a few
    thousand rows; for a large one (a district, the province) it walks the name index in order
    and stops after a page, checking each row's unit. PostgreSQL chooses by its statistics;
    SQLite has none unless ANALYZE was run and always takes the residence index, sorting the
    whole province. For SQLite and a large jurisdiction, ``for_user`` therefore tests the unit
    through ``+residence_unit_id`` (the same value, but not indexable), which leaves the name
    indexes to the planner.
    """

    def for_user(self, user: Any) -> PersonQuerySet:
        """The people this user may see: residence or organisation inside their scope."""
        from phongdich.orgs.scope import scope_for

        scope = scope_for(user)
        if connections[self.db].vendor == "sqlite" and _broad(user, scope):
            qs: PersonQuerySet = scope.filter(
                self._residence_no_index(), unit_field=_RESIDENCE_NO_INDEX, org_field="organisation"
            )
            return qs
        result: PersonQuerySet = scope.filter(self, unit_field="residence_unit", org_field="organisation")
        return result

    def active(self) -> PersonQuerySet:
        """Not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def in_unit(self, unit: Unit) -> PersonQuerySet:
        """Residents of ``unit`` and the units below it (same planning rule as ``for_user``)."""
        subtree = Unit.objects.subtree(unit).values("pk")
        if connections[self.db].vendor == "sqlite" and unit.level < Level.COMMUNE:
            return self._residence_no_index().filter(**{f"{_RESIDENCE_NO_INDEX}__in": subtree})
        return self.filter(residence_unit__in=subtree)

    def _residence_no_index(self) -> PersonQuerySet:
        if _RESIDENCE_NO_INDEX in self.query.annotations:
            return self
        return self.alias(
            **{
                _RESIDENCE_NO_INDEX: models.Func(
                    models.F("residence_unit"), template="+%(expressions)s", output_field=models.BigIntegerField()
                )
            }
        )


def _broad(user: Any, scope: Any) -> bool:
    """Whether the user's jurisdiction is larger than a commune (cached on the user object)."""
    if scope.everything or not scope.unit_paths:
        return False
    cached = getattr(user, _BROAD_ATTR, None)
    if cached is not None and cached[0] is scope:
        return bool(cached[1])
    roots = reduce(or_, (models.Q(tree=tree, path=path) for tree, path in scope.unit_paths))
    broad = len(scope.unit_paths) > 3 or Unit.objects.filter(roots, level__lt=Level.COMMUNE).exists()
    setattr(user, _BROAD_ATTR, (scope, broad))
    return broad


class Person(BaseModel):
    full_name = models.CharField(_("họ và tên"), max_length=120)
    # Search keys (core.text.fold of the name and of its last word), set in save(); indexed
    # together with id below so that prefix search and keyset pages are index range scans.
    name_folded = models.CharField(max_length=120, editable=False)
    given_name_folded = models.CharField(max_length=40, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    cccd = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    passport_no = models.CharField(_("số hộ chiếu"), max_length=20, blank=True, db_index=True)
    nationality = models.CharField(_("quốc tịch"), max_length=2, default="VN", help_text=_("Mã ISO 3166-1, ví dụ VN"))
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    residence_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="residents", verbose_name=_("nơi cư trú")
    )
    address = models.CharField(_("số nhà, đường phố, thôn xóm"), max_length=255, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("cơ quan, nơi làm việc"),
    )
    # Foreigners and entries (M6)
    entry_date = models.DateField(_("ngày nhập cảnh"), null=True, blank=True)
    entry_point = models.CharField(_("cửa khẩu nhập cảnh"), max_length=120, blank=True)
    visa_purpose = models.CharField(_("mục đích nhập cảnh"), max_length=120, blank=True)
    illegal_entry = models.BooleanField(_("nhập cảnh trái phép"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("tài khoản"),
    )
    # Not indexed as a whole: almost every row is NULL, and an index on it lures SQLite's planner
    # away from the name indexes for ``merged_into IS NULL``; the partial index below serves
    # "which tombstones point at X".
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("đã gộp vào"),
    )
    is_synthetic = models.BooleanField(_("dữ liệu giả lập"), default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhân khẩu")
        verbose_name_plural = _("nhân khẩu")
        ordering = ["name_folded", "id"]
        indexes = [
            models.Index(fields=["name_folded", "id"], name="people_name_keyset"),
            models.Index(fields=["given_name_folded", "name_folded", "id"], name="people_given_name_keyset"),
            models.Index(fields=["residence_unit", "name_folded", "id"], name="people_residence_name"),
            models.Index(fields=["organisation", "name_folded", "id"], name="people_organisation"),
            models.Index(fields=["phone", "birth_year"], name="people_phone_year"),
            models.Index(fields=["name_folded", "id"], condition=FOREIGNER_Q, name="people_foreigner_keyset"),
            models.Index(
                fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="people_tombstones"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__gte=1900) & models.Q(birth_year__lte=2100),
                name="people_birth_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_year})"

    @property
    def is_foreigner(self) -> bool:
        return self.nationality != "VN"

    def set_search_keys(self) -> None:
        """Derive the folded search keys from the name (save() does it; call it before bulk_create)."""
        self.name_folded = fold(self.full_name)[:120]
        self.given_name_folded = (self.name_folded.rsplit(" ", 1)[-1] if self.name_folded else "")[:40]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived search keys, kept with the row they describe.
        self.set_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded", "given_name_folded"}
        super().save(*args, **kwargs)


class StaffCategory(models.TextChoices):
    CADRE = "cadre", _("Cán bộ")
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    WORKER = "worker", _("Người lao động")
    CONTRACT = "contract", _("Hợp đồng")


class StaffMembershipQuerySet(models.QuerySet["StaffMembership"]):
    def current(self) -> StaffMembershipQuerySet:
        from django.utils import timezone

        today = timezone.localdate()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=today), start_date__lte=today)


class StaffMembership(BaseModel):
    """A person's post in an organisation, with their direct head (D3).

    The management chain is the chain of ``manager`` links, continued by the head of each
    parent organisation ("theo thẩm quyền, phân cấp quản lý cán bộ").
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff", verbose_name=_("cơ quan, đơn vị")
    )
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    category = models.CharField(_("loại"), max_length=16, choices=StaffCategory.choices, default=StaffCategory.WORKER)
    is_party_member = models.BooleanField(_("đảng viên"), default=False)
    is_head = models.BooleanField(_("thủ trưởng đơn vị"), default=False)
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("lãnh đạo trực tiếp"),
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("cán bộ, nhân viên")
        verbose_name_plural = _("cán bộ, nhân viên")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="people_membership_end_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("id")), name="people_membership_not_own_manager"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "is_head"], name="people_membership_org_head")]

    def __str__(self) -> str:
        return f"{self.person.full_name} — {self.position} — {self.organisation}"

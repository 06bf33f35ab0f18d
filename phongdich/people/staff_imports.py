"""Import an organisation's staff from CSV or Excel, on the project's one import framework (``core.tabular``).

Each row names a person already in the registry — by CCCD, or by full name + birth year +
phone when there is no CCCD — who must be in the importer's scope; their position, category,
party membership, head title, the CCCD of their direct head and the start date. The direct
head is a current member of the organisation (or of one above it) or a person on an earlier
row of the same file. Every row is checked with the rules of ``membership_create`` before
anything is written; the rows are then written through that service, in file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phongdich.core import tabular as tb
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import User
from phongdich.core.text import fold
from phongdich.orgs.models import Organisation

from .imports import _parse_digits_keep_zero
from .models import Person, StaffCategory, StaffMembership
from .services import live_person
from .staff_exports import export_only_headers
from .staff_services import (
    ALREADY_MEMBER,
    HEAD_TAKEN,
    MANAGER_NOT_CURRENT,
    MANAGER_OUTSIDE,
    PERSON_OUT_OF_SCOPE,
    check_manager,
    check_organisation_scope,
    membership_create,
)
from .validators import normalise_phone

SPEC_NAME = "people.staff_import"

_YES_NO = {"có": True, "x": True, "1": True, "yes": True, "không": False, "0": False, "no": False}


def _categories() -> dict[str, str]:
    """Category names as the user types them: in their language, in Vietnamese, or the stored value."""
    choices: dict[str, str] = {}
    for value, label in StaffCategory.choices:
        choices[str(label)] = value
        with translation.override(settings.LANGUAGE_CODE):
            choices[str(label)] = value
        choices[value] = value
    return choices


def columns() -> tuple[tb.Column, ...]:
    """The columns in the user's language; the Vietnamese headers are always accepted too."""
    return tb.bilingual(_columns)


def _columns() -> tuple[tb.Column, ...]:
    return (
        tb.Column(
            _("Số CCCD"),
            "cccd",
            required=False,
            default="",
            parse=_parse_digits_keep_zero(length=12),
            aliases=("CCCD", "cccd"),
        ),
        tb.Column(_("Họ và tên"), "full_name", required=False, default="", aliases=("ho ten", "full_name")),
        tb.Column(_("Năm sinh"), "birth_year", required=False, parse=tb.parse_int(), aliases=("birth_year",)),
        tb.Column(
            _("Số điện thoại"),
            "phone",
            required=False,
            default="",
            parse=_parse_digits_keep_zero(length=10),
            aliases=("điện thoại", "phone", "SĐT"),
        ),
        tb.Column(_("Chức vụ"), "position", aliases=("position",)),
        tb.Column(
            _("Loại"),
            "category",
            required=False,
            default=StaffCategory.WORKER.value,
            parse=tb.parse_choice(_categories(), shown=[str(label) for label in StaffCategory.labels]),
            aliases=("category", "loại cán bộ"),
        ),
        tb.Column(
            _("Đảng viên"),
            "is_party_member",
            required=False,
            default=False,
            parse=tb.parse_choice(_YES_NO, shown=[_("Có"), _("Không")]),
            aliases=("is_party_member",),
        ),
        tb.Column(
            _("Thủ trưởng"),
            "is_head",
            required=False,
            default=False,
            parse=tb.parse_choice(_YES_NO, shown=[_("Có"), _("Không")]),
            aliases=("is_head",),
        ),
        tb.Column(
            _("CCCD lãnh đạo trực tiếp"),
            "manager_cccd",
            required=False,
            default="",
            parse=_parse_digits_keep_zero(length=12),
            aliases=("manager_cccd",),
        ),
        tb.Column(_("Từ ngày"), "start_date", parse=tb.parse_date, aliases=("start_date", "ngày bắt đầu")),
    )


@dataclass
class _FileRow:
    """A valid row already seen, for the rows below it that name it as their direct head."""

    person: Person
    start_date: date


def staff_spec(*, actor: User | None, organisation: Organisation) -> tb.TabularSpec:
    """The import spec for this actor and organisation (refused when the organisation is out of scope)."""
    check_organisation_scope(actor, organisation)
    visible = Person.objects.all() if actor is None else Person.objects.for_user(actor)
    today = timezone.localdate()
    ancestor_ids = [int(p) for p in organisation.path.strip("/").split("/") if p.isdigit()] or [organisation.pk]
    seen_people: set[int] = set()
    by_cccd: dict[str, _FileRow] = {}  # valid rows so far, by CCCD
    created: dict[int, StaffMembership] = {}  # person id -> membership written by this import
    head_rows: list[int] = []
    heads = StaffMembership.objects.filter(organisation=organisation, is_head=True).select_related("person")

    def find_person(row: dict[str, Any]) -> Person | list[tb.RowIssue]:
        cccd = row["cccd"]
        if cccd:
            holder = Person.objects.filter(cccd=cccd).first()
            if holder is None:
                return [
                    tb.RowIssue("cccd", _("Không có ai mang số CCCD %(cccd)s trong sổ nhân khẩu.") % {"cccd": cccd})
                ]
            holder = live_person(holder)
            if not visible.filter(pk=holder.pk).exists():
                return [tb.RowIssue("cccd", str(PERSON_OUT_OF_SCOPE))]
            return holder
        name, year, phone = row["full_name"].strip(), row["birth_year"], row["phone"]
        if not (name and year and phone):
            return [
                tb.RowIssue(None, _("Cần số CCCD, hoặc đủ họ và tên, năm sinh và số điện thoại để xác định người này."))
            ]
        phone = normalise_phone(phone)
        matches = list(
            visible.active().filter(name_folded=fold(name)[:120], birth_year=year, phone=phone).order_by("id")[:2]
        )
        if not matches:
            return [
                tb.RowIssue(
                    None,
                    _("Không tìm thấy %(name)s (%(year)s, %(phone)s) trong sổ nhân khẩu thuộc phạm vi bạn quản lý.")
                    % {"name": name, "year": year, "phone": phone},
                )
            ]
        if len(matches) > 1:
            return [tb.RowIssue(None, _("Có nhiều người cùng họ tên, năm sinh và số điện thoại: hãy ghi số CCCD."))]
        return matches[0]

    def find_manager(manager_cccd: str, person: Person) -> StaffMembership | _FileRow:
        if manager_cccd in by_cccd:
            above = by_cccd[manager_cccd]
            if above.start_date > today:
                raise ValidationFailed(MANAGER_NOT_CURRENT, field="manager_cccd")
            return above
        holder = Person.objects.filter(cccd=manager_cccd).first()
        if holder is None:
            raise ValidationFailed(
                _("Không có ai mang số CCCD %(cccd)s trong sổ nhân khẩu.") % {"cccd": manager_cccd},
                field="manager_cccd",
            )
        holder = live_person(holder)
        candidates = StaffMembership.objects.filter(person=holder, organisation_id__in=ancestor_ids).select_related(
            "organisation"
        )
        current = [m for m in candidates if m.start_date <= today and (m.end_date is None or m.end_date >= today)]
        if not current:
            message = MANAGER_NOT_CURRENT if candidates else MANAGER_OUTSIDE
            raise ValidationFailed(
                _("%(message)s Người đó cũng không có ở dòng nào phía trên trong tệp.") % {"message": message},
                field="manager_cccd",
            )
        # the one nearest to the organisation
        manager = max(current, key=lambda m: len(m.organisation.path))
        check_manager(manager=manager, organisation=organisation, person=person)
        return manager

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        found = find_person(row)
        if isinstance(found, list):
            return found
        person = found
        if person.pk in seen_people:
            return [tb.RowIssue(None, _("Người này xuất hiện nhiều lần trong tệp."))]
        position = " ".join(row["position"].split())[:120]
        start_date: date = row["start_date"]
        twin = (
            StaffMembership.objects.filter(person=person, organisation=organisation)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
            .first()
        )
        if twin is not None:
            return [tb.RowIssue(None, str(ALREADY_MEMBER % {"name": person.full_name, "position": twin.position}))]
        if row["is_head"]:
            # the rule of ``membership_create``: no other head whose term reaches the start date
            existing_head = heads.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date)).first()
            if existing_head is not None:
                return [
                    tb.RowIssue(
                        "is_head",
                        str(
                            HEAD_TAKEN
                            % {
                                "org": organisation.name,
                                "name": existing_head.person.full_name,
                                "position": existing_head.position,
                            }
                        ),
                    )
                ]
            if head_rows:
                return [tb.RowIssue("is_head", _("Tệp có nhiều hơn một thủ trưởng."))]
        manager = None
        if row["manager_cccd"]:
            if row["manager_cccd"] == person.cccd:
                return [
                    tb.RowIssue("manager_cccd", _("Không thể chọn chính người này làm lãnh đạo trực tiếp của mình."))
                ]
            manager = find_manager(row["manager_cccd"], person)
        seen_people.add(person.pk)
        if row["is_head"]:
            head_rows.append(person.pk)
        if person.cccd:
            by_cccd[person.cccd] = _FileRow(person=person, start_date=start_date)
        return {
            "person": person,
            "position": position,
            "category": row["category"],
            "is_party_member": row["is_party_member"],
            "is_head": row["is_head"],
            "manager": manager,
            "start_date": start_date,
        }

    def write(rows: list[dict[str, Any]]) -> int:
        for row in rows:
            if isinstance(row["manager"], _FileRow):
                # a valid row above this one, so already written
                row["manager"] = created[row["manager"].person.pk]
            membership = membership_create(actor=actor, organisation=organisation, **row)
            created[membership.person_id] = membership
        return len(rows)

    return tb.TabularSpec(
        name=SPEC_NAME,
        title=_("cán bộ, nhân viên"),
        columns=columns(),
        validate_row=validate,
        write=write,
        ignore_columns=export_only_headers(),
        batch_size=500,
    )


def staff_import(
    *, actor: User | None, organisation: Organisation, upload: Any, filename: str | None = None, partial: bool = False
) -> tb.ImportResult:
    """Validate every row of ``upload``, then record the memberships in one transaction (or none of them)."""
    spec = staff_spec(actor=actor, organisation=organisation)
    return tb.run_import(
        spec, upload, actor=actor, filename=filename, partial=partial, detail={"organisation": str(organisation.uid)}
    )


def staff_template(*, fmt: str = "xlsx") -> bytes:
    return tb.template_file(columns(), fmt=fmt)

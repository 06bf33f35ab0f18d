"""Writes to the staff registry (D2–D3): a person's post in an organisation and their direct head.

The rules of a membership, checked by every caller (pages, API, import, demo factories):

* the actor's scope contains the organisation (``actor=None`` is the system) and the person;
* the direct head (``manager``) is a current membership of the same organisation or of an
  organisation above it (``Organisation.path`` prefix), never the person themself, and never
  someone who is already below the person in the management chain (no cycles);
* an organisation has at most one head at a time: a new head is refused while another head's
  term overlaps, unless ``replace_head=True``, which takes the old head's title away (audited);
* a membership ends on or after the day it started.

Each function is one transaction with its audit lines.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import Person, StaffCategory, StaffMembership

ORGANISATION_OUT_OF_SCOPE = gettext_lazy("Cơ quan, đơn vị này nằm ngoài phạm vi bạn quản lý.")
PERSON_OUT_OF_SCOPE = gettext_lazy("Người này nằm ngoài phạm vi bạn quản lý.")
PERSON_MERGED = gettext_lazy("Hồ sơ này đã được gộp vào hồ sơ khác; hãy chọn hồ sơ được giữ lại.")
POSITION_REQUIRED = gettext_lazy("Vui lòng nhập chức vụ.")
CATEGORY_INVALID = gettext_lazy("Loại cán bộ, nhân viên không hợp lệ.")
START_REQUIRED = gettext_lazy("Vui lòng nhập ngày bắt đầu công tác.")
END_REQUIRED = gettext_lazy("Vui lòng nhập ngày kết thúc công tác.")
ALREADY_MEMBER = gettext_lazy("%(name)s đang công tác tại cơ quan, đơn vị này (%(position)s).")
MANAGER_SELF = gettext_lazy("Không thể chọn chính người này làm lãnh đạo trực tiếp của mình.")
MANAGER_NOT_CURRENT = gettext_lazy("Lãnh đạo trực tiếp được chọn hiện không còn công tác.")
MANAGER_OUTSIDE = gettext_lazy(
    "Lãnh đạo trực tiếp phải đang công tác tại chính cơ quan, đơn vị này hoặc tại một cơ quan cấp trên của nó."
)
MANAGER_CYCLE = gettext_lazy(
    "Không thể chọn %(name)s: người đó đang là cấp dưới của người này trong chuỗi quản lý (tạo thành vòng lặp)."
)
HEAD_TAKEN = gettext_lazy(
    "%(org)s đã có thủ trưởng: %(name)s (%(position)s). Hãy kết thúc công tác hoặc bỏ chức thủ trưởng của "
    "người đó trước, hoặc chọn “Thay thủ trưởng hiện tại”."
)
END_BEFORE_START = gettext_lazy("Ngày kết thúc không được trước ngày bắt đầu công tác (%(start)s).")
ALREADY_ENDED = gettext_lazy("Công tác này đã kết thúc ngày %(end)s.")
ENDED_READ_ONLY = gettext_lazy("Công tác này đã kết thúc ngày %(end)s; không sửa được nữa.")


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
"""The default of ``membership_update``'s arguments: leave the field as it is."""


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _is_current(membership: StaffMembership, today: date) -> bool:
    return membership.start_date <= today and (membership.end_date is None or membership.end_date >= today)


def check_organisation_scope(actor: User | None, organisation: Organisation) -> None:
    """The organisation must lie in the actor's scope (raises ``NotInScope``: 'not found')."""
    if actor is not None and not scope_for(actor).contains_organisation(organisation):
        raise NotInScope(ORGANISATION_OUT_OF_SCOPE, field="organisation")


def _check_person(actor: User | None, person: Person) -> None:
    if person.merged_into_id is not None:
        raise ValidationFailed(PERSON_MERGED, field="person")
    if actor is not None and not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise ValidationFailed(PERSON_OUT_OF_SCOPE, field="person")


def _clean_position(position: str) -> str:
    value = " ".join(str(position or "").split())[:120]
    if not value:
        raise ValidationFailed(POSITION_REQUIRED, field="position")
    return value


def _clean_category(category: Any) -> str:
    value = str(category or "")
    if value not in StaffCategory.values:
        raise ValidationFailed(CATEGORY_INVALID, field="category")
    return value


def check_manager(
    *, manager: StaffMembership, organisation: Organisation, person: Person, membership: StaffMembership | None = None
) -> None:
    """Refuse a direct head that breaks the rules of the management chain (see the module docstring)."""
    manager = StaffMembership.objects.select_related("person", "organisation").get(pk=manager.pk)
    if manager.person_id == person.pk or (membership is not None and manager.pk == membership.pk):
        raise ValidationFailed(MANAGER_SELF, field="manager")
    if not _is_current(manager, timezone.localdate()):
        raise ValidationFailed(MANAGER_NOT_CURRENT, field="manager")
    if not organisation.path.startswith(manager.organisation.path):
        raise ValidationFailed(MANAGER_OUTSIDE, field="manager")
    # Walk up from the manager: meeting this membership (or this person's other posts) is a cycle.
    seen = {manager.pk}
    next_id = manager.manager_id
    while next_id is not None and next_id not in seen:
        seen.add(next_id)
        row = StaffMembership.objects.filter(pk=next_id).values_list("manager_id", "person_id").first()
        if row is None:
            break
        if (membership is not None and next_id == membership.pk) or row[1] == person.pk:
            raise ValidationFailed(MANAGER_CYCLE % {"name": manager.person.full_name}, field="manager")
        next_id = row[0]


def _overlapping(qs: Any, *, start_date: date, end_date: date | None) -> Any:
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date is not None:
        qs = qs.filter(start_date__lte=end_date)
    return qs


def _claim_head(
    *,
    actor: User | None,
    organisation: Organisation,
    start_date: date,
    end_date: date | None,
    exclude: StaffMembership | None,
    replace_head: bool,
    new_head: str,
) -> list[str]:
    """Make room for a new head: refuse, or (``replace_head``) take the title from the overlapping head(s)."""
    others = _overlapping(
        StaffMembership.objects.select_for_update().filter(organisation=organisation, is_head=True),
        start_date=start_date,
        end_date=end_date,
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    others = list(others.select_related("person").order_by("start_date", "id"))
    if not others:
        return []
    if not replace_head:
        first = others[0]
        raise ValidationFailed(
            HEAD_TAKEN % {"org": organisation.name, "name": first.person.full_name, "position": first.position},
            field="is_head",
        )
    demoted = []
    for old in others:
        old.is_head = False
        old.save(update_fields=["is_head", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=old,
            summary=_("Thôi chức thủ trưởng: %(name)s — %(org)s") % {"name": old.person.full_name, "org": organisation},
            detail={"changed": {"is_head": [True, False]}, "replaced_by": new_head},
        )
        demoted.append(str(old.uid))
    return demoted


def _lock_organisation(organisation: Organisation) -> None:
    """Serialise writes to one organisation's staff (PostgreSQL row lock; SQLite locks the database)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").first()


def _summary(membership: StaffMembership) -> str:
    return f"{membership.person.full_name} — {membership.position} — {membership.organisation.name}"[:255]


@transaction.atomic
def membership_create(
    *,
    actor: User | None,
    person: Person,
    organisation: Organisation,
    position: str,
    category: StaffCategory | str,
    is_party_member: bool = False,
    is_head: bool = False,
    manager: StaffMembership | None = None,
    start_date: date | None,
    replace_head: bool = False,
) -> StaffMembership:
    """Record that ``person`` holds ``position`` in ``organisation`` from ``start_date``, under ``manager``."""
    check_organisation_scope(actor, organisation)
    _check_person(actor, person)
    position = _clean_position(position)
    category = _clean_category(category)
    if start_date is None:
        raise ValidationFailed(START_REQUIRED, field="start_date")
    _lock_organisation(organisation)
    twin = (
        _overlapping(
            StaffMembership.objects.filter(person=person, organisation=organisation),
            start_date=start_date,
            end_date=None,
        )
        .order_by("start_date")
        .first()
    )
    if twin is not None:
        raise ValidationFailed(ALREADY_MEMBER % {"name": person.full_name, "position": twin.position}, field="person")
    if manager is not None:
        check_manager(manager=manager, organisation=organisation, person=person)
    membership = StaffMembership(
        person=person,
        organisation=organisation,
        position=position,
        category=category,
        is_party_member=bool(is_party_member),
        is_head=bool(is_head),
        manager=manager,
        start_date=start_date,
    )
    demoted: list[str] = []
    if is_head:
        demoted = _claim_head(
            actor=actor,
            organisation=organisation,
            start_date=start_date,
            end_date=None,
            exclude=None,
            replace_head=replace_head,
            new_head=str(membership.uid),
        )
    membership.save()
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        summary=_summary(membership),
        detail={
            "person": str(person.uid),
            "organisation": str(organisation.uid),
            "position": position,
            "category": category,
            "is_party_member": membership.is_party_member,
            "is_head": membership.is_head,
            "manager": str(manager.uid) if manager is not None else None,
            "start_date": start_date.isoformat(),
            **({"replaced_heads": demoted} if demoted else {}),
        },
    )
    return membership


def _differs(membership: StaffMembership, name: str, value: Any) -> bool:
    if name == "manager":
        return membership.manager_id != (value.pk if value is not None else None)
    return bool(getattr(membership, name) != value)


def _audit_value(value: Any) -> Any:
    if isinstance(value, StaffMembership):
        return str(value.uid)
    return value


@transaction.atomic
def membership_update(
    *,
    actor: User | None,
    membership: StaffMembership,
    position: str | _Unset = UNSET,
    category: StaffCategory | str | _Unset = UNSET,
    is_party_member: bool | _Unset = UNSET,
    is_head: bool | _Unset = UNSET,
    manager: StaffMembership | _Unset | None = UNSET,
    replace_head: bool = False,
) -> StaffMembership:
    """Change a current membership's position, category, party membership, head title or direct head."""
    locked = StaffMembership.objects.select_for_update().select_related("person", "organisation").get(pk=membership.pk)
    organisation = locked.organisation
    check_organisation_scope(actor, organisation)
    today = timezone.localdate()
    if locked.end_date is not None and locked.end_date < today:
        raise ValidationFailed(ENDED_READ_ONLY % {"end": _fmt(locked.end_date)})
    _lock_organisation(organisation)
    values: dict[str, Any] = {}
    if not isinstance(position, _Unset):
        values["position"] = _clean_position(position)
    if not isinstance(category, _Unset):
        values["category"] = _clean_category(category)
    if not isinstance(is_party_member, _Unset):
        values["is_party_member"] = bool(is_party_member)
    if not isinstance(is_head, _Unset):
        values["is_head"] = bool(is_head)
    if not isinstance(manager, _Unset):
        if manager is not None and manager.pk != locked.manager_id:
            check_manager(manager=manager, organisation=organisation, person=locked.person, membership=locked)
        values["manager"] = manager
    changed = {
        name: [_audit_value(getattr(locked, name)), _audit_value(value)]
        for name, value in values.items()
        if _differs(locked, name, value)
    }
    if not changed:
        return locked
    demoted: list[str] = []
    if values.get("is_head") and not locked.is_head:
        demoted = _claim_head(
            actor=actor,
            organisation=organisation,
            # the title is taken from today on: a head whose term is over is not in the way
            start_date=max(locked.start_date, today),
            end_date=locked.end_date,
            exclude=locked,
            replace_head=replace_head,
            new_head=str(locked.uid),
        )
    for name in changed:
        setattr(locked, name, values[name])
    locked.save()
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        summary=_summary(locked),
        detail={"changed": changed, **({"replaced_heads": demoted} if demoted else {})},
    )
    membership.refresh_from_db()
    return locked


@transaction.atomic
def membership_end(*, actor: User | None, membership: StaffMembership, end_date: date | None) -> StaffMembership:
    """End a membership on ``end_date`` (the last day of the post). Reports keep their link; the
    management chain skips an ended post and continues above it."""
    locked = StaffMembership.objects.select_for_update().select_related("person", "organisation").get(pk=membership.pk)
    check_organisation_scope(actor, locked.organisation)
    if end_date is None:
        raise ValidationFailed(END_REQUIRED, field="end_date")
    if locked.end_date is not None and locked.end_date < timezone.localdate():
        raise ValidationFailed(ALREADY_ENDED % {"end": _fmt(locked.end_date)}, field="end_date")
    if end_date < locked.start_date:
        raise ValidationFailed(END_BEFORE_START % {"start": _fmt(locked.start_date)}, field="end_date")
    previous = locked.end_date
    locked.end_date = end_date
    locked.save(update_fields=["end_date", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        summary=_("Kết thúc công tác: %(what)s") % {"what": _summary(locked)},
        detail={
            "operation": "end",
            "changed": {"end_date": [previous.isoformat() if previous else None, end_date.isoformat()]},
        },
    )
    membership.refresh_from_db()
    return locked

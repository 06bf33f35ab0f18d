"""Writes of the travel app (M7, M8): file a trip, approve or refuse it, declare after it, record a trip
taken without approval; save an enterprise's 3-on-site plan and the workers allowed out or in.

Whether a trip needs approval is ``rules.approval_needed`` over the holiday calendar and office hours (data);
who may approve is ``rules.approver_relation`` over the management chain (``people.selectors.approvers_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person, StaffMembership
from phongdich.people.selectors import approvers_for
from phongdich.zones.countries import COUNTRIES
from phongdich.zones.models import EpidemicArea, PlaceKind
from phongdich.zones.rules import place_within

from .models import OfficeHours, OnSitePlan, PassDirection, PublicHoliday, Trip, TripStatus, WorkerPass
from .rules import ApprovalNeed, Hours, Reason, approval_needed, approver_relation

REASON_LABELS = {
    Reason.HOLIDAY: gettext_lazy("ngày nghỉ lễ, Tết"),
    Reason.SATURDAY: gettext_lazy("thứ Bảy"),
    Reason.SUNDAY: gettext_lazy("Chủ nhật"),
    Reason.OUTSIDE_HOURS: gettext_lazy("ngoài giờ hành chính"),
}
DECIDABLE = (TripStatus.PENDING,)
DECLARABLE = (TripStatus.APPROVED, TripStatus.NOT_REQUIRED, TripStatus.UNAPPROVED)
DECLARATION_LOOK_BACK_DAYS = 14


# --- Data the rules read ----------------------------------------------------------------------------


def office_hours() -> list[Hours]:
    return [
        Hours(
            weekdays=frozenset(int(d) for d in h.weekdays.split(",") if d.strip().isdigit()),
            morning=(h.morning_start, h.morning_end),
            afternoon=(h.afternoon_start, h.afternoon_end),
            effective_from=h.effective_from,
            effective_to=h.effective_to,
        )
        for h in OfficeHours.objects.all()
    ]


def holidays_between(start: date, end: date) -> dict[date, str]:
    return dict(PublicHoliday.objects.filter(day__gte=start, day__lte=end).values_list("day", "name"))


def _local(moment: datetime) -> datetime:
    """A naive local time (what the rule compares with office hours)."""
    if timezone.is_aware(moment):
        return timezone.localtime(moment).replace(tzinfo=None)
    return moment


def assess(depart_at: datetime, return_at: datetime) -> ApprovalNeed:
    start, end = _local(depart_at), _local(return_at)
    return approval_needed(start, end, holidays=holidays_between(start.date(), end.date()), hours=office_hours())


def reasons_text(need: ApprovalNeed) -> str:
    return ", ".join(str(REASON_LABELS[r]) for r in need.reasons)


def home_province() -> Unit | None:
    return Unit.objects.filter(
        tree=getattr(settings, "ADMIN_TREE", "2021"),
        code=getattr(settings, "PROVINCE_CODE", "19"),
        level=Level.PROVINCE,
    ).first()


def epidemic_warning(*, place_key: str, place_name: str, start: date, end: date) -> str:
    """A warning when the place is (inside) an epidemic area on any day from ``start`` to ``end``; else ""."""
    hits = []
    for area in EpidemicArea.objects.select_related("unit").filter(start_date__lte=end):
        if area.end_date is not None and area.end_date < start:
            continue
        if place_within(place_key, area.place_key):
            hits.append(area)
    if not hits:
        return ""
    names = ", ".join(sorted({a.place_name for a in hits}))
    return _(
        "%(place)s thuộc vùng dịch (%(areas)s) trong thời gian đi. Không đi đến vùng có dịch khi không thực sự "
        "cần thiết."
    ) % {"place": place_name, "areas": names}


# --- Who may approve --------------------------------------------------------------------------------


def chain_people(membership: StaffMembership) -> list[int]:
    """The people who may approve for ``membership``, nearest first (person ids)."""
    return [m.person_id for m in approvers_for(membership=membership)]


def person_of(user: Any) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def relation_of(user: Any, trip: Trip) -> str | None:
    """``user``'s standing to decide ``trip``: direct head, higher leader, or None."""
    person = person_of(user)
    if person is None:
        return None
    return approver_relation(approver=person.pk, traveller=trip.traveller_id, chain=chain_people(trip.membership))


def can_decide(user: Any, trip: Trip) -> bool:
    return trip.status in DECIDABLE and relation_of(user, trip) is not None


def can_record_unapproved(user: Any, trip: Trip) -> bool:
    if trip.status not in (TripStatus.PENDING, TripStatus.REFUSED):
        return False
    if trip.depart_at > timezone.now():
        return False
    return relation_of(user, trip) is not None or scope_for(user).contains_organisation(trip.organisation)


# --- Trips ------------------------------------------------------------------------------------------


def _place(kind: str, unit: Unit | None, country: str) -> tuple[Unit | None, str]:
    if kind == PlaceKind.COUNTRY:
        code = (country or "").strip().upper()
        if code not in COUNTRIES:
            raise ValidationFailed(_("Chọn nước đến trong danh mục."), field="destination")
        return None, code
    if kind == PlaceKind.UNIT and isinstance(unit, Unit):
        home = home_province()
        if home is not None and unit.tree == home.tree and unit.path.startswith(home.path):
            raise ValidationFailed(
                _("Nơi đến thuộc tỉnh %(province)s: chỉ đăng ký chuyến đi ra ngoài tỉnh.") % {"province": home.name},
                field="destination",
            )
        return unit, ""
    raise ValidationFailed(_("Chọn nơi đến: tỉnh, huyện, xã hoặc nước ngoài."), field="destination")


def _notify_approver(trip: Trip, chain: list[StaffMembership]) -> None:
    from phongdich.notifications.services import notify

    recipient = next((m.person.user for m in chain if m.person.user_id is not None), None)
    if recipient is None:
        return
    body = _("%(name)s xin đi %(place)s từ %(start)s đến %(end)s (%(reasons)s).") % {
        "name": trip.traveller.full_name,
        "place": trip.place_name,
        "start": f"{timezone.localtime(trip.depart_at):%H:%M %d/%m/%Y}",
        "end": f"{timezone.localtime(trip.return_at):%H:%M %d/%m/%Y}",
        "reasons": trip.approval_reasons,
    }
    if trip.epidemic_warning:
        body += " " + _("Cảnh báo: %(warning)s") % {"warning": trip.epidemic_warning}
    notify(
        recipients=[recipient],
        title=_("Xin phép đi ngoài tỉnh: %(name)s") % {"name": trip.traveller.full_name},
        body=body,
        url=reverse("travel:decide", kwargs={"uid": trip.uid}),
        kind="travel_request",
    )


def trip_file(
    *,
    actor: Any,
    membership: StaffMembership,
    kind: str,
    unit: Unit | None = None,
    country: str = "",
    depart_at: datetime,
    return_at: datetime,
    purpose: str,
    companions: str = "",
) -> Trip:
    """A staff member files their own trip out of the province; the approvers are asked when it needs approval.
    ``actor=None`` is the system (demo data, imports): the trip is the membership's person's."""
    person = person_of(actor) if actor is not None else membership.person
    if person is None or membership.person_id != person.pk:
        raise PermissionDenied(_("Chỉ người đi được đăng ký chuyến đi của mình."))
    if membership.end_date is not None and membership.end_date < timezone.localdate():
        raise ValidationFailed(_("Chức vụ này đã kết thúc."), field="membership")
    unit, country = _place(kind, unit, country)
    if depart_at is None:
        raise ValidationFailed(_("Nhập thời gian đi."), field="depart_at")
    if return_at is None or return_at <= depart_at:
        raise ValidationFailed(_("Thời gian về phải sau thời gian đi."), field="return_at")
    if return_at - depart_at > timedelta(days=366):
        raise ValidationFailed(_("Chuyến đi không quá một năm."), field="return_at")
    purpose = " ".join((purpose or "").split())[:255]
    if not purpose:
        raise ValidationFailed(_("Ghi mục đích chuyến đi."), field="purpose")
    need = assess(depart_at, return_at)
    chain = approvers_for(membership=membership)
    if need.needed and not chain:
        raise ValidationFailed(
            _("Chưa có lãnh đạo trực tiếp hoặc thủ trưởng đơn vị để phê duyệt: đề nghị đơn vị cập nhật."),
            field="membership",
        )
    with transaction.atomic():
        trip = Trip(
            traveller=person,
            membership=membership,
            organisation=membership.organisation,
            kind=kind,
            unit=unit,
            country=country,
            depart_at=depart_at,
            return_at=return_at,
            purpose=purpose,
            companions=" ".join((companions or "").split())[:255],
            needs_approval=need.needed,
            approval_reasons=reasons_text(need)[:255],
            status=TripStatus.PENDING if need.needed else TripStatus.NOT_REQUIRED,
            created_by=actor,
        )
        trip.epidemic_warning = epidemic_warning(
            place_key=trip.place_key,
            place_name=trip.place_name,
            start=_local(depart_at).date(),
            end=_local(return_at).date(),
        )[:400]
        trip.save()
        trip.approvers.set([m.person_id for m in chain])
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=trip,
            summary=_("Đăng ký đi ngoài tỉnh: %(place)s") % {"place": trip.place_name},
            detail={"person": str(person.uid), "needs_approval": need.needed, "reasons": list(need.reasons)},
        )
        if need.needed:
            _notify_approver(trip, chain)
    return trip


def trip_decide(*, actor: Any, trip: Trip, approve: bool, reason: str = "") -> Trip:
    """The direct head or a higher leader approves or refuses (a refusal gives its reason)."""
    reason = " ".join((reason or "").split())[:255]
    with transaction.atomic():
        trip = Trip.objects.select_for_update().select_related("membership", "traveller").get(pk=trip.pk)
        if trip.status not in DECIDABLE:
            raise ValidationFailed(_("Chuyến đi này đã được quyết định."))
        relation = relation_of(actor, trip)
        if relation is None:
            raise PermissionDenied(_("Chỉ lãnh đạo trực tiếp hoặc lãnh đạo cấp trên của người đi được phê duyệt."))
        if not approve and not reason:
            raise ValidationFailed(_("Ghi lý do không đồng ý."), field="reason")
        trip.status = TripStatus.APPROVED if approve else TripStatus.REFUSED
        trip.decided_by = actor
        trip.decided_at = timezone.now()
        trip.decision_reason = reason
        trip.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=trip,
            summary=(_("Đồng ý chuyến đi ngoài tỉnh") if approve else _("Không đồng ý chuyến đi ngoài tỉnh")),
            detail={"person": str(trip.traveller.uid), "relation": relation, "reason": reason},
        )
        traveller_user = trip.traveller.user
        if traveller_user is not None:
            from phongdich.notifications.services import notify

            title = (_("Đã được đồng ý đi %(place)s") if approve else _("Không được đồng ý đi %(place)s")) % {
                "place": trip.place_name
            }
            notify(
                recipients=[traveller_user],
                title=title,
                body=reason,
                url=reverse("travel:detail", kwargs={"uid": trip.uid}),
                kind="travel_decision",
            )
    return trip


def _declaration_data(person: Person) -> dict[str, Any]:
    commune = person.residence_unit
    if commune.level == Level.HAMLET and commune.parent is not None:
        commune = commune.parent
    if not person.cccd and not person.passport_no:
        raise ValidationFailed(_("Hồ sơ của bạn chưa có số CCCD: hãy khai báo y tế tại trang Khai báo y tế."))
    if not person.phone:
        raise ValidationFailed(_("Hồ sơ của bạn chưa có số điện thoại: hãy khai báo y tế tại trang Khai báo y tế."))
    return {
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_year": person.birth_year,
        "nationality": person.nationality or "VN",
        "id_number": person.cccd or person.passport_no,
        "residence_unit": commune,
        "address": person.address or commune.name,
        "phone": person.phone,
        "email": person.email,
    }


@dataclass(frozen=True)
class Declared:
    trip: Trip
    test_orders: list[Any]


def trip_declare_return(*, actor: Any, trip: Trip, symptoms: dict[str, bool] | None = None) -> Declared:
    """After the trip the traveller files the medical declaration (the directive asks for it): the destination is
    the place visited; the testing rules order the test a return from an epidemic area calls for (T1)."""
    from phongdich.declarations.models import Channel
    from phongdich.declarations.services import declaration_file
    from phongdich.testing.triggers import orders_for_declaration

    trip = Trip.objects.select_related("traveller", "unit").get(pk=trip.pk)
    person = person_of(actor)
    if person is None or person.pk != trip.traveller_id:
        raise PermissionDenied(_("Chỉ người đi khai báo y tế sau chuyến đi của mình."))
    if trip.status not in DECLARABLE:
        raise ValidationFailed(_("Chuyến đi này chưa được đồng ý hoặc đã hủy."))
    if trip.declaration_id is not None:
        raise ValidationFailed(_("Đã khai báo y tế cho chuyến đi này."))
    today = timezone.localdate()
    start, end = _local(trip.depart_at).date(), min(_local(trip.return_at).date(), today)
    if start > today:
        raise ValidationFailed(_("Chuyến đi chưa bắt đầu."))
    earliest = today - timedelta(days=DECLARATION_LOOK_BACK_DAYS)
    if end < earliest:
        raise ValidationFailed(_("Chuyến đi đã kết thúc quá 14 ngày: không cần khai báo lại."))
    data = _declaration_data(trip.traveller)
    data.update({name: bool(value) for name, value in (symptoms or {}).items()})
    data.update({"departure_place": trip.place_name[:120], "departure_date": end})
    visit = {
        "kind": trip.kind,
        "unit": trip.unit,
        "country": trip.country,
        "from_date": max(start, earliest),
        "to_date": end,
    }
    with transaction.atomic():
        filed = declaration_file(actor=None, channel=Channel.SELF, data=data, visits=[visit])
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        trip.declaration = filed.declaration
        trip.declared_at = timezone.now()
        trip.save(update_fields=["declaration", "declared_at", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=trip,
            summary=_("Khai báo y tế sau chuyến đi"),
            detail={"person": str(trip.traveller.uid), "declaration": str(filed.declaration.uid)},
        )
        # The testing rules react to the declaration after commit too; the order's source key makes that a no-op.
        orders = orders_for_declaration(filed.declaration.pk)
    return Declared(trip=trip, test_orders=orders)


def trip_record_unapproved(*, actor: Any, trip: Trip, note: str) -> Trip:
    """Record that the trip was taken without approval (a violation the enforcement app may handle)."""
    note = " ".join((note or "").split())[:255]
    if not note:
        raise ValidationFailed(_("Ghi căn cứ xác định đã đi khi chưa được phép."), field="note")
    with transaction.atomic():
        trip = (
            Trip.objects.select_for_update().select_related("membership", "organisation", "traveller").get(pk=trip.pk)
        )
        if not can_record_unapproved(actor, trip):
            raise PermissionDenied(_("Không thể ghi nhận chuyến đi này là đi khi chưa được phép."))
        trip.status = TripStatus.UNAPPROVED
        trip.unapproved_note = note
        trip.save(update_fields=["status", "unapproved_note", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=trip,
            summary=_("Ghi nhận đi ngoài tỉnh khi chưa được phép"),
            detail={"person": str(trip.traveller.uid), "note": note},
        )
    return trip


# --- Workforce movement (M8) ------------------------------------------------------------------------


def _require_org(actor: Any, organisation: Organisation) -> None:
    """``actor=None`` is the system (demo data, imports)."""
    if actor is not None and not scope_for(actor).contains_organisation(organisation):
        raise PermissionDenied(_("Doanh nghiệp này không thuộc phạm vi của bạn."))


def plan_save(
    *,
    actor: Any,
    organisation: Organisation,
    start_date: date,
    end_date: date | None,
    capacity: int,
    workers_total: int,
    workers_on_site: int,
    accommodation: str,
    note: str = "",
    plan: OnSitePlan | None = None,
) -> OnSitePlan:
    """Create or update an enterprise's 3-on-site plan."""
    _require_org(actor, organisation)
    if start_date is None:
        raise ValidationFailed(_("Nhập ngày bắt đầu."), field="start_date")
    if end_date is not None and end_date < start_date:
        raise ValidationFailed(_("Ngày kết thúc không được trước ngày bắt đầu."), field="end_date")
    for name, value in (("capacity", capacity), ("workers_total", workers_total), ("workers_on_site", workers_on_site)):
        if value is None or value < 0:
            raise ValidationFailed(_("Nhập số không âm."), field=name)
    if workers_on_site > workers_total:
        raise ValidationFailed(_("Số người ở lại không được lớn hơn tổng số người lao động."), field="workers_on_site")
    if workers_on_site > capacity:
        raise ValidationFailed(_("Số người ở lại vượt số chỗ ăn, nghỉ tại chỗ."), field="workers_on_site")
    accommodation = " ".join((accommodation or "").split())[:255]
    if not accommodation:
        raise ValidationFailed(_("Ghi nơi ăn, nghỉ của người lao động."), field="accommodation")
    created = plan is None
    with transaction.atomic():
        if plan is None:
            plan = OnSitePlan(organisation=organisation, created_by=actor)
        elif plan.organisation_id != organisation.pk:
            raise ValidationFailed(_("Không đổi doanh nghiệp của phương án."), field="organisation")
        plan.start_date, plan.end_date = start_date, end_date
        plan.capacity, plan.workers_total, plan.workers_on_site = capacity, workers_total, workers_on_site
        plan.accommodation, plan.note = accommodation, (note or "").strip()
        plan.save()
        audit(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=plan,
            summary=_("Phương án 3 tại chỗ: %(org)s") % {"org": organisation.name},
            detail={"on_site": workers_on_site, "capacity": capacity},
        )
    return plan


def pass_add(
    *,
    actor: Any,
    plan: OnSitePlan,
    person: Person,
    direction: str,
    from_date: date,
    to_date: date,
    place: str,
    reason: str,
) -> WorkerPass:
    """Record a worker of the plan's enterprise allowed to go out of the province or to come in."""
    _require_org(actor, plan.organisation)
    if direction not in PassDirection.values:
        raise ValidationFailed(_("Chọn được ra hay được vào tỉnh."), field="direction")
    if from_date is None:
        raise ValidationFailed(_("Nhập ngày bắt đầu."), field="from_date")
    if to_date is None or to_date < from_date:
        raise ValidationFailed(_("Ngày kết thúc không được trước ngày bắt đầu."), field="to_date")
    works_there = person.organisation_id == plan.organisation_id or (
        StaffMembership.objects.current().filter(person=person, organisation=plan.organisation).exists()
    )
    if not works_there:
        raise ValidationFailed(_("Người này không phải người lao động của doanh nghiệp."), field="person")
    place = " ".join((place or "").split())[:160]
    reason = " ".join((reason or "").split())[:255]
    if not place:
        raise ValidationFailed(_("Ghi nơi đi hoặc nơi đến."), field="place")
    if not reason:
        raise ValidationFailed(_("Ghi lý do."), field="reason")
    with transaction.atomic():
        worker_pass = WorkerPass.objects.create(
            plan=plan,
            organisation=plan.organisation,
            person=person,
            direction=direction,
            from_date=from_date,
            to_date=to_date,
            place=place,
            reason=reason,
            created_by=actor,
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=worker_pass,
            summary=_("%(direction)s: %(name)s")
            % {"direction": worker_pass.get_direction_display(), "name": person.full_name},
            detail={"person": str(person.uid), "organisation": str(plan.organisation.uid)},
        )
    return worker_pass

"""Writes of enforcement (every one audited, inside its transaction).

- A gathering is registered at a commune or hamlet in the actor's scope; its cap is resolved then
  (``selectors.cap_for``) and kept with its source; over the cap it waits for the commune's approval, and the
  commune's officers are notified. Only a user whose scope holds the commune approves or refuses (a reason is
  required to refuse); the registrant and the commune's officers are notified of the decision.
- An inspection is recorded by a unit in the actor's scope on the unit right below it, or by a hamlet on
  one of its households (``rules.may_inspect``); follow-ups have deadlines and are closed with a note.
- A violation is recorded at a commune or hamlet in scope; it is published only with a decision number, and
  the name of a person only when the decision says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.notifications.selectors import users_with_role
from phongdich.notifications.services import notify
from phongdich.orgs.models import Organisation, Role
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.travel.models import Trip

from .models import (
    FollowUp,
    Gathering,
    GatheringKind,
    GatheringStatus,
    Inspection,
    InspectionPlan,
    InspectionResult,
    OffenderKind,
    Regulation,
    Sanction,
    Violation,
    ViolationKind,
)
from .rules import HOUSEHOLD, Place, may_inspect, needs_approval
from .selectors import cap_for, commune_of

MAX_ATTENDANCE = 100_000
MAX_FINE = 10_000_000_000  # đồng


def _in_scope(actor: Any, unit: Unit) -> None:
    """``actor=None`` is the system (the demo, an import): no scope to check."""
    if actor is not None and not scope_for(actor).contains_unit(unit):
        raise PermissionDenied(_("Địa bàn này không thuộc phạm vi quản lý của bạn."))


def _place(unit: Unit | None) -> Unit:
    if unit is None or unit.level not in (Level.COMMUNE, Level.HAMLET):
        raise ValidationFailed(_("Chọn xã, phường, thị trấn hoặc thôn, xóm, tổ dân phố."), field="unit")
    return unit


def _commune_officers(commune: Unit) -> Any:
    return users_with_role(unit=commune, roles=[Role.COMMUNE_OFFICER])


# --- Gatherings (G1) ------------------------------------------------------------------------------------


@transaction.atomic
def gathering_register(
    *,
    actor: Any,
    kind: str,
    title: str,
    unit: Unit | None,
    address: str,
    event_date: date,
    expected_attendance: int,
    organiser_name: str,
    organiser_phone: str = "",
    organiser: Person | None = None,
    indoors: bool = True,
) -> Gathering:
    if kind not in GatheringKind.values:
        raise ValidationFailed(_("Loại sự kiện không hợp lệ."), field="kind")
    unit = _place(unit)
    _in_scope(actor, unit)
    if not title.strip():
        raise ValidationFailed(_("Nhập tên sự kiện."), field="title")
    if not address.strip():
        raise ValidationFailed(_("Nhập địa chỉ tổ chức."), field="address")
    if not organiser_name.strip():
        raise ValidationFailed(_("Nhập tên người tổ chức."), field="organiser_name")
    if not isinstance(expected_attendance, int) or not 1 <= expected_attendance <= MAX_ATTENDANCE:
        raise ValidationFailed(
            _("Số người dự kiến phải từ 1 đến %(max)s.") % {"max": MAX_ATTENDANCE}, field="expected_attendance"
        )
    if organiser_phone and not (organiser_phone.isdigit() and len(organiser_phone) == 10):
        raise ValidationFailed(_("Số điện thoại phải gồm 10 chữ số."), field="organiser_phone")
    if event_date < timezone.localdate():
        raise ValidationFailed(_("Ngày tổ chức không được ở quá khứ."), field="event_date")
    commune = commune_of(unit)
    decision = cap_for(unit=unit, kind=kind, on=event_date, indoors=indoors)
    over = needs_approval(expected_attendance, decision.cap)
    gathering = Gathering.objects.create(
        kind=kind,
        title=title.strip(),
        unit=unit,
        commune=commune,
        address=address.strip(),
        event_date=event_date,
        indoors=indoors,
        expected_attendance=expected_attendance,
        organiser_name=organiser_name.strip(),
        organiser_phone=organiser_phone,
        organiser=organiser,
        cap=decision.cap,
        cap_source=decision.source[:255],
        cap_uncertain=decision.uncertain,
        status=GatheringStatus.PENDING if over else GatheringStatus.REGISTERED,
        created_by=actor,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=gathering,
        summary=_("Đăng ký sự kiện %(title)s") % {"title": gathering.title},
        detail={"cap": decision.cap, "expected": expected_attendance, "status": gathering.status},
    )
    if over:
        notify(
            recipients=_commune_officers(commune),
            title=_("Sự kiện vượt giới hạn chờ phê duyệt: %(title)s") % {"title": gathering.title},
            body=_("%(date)s, %(address)s: dự kiến %(expected)s người, giới hạn %(cap)s người.")
            % {
                "date": f"{event_date:%d/%m/%Y}",
                "address": gathering.address,
                "expected": expected_attendance,
                "cap": decision.cap,
            },
            url=reverse("enforcement:gathering", args=[gathering.uid]),
            kind="gathering_pending",
        )
    return gathering


def can_decide(user: Any, gathering: Gathering) -> bool:
    return user is None or scope_for(user).contains_unit(gathering.commune)


@transaction.atomic
def gathering_decide(*, actor: Any, gathering: Gathering, approve: bool, reason: str = "") -> Gathering:
    gathering = Gathering.objects.select_for_update().get(pk=gathering.pk)
    if not can_decide(actor, gathering):
        raise PermissionDenied(_("Chỉ cán bộ xã nơi tổ chức được phê duyệt."))
    if gathering.status != GatheringStatus.PENDING:
        raise ValidationFailed(_("Sự kiện này không ở trạng thái chờ phê duyệt."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationFailed(_("Ghi rõ lý do không phê duyệt."), field="reason")
    gathering.status = GatheringStatus.APPROVED if approve else GatheringStatus.REFUSED
    gathering.decided_by = actor
    gathering.decided_at = timezone.now()
    gathering.decision_reason = reason
    gathering.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=gathering,
        summary=(_("Phê duyệt sự kiện %(title)s") if approve else _("Không phê duyệt sự kiện %(title)s"))
        % {"title": gathering.title},
        detail={"status": gathering.status, "reason": reason},
    )
    recipients = list(_commune_officers(gathering.commune))
    if gathering.created_by is not None:
        recipients.append(gathering.created_by)
    notify(
        recipients=[u for u in recipients if u.pk != getattr(actor, "pk", None)],
        title=(_("Đã phê duyệt: %(title)s") if approve else _("Không phê duyệt: %(title)s"))
        % {"title": gathering.title},
        body=reason or gathering.get_status_display(),
        url=reverse("enforcement:gathering", args=[gathering.uid]),
        kind="gathering_decided",
    )
    return gathering


# --- Inspections (G2) -----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    inspector_unit: Unit,
    title: str,
    start_date: date,
    end_date: date,
    targets: list[Unit],
    note: str = "",
) -> InspectionPlan:
    _in_scope(actor, inspector_unit)
    if not title.strip():
        raise ValidationFailed(_("Nhập tên kế hoạch."), field="title")
    if end_date < start_date:
        raise ValidationFailed(_("Ngày kết thúc phải sau ngày bắt đầu."), field="end_date")
    for target in targets:
        if not may_inspect(_unit_place(inspector_unit), _unit_place(target)):
            raise ValidationFailed(
                _("%(inspector)s không kiểm tra %(target)s: cấp trên chỉ kiểm tra cấp ngay dưới thuộc địa bàn mình.")
                % {"inspector": inspector_unit.name, "target": target.name},
                field="targets",
            )
    plan = InspectionPlan.objects.create(
        inspector_unit=inspector_unit,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        note=note,
        created_by=actor,
    )
    plan.targets.set(targets)
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=plan,
        summary=_("Lập kế hoạch kiểm tra %(title)s") % {"title": plan.title},
        detail={"targets": [str(t.uid) for t in targets]},
    )
    return plan


def _unit_place(unit: Unit) -> Place:
    return Place(level=unit.level, path=unit.path, tree=unit.tree)


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    inspector_unit: Unit,
    target_unit: Unit,
    inspected_on: date,
    result: str,
    findings: str,
    household_head: Person | None = None,
    household_address: str = "",
    plan: InspectionPlan | None = None,
) -> Inspection:
    _in_scope(actor, inspector_unit)
    if result not in InspectionResult.values:
        raise ValidationFailed(_("Kết quả kiểm tra không hợp lệ."), field="result")
    if not findings.strip():
        raise ValidationFailed(_("Ghi nội dung, phát hiện của cuộc kiểm tra."), field="findings")
    if inspected_on > timezone.localdate():
        raise ValidationFailed(_("Ngày kiểm tra không được ở tương lai."), field="inspected_on")
    household = household_head is not None or bool(household_address.strip())
    if household and household_head is not None and household_head.residence_unit_id != target_unit.pk:
        raise ValidationFailed(_("Chủ hộ không cư trú tại xóm này."), field="household_head")
    target = (
        Place(level=HOUSEHOLD, path=target_unit.path, tree=target_unit.tree) if household else _unit_place(target_unit)
    )
    if household and target_unit.level != Level.HAMLET:
        raise ValidationFailed(_("Hộ gia đình phải thuộc một thôn, xóm, tổ dân phố."), field="target_unit")
    if not may_inspect(_unit_place(inspector_unit), target):
        raise ValidationFailed(
            _("%(inspector)s không kiểm tra %(target)s: cấp trên chỉ kiểm tra cấp ngay dưới thuộc địa bàn mình.")
            % {"inspector": inspector_unit.name, "target": _("hộ gia đình") if household else target_unit.name},
            field="target_unit",
        )
    if plan is not None and plan.inspector_unit_id != inspector_unit.pk:
        raise ValidationFailed(_("Kế hoạch này không phải của đơn vị kiểm tra."), field="plan")
    inspection = Inspection.objects.create(
        plan=plan,
        inspector_unit=inspector_unit,
        target_unit=target_unit,
        household_head=household_head,
        household_address=household_address.strip(),
        inspected_on=inspected_on,
        result=result,
        findings=findings.strip(),
        created_by=actor,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=inspection,
        summary=_("Ghi biên bản kiểm tra %(target)s") % {"target": inspection.target_label},
        detail={"inspector": str(inspector_unit.uid), "target": str(target_unit.uid), "result": result},
    )
    return inspection


def can_edit_inspection(user: Any, inspection: Inspection) -> bool:
    return user is None or scope_for(user).contains_unit(inspection.inspector_unit)


@transaction.atomic
def follow_up_add(*, actor: Any, inspection: Inspection, action: str, deadline: date) -> FollowUp:
    if not can_edit_inspection(actor, inspection):
        raise PermissionDenied(_("Chỉ đơn vị kiểm tra được giao việc khắc phục."))
    if not action.strip():
        raise ValidationFailed(_("Nhập việc phải khắc phục."), field="action")
    if deadline < inspection.inspected_on:
        raise ValidationFailed(_("Hạn khắc phục không được trước ngày kiểm tra."), field="deadline")
    follow_up = FollowUp.objects.create(inspection=inspection, action=action.strip(), deadline=deadline)
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=follow_up,
        summary=_("Giao việc khắc phục: %(action)s") % {"action": follow_up.action},
        detail={"inspection": str(inspection.uid), "deadline": deadline.isoformat()},
    )
    return follow_up


@transaction.atomic
def follow_up_close(*, actor: Any, follow_up: FollowUp, closed_on: date, note: str) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().select_related("inspection__inspector_unit").get(pk=follow_up.pk)
    if not can_edit_inspection(actor, follow_up.inspection):
        raise PermissionDenied(_("Chỉ đơn vị kiểm tra được đóng việc khắc phục."))
    if follow_up.closed_on is not None:
        raise ValidationFailed(_("Việc này đã được đóng."))
    if not note.strip():
        raise ValidationFailed(_("Ghi kết quả khắc phục."), field="note")
    if closed_on > timezone.localdate() or closed_on < follow_up.inspection.inspected_on:
        raise ValidationFailed(_("Ngày hoàn thành phải từ ngày kiểm tra đến hôm nay."), field="closed_on")
    follow_up.closed_on = closed_on
    follow_up.closure_note = note.strip()
    follow_up.closed_by = actor
    follow_up.save(update_fields=["closed_on", "closure_note", "closed_by", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=follow_up,
        summary=_("Đóng việc khắc phục: %(action)s") % {"action": follow_up.action},
        detail={"closed_on": closed_on.isoformat()},
    )
    return follow_up


# --- Violations (G3, G5) ---------------------------------------------------------------------------------


@transaction.atomic
def violation_record(
    *,
    actor: Any,
    offender_kind: str,
    unit: Unit | None,
    kind: str,
    occurred_on: date,
    offender_name: str = "",
    person: Person | None = None,
    organisation: Organisation | None = None,
    regulation: Regulation | None = None,
    description: str = "",
    gathering: Gathering | None = None,
    trip_reference: str = "",
    trip: Trip | None = None,
    sanction: str = Sanction.NONE,
    fine_amount: int | None = None,
    head_disciplined: str = "",
    decision_number: str = "",
    decision_date: date | None = None,
) -> Violation:
    unit = _place(unit)
    _in_scope(actor, unit)
    if offender_kind not in OffenderKind.values:
        raise ValidationFailed(_("Chọn cá nhân hoặc tổ chức vi phạm."), field="offender_kind")
    if kind not in ViolationKind.values:
        raise ValidationFailed(_("Hành vi vi phạm không hợp lệ."), field="kind")
    if sanction not in Sanction.values:
        raise ValidationFailed(_("Hình thức xử lý không hợp lệ."), field="sanction")
    if trip is not None and person is None and offender_kind == OffenderKind.INDIVIDUAL:
        person = trip.traveller  # the traveller of the trip taken without approval
    if offender_kind == OffenderKind.INDIVIDUAL:
        organisation = None
        if person is not None:
            offender_name = offender_name.strip() or person.full_name
    else:
        person = None
        if organisation is not None:
            offender_name = offender_name.strip() or organisation.name
    offender_name = offender_name.strip()
    if not offender_name:
        raise ValidationFailed(_("Nhập tên cá nhân hoặc tổ chức vi phạm."), field="offender_name")
    if occurred_on > timezone.localdate():
        raise ValidationFailed(_("Ngày vi phạm không được ở tương lai."), field="occurred_on")
    if sanction == Sanction.FINE:
        if fine_amount is None or not 1 <= fine_amount <= MAX_FINE:
            raise ValidationFailed(_("Nhập số tiền phạt (đồng) lớn hơn 0."), field="fine_amount")
    elif fine_amount:
        raise ValidationFailed(_("Chỉ ghi số tiền khi hình thức xử lý là phạt tiền."), field="fine_amount")
    if sanction == Sanction.DISCIPLINE_HEAD and not head_disciplined.strip():
        raise ValidationFailed(_("Ghi người đứng đầu bị kỷ luật và hình thức kỷ luật."), field="head_disciplined")
    if gathering is not None and kind != ViolationKind.ILLEGAL_GATHERING:
        raise ValidationFailed(_("Chỉ gắn sự kiện với hành vi tụ tập trái quy định."), field="gathering")
    if trip is not None:
        if kind != ViolationKind.UNAPPROVED_TRAVEL:
            raise ValidationFailed(_("Chỉ gắn chuyến đi với hành vi đi ra ngoài tỉnh không được phép."), field="trip")
        if actor is not None and not Person.objects.for_user(actor).filter(pk=trip.traveller_id).exists():
            raise ValidationFailed(_("Không tìm thấy chuyến đi này trong phạm vi của bạn."), field="trip")
    if trip_reference and kind != ViolationKind.UNAPPROVED_TRAVEL:
        raise ValidationFailed(
            _("Chỉ ghi chuyến đi với hành vi đi ra ngoài tỉnh không được phép."), field="trip_reference"
        )
    if regulation is not None and not regulation.is_active:
        raise ValidationFailed(_("Quy định này không còn trong danh mục sử dụng."), field="regulation")
    violation = Violation.objects.create(
        offender_kind=offender_kind,
        person=person,
        offender_name=offender_name,
        organisation=organisation,
        unit=unit,
        commune=commune_of(unit),
        kind=kind,
        regulation=regulation,
        occurred_on=occurred_on,
        description=description.strip(),
        gathering=gathering,
        trip=trip,
        trip_reference=trip_reference.strip(),
        sanction=sanction,
        fine_amount=fine_amount if sanction == Sanction.FINE else None,
        head_disciplined=head_disciplined.strip(),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        created_by=actor,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=violation,
        summary=_("Ghi vụ vi phạm: %(kind)s") % {"kind": violation.get_kind_display()},
        detail={
            "person": str(person.uid) if person else "",
            "organisation": str(organisation.uid) if organisation else "",
            "sanction": sanction,
            "fine": fine_amount,
        },
    )
    return violation


@transaction.atomic
def violation_publish(*, actor: Any, violation: Violation, publish: bool, name_published: bool = False) -> Violation:
    """Publish a handled violation (or withdraw it). A person's name is published only when the decision says
    so (``name_published``); an organisation is always named."""
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    _in_scope(actor, violation.unit)
    if publish:
        if not violation.decision_number:
            raise ValidationFailed(_("Chỉ công khai vụ đã có quyết định xử lý (số quyết định)."))
        if violation.sanction == Sanction.NONE:
            raise ValidationFailed(_("Chỉ công khai vụ đã có hình thức xử lý."))
        violation.published = True
        violation.published_at = violation.published_at or timezone.now()
        violation.name_published = bool(name_published) or violation.offender_kind == OffenderKind.ORGANISATION
    else:
        violation.published = False
        violation.published_at = None
        violation.name_published = False
    violation.save(update_fields=["published", "published_at", "name_published", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=violation,
        summary=_("Công khai vụ vi phạm") if publish else _("Thôi công khai vụ vi phạm"),
        detail={"published": violation.published, "name_published": violation.name_published},
    )
    return violation

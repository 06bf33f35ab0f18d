"""Writes to the case registry: register a case, move it along its allowed transitions (C1, C5, C6).

Every write runs in one transaction with its audit line. ``actor=None`` is the system (demo,
commands); any other actor must have the person, and the unit the case is counted in, in scope.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .models import OPEN_STATUSES, Case, CaseStatus, CaseStatusChange, DetectedIn, ReportedBy

# The allowed moves. Suspected and probable cases are confirmed or discarded (tested negative);
# only a confirmed case recovers or dies; recovered, died and discarded are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.SUSPECTED: frozenset({CaseStatus.PROBABLE, CaseStatus.CONFIRMED, CaseStatus.DISCARDED}),
    CaseStatus.PROBABLE: frozenset({CaseStatus.CONFIRMED, CaseStatus.DISCARDED}),
    CaseStatus.CONFIRMED: frozenset({CaseStatus.RECOVERED, CaseStatus.DIED}),
    CaseStatus.RECOVERED: frozenset(),
    CaseStatus.DIED: frozenset(),
    CaseStatus.DISCARDED: frozenset(),
}
REGISTER_STATUSES = (CaseStatus.SUSPECTED, CaseStatus.PROBABLE, CaseStatus.CONFIRMED)

# Human case codes: a prefix per province code (TN-2021-0001); other provinces use their code.
CASE_CODE_PREFIXES = {"19": "TN"}

TRANSITION_REFUSED = _("Không thể chuyển ca bệnh từ “%(from)s” sang “%(to)s”.")
REGISTER_STATUS_REFUSED = _("Chỉ đăng ký ca nghi ngờ, có thể hoặc xác định.")
ALREADY_OPEN = _("Người này đang có một ca bệnh chưa kết thúc (%(code)s).")
PERSON_NOT_IN_SCOPE = _("Người này không thuộc địa bàn của bạn.")
CONFIRMATION_BEFORE_SAMPLING = _("Ngày xác định không được trước ngày lấy mẫu.")
DATE_IN_FUTURE = _("Ngày không được ở tương lai.")
CONFIRMATION_REQUIRED = _("Ca xác định cần có ngày xác định.")
FACILITY_REQUIRED = _("Ca phát hiện hoặc lây nhiễm tại cơ sở y tế cần ghi rõ cơ sở y tế.")
PERSON_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác.")


def _code_prefix(person: Person) -> str:
    province = person.residence_unit.path.strip("/").split("/")[0]
    prefixes = getattr(settings, "CASE_CODE_PREFIXES", CASE_CODE_PREFIXES)
    return f"{prefixes.get(province, province)}"


def _next_code(prefix: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    last = Case.objects.filter(case_code__startswith=stem).order_by("-case_code").values_list("case_code", flat=True)
    number = int(last[0].removeprefix(stem)) + 1 if last else 1
    return f"{stem}{number:04d}"


def _check_scope(actor: Any, person: Person) -> None:
    if actor is None:
        return
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists() or not scope_for(actor).contains_unit(
        person.residence_unit
    ):
        raise NotInScope(PERSON_NOT_IN_SCOPE, field="person")


def _moment(on_date: date, at: datetime | None) -> datetime:
    if at is not None:
        return at
    return timezone.make_aware(datetime.combine(on_date, time.min))


def _check_dates(*, onset: date | None, sampling: date | None, confirmation: date | None, today: date) -> None:
    for name, value in (("onset_date", onset), ("sampling_date", sampling), ("confirmation_date", confirmation)):
        if value is not None and value > today:
            raise ValidationFailed(DATE_IN_FUTURE, field=name)
    if sampling and confirmation and confirmation < sampling:
        raise ValidationFailed(CONFIRMATION_BEFORE_SAMPLING, field="confirmation_date")


def case_register(
    *,
    actor: Any,
    person: Person,
    detected_in: str,
    status: str = CaseStatus.SUSPECTED,
    onset_date: date | None = None,
    sampling_date: date | None = None,
    confirmation_date: date | None = None,
    confirmed_at: datetime | None = None,
    reported_by: str = ReportedBy.HEALTH,
    facility: Organisation | None = None,
    acquired_in_facility: bool = False,
    source_known: bool = False,
    source_note: str = "",
    notes: str = "",
) -> Case:
    """Register a case of ``person``, counted in the unit they live in."""
    if status not in REGISTER_STATUSES:
        raise ValidationFailed(REGISTER_STATUS_REFUSED, field="status")
    if detected_in not in DetectedIn.values:
        raise ValidationFailed(_("Nơi phát hiện không hợp lệ."), field="detected_in")
    if reported_by not in ReportedBy.values:
        raise ValidationFailed(_("Đơn vị báo cáo không hợp lệ."), field="reported_by")
    if person.merged_into_id is not None:
        raise ValidationFailed(PERSON_MERGED, field="person")
    _check_scope(actor, person)
    if confirmed_at is not None and confirmation_date is None:
        confirmation_date = timezone.localdate(confirmed_at)
    if status == CaseStatus.CONFIRMED and confirmation_date is None:
        raise ValidationFailed(CONFIRMATION_REQUIRED, field="confirmation_date")
    if status != CaseStatus.CONFIRMED:
        confirmation_date = confirmed_at = None
    _check_dates(onset=onset_date, sampling=sampling_date, confirmation=confirmation_date, today=timezone.localdate())
    if (detected_in == DetectedIn.HEALTH_FACILITY or acquired_in_facility) and facility is None:
        raise ValidationFailed(FACILITY_REQUIRED, field="facility")
    year = (confirmation_date or sampling_date or onset_date or timezone.localdate()).year
    with transaction.atomic():
        open_case = Case.objects.select_for_update().filter(person=person, status__in=OPEN_STATUSES).first()
        if open_case is not None:
            raise ValidationFailed(ALREADY_OPEN % {"code": open_case.case_code}, field="person")
        case = Case(
            case_code=_next_code(_code_prefix(person), year),
            person=person,
            status=status,
            onset_date=onset_date,
            sampling_date=sampling_date,
            confirmation_date=confirmation_date,
            confirmed_at=_moment(confirmation_date, confirmed_at) if confirmation_date else None,
            detected_in=detected_in,
            facility=facility,
            acquired_in_facility=acquired_in_facility,
            residence_unit=person.residence_unit,
            source_known=source_known,
            source_note=source_note.strip()[:255],
            reported_by=reported_by,
            notes=notes.strip(),
        )
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            raise ValidationFailed(_("Không lưu được ca bệnh (trùng mã hoặc đã có ca đang mở)."), field=None) from None
        CaseStatusChange.objects.create(
            case=case,
            from_status="",
            to_status=status,
            on_date=confirmation_date or sampling_date or onset_date or timezone.localdate(),
            actor=actor,
            note=str(_("Đăng ký ca bệnh")),
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=case,
            summary=f"{case.case_code}: {person.full_name} ({case.get_status_display()})",
            detail={"status": status, "detected_in": detected_in, "reported_by": reported_by},
        )
    return case


def allowed_transitions(case: Case) -> list[str]:
    """The statuses ``case`` may move to, in the order of ``CaseStatus``."""
    allowed = TRANSITIONS[case.status]
    return [s for s in CaseStatus.values if s in allowed]


def case_transition(
    *, actor: Any, case: Case, to: str, on_date: date, note: str = "", at: datetime | None = None
) -> Case:
    """Move ``case`` to ``to`` on ``on_date``; a confirmation sets the confirmation date (and moment)."""
    if actor is not None and not scope_for(actor).contains_unit(case.residence_unit):
        raise NotInScope(PERSON_NOT_IN_SCOPE)
    if to not in CaseStatus.values or to not in TRANSITIONS[case.status]:
        label = CaseStatus(to).label if to in CaseStatus.values else to
        raise ValidationFailed(TRANSITION_REFUSED % {"from": CaseStatus(case.status).label, "to": label}, field="to")
    if on_date > timezone.localdate():
        raise ValidationFailed(DATE_IN_FUTURE, field="on_date")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status != case.status:
            raise ValidationFailed(
                TRANSITION_REFUSED % {"from": CaseStatus(locked.status).label, "to": CaseStatus(to).label}, field="to"
            )
        previous = locked.status
        fields = ["status", "updated_at"]
        if to == CaseStatus.CONFIRMED:
            if locked.sampling_date and on_date < locked.sampling_date:
                raise ValidationFailed(CONFIRMATION_BEFORE_SAMPLING, field="on_date")
            locked.confirmation_date = on_date
            locked.confirmed_at = _moment(on_date, at)
            fields += ["confirmation_date", "confirmed_at"]
        locked.status = to
        locked.save(update_fields=fields)
        CaseStatusChange.objects.create(
            case=locked, from_status=previous, to_status=to, on_date=on_date, actor=actor, note=note.strip()[:255]
        )
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"{locked.case_code}: {CaseStatus(previous).label} → {CaseStatus(to).label}",
            detail={"from": previous, "to": to, "on_date": on_date.isoformat(), "note": note[:255]},
        )
    case.refresh_from_db()
    return case

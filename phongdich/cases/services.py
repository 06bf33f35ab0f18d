"""Writes to the case registry: register a case, move it along its allowed transitions (C1, C5, C6),
record the day it was isolated (the end of its contacts' F1 window, C4), and outbreak clusters (C3).

Every write runs in one transaction with its audit line. ``actor=None`` is the system (demo,
commands); any other actor must have the person, and the unit the case is counted in, in scope.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, Premises
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .models import OPEN_STATUSES, Case, CaseStatus, CaseStatusChange, Cluster, ClusterStatus, DetectedIn, ReportedBy

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
ISOLATED_BEFORE_DETECTION = _(
    "Ca phát hiện tại cộng đồng hoặc cơ sở y tế không thể được cách ly trước ngày khởi phát, lấy mẫu; "
    "nếu người này đã ở khu cách ly khi phát hiện, hãy chọn nơi phát hiện “Khu cách ly”."
)
ISOLATED_TOO_EARLY = _("Ngày cách ly sớm hơn ngày khởi phát, lấy mẫu quá %(days)s ngày; vui lòng kiểm tra lại.")
# The longest stay in quarantine and monitoring the 2021 rules knew (14 + 14, 21 + 7 days): an
# isolation longer before the first sign of the case is a typing error.
ISOLATION_MAX_DAYS_BEFORE = 28
CLUSTER_NOT_IN_SCOPE = _("Ổ dịch này không thuộc địa bàn của bạn.")
CLUSTER_CLOSED = _("Ổ dịch đã kết thúc, không thể gán thêm ca bệnh.")
CLUSTER_PLACE_REQUIRED = _("Cần chọn nơi xảy ra ổ dịch: cơ quan, doanh nghiệp, địa điểm hoặc thôn, xóm, xã.")
CLUSTER_CASE_DISCARDED = _("Ca đã loại trừ không thể gán vào ổ dịch.")


def _code_prefix(person: Person) -> str:
    province = person.residence_unit.path.strip("/").split("/")[0]
    prefixes = getattr(settings, "CASE_CODE_PREFIXES", CASE_CODE_PREFIXES)
    return f"{prefixes.get(province, province)}"


def _next_code(prefix: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    # Longest first: "TN-2021-10000" follows "TN-2021-9999" although it sorts before it as text.
    last = (
        Case.objects.filter(case_code__startswith=stem)
        .order_by(Length("case_code").desc(), "-case_code")
        .values_list("case_code", flat=True)
    )
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


def check_isolated_on(
    *,
    isolated_on: date | None,
    detected_in: str,
    onset: date | None,
    sampling: date | None,
    confirmation: date | None,
    today: date,
) -> None:
    """The isolation day is not in the future; it precedes the case's first sign only if the case was
    already in quarantine (detected there or on entry), and then by at most ``ISOLATION_MAX_DAYS_BEFORE``."""
    if isolated_on is None:
        return
    if isolated_on > today:
        raise ValidationFailed(DATE_IN_FUTURE, field="isolated_on")
    known = [d for d in (onset, sampling, confirmation) if d is not None]
    if not known:
        return
    first = min(known)
    if isolated_on >= first:
        return
    if detected_in in (DetectedIn.COMMUNITY, DetectedIn.HEALTH_FACILITY):
        raise ValidationFailed(ISOLATED_BEFORE_DETECTION, field="isolated_on")
    if (first - isolated_on).days > ISOLATION_MAX_DAYS_BEFORE:
        raise ValidationFailed(ISOLATED_TOO_EARLY % {"days": ISOLATION_MAX_DAYS_BEFORE}, field="isolated_on")


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
    isolated_on: date | None = None,
    cluster: Cluster | None = None,
) -> Case:
    """Register a case of ``person``, counted in the unit they live in (optionally in ``cluster``)."""
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
    check_isolated_on(
        isolated_on=isolated_on,
        detected_in=detected_in,
        onset=onset_date,
        sampling=sampling_date,
        confirmation=confirmation_date,
        today=timezone.localdate(),
    )
    if cluster is not None:
        _check_cluster_for(actor, cluster)
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
            isolated_on=isolated_on,
            cluster=cluster,
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
            detail={
                "status": status,
                "detected_in": detected_in,
                "reported_by": reported_by,
                "isolated_on": isolated_on.isoformat() if isolated_on else None,
                "cluster": str(cluster.uid) if cluster else None,
            },
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


def case_set_isolated_on(*, actor: Any, case: Case, isolated_on: date | None) -> Case:
    """Record (or clear) the day ``case`` was isolated; it ends the window of its contacts' F1 exposure."""
    if actor is not None and not scope_for(actor).contains_unit(case.residence_unit):
        raise NotInScope(PERSON_NOT_IN_SCOPE)
    check_isolated_on(
        isolated_on=isolated_on,
        detected_in=case.detected_in,
        onset=case.onset_date,
        sampling=case.sampling_date,
        confirmation=case.confirmation_date,
        today=timezone.localdate(),
    )
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        previous = locked.isolated_on
        if previous == isolated_on:
            return locked
        locked.isolated_on = isolated_on
        locked.save(update_fields=["isolated_on", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"{locked.case_code}: " + str(_("ngày cách ly")) + f" {isolated_on:%d/%m/%Y}"
            if isolated_on
            else f"{locked.case_code}: " + str(_("xóa ngày cách ly")),
            detail={
                "isolated_on": isolated_on.isoformat() if isolated_on else None,
                "previous": previous.isoformat() if previous else None,
            },
        )
    case.refresh_from_db()
    return case


# --- Clusters (C3) -----------------------------------------------------------------------------


def _check_cluster_for(actor: Any, cluster: Cluster) -> None:
    if actor is not None and not scope_for(actor).contains_unit(cluster.unit):
        raise NotInScope(CLUSTER_NOT_IN_SCOPE, field="cluster")


def _cluster_unit(organisation: Organisation | None, premises: Premises | None, place_unit: Unit | None) -> Unit:
    if premises is not None:
        return premises.unit
    if organisation is not None:
        return organisation.unit
    assert place_unit is not None
    return place_unit


def _clean_place(
    organisation: Organisation | None, premises: Premises | None, place_unit: Unit | None
) -> tuple[Organisation | None, Premises | None, Unit | None]:
    if organisation is None and premises is None and place_unit is None:
        raise ValidationFailed(CLUSTER_PLACE_REQUIRED, field="organisation")
    if premises is not None:
        if organisation is None:
            organisation = premises.organisation
        elif premises.organisation_id != organisation.pk:
            raise ValidationFailed(_("Địa điểm không thuộc cơ quan, doanh nghiệp đã chọn."), field="premises")
    if place_unit is not None and place_unit.level not in (Level.COMMUNE, Level.HAMLET):
        raise ValidationFailed(_("Nơi xảy ra ổ dịch phải là một thôn, xóm hoặc xã, phường."), field="place_unit")
    return organisation, premises, place_unit


def _clean_cluster_fields(name: str, start_date: date | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Vui lòng nhập tên ổ dịch."), field="name")
    if start_date is None:
        raise ValidationFailed(_("Vui lòng nhập ngày bắt đầu."), field="start_date")
    if start_date > timezone.localdate():
        raise ValidationFailed(DATE_IN_FUTURE, field="start_date")
    return name[:255]


def cluster_create(
    *,
    actor: Any,
    name: str,
    start_date: date,
    organisation: Organisation | None = None,
    premises: Premises | None = None,
    place_unit: Unit | None = None,
    note: str = "",
) -> Cluster:
    """Declare an outbreak cluster at a place; it is seen by whoever has the place's unit in scope."""
    name = _clean_cluster_fields(name, start_date)
    organisation, premises, place_unit = _clean_place(organisation, premises, place_unit)
    unit = _cluster_unit(organisation, premises, place_unit)
    if actor is not None and not scope_for(actor).contains_unit(unit):
        raise NotInScope(CLUSTER_NOT_IN_SCOPE, field="organisation")
    with transaction.atomic():
        cluster = Cluster.objects.create(
            name=name,
            organisation=organisation,
            premises=premises,
            place_unit=place_unit,
            unit=unit,
            start_date=start_date,
            note=note.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=cluster,
            summary=f"{cluster.name} ({unit})",
            detail={"start_date": start_date.isoformat(), "unit": str(unit.uid)},
        )
    return cluster


def cluster_update(
    *,
    actor: Any,
    cluster: Cluster,
    name: str,
    start_date: date,
    organisation: Organisation | None = None,
    premises: Premises | None = None,
    place_unit: Unit | None = None,
    note: str = "",
    status: str | None = None,
    closed_on: date | None = None,
) -> Cluster:
    """Edit a cluster; closing it needs the day it ended (not before its start), reopening clears it."""
    _check_cluster_for(actor, cluster)
    name = _clean_cluster_fields(name, start_date)
    organisation, premises, place_unit = _clean_place(organisation, premises, place_unit)
    unit = _cluster_unit(organisation, premises, place_unit)
    if actor is not None and not scope_for(actor).contains_unit(unit):
        raise NotInScope(CLUSTER_NOT_IN_SCOPE, field="organisation")
    status = status or cluster.status
    if status not in ClusterStatus.values:
        raise ValidationFailed(_("Trạng thái ổ dịch không hợp lệ."), field="status")
    if status == ClusterStatus.CLOSED:
        if closed_on is None:
            raise ValidationFailed(_("Ổ dịch đã kết thúc cần có ngày kết thúc."), field="closed_on")
        if closed_on > timezone.localdate():
            raise ValidationFailed(DATE_IN_FUTURE, field="closed_on")
        if closed_on < start_date:
            raise ValidationFailed(_("Ngày kết thúc không được trước ngày bắt đầu."), field="closed_on")
    else:
        closed_on = None
    with transaction.atomic():
        locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
        before = {"name": locked.name, "status": locked.status, "start_date": locked.start_date.isoformat()}
        locked.name = name
        locked.organisation = organisation
        locked.premises = premises
        locked.place_unit = place_unit
        locked.unit = unit
        locked.start_date = start_date
        locked.note = note.strip()
        locked.status = status
        locked.closed_on = closed_on
        locked.save()
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"{locked.name}: {locked.get_status_display()}",
            detail={
                "before": before,
                "status": status,
                "closed_on": closed_on.isoformat() if closed_on else None,
                "start_date": start_date.isoformat(),
            },
        )
    cluster.refresh_from_db()
    return cluster


def case_assign_cluster(*, actor: Any, case: Case, cluster: Cluster | None) -> Case:
    """Put ``case`` in ``cluster`` (or take it out with ``None``); only an active cluster takes cases."""
    if actor is not None and not scope_for(actor).contains_unit(case.residence_unit):
        raise NotInScope(PERSON_NOT_IN_SCOPE, field="case")
    if cluster is not None:
        _check_cluster_for(actor, cluster)
        if not cluster.is_active:
            raise ValidationFailed(CLUSTER_CLOSED, field="cluster")
        if case.status == CaseStatus.DISCARDED:
            raise ValidationFailed(CLUSTER_CASE_DISCARDED, field="case")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        previous_id = locked.cluster_id
        new_id = cluster.pk if cluster is not None else None
        if previous_id == new_id:
            return locked
        locked.cluster = cluster
        locked.save(update_fields=["cluster", "updated_at"])
        previous = Cluster.objects.filter(pk=previous_id).first() if previous_id else None
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"{locked.case_code}: {previous.name if previous else '—'} → {cluster.name if cluster else '—'}",
            detail={
                "cluster": str(cluster.uid) if cluster else None,
                "previous": str(previous.uid) if previous else None,
            },
        )
    case.refresh_from_db()
    return case

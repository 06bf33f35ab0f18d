"""Writes for vaccination (V1, V2): doses, lots, sites, priority assignments and adverse events.

Every write runs in one transaction with its audit line. ``actor=None`` is the system (the demo,
imports run by a command); any other actor must have the person in scope and a recording role.

A dose given to a person who is not eligible on the day (too young under the rule in force, or
before any rule) is **refused** unless the recorder writes the reason it was given anyway
(``exception_reason``, e.g. an indication of the health authority); the reason is kept on the dose
and in the audit line.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, Role
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .models import (
    AdverseEvent,
    AdverseEventFollowUp,
    AefiOutcome,
    Causality,
    Dose,
    DoseKind,
    EligibilityRule,
    PriorityAssignment,
    PriorityGroup,
    Severity,
    VaccinationSite,
    VaccineLot,
    VaccineProduct,
)
from .rules import check_eligibility, dose_shape, rule_in_force

PERSON_NOT_IN_SCOPE = _("Người này không thuộc địa bàn của bạn.")
PERSON_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác.")
NOT_A_RECORDER = _("Bạn không có quyền ghi nhận tiêm chủng.")
NOT_A_REVIEWER = _("Chỉ cán bộ y tế hoặc quản trị cấp tỉnh được ghi kết luận phân loại phản ứng sau tiêm.")
NOT_AN_ADMIN = _("Chỉ cán bộ y tế hoặc quản trị cấp tỉnh được quản lý danh mục vắc xin, lô và điểm tiêm.")

RECORDER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.HEALTH, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER})
REVIEWER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.HEALTH})


def _has_role(user: Any, roles: frozenset[str]) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or scope_for(user).roles & roles)


def can_record(user: Any) -> bool:
    return _has_role(user, RECORDER_ROLES)


def can_review(user: Any) -> bool:
    return _has_role(user, REVIEWER_ROLES)


def _require(actor: Any, allowed: bool, message: Any) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied(message)


def check_person(actor: Any, person: Person) -> None:
    if person.merged_into_id is not None:
        raise ValidationFailed(PERSON_MERGED, field="person")
    if actor is None:
        return
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise NotInScope(PERSON_NOT_IN_SCOPE, field="person")


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- Doses ----------------------------------------------------------------------------------------


def dose_problems(
    *,
    person: Person,
    product: VaccineProduct,
    given_on: date,
    lot: VaccineLot | None,
    dose_number: int | None,
    exception_reason: str = "",
    today: date | None = None,
    rules: list[EligibilityRule] | None = None,
    previous: list[Dose] | None = None,
) -> tuple[int, list[tuple[str, str]]]:
    """The dose number to use and every rule the dose would break, as (field, message) pairs.

    Shared by the form, the API and the spreadsheet import, so that all say the same thing."""
    today = today or timezone.localdate()
    problems: list[tuple[str, str]] = []
    earlier = previous if previous is not None else list(Dose.objects.filter(person=person).order_by("dose_number"))
    next_number = (max((d.dose_number for d in earlier), default=0)) + 1
    number = dose_number or next_number
    if given_on > today:
        problems.append(("given_on", str(_("Ngày tiêm không được ở tương lai."))))
    born = person.birth_date
    if (born is not None and given_on < born) or (born is None and given_on.year < person.birth_year):
        problems.append(("given_on", str(_("Ngày tiêm trước ngày sinh của người được tiêm."))))
    if lot is not None:
        if lot.product_id != product.pk:
            problems.append(
                (
                    "lot",
                    str(
                        _("Lô %(lot)s là lô của vắc xin %(other)s, không phải %(product)s.")
                        % {"lot": lot.lot_number, "other": lot.product.name, "product": product.name}
                    ),
                )
            )
        elif lot.expiry_date < given_on:
            problems.append(
                (
                    "lot",
                    str(
                        _("Lô %(lot)s đã hết hạn sử dụng ngày %(expiry)s, trước ngày tiêm %(day)s.")
                        % {"lot": lot.lot_number, "expiry": _d(lot.expiry_date), "day": _d(given_on)}
                    ),
                )
            )
    if number < 1:
        problems.append(("dose_number", str(_("Số thứ tự mũi tiêm phải từ 1 trở lên."))))
        return number, problems
    same = next((d for d in earlier if d.dose_number == number), None)
    if same is not None:
        problems.append(
            (
                "dose_number",
                str(
                    _("Người này đã có mũi %(n)s (tiêm ngày %(day)s); mỗi mũi chỉ ghi một lần.")
                    % {"n": number, "day": _d(same.given_on)}
                ),
            )
        )
        return number, problems
    if number != next_number:
        problems.append(("dose_number", str(_("Mũi tiếp theo của người này là mũi %(n)s.") % {"n": next_number})))
        return number, problems
    rule_rows = rules if rules is not None else list(EligibilityRule.objects.all())
    if earlier:
        last = earlier[-1]
        first_product = earlier[0].product
        series = first_product.primary_doses
        shape = dose_shape(dose_number=number, series_doses=series)
        if given_on <= last.given_on:
            problems.append(
                (
                    "given_on",
                    str(
                        _("Ngày tiêm phải sau ngày tiêm mũi %(n)s (%(day)s).")
                        % {"n": last.dose_number, "day": _d(last.given_on)}
                    ),
                )
            )
        else:
            if shape.kind == DoseKind.PRIMARY:
                gap = last.product.min_interval_days
            else:
                rule = rule_in_force(rule_rows, given_on)
                gap = getattr(rule, "booster_min_days", 0) or 0
            if (given_on - last.given_on).days < gap:
                problems.append(
                    (
                        "given_on",
                        str(
                            _(
                                "Mũi %(n)s phải cách mũi %(prev)s (tiêm ngày %(day)s) ít nhất %(gap)s ngày, "
                                "tức là từ ngày %(first)s."
                            )
                            % {
                                "n": number,
                                "prev": last.dose_number,
                                "day": _d(last.given_on),
                                "gap": gap,
                                "first": _d(last.given_on + timedelta(days=gap)),
                            }
                        ),
                    )
                )
    verdict = check_eligibility(
        birth_date=person.birth_date, birth_year=person.birth_year, on=given_on, rules=rule_rows
    )
    if not verdict.eligible and not exception_reason.strip():
        problems.append(
            (
                "exception_reason",
                f"{verdict.reason} "
                + str(_("Nếu vẫn tiêm theo chỉ định của cơ quan y tế, hãy ghi lý do tiêm ngoài đối tượng.")),
            )
        )
    return number, problems


@transaction.atomic
def dose_record(
    *,
    actor: Any,
    person: Person,
    product: VaccineProduct,
    given_on: date,
    lot: VaccineLot | None = None,
    site: VaccinationSite | None = None,
    dose_number: int | None = None,
    exception_reason: str = "",
    note: str = "",
    today: date | None = None,
    audit_it: bool = True,
) -> Dose:
    """Record one dose (V1). Refuses with a Vietnamese message anything a rule forbids."""
    _require(actor, can_record(actor), NOT_A_RECORDER)
    check_person(actor, person)
    # Serialise doses of one person (two clerks entering the same card).
    Person.objects.select_for_update().filter(pk=person.pk).first()
    previous = list(Dose.objects.filter(person=person).select_related("product").order_by("dose_number"))
    number, problems = dose_problems(
        person=person,
        product=product,
        given_on=given_on,
        lot=lot,
        dose_number=dose_number,
        exception_reason=exception_reason,
        today=today,
        previous=previous,
    )
    if problems:
        field, message = problems[0]
        raise ValidationFailed(message, field=field, extra={"problems": problems})
    series = previous[0].product.primary_doses if previous else product.primary_doses
    shape = dose_shape(dose_number=number, series_doses=series)
    try:
        with transaction.atomic():
            dose = Dose.objects.create(
                person=person,
                product=product,
                lot=lot,
                site=site,
                dose_number=number,
                given_on=given_on,
                kind=shape.kind,
                completes_series=shape.completes_series,
                exception_reason=exception_reason.strip(),
                note=note.strip(),
                recorded_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            _("Người này đã có mũi %(n)s; mỗi mũi chỉ ghi một lần.") % {"n": number}, field="dose_number"
        ) from exc
    if audit_it:
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=dose,
            summary=f"{product.name} — {number}",
            detail={
                "person": str(person.uid),
                "dose_number": number,
                "given_on": given_on.isoformat(),
                "lot": lot.lot_number if lot else "",
                "exception_reason": dose.exception_reason,
            },
        )
    return dose


@transaction.atomic
def dose_delete(*, actor: Any, dose: Dose, reason: str) -> None:
    """Remove a dose entered by mistake: only the person's last dose, only without adverse events."""
    _require(actor, can_record(actor), NOT_A_RECORDER)
    check_person(actor, dose.person)
    if not reason.strip():
        raise ValidationFailed(_("Hãy ghi lý do xóa mũi tiêm."), field="reason")
    if Dose.objects.filter(person_id=dose.person_id, dose_number__gt=dose.dose_number).exists():
        raise ValidationFailed(_("Chỉ xóa được mũi tiêm cuối cùng của một người."), field="dose")
    if AdverseEvent.objects.filter(dose=dose).exists():
        raise ValidationFailed(_("Mũi tiêm này có phản ứng sau tiêm đã ghi nhận, không thể xóa."), field="dose")
    audit(
        actor=actor,
        action=AuditAction.DELETE,
        obj=dose,
        summary=f"{dose.product.name} — {dose.dose_number}",
        detail={"person": str(dose.person.uid), "given_on": dose.given_on.isoformat(), "reason": reason.strip()},
    )
    dose.delete()


# --- Products, lots and sites ---------------------------------------------------------------------


@transaction.atomic
def lot_create(*, actor: Any, product: VaccineProduct, lot_number: str, expiry_date: date) -> VaccineLot:
    _require(actor, can_review(actor), NOT_AN_ADMIN)
    number = lot_number.strip().upper()
    if not number:
        raise ValidationFailed(_("Hãy nhập số lô."), field="lot_number")
    if VaccineLot.objects.filter(product=product, lot_number=number).exists():
        raise ValidationFailed(
            _("Vắc xin %(product)s đã có lô %(lot)s.") % {"product": product.name, "lot": number}, field="lot_number"
        )
    lot = VaccineLot.objects.create(product=product, lot_number=number, expiry_date=expiry_date)
    audit(actor=actor, action=AuditAction.CREATE, obj=lot, summary=str(lot))
    return lot


@transaction.atomic
def site_create(*, actor: Any, name: str, unit: Unit, organisation: Organisation | None = None) -> VaccinationSite:
    _require(actor, can_record(actor), NOT_A_RECORDER)
    if actor is not None and not scope_for(actor).contains_unit(unit):
        raise NotInScope(_("Địa bàn này không thuộc phạm vi của bạn."), field="unit")
    if not name.strip():
        raise ValidationFailed(_("Hãy nhập tên điểm tiêm."), field="name")
    site = VaccinationSite.objects.create(name=name.strip(), unit=unit, organisation=organisation)
    audit(actor=actor, action=AuditAction.CREATE, obj=site, summary=site.name)
    return site


# --- Priority groups ------------------------------------------------------------------------------


@transaction.atomic
def priority_assign(*, actor: Any, person: Person, group: PriorityGroup, note: str = "") -> PriorityAssignment:
    """Put ``person`` in ``group`` (replacing their group in the same list)."""
    _require(actor, can_record(actor), NOT_A_RECORDER)
    check_person(actor, person)
    assignment, created = PriorityAssignment.objects.update_or_create(
        person=person,
        priority_list_id=group.priority_list_id,
        defaults={
            "group": group,
            "note": note.strip(),
            "assigned_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=assignment,
        summary=str(group),
        detail={"person": str(person.uid), "list": group.priority_list.code, "group": group.code},
    )
    return assignment


# --- Adverse events following immunisation (V2) ---------------------------------------------------


@transaction.atomic
def event_report(
    *,
    actor: Any,
    dose: Dose,
    onset_at: datetime,
    symptoms: str,
    severity: str,
    reported_by: str,
    reported_at: str = "",
    reported_on: date | None = None,
    outcome: str = AefiOutcome.UNKNOWN,
) -> AdverseEvent:
    _require(actor, can_record(actor), NOT_A_RECORDER)
    check_person(actor, dose.person)
    now = timezone.now()
    reported_on = reported_on or timezone.localdate()
    if severity not in Severity.values:
        raise ValidationFailed(_("Mức độ phản ứng không hợp lệ."), field="severity")
    if outcome not in AefiOutcome.values:
        raise ValidationFailed(_("Kết quả theo dõi không hợp lệ."), field="outcome")
    if not symptoms.strip():
        raise ValidationFailed(_("Hãy mô tả triệu chứng."), field="symptoms")
    if not reported_by.strip():
        raise ValidationFailed(_("Hãy ghi người báo cáo."), field="reported_by")
    if onset_at > now:
        raise ValidationFailed(_("Thời điểm khởi phát không được ở tương lai."), field="onset_at")
    if timezone.localdate(onset_at) < dose.given_on:
        raise ValidationFailed(
            _("Thời điểm khởi phát phải từ ngày tiêm (%(day)s) trở đi.") % {"day": _d(dose.given_on)},
            field="onset_at",
        )
    if reported_on > timezone.localdate(now) or reported_on < dose.given_on:
        raise ValidationFailed(_("Ngày báo cáo phải trong khoảng từ ngày tiêm đến hôm nay."), field="reported_on")
    event = AdverseEvent.objects.create(
        dose=dose,
        onset_at=onset_at,
        symptoms=symptoms.strip(),
        severity=severity,
        reported_by=reported_by.strip(),
        reported_at=reported_at.strip(),
        reported_on=reported_on,
        outcome=outcome,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=event,
        summary=event.get_severity_display(),
        detail={"dose": str(dose.uid), "person": str(dose.person.uid), "severity": severity},
    )
    return event


@transaction.atomic
def event_follow_up(*, actor: Any, event: AdverseEvent, on: date, note: str, outcome: str) -> AdverseEventFollowUp:
    _require(actor, can_record(actor), NOT_A_RECORDER)
    check_person(actor, event.dose.person)
    if outcome not in AefiOutcome.values:
        raise ValidationFailed(_("Kết quả theo dõi không hợp lệ."), field="outcome")
    if not note.strip():
        raise ValidationFailed(_("Hãy ghi diễn biến."), field="note")
    if on > timezone.localdate() or on < event.dose.given_on:
        raise ValidationFailed(_("Ngày theo dõi phải trong khoảng từ ngày tiêm đến hôm nay."), field="on")
    follow = AdverseEventFollowUp.objects.create(
        event=event,
        on=on,
        note=note.strip(),
        outcome=outcome,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    event.outcome = outcome
    event.save(update_fields=["outcome", "updated_at"])
    audit(actor=actor, action=AuditAction.UPDATE, obj=event, summary=str(_("Theo dõi")), detail={"outcome": outcome})
    return follow


@transaction.atomic
def event_classify(
    *,
    actor: Any,
    event: AdverseEvent,
    causality: str,
    review_body: str,
    review_note: str,
    reviewed_on: date | None = None,
) -> AdverseEvent:
    """The explanation (V2): the reviewing body's WHO causality category and its note."""
    _require(actor, can_review(actor), NOT_A_REVIEWER)
    check_person(actor, event.dose.person)
    if causality not in Causality.values:
        raise ValidationFailed(_("Phân loại nguyên nhân không hợp lệ."), field="causality")
    if not review_body.strip():
        raise ValidationFailed(_("Hãy ghi hội đồng đánh giá."), field="review_body")
    if not review_note.strip():
        raise ValidationFailed(_("Hãy ghi kết luận của hội đồng."), field="review_note")
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate() or reviewed_on < event.reported_on:
        raise ValidationFailed(_("Ngày kết luận phải từ ngày báo cáo đến hôm nay."), field="reviewed_on")
    event.causality = causality
    event.review_body = review_body.strip()
    event.review_note = review_note.strip()
    event.reviewed_on = reviewed_on
    event.save(update_fields=["causality", "review_body", "review_note", "reviewed_on", "updated_at"])
    audit(actor=actor, action=AuditAction.UPDATE, obj=event, summary=event.get_causality_display())
    return event

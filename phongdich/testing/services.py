"""Writes for testing (T1, T3): orders, samples, pools, results, labs and the mandatory-test rules.

Every write runs in one transaction with its audit line. ``actor=None`` is the system (the rule
engine, the demo, commands); any other actor must have the person (or the lab) in scope.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.cases.models import OPEN_STATUSES, Case, CaseStatus, DetectedIn
from phongdich.cases.services import case_register, case_transition
from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.orgs.models import Organisation, Role
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.quarantine.models import AppliesTo
from phongdich.quarantine.services import residence_commune

from .models import (
    CT_MAX,
    Lab,
    MandatoryTestRule,
    OrderReason,
    OrderStatus,
    Outcome,
    Pool,
    Result,
    Sample,
    TestKind,
    TestOrder,
    Trigger,
    pool_max,
)

PERSON_NOT_IN_SCOPE = _("Người này không thuộc địa bàn của bạn.")
PERSON_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác.")
BAD_REASON = _("Lý do chỉ định không hợp lệ.")
BAD_KIND = _("Loại xét nghiệm không hợp lệ.")
SOURCE_KEY_REQUIRED = _("Thiếu nguồn chỉ định.")

# The kind of test a reason calls for when the caller does not say.
DEFAULT_KIND = {
    OrderReason.F1_SCHEDULE: TestKind.PCR,
    OrderReason.POOL_RETEST: TestKind.PCR,
    OrderReason.CONFIRMATION: TestKind.PCR,
}


def check_person(actor: Any, person: Person) -> None:
    if actor is None:
        return
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise NotInScope(PERSON_NOT_IN_SCOPE, field="person")


def order_create(
    *,
    actor: Any,
    person: Person,
    reason: str,
    due_on: date,
    source_key: str,
    organisation: Organisation | None = None,
    kind: str | None = None,
    note: str = "",
    rule: MandatoryTestRule | None = None,
    parent: TestOrder | None = None,
) -> TestOrder:
    """Order a test of ``person``. Idempotent: a second call with the same (person, source_key) returns
    the order already made and writes nothing."""
    if reason not in OrderReason.values:
        raise ValidationFailed(BAD_REASON, field="reason")
    kind = kind or DEFAULT_KIND.get(OrderReason(reason), TestKind.RAPID)
    if kind not in TestKind.values:
        raise ValidationFailed(BAD_KIND, field="kind")
    source_key = (source_key or "").strip()[:120]
    if not source_key:
        raise ValidationFailed(SOURCE_KEY_REQUIRED, field="source_key")
    existing = TestOrder.objects.filter(person=person, source_key=source_key).first()
    if existing is not None:
        return existing
    if person.merged_into_id is not None:
        raise ValidationFailed(PERSON_MERGED, field="person")
    check_person(actor, person)
    if organisation is None and reason != OrderReason.MANUAL:
        organisation = person.organisation
    try:
        with transaction.atomic():
            order = TestOrder.objects.create(
                person=person,
                reason=reason,
                kind=kind,
                due_on=due_on,
                organisation=organisation,
                residence_unit=residence_commune(person.residence_unit),
                rule=rule,
                source_key=source_key,
                parent=parent,
                note=note.strip()[:255],
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit(
                actor=actor,
                action=AuditAction.CREATE,
                obj=order,
                summary=f"{person.full_name}: {order.get_reason_display()} ({order.get_kind_display()})"[:255],
                detail={"person": str(person.uid), "source_key": source_key, "due_on": due_on.isoformat()},
            )
    except IntegrityError:
        # Another worker made the same order meanwhile.
        return TestOrder.objects.get(person=person, source_key=source_key)
    return order


# --- Who may do what ---------------------------------------------------------------------------

RULE_EDITOR_ROLES = frozenset({Role.PROVINCE_ADMIN})
LAB_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.DISTRICT_OFFICER, Role.HEALTH})
SAMPLER_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.HEALTH}
)
NOT_RULE_EDITOR = _("Chỉ quản trị hệ thống cấp tỉnh được sửa quy định xét nghiệm bắt buộc.")
NOT_LAB_STAFF = _("Bạn không có quyền làm việc tại phòng xét nghiệm.")
NOT_SAMPLER = _("Bạn không có quyền lấy mẫu, chỉ định xét nghiệm.")


def _has_role(user: Any, roles: frozenset[str]) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or scope_for(user).roles & roles)


def can_edit_rules(user: Any) -> bool:
    return _has_role(user, RULE_EDITOR_ROLES)


def can_work_lab(user: Any) -> bool:
    return _has_role(user, LAB_ROLES)


def can_take_samples(user: Any) -> bool:
    return _has_role(user, SAMPLER_ROLES)


def _require(actor: Any, allowed: bool, message: Any) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied(message)


def check_lab(actor: Any, lab: Lab) -> None:
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.contains_unit(lab.unit) or (
        lab.organisation is not None and scope.contains_organisation(lab.organisation)
    ):
        return
    raise NotInScope(_("Phòng xét nghiệm không thuộc phạm vi của bạn."), field="lab")


# --- Rules (T1) --------------------------------------------------------------------------------

RULE_FIELDS = (
    "trigger",
    "kind",
    "due_within_days",
    "schedule_days",
    "applies_to",
    "effective_from",
    "effective_to",
    "source",
    "uncertain",
    "note",
)


def parse_schedule(text: str) -> list[int]:
    """ "1, 14, 20" → [1, 14, 20]; a day must be a whole number from 1 to 60."""
    days: set[int] = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 60:
            raise ValidationFailed(
                _("Ngày xét nghiệm phải là các số từ 1 đến 60, cách nhau bởi dấu phẩy."), field="schedule_days"
            )
        days.add(int(part))
    return sorted(days)


def _clean_rule(values: dict[str, Any]) -> dict[str, Any]:
    if values["trigger"] not in Trigger.values:
        raise ValidationFailed(_("Trường hợp áp dụng không hợp lệ."), field="trigger")
    if values["kind"] not in TestKind.values:
        raise ValidationFailed(BAD_KIND, field="kind")
    if values["applies_to"] not in AppliesTo.values:
        raise ValidationFailed(_("Đối tượng áp dụng không hợp lệ."), field="applies_to")
    values["source"] = str(values["source"] or "").strip()[:255]
    if not values["source"]:
        raise ValidationFailed(_("Vui lòng ghi văn bản làm căn cứ của quy định."), field="source")
    days = values["due_within_days"]
    if days is None or not 0 <= int(days) <= 30:
        raise ValidationFailed(_("Thời hạn phải từ 0 đến 30 ngày."), field="due_within_days")
    if isinstance(values["schedule_days"], str):
        values["schedule_days"] = parse_schedule(values["schedule_days"])
    values["schedule_days"] = sorted({int(d) for d in values["schedule_days"] or []})
    if values["trigger"] == Trigger.F1_SCHEDULE:
        if any(not 1 <= d <= 60 for d in values["schedule_days"]):
            raise ValidationFailed(
                _("Ngày xét nghiệm phải là các số từ 1 đến 60, cách nhau bởi dấu phẩy."), field="schedule_days"
            )
    elif values["schedule_days"]:
        raise ValidationFailed(_("Chỉ quy định cho F1 mới có lịch ngày xét nghiệm."), field="schedule_days")
    elif values["applies_to"] != AppliesTo.ANY:
        raise ValidationFailed(_("Chỉ quy định cho F1 mới phân biệt theo tình trạng tiêm chủng."), field="applies_to")
    if values["effective_from"] is None:
        raise ValidationFailed(_("Vui lòng nhập ngày áp dụng."), field="effective_from")
    if values["effective_to"] is not None and values["effective_to"] < values["effective_from"]:
        raise ValidationFailed(_("Ngày kết thúc không được trước ngày áp dụng."), field="effective_to")
    values["note"] = str(values["note"] or "").strip()[:400]
    values["uncertain"] = bool(values["uncertain"])
    return values


def rule_create(*, actor: Any, **fields: Any) -> MandatoryTestRule:
    _require(actor, can_edit_rules(actor), NOT_RULE_EDITOR)
    defaults: dict[str, Any] = {
        "due_within_days": 1,
        "schedule_days": [],
        "applies_to": AppliesTo.ANY,
        "effective_to": None,
        "uncertain": False,
        "note": "",
    }
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Trường không hợp lệ: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = _clean_rule(
        {**defaults, **{k: fields.get(k) for k in ("trigger", "kind", "effective_from", "source")}, **fields}
    )
    with transaction.atomic():
        rule = MandatoryTestRule.objects.create(**values)
        audit(actor=actor, action=AuditAction.CREATE, obj=rule, summary=str(rule)[:255], detail={"source": rule.source})
    return rule


def rule_update(*, actor: Any, rule: MandatoryTestRule, **changes: Any) -> MandatoryTestRule:
    _require(actor, can_edit_rules(actor), NOT_RULE_EDITOR)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Trường không hợp lệ: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = MandatoryTestRule.objects.select_for_update().get(pk=rule.pk)
        values = _clean_rule({f: changes.get(f, getattr(locked, f)) for f in RULE_FIELDS})
        changed = {f: [str(getattr(locked, f)), str(v)] for f, v in values.items() if getattr(locked, f) != v}
        if changed:
            for f, v in values.items():
                setattr(locked, f, v)
            locked.save()
            audit(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                summary=str(locked)[:255],
                detail={"changes": changed},
            )
    rule.refresh_from_db()
    return rule


# --- Orders ------------------------------------------------------------------------------------

# How far back an officer may date a manual order.
MANUAL_PAST_DAYS = 7


def order_manual(*, actor: Any, person: Person, kind: str, due_on: date, note: str) -> TestOrder:
    """An officer orders a test outside the rules (a reason they write down)."""
    _require(actor, can_take_samples(actor), NOT_SAMPLER)
    if not (note or "").strip():
        raise ValidationFailed(_("Vui lòng ghi lý do chỉ định."), field="note")
    if due_on is None or due_on < timezone.localdate() - timedelta(days=MANUAL_PAST_DAYS):
        raise ValidationFailed(
            _("Hạn xét nghiệm không được sớm hơn %(days)s ngày trước.") % {"days": MANUAL_PAST_DAYS}, field="due_on"
        )
    return order_create(
        actor=actor,
        person=person,
        reason=OrderReason.MANUAL,
        due_on=due_on,
        source_key=f"manual:{uuid.uuid4()}",
        kind=kind,
        note=note,
    )


def order_cancel(*, actor: Any, order: TestOrder, note: str) -> TestOrder:
    _require(actor, can_take_samples(actor), NOT_SAMPLER)
    check_person(actor, order.person)
    if not note.strip():
        raise ValidationFailed(_("Vui lòng ghi lý do hủy chỉ định."), field="note")
    with transaction.atomic():
        locked = TestOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.OPEN:
            raise ValidationFailed(_("Chỉ hủy được chỉ định chưa lấy mẫu."), field="status")
        locked.status = OrderStatus.CANCELLED
        locked.note = note.strip()[:255]
        locked.save(update_fields=["status", "note", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=str(_("Hủy chỉ định xét nghiệm")),
            detail={"note": locked.note},
        )
    order.refresh_from_db()
    return order


# --- Samples -----------------------------------------------------------------------------------

CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")
DATE_IN_FUTURE = _("Thời điểm không được ở tương lai.")


def clean_code(code: str, *, field: str = "code") -> str:
    code = (code or "").strip().upper()
    if not code:
        raise ValidationFailed(_("Vui lòng nhập mã mẫu."), field=field)
    if len(code) > 40 or not set(code) <= CODE_CHARS:
        raise ValidationFailed(_("Mã mẫu chỉ gồm chữ không dấu, chữ số và - _ . / (tối đa 40 ký tự)."), field=field)
    return code


def _not_future(moment: datetime, field: str) -> None:
    if moment > timezone.now() + timedelta(minutes=5):
        raise ValidationFailed(DATE_IN_FUTURE, field=field)


def _code_taken(code: str) -> bool:
    return Sample.objects.filter(code=code).exists() or Pool.objects.filter(code=code).exists()


def sample_take(
    *,
    actor: Any,
    order: TestOrder,
    code: str = "",
    taken_at: datetime | None = None,
    lab: Lab | None = None,
) -> Sample:
    """Take the sample of ``order`` (sent to ``lab`` when given). A blank code gets one made up."""
    _require(actor, can_take_samples(actor), NOT_SAMPLER)
    check_person(actor, order.person)
    taken_at = taken_at or timezone.now()
    _not_future(taken_at, "taken_at")
    if lab is not None and not lab.active:
        raise ValidationFailed(_("Phòng xét nghiệm này đang ngừng hoạt động."), field="lab")
    with transaction.atomic():
        locked = TestOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.OPEN:
            raise ValidationFailed(
                _("Chỉ định này không còn chờ lấy mẫu (%(status)s).") % {"status": locked.get_status_display()},
                field="order",
            )
        code = clean_code(code) if code else f"XN{timezone.localdate(taken_at):%y%m%d}-{locked.pk:06d}"
        if _code_taken(code):
            raise ValidationFailed(_("Mã mẫu “%(code)s” đã được dùng.") % {"code": code}, field="code")
        sample = Sample.objects.create(
            code=code,
            order=locked,
            kind=locked.kind,
            taken_at=taken_at,
            taken_by=actor if getattr(actor, "is_authenticated", False) else None,
            lab=lab,
            sent_at=timezone.now() if lab is not None else None,
        )
        locked.status = OrderStatus.SAMPLED
        locked.save(update_fields=["status", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=sample,
            summary=f"{code}: {locked.person.full_name}"[:255],
            detail={"order": str(locked.uid), "lab": str(lab.uid) if lab else None},
        )
    order.refresh_from_db()
    return sample


def sample_receive(*, actor: Any, lab: Lab, code: str, received_at: datetime | None = None) -> Sample:
    """The lab receives the sample ``code`` (sent to it, or brought without a send record)."""
    _require(actor, can_work_lab(actor), NOT_LAB_STAFF)
    check_lab(actor, lab)
    code = clean_code(code)
    received_at = received_at or timezone.now()
    _not_future(received_at, "received_at")
    with transaction.atomic():
        sample = Sample.objects.select_for_update().filter(code=code).first()
        if sample is None:
            raise ValidationFailed(_("Không có mẫu mã “%(code)s”.") % {"code": code}, field="code")
        if sample.received_at is not None:
            raise ValidationFailed(
                _("Mẫu “%(code)s” đã được nhận lúc %(at)s.")
                % {"code": code, "at": f"{timezone.localtime(sample.received_at):%H:%M %d/%m/%Y}"},
                field="code",
            )
        if sample.lab_id is not None and sample.lab_id != lab.pk:
            raise ValidationFailed(
                _("Mẫu “%(code)s” được gửi tới phòng xét nghiệm khác.") % {"code": code}, field="code"
            )
        if received_at < sample.taken_at:
            raise ValidationFailed(_("Thời điểm nhận mẫu không được trước thời điểm lấy mẫu."), field="received_at")
        sample.lab = lab
        sample.received_at = received_at
        sample.sent_at = sample.sent_at or received_at
        sample.save(update_fields=["lab", "received_at", "sent_at", "updated_at"])
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=sample,
            summary=_("Nhận mẫu %(code)s") % {"code": code},
            detail={"lab": str(lab.uid)},
        )
    return sample


def _awaiting_result(sample: Sample) -> bool:
    return not hasattr(sample, "result") and (
        sample.pool_id is None or not Result.objects.filter(pool_id=sample.pool_id).exists()
    )


def pool_create(*, actor: Any, lab: Lab, samples: list[Sample], code: str = "") -> Pool:
    """Pool received PCR samples of ``lab`` (at most ``pool_max()``) to test them together."""
    _require(actor, can_work_lab(actor), NOT_LAB_STAFF)
    check_lab(actor, lab)
    if len(samples) < 2:
        raise ValidationFailed(_("Mẫu gộp cần ít nhất 2 mẫu."), field="samples")
    if len(samples) > pool_max():
        raise ValidationFailed(_("Mẫu gộp tối đa %(max)s mẫu.") % {"max": pool_max()}, field="samples")
    with transaction.atomic():
        locked = list(Sample.objects.select_for_update().filter(pk__in=[s.pk for s in samples]).select_related("order"))
        if len(locked) != len({s.pk for s in samples}):
            raise ValidationFailed(_("Có mẫu bị chọn trùng hoặc không còn tồn tại."), field="samples")
        for sample in locked:
            if sample.kind != TestKind.PCR:
                raise ValidationFailed(
                    _("Chỉ gộp mẫu RT-PCR (mẫu “%(code)s” là test nhanh).") % {"code": sample.code}, field="samples"
                )
            if sample.lab_id != lab.pk or sample.received_at is None:
                raise ValidationFailed(
                    _("Mẫu “%(code)s” chưa được phòng xét nghiệm này nhận.") % {"code": sample.code}, field="samples"
                )
            if sample.pool_id is not None:
                raise ValidationFailed(
                    _("Mẫu “%(code)s” đã nằm trong một mẫu gộp.") % {"code": sample.code}, field="samples"
                )
            if Result.objects.filter(sample=sample).exists():
                raise ValidationFailed(_("Mẫu “%(code)s” đã có kết quả.") % {"code": sample.code}, field="samples")
            if sample.order.reason == OrderReason.POOL_RETEST:
                raise ValidationFailed(
                    _("Mẫu “%(code)s” là mẫu xét nghiệm lại đơn, không được gộp.") % {"code": sample.code},
                    field="samples",
                )
        code = clean_code(code) if code else f"G{timezone.localdate():%y%m%d}-{uuid.uuid4().hex[:6].upper()}"
        if _code_taken(code):
            raise ValidationFailed(_("Mã mẫu “%(code)s” đã được dùng.") % {"code": code}, field="code")
        pool = Pool.objects.create(
            code=code, lab=lab, created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        Sample.objects.filter(pk__in=[s.pk for s in locked]).update(pool=pool, updated_at=timezone.now())
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=pool,
            summary=_("Gộp %(count)s mẫu thành %(code)s") % {"count": len(locked), "code": code},
            detail={"samples": [s.code for s in locked]},
        )
    return pool


# --- Results -----------------------------------------------------------------------------------

CT_REQUIRED_ONLY_PCR = _("Giá trị Ct chỉ ghi cho xét nghiệm RT-PCR.")
CT_RANGE = _("Giá trị Ct phải từ 0 đến %(max)s.")
ALREADY_RESULTED = _("Mẫu “%(code)s” đã có kết quả.")


def clean_ct(ct_value: Any, kind: str) -> Decimal | None:
    if ct_value in (None, ""):
        return None
    if kind != TestKind.PCR:
        raise ValidationFailed(CT_REQUIRED_ONLY_PCR, field="ct_value")
    try:
        value = Decimal(str(ct_value).replace(",", "."))
    except InvalidOperation:
        raise ValidationFailed(CT_RANGE % {"max": CT_MAX}, field="ct_value") from None
    if not value.is_finite() or not 0 <= value <= CT_MAX:
        raise ValidationFailed(CT_RANGE % {"max": CT_MAX}, field="ct_value")
    return value.quantize(Decimal("0.1"))


def _mark_order(order: TestOrder, outcome: str, at: datetime) -> None:
    order.status = OrderStatus.RESULTED
    order.outcome = outcome
    order.resulted_at = at
    order.save(update_fields=["status", "outcome", "resulted_at", "updated_at"])


def _follow_up(*, actor: Any, order: TestOrder, reason: str, key: str, kind: str, on: date) -> TestOrder:
    return order_create(
        actor=None,
        person=order.person,
        reason=reason,
        due_on=on,
        source_key=f"{key}:{order.uid}",
        organisation=order.organisation,
        kind=kind,
        parent=order,
    )


def result_enter(
    *,
    actor: Any,
    code: str,
    outcome: str,
    ct_value: Any = None,
    resulted_at: datetime | None = None,
    lab: Lab | None = None,
    note: str = "",
) -> Result:
    """Record the result of the sample or pool ``code`` and act on it (T3):

    * a negative pool makes each member negative; a positive pool orders an individual PCR re-test of
      each member; an invalid pool or sample orders a re-test;
    * a positive individual PCR confirms the person's open case or registers a confirmed case;
    * a positive rapid test orders a PCR confirmation and registers a suspected case if none is open.
    """
    _require(actor, can_work_lab(actor), NOT_LAB_STAFF)
    code = clean_code(code)
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Kết quả phải là dương tính, âm tính hoặc không hợp lệ."), field="outcome")
    resulted_at = resulted_at or timezone.now()
    _not_future(resulted_at, "resulted_at")
    with transaction.atomic():
        sample = Sample.objects.select_for_update().filter(code=code).select_related("order", "order__person").first()
        pool = None if sample is not None else Pool.objects.select_for_update().filter(code=code).first()
        if sample is None and pool is None:
            raise ValidationFailed(_("Không có mẫu hoặc mẫu gộp mã “%(code)s”.") % {"code": code}, field="code")
        target_lab = sample.lab if sample is not None else pool.lab  # type: ignore[union-attr]
        if target_lab is None or (sample is not None and sample.received_at is None):
            raise ValidationFailed(_("Mẫu “%(code)s” chưa được phòng xét nghiệm nhận.") % {"code": code}, field="code")
        if lab is not None and target_lab.pk != lab.pk:
            raise ValidationFailed(_("Mẫu “%(code)s” thuộc phòng xét nghiệm khác.") % {"code": code}, field="code")
        check_lab(actor, target_lab)
        kind = sample.kind if sample is not None else TestKind.PCR
        ct = clean_ct(ct_value, kind)
        if sample is not None:
            if Result.objects.filter(sample=sample).exists():
                raise ValidationFailed(ALREADY_RESULTED % {"code": code}, field="code")
            if sample.pool_id is not None:
                raise ValidationFailed(
                    _("Mẫu “%(code)s” nằm trong mẫu gộp; hãy nhập kết quả của mẫu gộp.") % {"code": code}, field="code"
                )
            if resulted_at < sample.taken_at:
                raise ValidationFailed(
                    _("Thời điểm có kết quả không được trước thời điểm lấy mẫu."), field="resulted_at"
                )
        elif Result.objects.filter(pool=pool).exists():
            raise ValidationFailed(ALREADY_RESULTED % {"code": code}, field="code")
        user = actor if getattr(actor, "is_authenticated", False) else None
        result = Result.objects.create(
            sample=sample,
            pool=pool,
            lab=target_lab,
            kind=kind,
            outcome=outcome,
            ct_value=ct,
            resulted_at=resulted_at,
            entered_by=user,
            note=note.strip()[:255],
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=result,
            summary=f"{code}: {result.get_outcome_display()}"[:255],
            detail={"outcome": outcome, "ct": str(ct) if ct is not None else None, "pool": pool is not None},
        )
        day = timezone.localdate(resulted_at)
        if sample is not None:
            _after_sample(actor=actor, sample=sample, result=result, day=day)
        else:
            assert pool is not None
            _after_pool(actor=actor, pool=pool, result=result, day=day)
    return result


def _after_sample(*, actor: Any, sample: Sample, result: Result, day: date) -> None:
    order = sample.order
    _mark_order(order, result.outcome, result.resulted_at)
    if result.outcome == Outcome.INVALID:
        _follow_up(actor=actor, order=order, reason=OrderReason.RETEST, key="retest", kind=order.kind, on=day)
    elif result.outcome == Outcome.POSITIVE and sample.kind == TestKind.PCR:
        _confirm_case(person=order.person, sample=sample, day=day, at=result.resulted_at)
    elif result.outcome == Outcome.POSITIVE:
        _follow_up(actor=actor, order=order, reason=OrderReason.CONFIRMATION, key="confirm", kind=TestKind.PCR, on=day)
        _suspect_case(person=order.person, sample=sample)


def _after_pool(*, actor: Any, pool: Pool, result: Result, day: date) -> None:
    members = list(Sample.objects.filter(pool=pool).select_related("order", "order__person").order_by("id"))
    for member in members:
        order = member.order
        if result.outcome == Outcome.NEGATIVE:
            Result.objects.create(
                sample=member,
                lab=result.lab,
                kind=TestKind.PCR,
                outcome=Outcome.NEGATIVE,
                resulted_at=result.resulted_at,
                entered_by=result.entered_by,
                via_pool=result,
            )
            _mark_order(order, Outcome.NEGATIVE, result.resulted_at)
        else:
            # Settled by the member's own re-test.
            _mark_order(order, "", result.resulted_at)
            reason = OrderReason.POOL_RETEST if result.outcome == Outcome.POSITIVE else OrderReason.RETEST
            _follow_up(actor=actor, order=order, reason=reason, key="pool", kind=TestKind.PCR, on=day)


def _detected_in(person: Person) -> str:
    from phongdich.quarantine.models import Episode, EpisodeStatus

    if Episode.objects.filter(person=person, status=EpisodeStatus.OPEN).exists():
        return DetectedIn.QUARANTINE
    return DetectedIn.COMMUNITY


def _confirm_case(*, person: Person, sample: Sample, day: date, at: datetime) -> None:
    """A positive individual PCR: confirm the open suspected/probable case, or register a confirmed one.

    The case registry's own rules apply (the case is written by the system on the lab's behalf)."""
    note = str(_("Khẳng định bằng RT-PCR, mẫu %(code)s") % {"code": sample.code})
    sampling = timezone.localdate(sample.taken_at)
    open_case = Case.objects.filter(person=person, status__in=OPEN_STATUSES).first()
    if open_case is not None:
        if open_case.status in (CaseStatus.SUSPECTED, CaseStatus.PROBABLE):
            case_transition(
                actor=None,
                case=open_case,
                to=CaseStatus.CONFIRMED,
                on_date=max(day, open_case.sampling_date or day),
                note=note,
                at=at,
            )
        return
    case_register(
        actor=None,
        person=person,
        detected_in=_detected_in(person),
        status=CaseStatus.CONFIRMED,
        sampling_date=min(sampling, day),
        confirmation_date=day,
        confirmed_at=at,
        notes=note,
    )


def _suspect_case(*, person: Person, sample: Sample) -> None:
    if Case.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
        return
    case_register(
        actor=None,
        person=person,
        detected_in=_detected_in(person),
        status=CaseStatus.SUSPECTED,
        sampling_date=timezone.localdate(sample.taken_at),
        notes=str(_("Test nhanh dương tính, mẫu %(code)s") % {"code": sample.code}),
    )


# --- Labs --------------------------------------------------------------------------------------

LAB_FIELDS = ("name", "unit", "organisation", "capacity_rapid", "capacity_pcr", "active")


def _clean_lab(actor: Any, values: dict[str, Any]) -> dict[str, Any]:
    values["name"] = str(values.get("name") or "").strip()[:255]
    if not values["name"]:
        raise ValidationFailed(_("Vui lòng nhập tên phòng xét nghiệm."), field="name")
    for f in ("capacity_rapid", "capacity_pcr"):
        if values.get(f) is None or int(values[f]) < 0:
            raise ValidationFailed(_("Công suất không được âm."), field=f)
    if values.get("unit") is None:
        raise ValidationFailed(_("Vui lòng chọn địa bàn."), field="unit")
    if actor is not None and not scope_for(actor).contains_unit(values["unit"]):
        raise NotInScope(_("Địa bàn này không thuộc phạm vi của bạn."), field="unit")
    return values


def lab_create(*, actor: Any, **fields: Any) -> Lab:
    _require(actor, can_work_lab(actor), NOT_LAB_STAFF)
    values = _clean_lab(actor, {"active": True, "organisation": None, "capacity_rapid": 0, "capacity_pcr": 0, **fields})
    with transaction.atomic():
        lab = Lab.objects.create(**{f: values[f] for f in LAB_FIELDS})
        audit(actor=actor, action=AuditAction.CREATE, obj=lab, summary=lab.name)
    return lab


def lab_update(*, actor: Any, lab: Lab, **changes: Any) -> Lab:
    _require(actor, can_work_lab(actor), NOT_LAB_STAFF)
    check_lab(actor, lab)
    values = _clean_lab(actor, {f: changes.get(f, getattr(lab, f)) for f in LAB_FIELDS})
    with transaction.atomic():
        changed = {f: [str(getattr(lab, f)), str(v)] for f, v in values.items() if getattr(lab, f) != v}
        for f, v in values.items():
            setattr(lab, f, v)
        lab.save()
        audit(actor=actor, action=AuditAction.UPDATE, obj=lab, summary=lab.name, detail={"changes": changed})
    return lab

"""Writes of the hotlines app: hotlines, teams, shifts; tips received (public form or operator), routed,
assigned, worked on and closed — each change audited and kept in the tip's history; the responsible
unit's officers and the assignee told through the notification service (after commit)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError, ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Level, Unit
from phongdich.notifications.selectors import users_with_role
from phongdich.notifications.services import notify, sms_notify
from phongdich.orgs.models import RoleAssignment
from phongdich.orgs.scope import scope_for
from phongdich.people.validators import normalise_phone

from .models import (
    DutyShift,
    Hotline,
    RapidResponseTeam,
    TeamMember,
    Tip,
    TipChannel,
    TipEvent,
    TipKind,
    TipOutcome,
    TipStatus,
)
from .routing import routing_target

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
DESCRIPTION_MAX = 2000

NOT_A_COMMUNE = gettext_lazy("Vui lòng chọn xã, phường nơi xảy ra sự việc.")
HAMLET_NOT_IN_COMMUNE = gettext_lazy("Thôn, xóm không thuộc xã, phường đã chọn.")
DESCRIPTION_REQUIRED = gettext_lazy("Vui lòng mô tả sự việc.")
DESCRIPTION_TOO_LONG = gettext_lazy("Nội dung quá dài (tối đa 2.000 ký tự).")
HAPPENED_IN_FUTURE = gettext_lazy("Thời điểm xảy ra không được ở tương lai.")
BAD_TRANSITION = gettext_lazy("Tin báo ở trạng thái “%(status)s” không thể chuyển sang “%(target)s”.")
ASSIGNEE_NOT_IN_UNIT = gettext_lazy("Người được giao phải là cán bộ của đơn vị chịu trách nhiệm hoặc cấp dưới.")
OUTCOME_REQUIRED = gettext_lazy("Vui lòng chọn kết quả xử lý.")
OUTCOME_NOTE_REQUIRED = gettext_lazy("Vui lòng ghi kết quả xử lý.")
SHIFT_END_BEFORE_START = gettext_lazy("Giờ kết thúc ca trực phải sau giờ bắt đầu.")
NUMBER_INVALID = gettext_lazy("Số đường dây nóng chỉ gồm 3 đến 15 chữ số (có thể có dấu cách, dấu chấm).")

# Which statuses each change may start from.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    TipStatus.ASSIGNED: frozenset({TipStatus.NEW, TipStatus.ASSIGNED, TipStatus.IN_PROGRESS}),
    TipStatus.IN_PROGRESS: frozenset({TipStatus.ASSIGNED}),
    TipStatus.CLOSED: frozenset({TipStatus.NEW, TipStatus.ASSIGNED, TipStatus.IN_PROGRESS}),
}


def _check_transition(tip: Tip, target: str) -> None:
    if tip.status not in ALLOWED_FROM[target]:
        raise ValidationFailed(
            BAD_TRANSITION % {"status": TipStatus(tip.status).label, "target": TipStatus(target).label}, field="status"
        )


def _event(tip: Tip, *, actor: User | None, from_status: str, note: str = "") -> TipEvent:
    return TipEvent.objects.create(tip=tip, actor=actor, from_status=from_status, to_status=tip.status, note=note[:500])


def tip_url(tip: Tip) -> str:
    return reverse("hotlines:tip_detail", kwargs={"uid": tip.uid})


def route_tip(*, kind: str, commune: Unit) -> Unit:
    """The responsible unit for a tip of ``kind`` in ``commune`` (``routing.routing_target``)."""
    chain = [commune, *reversed(list(commune.ancestors()))]
    return routing_target(kind, chain)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _unit_officers(unit: Unit) -> list[User]:
    """The officers holding a role at ``unit``; when it has none, those of the nearest unit above that has."""
    for candidate in [unit, *reversed(list(unit.ancestors()))]:
        users = list(users_with_role(unit=candidate))
        if users:
            return users
    return []


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return normalise_phone(phone)
    except ApplicationError as exc:
        raise ValidationFailed(exc.message, field="reporter_phone") from exc


def tip_receive(
    *,
    actor: User | None,
    channel: str,
    kind: str,
    description: str,
    commune: Unit | None,
    hamlet: Unit | None = None,
    address: str = "",
    happened_at: datetime | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
) -> Tip:
    """Record a tip (from the public form: ``actor=None``, channel public; from the hotline operator: the
    operator, whose scope must hold the commune), route it and tell the responsible unit's officers."""
    if kind not in TipKind.values:
        raise ValidationFailed(_("Loại tin báo không hợp lệ."), field="kind")
    if commune is None or commune.level != Level.COMMUNE:
        raise ValidationFailed(NOT_A_COMMUNE, field="commune")
    if hamlet is not None and hamlet.parent_id != commune.pk:
        raise ValidationFailed(HAMLET_NOT_IN_COMMUNE, field="hamlet")
    description = (description or "").strip()
    if not description:
        raise ValidationFailed(DESCRIPTION_REQUIRED, field="description")
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(DESCRIPTION_TOO_LONG, field="description")
    now = timezone.now()
    if happened_at is not None and happened_at > now:
        raise ValidationFailed(HAPPENED_IN_FUTURE, field="happened_at")
    if actor is not None and not scope_for(actor).contains_unit(commune):
        raise PermissionDenied
    phone = _clean_phone(reporter_phone)
    routed = route_tip(kind=kind, commune=commune)
    with transaction.atomic():
        tip = _tip_insert(
            kind=kind,
            description=description,
            commune=commune,
            hamlet=hamlet,
            address=address,
            happened_at=happened_at,
            reporter_name=reporter_name,
            phone=phone,
            channel=channel,
            now=now,
            actor=actor,
            routed=routed,
        )
        _receive_rest(tip, actor=actor, routed=routed, commune=commune, description=description)
    return tip


def _tip_insert(**f: Any) -> Tip:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Tip.objects.create(
                    code=new_code(),
                    kind=f["kind"],
                    description=f["description"],
                    commune=f["commune"],
                    hamlet=f["hamlet"],
                    address=(f["address"] or "").strip()[:200],
                    happened_at=f["happened_at"],
                    reporter_name=(f["reporter_name"] or "").strip()[:120],
                    reporter_phone=f["phone"],
                    channel=f["channel"] if f["channel"] in TipChannel.values else TipChannel.PUBLIC,
                    received_at=f["now"],
                    received_by=f["actor"],
                    routed_unit=f["routed"],
                )
        except IntegrityError:  # the rare repeated code: draw another
            continue
    raise RuntimeError("could not draw a unique tip code")


def _receive_rest(tip: Tip, *, actor: User | None, routed: Unit, commune: Unit, description: str) -> None:
    _event(tip, actor=actor, from_status="", note=_("Tiếp nhận, chuyển %(unit)s") % {"unit": routed.name})
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=tip,
        summary=_("Tiếp nhận tin báo %(code)s (%(kind)s)") % {"code": tip.code, "kind": tip.get_kind_display()},
        detail={"channel": tip.channel, "routed_unit": routed.code},
    )
    notify(
        recipients=_unit_officers(routed),
        title=_("Tin báo mới: %(kind)s") % {"kind": tip.get_kind_display()},
        body=_("%(commune)s — %(text)s") % {"commune": commune.name, "text": description[:200]},
        url=tip_url(tip),
        kind="tip",
    )


def assignable_users(tip: Tip) -> Any:
    """Officers who may be given the tip: holders of a role in the responsible unit or a unit below it."""
    units = Unit.objects.filter(tree=tip.routed_unit.tree, path__startswith=tip.routed_unit.path)
    user_ids = RoleAssignment.objects.active().filter(unit__in=units).values("user_id")
    return User.objects.filter(is_active=True, pk__in=user_ids).order_by("username")


def _require_scope(actor: User, tip: Tip) -> None:
    """The responsible unit lies in the actor's scope, or the actor is the tip's assignee."""
    if tip.assignee_id != actor.pk and not scope_for(actor).contains_unit(tip.routed_unit):
        raise PermissionDenied


def tip_assign(*, actor: User, tip: Tip, assignee: User, note: str = "") -> Tip:
    """Give the tip to an officer of the responsible unit (or below); they are notified."""
    _require_scope(actor, tip)
    _check_transition(tip, TipStatus.ASSIGNED)
    if not assignable_users(tip).filter(pk=assignee.pk).exists():
        raise ValidationFailed(ASSIGNEE_NOT_IN_UNIT, field="assignee")
    with transaction.atomic():
        previous = tip.status
        tip.assignee, tip.status = assignee, TipStatus.ASSIGNED
        tip.save(update_fields=["assignee", "status", "updated_at"])
        _event(tip, actor=actor, from_status=previous, note=note or _("Giao cho %(name)s") % {"name": assignee})
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=tip,
            summary=_("Giao tin báo %(code)s cho %(name)s") % {"code": tip.code, "name": assignee},
        )
        notify(
            recipients=[assignee],
            title=_("Anh/chị được giao xử lý tin báo %(code)s") % {"code": tip.code},
            body=f"{tip.get_kind_display()} — {tip.commune.name}",
            url=tip_url(tip),
            kind="tip",
        )
    return tip


def tip_start(*, actor: User, tip: Tip, note: str = "") -> Tip:
    """The assignee (or an officer of the unit) starts working on the tip."""
    _require_scope(actor, tip)
    _check_transition(tip, TipStatus.IN_PROGRESS)
    with transaction.atomic():
        previous, tip.status = tip.status, TipStatus.IN_PROGRESS
        tip.save(update_fields=["status", "updated_at"])
        _event(tip, actor=actor, from_status=previous, note=note)
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=tip,
            summary=_("Bắt đầu xử lý tin báo %(code)s") % {"code": tip.code},
        )
    return tip


def tip_close(*, actor: User, tip: Tip, outcome: str, note: str) -> Tip:
    """Close the tip with its outcome (required) and what was done (required); a reporter who left a phone
    gets an SMS saying so (after commit)."""
    _require_scope(actor, tip)
    _check_transition(tip, TipStatus.CLOSED)
    if outcome not in TipOutcome.values:
        raise ValidationFailed(OUTCOME_REQUIRED, field="outcome")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(OUTCOME_NOTE_REQUIRED, field="note")
    with transaction.atomic():
        previous = tip.status
        tip.status, tip.outcome, tip.outcome_note, tip.closed_at = TipStatus.CLOSED, outcome, note, timezone.now()
        tip.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "updated_at"])
        _event(tip, actor=actor, from_status=previous, note=note)
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=tip,
            summary=_("Kết thúc tin báo %(code)s: %(outcome)s")
            % {"code": tip.code, "outcome": tip.get_outcome_display()},
        )
        if tip.reporter_phone:
            sms_notify(
                phone=tip.reporter_phone,
                text=_("Tin báo %(code)s của anh/chị đã được xử lý xong: %(outcome)s. Cảm ơn anh/chị.")
                % {"code": tip.code, "outcome": tip.get_outcome_display()},
                kind="tip",
            )
    return tip


# --- hotlines, teams, shifts ------------------------------------------------------------------------


def _require_unit(actor: User | None, unit: Unit) -> None:
    if actor is not None and not scope_for(actor).contains_unit(unit):
        raise PermissionDenied


def hotline_create(*, actor: User | None, unit: Unit, name: str, number: str, hours: str = "24/7") -> Hotline:
    _require_unit(actor, unit)
    digits = "".join(ch for ch in number if ch not in " .")
    if not (digits.isascii() and digits.isdigit() and 3 <= len(digits) <= 15):
        raise ValidationFailed(NUMBER_INVALID, field="number")
    hotline = Hotline.objects.create(unit=unit, name=name.strip(), number=number.strip(), hours=hours.strip() or "24/7")
    audit(
        actor=actor, action=AuditAction.CREATE, obj=hotline, summary=_("Thêm đường dây nóng %(name)s") % {"name": name}
    )
    return hotline


def team_create(*, actor: User | None, unit: Unit, name: str) -> RapidResponseTeam:
    _require_unit(actor, unit)
    team = RapidResponseTeam.objects.create(unit=unit, name=name.strip())
    audit(
        actor=actor, action=AuditAction.CREATE, obj=team, summary=_("Thêm đội phản ứng nhanh %(name)s") % {"name": name}
    )
    return team


def team_member_add(
    *,
    actor: User | None,
    team: RapidResponseTeam,
    full_name: str,
    position: str = "",
    phone: str = "",
    user: User | None = None,
) -> TeamMember:
    _require_unit(actor, team.unit)
    member = TeamMember.objects.create(
        team=team, full_name=full_name.strip(), position=position.strip(), phone=_member_phone(phone), user=user
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=member,
        summary=_("Thêm thành viên đội %(name)s") % {"name": full_name},
    )
    return member


def _member_phone(phone: str) -> str:
    if not (phone or "").strip():
        return ""
    try:
        return normalise_phone(phone)
    except ApplicationError as exc:
        raise ValidationFailed(exc.message, field="phone") from exc


def shift_create(
    *,
    actor: User | None,
    start: datetime,
    end: datetime,
    full_name: str,
    phone: str = "",
    team: RapidResponseTeam | None = None,
    hotline: Hotline | None = None,
    user: User | None = None,
) -> DutyShift:
    """A duty shift of a team or of a hotline (exactly one)."""
    if (team is None) == (hotline is None):
        raise ValueError("a shift belongs to a team or to a hotline")
    owner = team or hotline
    assert owner is not None
    _require_unit(actor, owner.unit)
    if end <= start:
        raise ValidationFailed(SHIFT_END_BEFORE_START, field="end")
    shift = DutyShift.objects.create(
        team=team,
        hotline=hotline,
        full_name=full_name.strip(),
        phone=_member_phone(phone),
        user=user,
        start=start,
        end=end,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=shift,
        summary=_("Thêm ca trực của %(name)s") % {"name": full_name},
        detail={"owner": str(owner.uid)},
    )
    return shift

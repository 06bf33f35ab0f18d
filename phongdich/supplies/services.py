"""Writes for the stock ledger (E6).

Rules (tested table-driven):

- received: + quantity at the holder; used: − quantity; issued: − quantity at the holder and, in the same
  transaction, + quantity "received" at the receiving holder (the two lines point at each other);
  adjustment: ± quantity with a reason (stock count, breakage, expiry).
- Quantities are whole numbers > 0 (the sign comes from the kind; an adjustment takes a sign).
- What remains of an item at a holder is the sum of its ledger and never goes below zero: a movement
  that would make it negative is refused with the quantity available, and nothing is written.
- The actor must have the holder in scope (its unit, or its organisation); an issue may go to any holder.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, Role
from phongdich.orgs.scope import scope_for

from .models import Holder, Movement, MovementKind, SupplyItem, Threshold

MANAGER_ROLES = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.STEERING_COMMITTEE,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.HEALTH,
        Role.ORGANISATION_HEAD,
    }
)

QUANTITY_POSITIVE = _("Số lượng phải là số nguyên lớn hơn 0.")
ADJUSTMENT_NONZERO = _("Số lượng điều chỉnh phải khác 0.")
REASON_REQUIRED = _("Điều chỉnh kho cần ghi rõ lý do.")
BAD_KIND = _("Loại phát sinh không hợp lệ.")
NOT_ENOUGH = _("Không đủ %(item)s trong kho: còn %(available)s %(uom)s, cần %(needed)s %(uom)s.")
RECEIVER_REQUIRED = _("Chọn nơi nhận.")
RECEIVER_SAME = _("Nơi nhận phải khác nơi xuất.")
HOLDER_NOT_IN_SCOPE = _("Nơi giữ vật tư này không thuộc phạm vi quản lý của bạn.")
ITEM_INACTIVE = _("Vật tư này không còn trong danh mục sử dụng.")
DATE_IN_FUTURE = _("Ngày không được ở tương lai.")
MINIMUM_RANGE = _("Mức tối thiểu phải là số nguyên không âm.")


def can_manage_supplies(user: Any) -> bool:
    scope = scope_for(user)
    return scope.everything or bool(scope.roles & MANAGER_ROLES)


def holder_for(*, unit: Unit | None = None, organisation: Organisation | None = None) -> Holder:
    """The holder row of a unit or an organisation (created on first use)."""
    if (unit is None) == (organisation is None):
        raise ValueError("holder_for needs a unit or an organisation")
    if unit is not None:
        holder, _created = Holder.objects.get_or_create(unit=unit)
    else:
        holder, _created = Holder.objects.get_or_create(organisation=organisation)
    return holder


def holder_in_scope(user: Any, holder: Holder) -> bool:
    scope = scope_for(user)
    if holder.unit is not None:
        return scope.contains_unit(holder.unit)
    return holder.organisation is not None and scope.contains_organisation(holder.organisation)


def _check_holder(actor: Any, holder: Holder) -> None:
    if actor is None:
        return
    if not can_manage_supplies(actor) or not holder_in_scope(actor, holder):
        raise PermissionDenied(str(HOLDER_NOT_IN_SCOPE))


def stock_of(holder: Holder, item: SupplyItem) -> int:
    """What remains: the sum of the holder's ledger for the item."""
    return int(Movement.objects.filter(holder=holder, item=item).aggregate(total=Sum("quantity"))["total"] or 0)


def _lock(holder: Holder) -> None:
    """Serialise writes to one holder's ledger (the row lock on PostgreSQL; SQLite locks the database)."""
    Holder.objects.select_for_update().filter(pk=holder.pk).first()


def movement_record(
    *,
    actor: Any,
    holder: Holder,
    item: SupplyItem,
    kind: str,
    quantity: int,
    occurred_on: date | None = None,
    receiver: Holder | None = None,
    reason: str = "",
) -> Movement:
    """Record one movement (and the receiver's line for an issue); refuses to go below zero."""
    _check_holder(actor, holder)
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise ValidationFailed(DATE_IN_FUTURE, field="occurred_on")
    if kind not in MovementKind.values:
        raise ValidationFailed(BAD_KIND, field="kind")
    if not item.is_active:
        raise ValidationFailed(ITEM_INACTIVE, field="item")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise ValidationFailed(QUANTITY_POSITIVE, field="quantity") from None
    reason = (reason or "").strip()[:255]
    if kind == MovementKind.ADJUSTMENT:
        if quantity == 0:
            raise ValidationFailed(ADJUSTMENT_NONZERO, field="quantity")
        if not reason:
            raise ValidationFailed(REASON_REQUIRED, field="reason")
        delta = quantity
    else:
        if quantity <= 0:
            raise ValidationFailed(QUANTITY_POSITIVE, field="quantity")
        delta = quantity if kind == MovementKind.RECEIVED else -quantity
    if kind == MovementKind.ISSUED:
        if receiver is None:
            raise ValidationFailed(RECEIVER_REQUIRED, field="receiver")
        if receiver.pk == holder.pk:
            raise ValidationFailed(RECEIVER_SAME, field="receiver")
    else:
        receiver = None
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        _lock(holder)
        available = stock_of(holder, item)
        if available + delta < 0:
            raise ValidationFailed(
                NOT_ENOUGH % {"item": item.name, "available": available, "needed": -delta, "uom": item.unit_of_measure},
                field="quantity",
            )
        movement = Movement.objects.create(
            holder=holder,
            item=item,
            kind=kind,
            quantity=delta,
            occurred_on=occurred_on,
            other_holder=receiver,
            reason=reason,
            actor=user,
        )
        if receiver is not None:
            incoming = Movement.objects.create(
                holder=receiver,
                item=item,
                kind=MovementKind.RECEIVED,
                quantity=quantity,
                occurred_on=occurred_on,
                other_holder=holder,
                counterpart=movement,
                reason=reason,
                actor=user,
            )
            movement.counterpart = incoming
            movement.save(update_fields=["counterpart"])
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=movement,
            summary=str(_("%(kind)s %(quantity)s %(uom)s %(item)s — %(holder)s"))
            % {
                "kind": movement.get_kind_display(),
                "quantity": abs(delta),
                "uom": item.unit_of_measure,
                "item": item.name,
                "holder": holder.name,
            },
            detail={
                "holder": str(holder.uid),
                "item": item.code,
                "kind": kind,
                "quantity": delta,
                "receiver": str(receiver.uid) if receiver else "",
                "remaining": available + delta,
            },
        )
    return movement


def threshold_set(*, actor: Any, holder: Holder, item: SupplyItem, minimum: int | None) -> Threshold | None:
    """Set (or, with ``minimum=None``, remove) the low-stock threshold of an item at a holder."""
    _check_holder(actor, holder)
    if minimum is not None:
        try:
            minimum = int(minimum)
        except (TypeError, ValueError):
            raise ValidationFailed(MINIMUM_RANGE, field="minimum") from None
        if minimum < 0:
            raise ValidationFailed(MINIMUM_RANGE, field="minimum")
    with transaction.atomic():
        if minimum is None:
            Threshold.objects.filter(holder=holder, item=item).delete()
            threshold = None
        else:
            threshold, _created = Threshold.objects.update_or_create(
                holder=holder, item=item, defaults={"minimum": minimum}
            )
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=holder,
            summary=str(_("Mức tồn tối thiểu %(item)s: %(minimum)s")) % {"item": item.name, "minimum": minimum},
            detail={"item": item.code, "minimum": minimum},
        )
    return threshold

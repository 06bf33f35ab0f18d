"""Writes for random screening (T2): campaigns and the drawing of a round.

Drawing a round: the round of the period containing today (``selectors.current_round_number``), drawn once;
seed ``draw.round_seed(campaign.seed, number)`` stored on the round; eligible staff and the allocation from
``selectors.eligible_candidates``; one screening test order per person drawn through the testing app
(``source_key = "screening:<round uid>:<person id>"``, due two days after the draw), all in one transaction
with its audit line.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.orgs.models import Organisation, Role
from phongdich.orgs.scope import scope_for
from phongdich.testing.models import TestKind

from .draw import draw, prepare, round_seed
from .models import Campaign, Period, Round, SampleMode, Selection
from .selectors import campaign_fraction, current_round_number, eligible_candidates

# Roles that run screening campaigns (within their scope).
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
DUE_DAYS = 2

NAME_REQUIRED = _("Nhập tên đợt sàng lọc.")
ORGS_REQUIRED = _("Chọn ít nhất một cơ quan, đơn vị.")
ORG_NOT_IN_SCOPE = _("Cơ quan “%(name)s” không thuộc phạm vi quản lý của bạn.")
DATES_ORDER = _("Ngày kết thúc không được trước ngày bắt đầu.")
BAD_PERIOD = _("Chu kỳ không hợp lệ.")
BAD_KIND = _("Loại xét nghiệm không hợp lệ.")
BAD_MODE = _("Cách lấy mẫu không hợp lệ.")
PERCENT_RANGE = _("Tỷ lệ lấy mẫu phải lớn hơn 0 và không quá 100%.")
COUNT_POSITIVE = _("Số người mỗi kỳ phải lớn hơn 0.")
NOT_ALLOWED = _("Bạn không có quyền quản lý đợt sàng lọc này.")
INACTIVE = _("Đợt sàng lọc đã dừng.")
OUTSIDE_DATES = _("Hôm nay không nằm trong thời gian của đợt sàng lọc (%(start)s – %(end)s).")
ALREADY_DRAWN = _("Kỳ %(number)s đã được chọn mẫu.")
NOBODY_ELIGIBLE = _("Không có cán bộ, người lao động nào trong diện sàng lọc.")


def can_manage_screening(user: Any) -> bool:
    scope = scope_for(user)
    return scope.everything or bool(scope.roles & MANAGER_ROLES)


def _check_orgs(actor: Any, organisations: Iterable[Organisation]) -> list[Organisation]:
    orgs = list(organisations)
    if not orgs:
        raise ValidationFailed(ORGS_REQUIRED, field="organisations")
    if actor is None:
        return orgs
    if not can_manage_screening(actor):
        raise PermissionDenied(str(NOT_ALLOWED))
    scope = scope_for(actor)
    for org in orgs:
        if not scope.contains_organisation(org):
            raise ValidationFailed(ORG_NOT_IN_SCOPE % {"name": org.name}, field="organisations")
    return orgs


def _clean(
    *,
    name: str,
    sample_mode: str,
    sample_percent: Decimal | None,
    sample_count: int | None,
    period: str,
    test_kind: str,
    start_date: date,
    end_date: date,
) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(NAME_REQUIRED, field="name")
    if period not in Period.values:
        raise ValidationFailed(BAD_PERIOD, field="period")
    if test_kind not in TestKind.values:
        raise ValidationFailed(BAD_KIND, field="test_kind")
    if end_date < start_date:
        raise ValidationFailed(DATES_ORDER, field="end_date")
    if sample_mode == SampleMode.FRACTION:
        if sample_percent is None or not (Decimal(0) < Decimal(sample_percent) <= Decimal(100)):
            raise ValidationFailed(PERCENT_RANGE, field="sample_percent")
        sample_count = None
    elif sample_mode == SampleMode.COUNT:
        if sample_count is None or sample_count <= 0:
            raise ValidationFailed(COUNT_POSITIVE, field="sample_count")
        sample_percent = None
    else:
        raise ValidationFailed(BAD_MODE, field="sample_mode")
    return {
        "name": name[:255],
        "sample_mode": sample_mode,
        "sample_percent": sample_percent,
        "sample_count": sample_count,
        "period": period,
        "test_kind": test_kind,
        "start_date": start_date,
        "end_date": end_date,
    }


def campaign_create(
    *,
    actor: Any,
    name: str,
    organisations: Iterable[Organisation],
    sample_mode: str,
    period: str,
    test_kind: str,
    start_date: date,
    end_date: date,
    sample_percent: Decimal | None = None,
    sample_count: int | None = None,
    note: str = "",
    seed: int | None = None,
) -> Campaign:
    """A new campaign; its seed is random (``secrets``) unless given, and recorded."""
    orgs = _check_orgs(actor, organisations)
    fields = _clean(
        name=name,
        sample_mode=sample_mode,
        sample_percent=sample_percent,
        sample_count=sample_count,
        period=period,
        test_kind=test_kind,
        start_date=start_date,
        end_date=end_date,
    )
    with transaction.atomic():
        campaign = Campaign.objects.create(
            **fields,
            note=(note or "")[:255],
            seed=seed if seed is not None else secrets.randbits(62),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        campaign.organisations.set(orgs)
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=campaign,
            summary=str(_("Tạo đợt sàng lọc “%(name)s”")) % {"name": campaign.name},
            detail={"organisations": [str(o.uid) for o in orgs], "seed": campaign.seed},
        )
    return campaign


def campaign_update(
    *,
    actor: Any,
    campaign: Campaign,
    name: str,
    organisations: Iterable[Organisation],
    sample_mode: str,
    period: str,
    test_kind: str,
    start_date: date,
    end_date: date,
    sample_percent: Decimal | None = None,
    sample_count: int | None = None,
    note: str = "",
    is_active: bool = True,
) -> Campaign:
    """Change a campaign; rounds already drawn keep what they drew. The seed never changes."""
    _check_orgs(actor, campaign.organisations.select_related("unit"))
    orgs = _check_orgs(actor, organisations)
    fields = _clean(
        name=name,
        sample_mode=sample_mode,
        sample_percent=sample_percent,
        sample_count=sample_count,
        period=period,
        test_kind=test_kind,
        start_date=start_date,
        end_date=end_date,
    )
    if campaign.rounds.exists() and (start_date != campaign.start_date or period != campaign.period):
        raise ValidationFailed(_("Đã có kỳ được chọn mẫu: không đổi được ngày bắt đầu và chu kỳ."), field="start_date")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(campaign, key, value)
        campaign.note = (note or "")[:255]
        campaign.is_active = is_active
        campaign.save()
        campaign.organisations.set(orgs)
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=campaign,
            summary=str(_("Sửa đợt sàng lọc “%(name)s”")) % {"name": campaign.name},
            detail={"organisations": [str(o.uid) for o in orgs], "is_active": is_active},
        )
    return campaign


def round_draw(*, actor: Any, campaign: Campaign, on: date | None = None) -> Round:
    """Draw the round of the period containing ``on`` (today) and create its test orders."""
    from phongdich.testing.models import OrderReason
    from phongdich.testing.services import order_create

    on = on or timezone.localdate()
    if actor is not None:
        _check_orgs(actor, campaign.organisations.select_related("unit"))
    if not campaign.is_active:
        raise ValidationFailed(INACTIVE)
    number = current_round_number(campaign, on=on)
    if number is None:
        raise ValidationFailed(
            OUTSIDE_DATES % {"start": f"{campaign.start_date:%d/%m/%Y}", "end": f"{campaign.end_date:%d/%m/%Y}"}
        )
    if campaign.rounds.filter(number=number).exists():
        raise ValidationFailed(ALREADY_DRAWN % {"number": number})
    pool = prepare(eligible_candidates(campaign, on=on))
    if not pool:
        raise ValidationFailed(NOBODY_ELIGIBLE)
    seed = round_seed(campaign.seed, number)
    chosen = draw(
        pool,
        seed=seed,
        count=campaign.sample_count if campaign.sample_mode == SampleMode.COUNT else None,
        fraction=campaign_fraction(campaign),
    )
    strata: dict[str, int] = {}
    for c in pool:
        assert c.ref is not None
        strata[str(c.ref[1])] = strata.get(str(c.ref[1]), 0) + 1
    due_on = on + timedelta(days=DUE_DAYS)
    orgs = Organisation.objects.in_bulk([c.ref[1] for c in chosen if c.ref is not None])
    from phongdich.people.models import Person

    people = Person.objects.in_bulk([c.ref[0] for c in chosen if c.ref is not None])
    try:
        with transaction.atomic():
            rnd = Round.objects.create(
                campaign=campaign,
                number=number,
                period_start=campaign.round_start(number),
                due_on=due_on,
                seed=seed,
                eligible_count=len(pool),
                drawn_count=len(chosen),
                strata=strata,
                drawn_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            note = str(_("Sàng lọc ngẫu nhiên: %(name)s, kỳ %(number)s")) % {"name": campaign.name, "number": number}
            for c in chosen:
                assert c.ref is not None
                person, org = people[c.ref[0]], orgs[c.ref[1]]
                order = order_create(
                    actor=None,
                    person=person,
                    reason=OrderReason.SCREENING,
                    due_on=due_on,
                    source_key=f"screening:{rnd.uid}:{person.pk}",
                    organisation=org,
                    kind=campaign.test_kind,
                    note=note,
                )
                Selection.objects.create(round=rnd, person=person, organisation=org, order=order)
            audit(
                actor=actor,
                action=AuditAction.CREATE,
                obj=rnd,
                summary=str(_("Chọn mẫu kỳ %(number)s của đợt “%(name)s”: %(drawn)s/%(eligible)s người"))
                % {"number": number, "name": campaign.name, "drawn": len(chosen), "eligible": len(pool)},
                detail={"campaign": str(campaign.uid), "seed": seed, "eligible": len(pool), "drawn": len(chosen)},
            )
    except IntegrityError as exc:  # a concurrent draw of the same round
        raise ValidationFailed(ALREADY_DRAWN % {"number": number}) from exc
    return rnd

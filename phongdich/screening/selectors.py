"""Reads for random screening (T2), scoped (D4).

A campaign is visible to a user when one of its organisations lies in their scope (a district officer sees
the campaigns over organisations of their district) or is an ancestor of an organisation they head (the head
of an enterprise sees the campaign over its industrial park). Inside a round, a user sees the strata
(organisations) in their scope only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from phongdich.core.pagination import Page
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import Scope, scope_for
from phongdich.people.models import StaffMembership

from .draw import Candidate, allocate, sample_size
from .models import Campaign, Period, Round, SampleMode, Selection

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _key(uid: str | uuid.UUID) -> uuid.UUID:
    try:
        return uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc


def _ancestor_ids(scope: Scope) -> set[int]:
    return {int(part) for path in scope.org_paths for part in path.strip("/").split("/") if part}


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    scope = scope_for(user)
    if scope.everything:
        return Campaign.objects.all()
    if scope.is_empty:
        return Campaign.objects.none()
    condition = Q(organisations__in=scope.organisations().values("pk"))
    ancestors = _ancestor_ids(scope)
    if ancestors:
        condition |= Q(organisations__in=ancestors)
    return Campaign.objects.filter(pk__in=Campaign.objects.filter(condition).values("pk"))


def campaign_page(*, user: Any, active: str = "", after: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """Campaigns newest start first, keyset-paged on (start_date, id) descending."""
    qs = visible_campaigns(user).prefetch_related("organisations").order_by("-start_date", "-id")
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    if after:
        try:
            row = Campaign.objects.filter(uid=uuid.UUID(str(after))).values_list("start_date", "pk").first()
        except ValueError:
            row = None
        qs = qs.none() if row is None else qs.filter(Q(start_date__lt=row[0]) | Q(start_date=row[0], pk__lt=row[1]))
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def campaign_get(*, user: Any, uid: str | uuid.UUID) -> Campaign:
    campaign = visible_campaigns(user).filter(uid=_key(uid)).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_rounds(campaign: Campaign) -> list[Round]:
    return list(campaign.rounds.order_by("-number"))


def covered_organisations(campaign: Campaign) -> QuerySet[Organisation]:
    """The campaign's organisations and every organisation under them, active ones only."""
    paths = list(campaign.organisations.values_list("path", flat=True))
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition, is_active=True)


def can_manage_campaign(user: Any, campaign: Campaign) -> bool:
    """Edit and draw: every organisation of the campaign lies in the user's scope."""
    from .services import can_manage_screening

    if not can_manage_screening(user):
        return False
    scope = scope_for(user)
    return all(scope.contains_organisation(o) for o in campaign.organisations.select_related("unit"))


def eligible_candidates(campaign: Campaign, *, on: date) -> list[Candidate[tuple[int, int]]]:
    """Active staff memberships on ``on`` of the covered organisations, people not merged away.

    Each candidate is keyed by the person's uid and stratified by the organisation's uid; ``ref`` is
    ``(person id, organisation id)``.
    """
    rows = (
        StaffMembership.objects.filter(
            organisation__in=covered_organisations(campaign).values("pk"),
            person__merged_into__isnull=True,
            start_date__lte=on,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("person_id", "person__uid", "organisation_id", "organisation__uid")
    )
    return [Candidate(stratum=str(ouid), key=str(puid), ref=(pid, oid)) for pid, puid, oid, ouid in rows]


def campaign_fraction(campaign: Campaign) -> Fraction | None:
    if campaign.sample_mode != SampleMode.FRACTION or campaign.sample_percent is None:
        return None
    return Fraction(Decimal(campaign.sample_percent)) / 100


def current_round_number(campaign: Campaign, *, on: date) -> int | None:
    """The round whose period contains ``on`` (1-based), or None before the start or after the end."""
    if on < campaign.start_date or on > campaign.end_date:
        return None
    number = 1
    while campaign.round_start(number + 1) <= on:
        number += 1
    return number


@dataclass
class Preview:
    number: int | None
    period_start: date | None
    eligible: int
    size: int
    allocation: list[tuple[Organisation, int, int]] = field(default_factory=list)  # (org, eligible, seats)
    already_drawn: bool = False


def round_preview(campaign: Campaign, *, on: date) -> Preview:
    """What drawing now would do: the round number, the eligible staff, the sample size and its allocation."""
    from .draw import prepare

    number = current_round_number(campaign, on=on)
    pool = prepare(eligible_candidates(campaign, on=on))
    sizes: dict[str, int] = {}
    org_ids: dict[str, int] = {}
    for c in pool:
        sizes[c.stratum] = sizes.get(c.stratum, 0) + 1
        assert c.ref is not None
        org_ids[c.stratum] = c.ref[1]
    size = (
        sample_size(
            len(pool),
            count=campaign.sample_count if campaign.sample_mode == SampleMode.COUNT else None,
            fraction=campaign_fraction(campaign),
        )
        if pool
        else 0
    )
    seats = allocate(sizes, size)
    orgs = Organisation.objects.in_bulk(list(org_ids.values()))
    allocation = sorted(
        ((orgs[org_ids[s]], sizes[s], seats[s]) for s in sizes), key=lambda row: (row[0].name, row[0].pk)
    )
    return Preview(
        number=number,
        period_start=campaign.round_start(number) if number else None,
        eligible=len(pool),
        size=size,
        allocation=allocation,
        already_drawn=bool(number and campaign.rounds.filter(number=number).exists()),
    )


def round_get(*, user: Any, uid: str | uuid.UUID) -> Round:
    rnd = Round.objects.select_related("campaign").filter(uid=_key(uid)).first()
    if rnd is None or not visible_campaigns(user).filter(pk=rnd.campaign_id).exists():
        raise Http404
    return rnd


def visible_selections(user: Any, rnd: Round) -> QuerySet[Selection]:
    qs = Selection.objects.filter(round=rnd)
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(organisation__in=scope.organisations().values("pk"))


TESTED = ("positive", "negative")


@dataclass
class OrgRow:
    organisation: Organisation | None
    eligible: int = 0
    drawn: int = 0
    tested: int = 0
    positive: int = 0
    invalid: int = 0

    @property
    def coverage(self) -> float | None:
        """Tested / drawn (a result of positive or negative; invalid and pending ones are not tested)."""
        return self.tested / self.drawn if self.drawn else None

    @property
    def positivity(self) -> float | None:
        return self.positive / self.tested if self.tested else None

    @property
    def coverage_label(self) -> str:
        return percent(self.coverage)

    @property
    def positivity_label(self) -> str:
        return percent(self.positivity)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass
class RoundReport:
    rows: list[OrgRow]
    total: OrgRow
    selections: list[Selection]


def outcomes_for(order_ids: list[int]) -> dict[int, str | None]:
    if not order_ids:
        return {}
    from phongdich.testing.selectors import order_outcomes

    return dict(order_outcomes(order_ids))


def round_report(*, user: Any, rnd: Round) -> RoundReport:
    """Per organisation (in the user's scope): eligible, drawn, tested, positive, coverage and positivity."""
    selections = list(
        visible_selections(user, rnd)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__full_name", "id")
    )
    outcomes = outcomes_for([s.order_id for s in selections if s.order_id])
    rows: dict[int, OrgRow] = {}
    for s in selections:
        row = rows.setdefault(s.organisation_id, OrgRow(organisation=s.organisation))
        row.drawn += 1
        outcome = outcomes.get(s.order_id) if s.order_id else None
        s.outcome = outcome  # type: ignore[attr-defined]
        if outcome in TESTED:
            row.tested += 1
        if outcome == "positive":
            row.positive += 1
        if outcome == "invalid":
            row.invalid += 1
    scope = scope_for(user)
    visible_org_ids = (
        None
        if scope.everything
        else set(scope.organisations().filter(pk__in=[int(k) for k in rnd.strata]).values_list("pk", flat=True))
    )
    missing = [
        int(k) for k in rnd.strata if int(k) not in rows and (visible_org_ids is None or int(k) in visible_org_ids)
    ]
    for org in Organisation.objects.filter(pk__in=missing):
        rows[org.pk] = OrgRow(organisation=org)
    for org_id, row in rows.items():
        row.eligible = int(rnd.strata.get(str(org_id), 0))
    ordered = sorted(rows.values(), key=lambda r: (r.organisation.name if r.organisation else "", r.drawn))
    total = OrgRow(organisation=None)
    for r in ordered:
        total.eligible += r.eligible
        total.drawn += r.drawn
        total.tested += r.tested
        total.positive += r.positive
        total.invalid += r.invalid
    return RoundReport(rows=ordered, total=total, selections=selections)


PERIOD_CHOICES = Period.choices

"""Reads of the welfare app, scoped to the user's jurisdiction.

Mobile ballot boxes (E1): on polling day a voter needs the mobile box (hòm phiếu phụ) when they are in
quarantine (a centralised or home quarantine episode open that day), in isolation (self-isolation, or an
open case being treated) or inside a lockdown or medical-isolation zone in force that day. Voters are
Vietnamese residents aged 18 or more on polling day (by birth date, else by birth year). Each is listed
under the polling area that covers their hamlet; those whose hamlet no polling area covers yet are listed
apart, so that the commune can complete its polling areas.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from phongdich.cases.models import OPEN_STATUSES, Case
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.quarantine.models import Episode, EpisodeKind
from phongdich.zones.control_selectors import zone_people_queryset, zones_in_force
from phongdich.zones.models import ZoneKind

from .models import (
    Budget,
    BudgetAllocation,
    BudgetSpending,
    Donation,
    Election,
    GiftKind,
    PollingArea,
    PollingAreaUnit,
    Support,
)

VOTING_AGE = 18
ID_CHUNK = 5000
QUARANTINE_KINDS = (EpisodeKind.CENTRALISED, EpisodeKind.HOME)
ISOLATION_KINDS = (EpisodeKind.SELF_ISOLATION,)
# Zones whose residents cannot come to the polling station.
CLOSED_ZONE_KINDS = (ZoneKind.LOCKDOWN, ZoneKind.MEDICAL_ISOLATION)


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# --- Elections ---------------------------------------------------------------------------------


def election_list(*, user: Any) -> QuerySet[Election]:
    """Elections held in the user's area: over a unit inside their scope or above one of its roots."""
    scope = scope_for(user)
    qs = Election.objects.select_related("unit")
    if scope.everything:
        return qs
    if not scope.unit_paths:
        return qs.none()
    inside = scope.unit_q("unit__")
    above = reduce(or_, (Q(unit__tree=t, unit__path__in=_ancestor_paths(p)) for t, p in scope.unit_paths))
    return qs.filter(inside | above)


def election_get(*, user: Any, uid: str | uuid.UUID) -> Election:
    try:
        return election_list(user=user).get(uid=uid)
    except (Election.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def polling_areas(*, user: Any, election: Election) -> list[PollingArea]:
    """The election's polling areas in the user's area, with their hamlets."""
    qs = scope_for(user).filter(
        PollingArea.objects.filter(election=election).select_related("commune"), unit_field="commune"
    )
    return list(qs.prefetch_related("area_units__unit").order_by("commune__path", "number", "id"))


def polling_area_get(*, user: Any, election: Election, uid: str | uuid.UUID) -> PollingArea:
    for area in polling_areas(user=user, election=election):
        if str(area.uid) == str(uid):
            return area
    raise Http404


def uncovered_hamlets(*, user: Any, election: Election, commune: Unit) -> list[Unit]:
    """Hamlets of ``commune`` that no polling area of the election covers yet."""
    taken = PollingAreaUnit.objects.filter(election=election).values("unit")
    return list(Unit.objects.filter(parent=commune).exclude(pk__in=taken).order_by("code", "name"))


@dataclass
class Voter:
    person: Person
    reasons: list[str] = field(default_factory=list)


@dataclass
class BallotList:
    """The mobile-ballot list of one polling area (``area`` None: voters whose hamlet is not covered)."""

    area: PollingArea | None
    voters: list[Voter]


def _adult_q(day: date) -> Q:
    try:
        limit = day.replace(year=day.year - VOTING_AGE)
    except ValueError:  # 29 February
        limit = day.replace(year=day.year - VOTING_AGE, day=28)
    return Q(birth_date__lte=limit) | Q(birth_date__isnull=True, birth_year__lte=day.year - VOTING_AGE)


def _open_on(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(status="open", released_on__isnull=True) | Q(released_on__gt=day))


def mobile_ballot_reasons(*, on: date, person_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
    """Who needs the mobile ballot box on ``on`` and why (person id → reasons), before age and residence."""
    reasons: dict[int, list[str]] = {}
    episodes = Episode.objects.filter(_open_on(on), kind__in=[*QUARANTINE_KINDS, *ISOLATION_KINDS])
    cases = Case.objects.filter(status__in=OPEN_STATUSES)
    if person_ids is not None:
        ids = list(person_ids)
        episodes = episodes.filter(person_id__in=ids)
        cases = cases.filter(person_id__in=ids)
    for ep in episodes.select_related("facility").order_by("start_date", "id"):
        if ep.kind == EpisodeKind.CENTRALISED:
            text = _("Cách ly tập trung") + (f" — {ep.facility.name}" if ep.facility else "")
        else:
            text = str(ep.get_kind_display())
        reasons.setdefault(ep.person_id, []).append(text)
    for case in cases.filter(Q(isolated_on__isnull=True) | Q(isolated_on__lte=on)).only("person_id", "case_code"):
        reasons.setdefault(case.person_id, []).append(
            _("Đang cách ly điều trị (ca bệnh %(code)s)") % {"code": case.case_code}
        )
    for zone in zones_in_force(on=on, kinds=CLOSED_ZONE_KINDS).order_by("start_date", "id"):
        inside = zone_people_queryset(zone=zone, on=on)
        if person_ids is not None:
            inside = inside.filter(pk__in=ids)
        label = _("Trong khu vực %(kind)s: %(zone)s") % {
            "kind": zone.get_zone_kind_display().lower(),
            "zone": zone.name,
        }
        for pk in inside.values_list("pk", flat=True):
            reasons.setdefault(pk, []).append(label)
    return reasons


def mobile_ballot_lists(*, user: Any, election: Election) -> list[BallotList]:
    """One list per polling area in the user's area (in order), then the voters not covered by any area."""
    day = election.polling_day
    reasons = mobile_ballot_reasons(on=day)
    ids = sorted(reasons)
    voters: list[Person] = []
    for start in range(0, len(ids), ID_CHUNK):  # bounded IN lists, whatever the size of the outbreak
        voters += (
            Person.objects.for_user(user)
            .active()
            .filter(pk__in=ids[start : start + ID_CHUNK], nationality="VN")
            .filter(_adult_q(day))
            .filter(residence_unit__tree=election.unit.tree, residence_unit__path__startswith=election.unit.path)
            .select_related("residence_unit")
        )
    voters.sort(key=lambda p: (p.name_folded, p.pk))
    areas = polling_areas(user=user, election=election)
    area_of_unit = dict(PollingAreaUnit.objects.filter(election=election).values_list("unit_id", "polling_area_id"))
    by_area: dict[int | None, list[Voter]] = {a.pk: [] for a in areas}
    by_area[None] = []
    for person in voters:
        area_id = area_of_unit.get(person.residence_unit_id)
        if area_id is not None and area_id not in by_area:
            continue  # covered by a polling area outside the user's area
        by_area[area_id].append(Voter(person=person, reasons=reasons[person.pk]))
    out = [BallotList(area=a, voters=by_area[a.pk]) for a in areas]
    out.append(BallotList(area=None, voters=by_area[None]))
    return out


# --- Donations and support ---------------------------------------------------------------------


def receivers(*, user: Any) -> QuerySet[Organisation]:
    """Fatherland Front bodies in the user's area (the receiving bodies)."""
    return (
        scope_for(user)
        .organisations(Organisation.objects.filter(kind=OrganisationKind.FATHERLAND_FRONT, is_active=True))
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def donation_queryset(*, user: Any, receiver: Organisation | None = None, kind: str = "") -> QuerySet[Donation]:
    qs = scope_for(user).filter(Donation.objects.all(), unit_field="receiver__unit", org_field="receiver")
    if receiver is not None:
        qs = qs.filter(receiver=receiver)
    if kind in GiftKind.values:
        qs = qs.filter(kind=kind)
    return qs.select_related("receiver", "receiver__unit").order_by("-id")


def _keyset(qs: QuerySet[Any], model: Any, after: str | None, limit: int) -> tuple[list[Any], str]:
    if after:
        try:
            pk = model.objects.filter(uid=uuid.UUID(after)).values_list("pk", flat=True).first()
        except ValueError:
            pk = None
        if pk is None:
            raise Http404
        qs = qs.filter(pk__lt=pk)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].uid) if more and rows else "")


def donation_page(
    *, user: Any, receiver: Organisation | None = None, kind: str = "", after: str | None = None, limit: int = 50
) -> tuple[list[Donation], str]:
    """One keyset page (newest first) and the uid to continue after ('' on the last page)."""
    return _keyset(donation_queryset(user=user, receiver=receiver, kind=kind), Donation, after, limit)


def donation_get(*, user: Any, uid: str | uuid.UUID) -> Donation:
    try:
        return donation_queryset(user=user).get(uid=uid)
    except (Donation.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def goods_donations(*, giver: Organisation) -> list[tuple[Donation, Decimal]]:
    """The giver's goods donations that still have something left, with what is left."""
    rows = Donation.objects.filter(receiver=giver, kind=GiftKind.GOODS).annotate(given=Sum("support__quantity"))
    out: list[tuple[Donation, Decimal]] = []
    for d in rows.order_by("received_on", "id"):
        left = Decimal(d.quantity) - Decimal(d.given or 0)
        if left > 0:
            out.append((d, left))
    return out


def support_queryset(*, user: Any, giver: Organisation | None = None) -> QuerySet[Support]:
    qs = scope_for(user).filter(Support.objects.all(), unit_field="giver__unit", org_field="giver")
    if giver is not None:
        qs = qs.filter(giver=giver)
    return qs.select_related("giver", "unit", "donation").order_by("-id")


def support_page(
    *, user: Any, giver: Organisation | None = None, after: str | None = None, limit: int = 50
) -> tuple[list[Support], str]:
    return _keyset(support_queryset(user=user, giver=giver), Support, after, limit)


@dataclass(frozen=True)
class FundBalance:
    """A receiving body's books in đồng: money received = given out + on hand."""

    receiver: Organisation
    received: int
    given: int
    goods_value: int
    donations: int

    @property
    def on_hand(self) -> int:
        return self.received - self.given


def fund_balances(*, user: Any) -> list[FundBalance]:
    """Per receiving body in the user's area: money received, given out, on hand, goods' estimated value."""
    bodies = list(receivers(user=user))
    ids = [b.pk for b in bodies]
    received = dict(
        Donation.objects.filter(receiver_id__in=ids, kind=GiftKind.MONEY)
        .values("receiver")
        .annotate(s=Sum("amount"))
        .values_list("receiver", "s")
    )
    goods = dict(
        Donation.objects.filter(receiver_id__in=ids, kind=GiftKind.GOODS)
        .values("receiver")
        .annotate(s=Sum("estimated_value"))
        .values_list("receiver", "s")
    )
    counts: dict[int, int] = {}
    for rid in Donation.objects.filter(receiver_id__in=ids).values_list("receiver", flat=True):
        counts[rid] = counts.get(rid, 0) + 1
    given = dict(
        Support.objects.filter(giver_id__in=ids, kind=GiftKind.MONEY)
        .values("giver")
        .annotate(s=Sum("amount"))
        .values_list("giver", "s")
    )
    return [
        FundBalance(
            receiver=b,
            received=int(received.get(b.pk) or 0),
            given=int(given.get(b.pk) or 0),
            goods_value=int(goods.get(b.pk) or 0),
            donations=counts.get(b.pk, 0),
        )
        for b in bodies
    ]


# --- Budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    budget: Budget
    allocated: int
    spent: int

    @property
    def remaining(self) -> int:
        return self.allocated - self.spent


def budget_rows(*, user: Any, year: int | None = None) -> list[BudgetRow]:
    """Budgets of the units in the user's area (of ``year`` when given): allocated, spent, remaining."""
    qs = scope_for(user).filter(Budget.objects.select_related("unit"), unit_field="unit")
    if year is not None:
        qs = qs.filter(year=year)
    budgets = list(qs.order_by("-year", "unit__path"))
    ids = [b.pk for b in budgets]
    allocated = dict(
        BudgetAllocation.objects.filter(budget_id__in=ids)
        .values("budget")
        .annotate(s=Sum("amount"))
        .values_list("budget", "s")
    )
    spent = dict(
        BudgetSpending.objects.filter(budget_id__in=ids)
        .values("budget")
        .annotate(s=Sum("amount"))
        .values_list("budget", "s")
    )
    return [BudgetRow(b, int(allocated.get(b.pk) or 0), int(spent.get(b.pk) or 0)) for b in budgets]


def budget_get(*, user: Any, uid: str | uuid.UUID) -> BudgetRow:
    try:
        budget = scope_for(user).filter(Budget.objects.select_related("unit"), unit_field="unit").get(uid=uid)
    except (Budget.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    from .services import budget_totals

    allocated, spent = budget_totals(budget)
    return BudgetRow(budget, allocated, spent)

"""Reads of the case registry, always through the user's scope (C1, C2, C5, D4).

A case is visible when the unit it is counted in (``residence_unit``) lies in the user's scope:
the one mechanism, ``Scope.filter``. Lists are keyset pages, newest first, without counts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for

from .growth import WINDOW_DAYS, Outlook, outlook
from .models import CONFIRMED_STATUSES, Case, CaseStatus, CaseStatusChange, Cluster, ClusterStatus, DetectedIn

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# C2: a unit is "green" after this many consecutive days without a new community case
# (settings.CASES_GREEN_AFTER_DAYS overrides it). 14 days is one incubation period, the
# criterion the 2021 guidance used for a commune to leave the risk levels.
GREEN_AFTER_DAYS = 14


def green_after_days() -> int:
    return int(getattr(settings, "CASES_GREEN_AFTER_DAYS", GREEN_AFTER_DAYS))


def visible_cases(user: Any) -> QuerySet[Case]:
    qs: QuerySet[Case] = scope_for(user).filter(Case.objects.all(), unit_field="residence_unit", org_field=None)
    return qs


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    statuses: tuple[str, ...] = ()
    detected_in: str = ""
    reported_by: str = ""
    unit: Unit | None = None
    date_from: date | None = None
    date_to: date | None = None


def case_queryset(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The user's cases, filtered: status, where detected, who reported, unit subtree, registration dates."""
    f = filters or CaseFilters()
    qs = visible_cases(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.detected_in:
        qs = qs.filter(detected_in=f.detected_in)
    if f.reported_by:
        qs = qs.filter(reported_by=f.reported_by)
    if f.unit is not None:
        qs = qs.filter(residence_unit__in=Unit.objects.subtree(f.unit).values("pk"))
    if f.date_from is not None:
        qs = qs.filter(created_at__gte=timezone.make_aware(datetime.combine(f.date_from, datetime.min.time())))
    if f.date_to is not None:
        end = datetime.combine(f.date_to + timedelta(days=1), datetime.min.time())
        qs = qs.filter(created_at__lt=timezone.make_aware(end))
    return qs.select_related("person", "residence_unit", "facility")


@dataclass(frozen=True)
class CasePage:
    items: list[Case]
    next_after: str | None


def case_list(
    *, user: Any, filters: CaseFilters | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> CasePage:
    """One keyset page of cases, newest first; ``after`` is the uid of the last case of the page before."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = case_queryset(user=user, filters=filters)
    if after:
        try:
            pk = Case.objects.filter(uid=uuid.UUID(str(after))).values_list("pk", flat=True).first()
        except ValueError:
            pk = None
        if pk is not None:
            qs = qs.filter(pk__lt=pk)
    rows = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return CasePage(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def suspected_list(*, user: Any, reported_by: str = "", after: str | None = None) -> CasePage:
    """Suspected and probable cases, the list police and health share (C5)."""
    filters = CaseFilters(statuses=(CaseStatus.SUSPECTED, CaseStatus.PROBABLE), reported_by=reported_by)
    return case_list(user=user, filters=filters, after=after)


def _get(user: Any, uid: str | uuid.UUID) -> Case:
    try:
        key = uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc
    case = (
        visible_cases(user)
        .select_related("person", "person__residence_unit", "residence_unit", "facility", "cluster")
        .filter(uid=key)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_get(*, user: Any, uid: str | uuid.UUID) -> Case:
    """One case in scope, or 404; an audited read."""
    case = _get(user, uid)
    audit(actor=user, action=AuditAction.READ, obj=case, summary=f"{case.case_code}: {case.person.full_name}")
    return case


def case_get_for_write(*, user: Any, uid: str | uuid.UUID) -> Case:
    """One case in scope for a transition, or 404 (the write itself is audited)."""
    return _get(user, uid)


def case_history(*, case: Case) -> list[CaseStatusChange]:
    return list(case.changes.select_related("actor").order_by("at", "id"))


# --- counts per period and unit (C1) ---------------------------------------------------------


@dataclass(frozen=True)
class UnitCount:
    unit: Unit
    count: int
    district: Unit | None = None


@dataclass(frozen=True)
class CaseCounts:
    start: datetime
    end: datetime
    area: Unit | None
    total: int
    districts: list[UnitCount]  # in the order of each district's first case in the period
    communes: list[UnitCount]


def _confirmed_in(user: Any, start: datetime, end: datetime, unit: Unit | None) -> QuerySet[Case]:
    qs = visible_cases(user).filter(status__in=CONFIRMED_STATUSES, confirmed_at__gte=start, confirmed_at__lte=end)
    if unit is not None:
        qs = qs.filter(residence_unit__in=Unit.objects.subtree(unit).values("pk"))
    return qs


def case_counts(*, user: Any, start: datetime, end: datetime, unit: Unit | None = None) -> CaseCounts:
    """Confirmed cases by confirmation moment in ``[start, end]``, per district and per commune."""
    rows = list(
        _confirmed_in(user, start, end, unit)
        .order_by("confirmed_at", "id")
        .values_list("residence_unit__tree", "residence_unit__path")
    )
    district_counts: Counter[tuple[str, str]] = Counter()
    commune_counts: Counter[tuple[str, str]] = Counter()
    order: dict[tuple[str, str], int] = {}
    for tree, path in rows:
        codes = path.strip("/").split("/")
        if len(codes) >= 2:
            key = (tree, codes[1])
            district_counts[key] += 1
            order.setdefault(key, len(order))
        if len(codes) >= 3:
            commune_counts[(tree, codes[2])] += 1
    wanted = set(district_counts) | set(commune_counts)
    units: dict[tuple[str, str], Unit] = {}
    if wanted:
        q = Q(pk__in=[])
        for tree, code in wanted:
            q |= Q(tree=tree, code=code)
        units = {(u.tree, u.code): u for u in Unit.objects.filter(q)}
    districts = [
        UnitCount(unit=units[key], count=district_counts[key]) for key in sorted(district_counts, key=order.__getitem__)
    ]
    communes = sorted(
        (
            UnitCount(unit=units[key], count=n, district=units.get((key[0], units[key].path.strip("/").split("/")[1])))
            for key, n in commune_counts.items()
        ),
        key=lambda c: (c.unit.path,),
    )
    area = unit
    if area is None and districts:
        area = districts[0].unit.parent
    return CaseCounts(start=start, end=end, area=area, total=len(rows), districts=districts, communes=communes)


def unit_phrase(unit: Unit) -> str:
    """``Huyện Võ Nhai`` → ``huyện Võ Nhai``: the kind of unit in lower case, as in running text."""
    kind = unit.get_unit_type_display()
    if unit.name.startswith(kind):
        return kind.lower() + unit.name[len(kind) :]
    return unit.name


def _moment_text(moment: datetime, *, with_year: bool) -> str:
    local = timezone.localtime(moment)
    day = local.strftime("%d/%m/%Y" if with_year else "%d/%m")
    if (local.hour, local.minute) in ((0, 0), (23, 59)):  # a whole day
        return _("ngày %(day)s") % {"day": day}
    return _("%(hour)sh%(minute)s ngày %(day)s") % {
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
        "day": day,
    }


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(list)s và %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def counts_sentence(counts: CaseCounts) -> str:
    """The report's sentence, as in seed 001.

    "Tính từ ngày 01/11 đến 15h00 ngày 06/11/2021, tỉnh Thái Nguyên đã ghi nhận 28 trường hợp dương
    tính với SARS-CoV-2 tại huyện Võ Nhai, thị xã Phổ Yên, thành phố Sông Công và thành phố Thái Nguyên."
    """
    start_local, end_local = timezone.localtime(counts.start), timezone.localtime(counts.end)
    start = _moment_text(counts.start, with_year=start_local.year != end_local.year)
    end = _moment_text(counts.end, with_year=True)
    area = unit_phrase(counts.area) if counts.area is not None else _("toàn địa bàn")
    if not counts.total:
        return _("Tính từ %(start)s đến %(end)s, %(area)s không ghi nhận trường hợp dương tính với SARS-CoV-2.") % {
            "start": start,
            "end": end,
            "area": area,
        }
    places = counts.districts if counts.area is None or counts.area.level < Level.DISTRICT else counts.communes
    return _(
        "Tính từ %(start)s đến %(end)s, %(area)s đã ghi nhận %(count)s trường hợp dương tính với SARS-CoV-2 "
        "tại %(places)s."
    ) % {
        "start": start,
        "end": end,
        "area": area,
        "count": counts.total,
        "places": _join([unit_phrase(p.unit) for p in places]),
    }


# --- days since the last community case (C2) ----------------------------------------------


def last_community_case_date(*, unit: Unit, today: date) -> date | None:
    """The confirmation date of the latest confirmed community case counted in ``unit``'s subtree, up to ``today``."""
    value: date | None = Case.objects.filter(
        residence_unit__in=Unit.objects.subtree(unit).values("pk"),
        detected_in=DetectedIn.COMMUNITY,
        status__in=CONFIRMED_STATUSES,
        confirmation_date__lte=today,
    ).aggregate(last=Max("confirmation_date"))["last"]
    return value


def days_since_last_community_case(*, unit: Unit, today: date) -> int | None:
    """Whole days from the last community case to ``today``; ``None`` when the unit never had one.

    Cases found in quarantine, at entry or in a health facility do not count (C2).
    """
    last = last_community_case_date(unit=unit, today=today)
    return None if last is None else (today - last).days


@dataclass(frozen=True)
class CommunityStatus:
    unit: Unit
    last_case: date | None
    days: int | None
    green: bool


def community_status(*, user: Any, today: date, parent: Unit | None = None) -> list[CommunityStatus]:
    """Days since the last community case for each district in scope (or each child of ``parent``)."""
    scope = scope_for(user)
    if parent is not None:
        units = scope.units(Unit.objects.filter(parent=parent))
    else:
        units = scope.units(Unit.objects.current_tree().filter(level=Level.DISTRICT))
    threshold = green_after_days()
    result = []
    for unit in units.order_by("code"):
        last = last_community_case_date(unit=unit, today=today)
        days = None if last is None else (today - last).days
        result.append(CommunityStatus(unit=unit, last_case=last, days=days, green=days is None or days >= threshold))
    return result


# --- the epidemic curve ---------------------------------------------------------------------


def epidemic_curve(
    *, user: Any, start: date | None = None, end: date | None = None, unit: Unit | None = None
) -> list[tuple[date, int]]:
    """Confirmed cases per day of onset (sampling, else confirmation, for cases without symptoms), zeros filled."""
    qs = visible_cases(user).filter(status__in=CONFIRMED_STATUSES)
    if unit is not None:
        qs = qs.filter(residence_unit__in=Unit.objects.subtree(unit).values("pk"))
    qs = qs.annotate(day=Coalesce("onset_date", "sampling_date", "confirmation_date")).filter(day__isnull=False)
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    per_day: dict[date, int] = dict(qs.order_by().values("day").annotate(n=Count("id")).values_list("day", "n"))
    first = start or (min(per_day) if per_day else None)
    last = end or (max(per_day) if per_day else None)
    if first is None or last is None or last < first:
        return []
    return [
        (first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0)) for i in range((last - first).days + 1)
    ]


# --- Outbreak clusters (C3) ------------------------------------------------------------------


def visible_clusters(user: Any) -> QuerySet[Cluster]:
    """Clusters whose unit is in the user's scope, or at an organisation the user heads."""
    qs: QuerySet[Cluster] = scope_for(user).filter(Cluster.objects.all(), unit_field="unit", org_field="organisation")
    return qs


@dataclass(frozen=True)
class ClusterFilters:
    status: str = ""
    unit: Unit | None = None
    q: str = ""


def cluster_queryset(*, user: Any, filters: ClusterFilters | None = None) -> QuerySet[Cluster]:
    f = filters or ClusterFilters()
    qs = visible_clusters(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit is not None:
        qs = qs.filter(unit__in=Unit.objects.subtree(f.unit).values("pk"))
    if f.q.strip():
        qs = qs.filter(name__icontains=f.q.strip()[:120])
    return qs.select_related("unit", "organisation", "premises", "place_unit").annotate(
        confirmed_count=Count("cases", filter=Q(cases__status__in=CONFIRMED_STATUSES)),
        last_confirmation=Max("cases__confirmation_date", filter=Q(cases__status__in=CONFIRMED_STATUSES)),
    )


@dataclass(frozen=True)
class ClusterPage:
    items: list[Cluster]
    next_after: str | None


def cluster_list(
    *, user: Any, filters: ClusterFilters | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> ClusterPage:
    """One keyset page of clusters, newest first; the counts are per row of the page, not of the table."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = cluster_queryset(user=user, filters=filters)
    if after:
        try:
            pk = Cluster.objects.filter(uid=uuid.UUID(str(after))).values_list("pk", flat=True).first()
        except ValueError:
            pk = None
        if pk is not None:
            qs = qs.filter(pk__lt=pk)
    rows = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return ClusterPage(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def _cluster(user: Any, uid: str | uuid.UUID) -> Cluster:
    try:
        key = uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc
    cluster = cluster_queryset(user=user).filter(uid=key).first()
    if cluster is None:
        raise Http404
    return cluster


def cluster_get(*, user: Any, uid: str | uuid.UUID) -> Cluster:
    """One cluster in scope, or 404; an audited read (its page lists the people who are its cases)."""
    cluster = _cluster(user, uid)
    audit(actor=user, action=AuditAction.READ, obj=cluster, summary=cluster.name)
    return cluster


def cluster_get_for_write(*, user: Any, uid: str | uuid.UUID) -> Cluster:
    """One cluster in scope for an edit, or 404 (the write itself is audited)."""
    return _cluster(user, uid)


def active_clusters(*, user: Any) -> QuerySet[Cluster]:
    """Active clusters in scope, for the picker on a case's page."""
    return visible_clusters(user).filter(status=ClusterStatus.ACTIVE).select_related("unit").order_by("-start_date")


@dataclass(frozen=True)
class ClusterCases:
    items: list[Case]
    hidden: int  # the cluster's cases counted elsewhere, outside the user's scope (counted, not shown)


def cluster_cases(*, user: Any, cluster: Cluster) -> ClusterCases:
    """The cluster's cases the user may see, in order of confirmation; the others are only counted."""
    visible = list(
        visible_cases(user)
        .filter(cluster=cluster)
        .select_related("person", "residence_unit")
        .order_by(Coalesce("confirmation_date", "sampling_date", "onset_date").asc(nulls_last=True), "pk")
    )
    total = Case.objects.filter(cluster=cluster).count()
    return ClusterCases(items=visible, hidden=total - len(visible))


def cluster_daily_counts(*, cluster: Cluster) -> dict[date, int]:
    """The cluster's confirmed cases per day of confirmation (all of them: a count names nobody).

    Growth is read from confirmation days: they are known for every confirmed case at once, while
    onsets of the latest cases are not known yet and would make the last days look falling."""
    rows = (
        Case.objects.filter(cluster=cluster, status__in=CONFIRMED_STATUSES, confirmation_date__isnull=False)
        .order_by()
        .values("confirmation_date")
        .annotate(n=Count("id"))
        .values_list("confirmation_date", "n")
    )
    return {day: n for day, n in rows if day is not None}


def cluster_default_as_of(*, cluster: Cluster, daily: dict[date, int], today: date | None = None) -> date:
    """The day growth is computed as of: today for an active cluster (the day it closed for a closed
    one), unless its last case is older than the fitting window — then the day of its last case."""
    today = today or timezone.localdate()
    as_of = min(today, cluster.closed_on) if cluster.closed_on else today
    last = max((d for d, n in daily.items() if n > 0 and d <= as_of), default=None)
    if last is not None and (as_of - last).days >= WINDOW_DAYS:
        return last
    return as_of


def cluster_outlook(*, cluster: Cluster, as_of: date | None = None) -> Outlook:
    """Daily counts, week-on-week growth, doubling time and the 7-day projection of the cluster."""
    daily = cluster_daily_counts(cluster=cluster)
    return outlook(daily, as_of or cluster_default_as_of(cluster=cluster, daily=daily))


def cases_by_codes(*, user: Any, codes: list[str], cluster: Cluster | None = None) -> dict[str, Case]:
    """The user's cases with these codes (upper-cased), optionally only those in ``cluster``."""
    wanted = [c.strip().upper() for c in codes if c.strip()][:1000]
    qs = visible_cases(user).filter(case_code__in=wanted)
    if cluster is not None:
        qs = qs.filter(cluster=cluster)
    return {c.case_code: c for c in qs}

"""Reads for vaccination (V1, V2): coverage aggregates, dose counts, scoped lists, priority counts.

Coverage is counted by residence: a hamlet resident counts under the hamlet's commune. Two aggregate
queries do the work whatever the population (people by commune and age band; doses joined to their
people, counted with DISTINCT by commune and age band) — no loop per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.http import Http404

from phongdich.core.audit import audit
from phongdich.core.ids import uuid_or_404
from phongdich.core.models import AuditAction
from phongdich.core.pagination import Page
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .models import (
    ADULT_AGE,
    ELDERLY_AGE,
    AdverseEvent,
    Dose,
    DoseKind,
    EligibilityRule,
    PriorityAssignment,
    PriorityGroup,
    PriorityList,
    VaccineLot,
)
from .rules import Eligibility, check_eligibility

# --- Coverage -------------------------------------------------------------------------------------


@dataclass
class Coverage:
    """Additive counts of one unit (or one unit and age band) on a day."""

    population: int = 0
    adults: int = 0
    adults_one_dose: int = 0
    adults_full: int = 0
    elderly: int = 0
    elderly_full: int = 0
    one_dose: int = 0
    full: int = 0
    booster: int = 0

    def add(self, other: Coverage) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @staticmethod
    def pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def adults_one_dose_pct(self) -> float | None:
        return self.pct(self.adults_one_dose, self.adults)

    @property
    def adults_full_pct(self) -> float | None:
        return self.pct(self.adults_full, self.adults)

    @property
    def elderly_full_pct(self) -> float | None:
        return self.pct(self.elderly_full, self.elderly)

    @property
    def one_dose_pct(self) -> float | None:
        return self.pct(self.one_dose, self.population)

    @property
    def full_pct(self) -> float | None:
        return self.pct(self.full, self.population)

    @property
    def booster_pct(self) -> float | None:
        return self.pct(self.booster, self.population)


# Age bands of the coverage tables: (key, lowest age); each band runs to the next one's lowest age.
AGE_BANDS: tuple[tuple[str, int], ...] = (("<18", 0), ("18-49", 18), ("50-64", 50), ("65+", 65))


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def aged_at_least(age: int, on: date, prefix: str = "") -> Q:
    """People aged ≥ ``age`` on ``on``: exact with a birth date, by the year reached otherwise
    (the same as ``rules.age_on``)."""
    return Q(**{f"{prefix}birth_date__isnull": False, f"{prefix}birth_date__lte": _years_before(on, age)}) | Q(
        **{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__lte": on.year - age}
    )


def _born_by(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}birth_date__isnull": False, f"{prefix}birth_date__lte": on}) | Q(
        **{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__lte": on.year}
    )


def _commune_expr(prefix: str = "") -> Case:
    return Case(
        When(**{f"{prefix}residence_unit__level": Level.HAMLET}, then=F(f"{prefix}residence_unit__parent_id")),
        default=F(f"{prefix}residence_unit_id"),
    )


def _band_expr(on: date, prefix: str = "") -> Case:
    whens = [When(aged_at_least(low, on, prefix), then=Value(key)) for key, low in reversed(AGE_BANDS) if low > 0]
    return Case(*whens, default=Value(AGE_BANDS[0][0]), output_field=CharField())


def coverage_rows(
    *,
    on: date,
    commune_ids: Iterable[int] | None = None,
    under: Unit | None = None,
    elderly_age: int = ELDERLY_AGE,
    by_band: bool = False,
    by_residence: bool = False,
) -> dict[tuple[int, str], Coverage]:
    """Coverage keyed by (commune id, age band) — the band is "" unless ``by_band``; with ``by_residence``
    keyed by the residence unit itself (a commune's hamlets apart)."""
    people = Person.objects.active().filter(_born_by(on), residence_unit__level__gte=Level.COMMUNE)
    doses = Dose.objects.filter(
        given_on__lte=on, person__merged_into__isnull=True, person__residence_unit__level__gte=Level.COMMUNE
    )
    if under is not None:
        people = people.filter(residence_unit__tree=under.tree, residence_unit__path__startswith=under.path)
        doses = doses.filter(
            person__residence_unit__tree=under.tree, person__residence_unit__path__startswith=under.path
        )
    if by_residence:
        people_q = people.annotate(commune=F("residence_unit_id"))
        doses_q = doses.annotate(commune=F("person__residence_unit_id"))
    else:
        people_q = people.annotate(commune=_commune_expr())
        doses_q = doses.annotate(commune=_commune_expr("person__"))
    if commune_ids is not None:
        ids = list(commune_ids)
        people_q = people_q.filter(commune__in=ids)
        doses_q = doses_q.filter(commune__in=ids)
    keys = ["commune"]
    if by_band:
        people_q = people_q.annotate(band=_band_expr(on))
        doses_q = doses_q.annotate(band=_band_expr(on, "person__"))
        keys.append("band")
    adult, elderly = aged_at_least(ADULT_AGE, on), aged_at_least(elderly_age, on)
    p_adult, p_elderly = aged_at_least(ADULT_AGE, on, "person__"), aged_at_least(elderly_age, on, "person__")
    full_q, booster_q = Q(completes_series=True), Q(kind=DoseKind.BOOSTER)
    result: dict[tuple[int, str], Coverage] = defaultdict(Coverage)
    for row in (
        people_q.values(*keys)
        .annotate(n=Count("pk"), n_adults=Count("pk", filter=adult), n_elderly=Count("pk", filter=elderly))
        .order_by()
    ):
        c = result[(row["commune"], row.get("band", ""))]
        c.population, c.adults, c.elderly = row["n"], row["n_adults"], row["n_elderly"]
    # Doses are numbered without gaps and only the last one can be removed, so a person with any dose has
    # exactly one dose 1, and a fully vaccinated person exactly one dose that completes the series: both
    # are plain counts. Only boosters (a third, a fourth dose …) need DISTINCT, over their few rows.
    one_q = Q(dose_number=1)
    for row in (
        doses_q.values(*keys)
        .annotate(
            one=Count("pk", filter=one_q),
            full=Count("pk", filter=full_q),
            booster=Count("person", distinct=True, filter=booster_q),
            a_one=Count("pk", filter=p_adult & one_q),
            a_full=Count("pk", filter=p_adult & full_q),
            e_full=Count("pk", filter=p_elderly & full_q),
        )
        .order_by()
    ):
        c = result[(row["commune"], row.get("band", ""))]
        c.one_dose, c.full, c.booster = row["one"], row["full"], row["booster"]
        c.adults_one_dose, c.adults_full, c.elderly_full = row["a_one"], row["a_full"], row["e_full"]
    return dict(result)


def coverage_by_commune(
    *, on: date, commune_ids: Iterable[int] | None = None, elderly_age: int = ELDERLY_AGE
) -> dict[int, Coverage]:
    """Coverage per commune (Unit id) on ``on``, by residence; doses given on or before ``on``."""
    return {
        commune: c
        for (commune, _band), c in coverage_rows(on=on, commune_ids=commune_ids, elderly_age=elderly_age).items()
    }


def dose_counts(person_ids: Iterable[int], *, on: date) -> dict[int, int]:
    """Doses given to each person on or before ``on`` (0 for people without any)."""
    ids = list(person_ids)
    counts = dict.fromkeys(ids, 0)
    rows = Dose.objects.filter(person_id__in=ids, given_on__lte=on).values("person_id").annotate(n=Count("pk"))
    for row in rows.order_by():
        counts[row["person_id"]] = row["n"]
    return counts


@dataclass
class CoverageRow:
    unit: Unit | None
    band: str
    coverage: Coverage


@dataclass
class CoverageReport:
    """The coverage page: the chosen unit, its child rows (districts or communes), its age bands."""

    unit: Unit | None
    on: date
    elderly_age: int
    total: Coverage
    children: list[CoverageRow]
    bands: list[CoverageRow]
    child_level: int | None  # None for a commune: the children are its hamlets (not a drill-down)


def coverage_units(user: Any) -> QuerySet[Unit]:
    """Units the user may look at the coverage of (province, district, commune levels in scope)."""
    return scope_for(user).units(Unit.objects.filter(level__lte=Level.COMMUNE))


def coverage_report(*, user: Any, on: date, unit: Unit | None, elderly_age: int = ELDERLY_AGE) -> CoverageReport:
    scope = scope_for(user)
    if unit is None:
        if scope.everything:
            unit = Unit.objects.current_tree().filter(level=Level.PROVINCE).order_by("path").first()
        else:
            unit = coverage_units(user).order_by("level", "path").first()
        if unit is None:
            raise Http404
    if not scope.contains_unit(unit) or unit.level > Level.COMMUNE:
        raise Http404
    rows = coverage_rows(on=on, under=unit, elderly_age=elderly_age, by_band=True)
    communes = {u.pk: u for u in Unit.objects.filter(pk__in={k[0] for k in rows}).select_related("parent")}
    child_level = unit.level + 1 if unit.level < Level.COMMUNE else None
    total = Coverage()
    by_child: dict[int, Coverage] = defaultdict(Coverage)
    by_band: dict[str, Coverage] = defaultdict(Coverage)
    for (commune_id, band), c in rows.items():
        total.add(c)
        by_band[band].add(c)
        commune = communes.get(commune_id)
        if child_level is None or commune is None:
            continue
        child = commune if child_level == Level.COMMUNE else commune.parent
        if child is not None:
            by_child[child.pk].add(c)
    children: list[CoverageRow] = []
    if child_level is not None:
        for child in Unit.objects.filter(parent=unit, level=child_level).order_by("path"):
            children.append(CoverageRow(child, "", by_child.get(child.pk, Coverage())))
    else:
        # A commune: its hamlets, then the residents recorded at the commune itself (no hamlet).
        by_unit = {
            k[0]: c for k, c in coverage_rows(on=on, under=unit, elderly_age=elderly_age, by_residence=True).items()
        }
        for hamlet in Unit.objects.filter(parent=unit, level=Level.HAMLET).order_by("path"):
            children.append(CoverageRow(hamlet, "", by_unit.get(hamlet.pk, Coverage())))
        if children and unit.pk in by_unit:
            children.append(CoverageRow(None, "", by_unit[unit.pk]))
    bands = [CoverageRow(None, key, by_band.get(key, Coverage())) for key, _low in AGE_BANDS]
    return CoverageReport(unit, on, elderly_age, total, children, bands, child_level)


# --- Eligibility ----------------------------------------------------------------------------------


def eligibility(person: Person, on: date) -> Eligibility:
    return check_eligibility(
        birth_date=person.birth_date, birth_year=person.birth_year, on=on, rules=list(EligibilityRule.objects.all())
    )


# --- Scoped lists ---------------------------------------------------------------------------------

PAGE_SIZE = 50


def visible_doses(user: Any) -> QuerySet[Dose]:
    qs: QuerySet[Dose] = scope_for(user).filter(
        Dose.objects.all(), unit_field="person__residence_unit", org_field="person__organisation"
    )
    return qs


@dataclass(frozen=True)
class DoseFilters:
    product: str = ""
    dose_number: int | None = None
    person: str = ""
    site: str = ""
    date_from: date | None = None
    date_to: date | None = None
    unit: Unit | None = None  # residence within this unit's subtree


def dose_list(*, user: Any, filters: DoseFilters | None = None) -> QuerySet[Dose]:
    f = filters or DoseFilters()
    qs = visible_doses(user)
    if f.product:
        qs = qs.filter(product__code=f.product)
    if f.dose_number:
        qs = qs.filter(dose_number=f.dose_number)
    if f.person:
        qs = qs.filter(person__uid=uuid_or_404(f.person))
    if f.site:
        qs = qs.filter(site__uid=uuid_or_404(f.site))
    if f.date_from:
        qs = qs.filter(given_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(given_on__lte=f.date_to)
    if f.unit is not None:
        qs = qs.filter(person__residence_unit__in=Unit.objects.subtree(f.unit).values("pk"))
    return qs.select_related("person", "person__residence_unit", "product", "lot", "site").order_by("-given_on", "-id")


def dose_page(*, user: Any, filters: DoseFilters | None = None, after: str = "", size: int = PAGE_SIZE) -> Page:
    qs = dose_list(user=user, filters=filters)
    if after:
        last = Dose.objects.filter(uid=uuid_or_404(after)).values("given_on", "id").first()
        if last is not None:
            qs = qs.filter(Q(given_on__lt=last["given_on"]) | Q(given_on=last["given_on"], id__lt=last["id"]))
    items = list(qs[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, str(items[-1].uid) if more and items else None)


def dose_get(*, user: Any, uid: Any, audited: bool = True) -> Dose:
    """One dose in scope, or 404; an audited call records a read of the person's record."""
    dose = visible_doses(user).select_related("person", "product", "lot", "site").filter(uid=uuid_or_404(uid)).first()
    if dose is None:
        raise Http404
    if audited:
        audit(
            actor=user,
            action=AuditAction.READ,
            obj=dose,
            summary=f"{dose.person.full_name}: {dose.product.name} — {dose.dose_number}"[:255],
            detail={"person": str(dose.person.uid)},
        )
    return dose


def person_doses(*, person: Person) -> list[Dose]:
    return list(Dose.objects.filter(person=person).select_related("product", "lot", "site").order_by("dose_number"))


def visible_events(user: Any) -> QuerySet[AdverseEvent]:
    qs: QuerySet[AdverseEvent] = scope_for(user).filter(
        AdverseEvent.objects.all(), unit_field="dose__person__residence_unit", org_field="dose__person__organisation"
    )
    return qs


@dataclass(frozen=True)
class EventFilters:
    severity: str = ""
    outcome: str = ""
    causality: str = ""
    unreviewed: bool = False


def event_list(*, user: Any, filters: EventFilters | None = None) -> QuerySet[AdverseEvent]:
    f = filters or EventFilters()
    qs = visible_events(user)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.causality:
        qs = qs.filter(causality=f.causality)
    if f.unreviewed:
        qs = qs.filter(causality="")
    return qs.select_related("dose", "dose__person", "dose__product", "dose__lot").order_by("-onset_at", "-id")


def event_page(*, user: Any, filters: EventFilters | None = None, after: str = "", size: int = PAGE_SIZE) -> Page:
    qs = event_list(user=user, filters=filters)
    if after:
        last = AdverseEvent.objects.filter(uid=uuid_or_404(after)).values("onset_at", "id").first()
        if last is not None:
            qs = qs.filter(Q(onset_at__lt=last["onset_at"]) | Q(onset_at=last["onset_at"], id__lt=last["id"]))
    items = list(qs[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, str(items[-1].uid) if more and items else None)


def event_get(*, user: Any, uid: Any, audited: bool = True) -> AdverseEvent:
    """One adverse event in scope, or 404; an audited call records a read of the person's record."""
    event = (
        visible_events(user)
        .select_related("dose", "dose__person", "dose__product", "dose__lot", "dose__site")
        .filter(uid=uuid_or_404(uid))
        .first()
    )
    if event is None:
        raise Http404
    if audited:
        audit(
            actor=user,
            action=AuditAction.READ,
            obj=event,
            summary=f"{event.dose.person.full_name}: {event.get_severity_display()}"[:255],
            detail={"person": str(event.dose.person.uid)},
        )
    return event


# --- Priority groups ------------------------------------------------------------------------------


def priority_list_for(on: date) -> PriorityList | None:
    """The list in force on ``on`` (the latest that started)."""
    return (
        PriorityList.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )


@dataclass
class GroupCount:
    group: PriorityGroup
    people: int
    vaccinated: int
    full: int


def priority_counts(*, user: Any, priority_list: PriorityList) -> list[GroupCount]:
    """People assigned to each group of the list (in the user's scope), with ≥ 1 dose and full series."""
    people = Person.objects.for_user(user).values("pk")
    base = PriorityAssignment.objects.filter(priority_list=priority_list, person__in=people)
    rows = {
        r["group_id"]: r
        for r in base.values("group_id")
        .annotate(
            n=Count("person", distinct=True),
            vaccinated=Count("person", distinct=True, filter=Q(person__doses__isnull=False)),
            full=Count("person", distinct=True, filter=Q(person__doses__completes_series=True)),
        )
        .order_by()
    }
    result = []
    for group in priority_list.groups.select_related("parent").order_by("order"):
        r: Any = rows.get(group.pk, {})
        result.append(GroupCount(group, r.get("n", 0), r.get("vaccinated", 0), r.get("full", 0)))
    return result


def usable_lots(product_id: int | None = None) -> QuerySet[VaccineLot]:
    qs = VaccineLot.objects.select_related("product")
    if product_id:
        qs = qs.filter(product_id=product_id)
    return qs.order_by("product__name", "-expiry_date")

"""Writes of the levels app: capacity reports, the weekly assessment of every unit, published decisions.

The weekly assessment reads the week's counts with a handful of grouped queries (cases by residence, deaths,
capacity reports, vaccination coverage by commune), adds them up the tree by the units' materialised paths —
so a district and a province are assessed from their own totals, never as a majority of their communes —
and runs the pure ``rules.assess`` for each unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.cases.models import CONFIRMED_STATUSES, Case, CaseStatus, CaseStatusChange, DetectedIn
from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Role
from phongdich.orgs.scope import scope_for

from .models import Assessment, CapacityReport, LevelDecision, RuleSet
from .rules import Result, Rules, assess, rules_from_model, rules_in_force
from .weeks import week_bounds, week_label

RAISE_NOTICE = timedelta(hours=48)
PUBLISHER_ROLES = frozenset({Role.PROVINCE_ADMIN})
CAPACITY_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.HEALTH})


# --- who may do what ---------------------------------------------------------------------------
def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_publish(user: Any, unit: Unit | None = None) -> bool:
    """Province administrators publish and override levels (of units in their scope)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    return bool(scope.roles & PUBLISHER_ROLES) and (unit is None or scope.contains_unit(unit))


def can_report_capacity(user: Any, unit: Unit | None = None) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    return bool(scope.roles & CAPACITY_ROLES) and (unit is None or scope.contains_unit(unit))


# --- capacity reports --------------------------------------------------------------------------
def capacity_report_save(
    *,
    actor: Any,
    unit: Unit,
    week_start: date,
    beds: int,
    free_beds: int,
    icu_beds: int,
    mobile_stations: int,
    oxygen_adequate: bool,
    oxygen_cases: int,
    note: str = "",
) -> CapacityReport:
    """The unit's treatment capacity for the week (replaces an earlier report of the same week)."""
    if actor is not None and not can_report_capacity(actor, unit):
        raise PermissionDenied(_("Bạn không được báo cáo năng lực điều trị của đơn vị này."))
    if unit.level > Level.COMMUNE:
        raise ValidationFailed(_("Chỉ báo cáo năng lực cho xã, huyện hoặc tỉnh."), field="unit")
    if week_start.weekday() != 0:
        raise ValidationFailed(_("Tuần phải bắt đầu vào thứ Hai."), field="week")
    if week_start > timezone.localdate():
        raise ValidationFailed(_("Không báo cáo cho tuần chưa đến."), field="week")
    for name, value in (
        ("beds", beds),
        ("free_beds", free_beds),
        ("icu_beds", icu_beds),
        ("mobile_stations", mobile_stations),
        ("oxygen_cases", oxygen_cases),
    ):
        if value is None or value < 0:
            raise ValidationFailed(_("Số liệu không được âm."), field=name)
    if free_beds > beds:
        raise ValidationFailed(_("Số giường trống không được lớn hơn tổng số giường."), field="free_beds")
    with transaction.atomic():
        report, created = CapacityReport.objects.update_or_create(
            unit=unit,
            week_start=week_start,
            defaults={
                "beds": beds,
                "free_beds": free_beds,
                "icu_beds": icu_beds,
                "mobile_stations": mobile_stations,
                "oxygen_adequate": oxygen_adequate,
                "oxygen_cases": oxygen_cases,
                "note": note,
                "reported_by": actor if _active(actor) else None,
            },
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=report,
            summary=_("Báo cáo năng lực điều trị %(unit)s tuần %(week)s")
            % {"unit": unit.name, "week": week_label(week_start)},
            detail={"unit": unit.code, "week": week_label(week_start), "beds": beds, "free_beds": free_beds},
        )
    return report


# --- the week's counts -------------------------------------------------------------------------
@dataclass
class UnitRow:
    id: int
    code: str
    name: str
    level: int
    path: str
    population: int | None
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class CapacitySum:
    reports: int = 0
    beds: int = 0
    free_beds: int = 0
    icu_beds: int = 0
    mobile_stations: int = 0
    oxygen_cases: int = 0
    oxygen_adequate: bool = True


def _coverage_by_commune(on: date, commune_ids: list[int] | None, elderly_age: int) -> dict[int, Any]:
    """Vaccination coverage per commune (``vaccination.selectors.coverage_by_commune``, by residence)."""
    from phongdich.vaccination.selectors import coverage_by_commune

    return dict(coverage_by_commune(on=on, commune_ids=commune_ids, elderly_age=elderly_age))


COVERAGE_FIELDS = ("population", "adults", "adults_one_dose", "adults_full", "elderly", "elderly_full", "full")


class WeekData:
    """The week's counts of every unit (levels 1–3) under ``root``, each unit holding its subtree's totals."""

    def __init__(self, *, tree: str, week_start: date, rules: Rules, root: Unit | None = None) -> None:
        self.week_start = week_start
        self.rules = rules
        units = Unit.objects.filter(tree=tree)
        if root is not None:
            units = units.filter(path__startswith=root.path)
        self.units: dict[int, UnitRow] = {}
        self.by_code: dict[str, UnitRow] = {}
        self.path_of: dict[int, str] = {}
        for pk, code, name, level, path, population in units.values_list(
            "id", "code", "name", "level", "path", "population"
        ):
            self.path_of[pk] = path
            if level <= Level.COMMUNE:
                row = UnitRow(pk, code, name, level, path, population)
                self.units[pk] = row
                self.by_code[code] = row
        start, end = week_bounds(week_start)
        scoped = {"residence_unit__tree": tree}
        if root is not None:
            scoped["residence_unit__path__startswith"] = root.path
        confirmed = Case.objects.filter(
            status__in=CONFIRMED_STATUSES, confirmed_at__gte=start, confirmed_at__lt=end, **scoped
        )
        self._add(
            "community_cases",
            confirmed.filter(detected_in=DetectedIn.COMMUNITY).values_list("residence_unit_id").annotate(n=Count("id")),
        )
        self._add("cases", confirmed.values_list("residence_unit_id").annotate(n=Count("id")))
        deaths = CaseStatusChange.objects.filter(
            to_status=CaseStatus.DIED,
            on_date__gte=week_start,
            on_date__lte=week_start + timedelta(days=6),
            **{f"case__{k}": v for k, v in scoped.items()},
        )
        self._add("deaths", deaths.values_list("case__residence_unit_id").annotate(n=Count("case_id", distinct=True)))
        self.capacity: dict[int, CapacitySum] = defaultdict(CapacitySum)
        reports = CapacityReport.objects.filter(week_start=week_start, unit_id__in=list(self.units)).values_list(
            "unit_id", "beds", "free_beds", "icu_beds", "mobile_stations", "oxygen_cases", "oxygen_adequate"
        )
        for unit_id, beds, free, icu, stations, oxygen_cases, adequate in reports:
            for row in self._chain(unit_id):
                c = self.capacity[row.id]
                c.reports += 1
                c.beds += beds
                c.free_beds += free
                c.icu_beds += icu
                c.mobile_stations += stations
                c.oxygen_cases += oxygen_cases
                c.oxygen_adequate = c.oxygen_adequate and adequate
        age_param = "elderly_age" if rules.code == "4800" else "high_risk_age"
        communes = [r.id for r in self.units.values() if r.level == Level.COMMUNE]
        coverage = _coverage_by_commune(
            week_start + timedelta(days=6), communes if root is not None else None, int(rules.value(age_param))
        )
        for commune_id, cov in coverage.items():
            for row in self._chain(commune_id):
                for name in COVERAGE_FIELDS:
                    key = f"cov_{name}"
                    row.counts[key] = row.counts.get(key, 0) + int(getattr(cov, name, 0) or 0)

    def _chain(self, unit_id: int) -> list[UnitRow]:
        """The assessed units (province, district, commune) whose subtree holds ``unit_id``."""
        path = self.path_of.get(unit_id)
        if path is None:
            return []
        return [self.by_code[c] for c in path.strip("/").split("/") if c in self.by_code]

    def _add(self, key: str, rows: Any) -> None:
        for unit_id, n in rows:
            for row in self._chain(unit_id):
                row.counts[key] = row.counts.get(key, 0) + n

    def capacity_for(self, row: UnitRow) -> tuple[UnitRow | None, CapacitySum | None]:
        """The unit's own capacity totals, else its nearest ancestor's (beds are mostly district's and province's)."""
        chain = self._chain(row.id)
        for candidate in reversed(chain):
            c = self.capacity.get(candidate.id)
            if c is not None and c.reports:
                return candidate, c
        return None, None

    def indicators(self, row: UnitRow) -> dict[str, Any] | None:
        """The rule set's indicators for one unit (None without a population)."""
        pop = row.population
        if not pop:
            return None
        per = 100_000 / pop
        counts = row.counts
        ind: dict[str, Any] = {}
        source, cap = self.capacity_for(row)
        if self.rules.code == "4800":
            ind["community_cases_per_100k_week"] = round(counts.get("community_cases", 0) * per, 2)
            if counts.get("cov_adults") and counts.get("cov_elderly"):
                ind["adult_one_dose_pct"] = round(100 * counts["cov_adults_one_dose"] / counts["cov_adults"], 2)
                ind["elderly_full_pct"] = round(100 * counts["cov_elderly_full"] / counts["cov_elderly"], 2)
        else:
            ind["cases_per_100k_week"] = round(counts.get("cases", 0) * per, 2)
            ind["deaths_per_100k_week"] = round(counts.get("deaths", 0) * per, 2)
            own = self.capacity.get(row.id)
            if own is not None and own.reports:
                ind["oxygen_cases_per_100k_week"] = round(own.oxygen_cases * per, 2)
            if counts.get("cov_population") and counts.get("cov_elderly"):
                ind["full_coverage_pct"] = round(100 * counts["cov_full"] / counts["cov_population"], 2)
                ind["high_risk_full_coverage_pct"] = round(100 * counts["cov_elderly_full"] / counts["cov_elderly"], 2)
        if source is not None and cap is not None and source.population:
            cap_per = 100_000 / source.population
            ind["free_beds_per_100k"] = round(cap.free_beds * cap_per, 2)
            ind["icu_beds_per_100k"] = round(cap.icu_beds * cap_per, 2)
            if self.rules.code == "4800":
                ind["mobile_stations"] = cap.mobile_stations
                ind["oxygen_supply_adequate"] = cap.oxygen_adequate
            counts["capacity_source"] = source.code
            counts["capacity_beds"] = cap.beds
            counts["capacity_free_beds"] = cap.free_beds
            counts["capacity_icu_beds"] = cap.icu_beds
        counts["population"] = pop
        return ind


# --- the weekly assessment ---------------------------------------------------------------------
@dataclass
class WeekResult:
    week_start: date
    rule_set: str
    assessed: int = 0
    skipped: int = 0
    published: int = 0
    raised: int = 0
    levels: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})


def rule_set_for(week_start: date, code: str | None) -> RuleSet:
    code = code or rules_in_force(week_start + timedelta(days=6))
    if code is None:
        raise ValidationFailed(
            _("Tuần %(week)s trước khi có bộ quy tắc cấp độ dịch (12/10/2021).") % {"week": week_label(week_start)},
            field="week",
        )
    rs = RuleSet.objects.filter(code=code).first()
    if rs is None:
        raise ValidationFailed(_("Không có bộ quy tắc %(code)s.") % {"code": code}, field="rules")
    return rs


def levels_assess_week(
    *,
    actor: Any,
    week_start: date,
    rules_code: str | None = None,
    root: Unit | None = None,
    publish: bool = True,
    now: datetime | None = None,
) -> WeekResult:
    """Assess every commune, district and province (under ``root``) for the ISO week starting ``week_start``;
    store the assessments (again for the same week and rule set: updated) and, with ``publish``, publish the
    computed level of every unit whose level changes (a raise from ``now`` + 48 h, a lowering at once;
    a unit whose latest decision is the province's override is left alone)."""
    if week_start.weekday() != 0:
        raise ValidationFailed(_("Tuần phải bắt đầu vào thứ Hai."), field="week")
    rs = rule_set_for(week_start, rules_code)
    rules = rules_from_model(rs)
    tree = root.tree if root is not None else getattr(settings, "ADMIN_TREE", "2021")
    data = WeekData(tree=tree, week_start=week_start, rules=rules, root=root)
    result = WeekResult(week_start=week_start, rule_set=rs.code)
    computed: dict[int, tuple[Result, dict[str, Any]]] = {}
    for row in data.units.values():
        ind = data.indicators(row)
        if ind is None:
            result.skipped += 1
            continue
        res = assess(rules, ind)
        computed[row.id] = (res, dict(row.counts))
        result.levels[res.level] += 1
    result.assessed = len(computed)
    now = now or timezone.now()
    with transaction.atomic():
        existing = {
            unit_id: (pk, (level, indicators, counts, reasoning))
            for unit_id, pk, level, indicators, counts, reasoning in Assessment.objects.filter(
                week_start=week_start, rule_set=rs
            ).values_list("unit_id", "id", "level", "indicators", "counts", "reasoning")
        }
        new, changed = [], []
        for unit_id, (res, counts) in computed.items():
            before = existing.get(unit_id)
            if before is not None and before[1] == (res.level, res.indicators, counts, res.reasoning):
                continue  # assessed again with the same figures: nothing to write
            obj = Assessment(
                unit_id=unit_id,
                week_start=week_start,
                rule_set=rs,
                level=res.level,
                uncertain=res.uncertain,
                indicators=res.indicators,
                counts=counts,
                reasoning=res.reasoning,
            )
            if before is not None:
                obj.pk = before[0]
                obj.updated_at = now
                changed.append(obj)
            else:
                new.append(obj)
        Assessment.objects.bulk_create(new, batch_size=2000)
        Assessment.objects.bulk_update(
            changed, ["level", "uncertain", "indicators", "counts", "reasoning", "updated_at"], batch_size=500
        )
        if publish:
            ids = dict(
                Assessment.objects.filter(week_start=week_start, rule_set=rs, unit_id__in=list(computed)).values_list(
                    "unit_id", "id"
                )
            )
            result.published, result.raised = _publish_computed(
                {u: (r.level, ids[u]) for u, (r, _c) in computed.items()}, now=now
            )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="levels.assessment",
            summary=_("Đánh giá cấp độ dịch tuần %(week)s theo %(rules)s: %(n)s đơn vị")
            % {"week": week_label(week_start), "rules": rs.name, "n": result.assessed},
            detail={
                "week": week_label(week_start),
                "rules": rs.code,
                "assessed": result.assessed,
                "published": result.published,
                "root": root.code if root else "",
            },
        )
    return result


def _latest_decisions(unit_ids: list[int]) -> dict[int, LevelDecision]:
    """Each unit's latest valid decision (in force or pending)."""
    latest: dict[int, LevelDecision] = {}
    qs = LevelDecision.objects.filter(unit_id__in=unit_ids, superseded_at__isnull=True).order_by(
        "unit_id", "effective_from", "published_at", "id"
    )
    for d in qs.only("id", "unit_id", "level", "effective_from", "published_at", "is_override"):
        latest[d.unit_id] = d
    return latest


def _in_force(unit_ids: list[int], at: datetime) -> dict[int, int]:
    found: dict[int, int] = {}
    qs = LevelDecision.objects.filter(
        unit_id__in=unit_ids, superseded_at__isnull=True, effective_from__lte=at
    ).order_by("unit_id", "effective_from", "published_at", "id")
    for unit_id, level in qs.values_list("unit_id", "level"):
        found[unit_id] = level
    return found


def _publish_computed(levels: dict[int, tuple[int, int]], *, now: datetime) -> tuple[int, int]:
    unit_ids = list(levels)
    latest, in_force = {}, {}
    for i in range(0, len(unit_ids), 5000):
        chunk = unit_ids[i : i + 5000]
        latest.update(_latest_decisions(chunk))
        in_force.update(_in_force(chunk, now))
    to_create: list[LevelDecision] = []
    to_supersede: list[int] = []
    raised = 0
    for unit_id, (level, assessment_id) in levels.items():
        last = latest.get(unit_id)
        if last is not None and (last.is_override or last.level == level):
            continue
        current = in_force.get(unit_id)
        is_raise = level > (current if current is not None else 1)
        raised += is_raise
        if last is not None and last.effective_from > now:
            to_supersede.append(last.pk)
        to_create.append(
            LevelDecision(
                unit_id=unit_id,
                level=level,
                computed_level=level,
                assessment_id=assessment_id,
                published_at=now,
                effective_from=now + RAISE_NOTICE if is_raise else now,
            )
        )
    for i in range(0, len(to_supersede), 5000):
        LevelDecision.objects.filter(pk__in=to_supersede[i : i + 5000]).update(superseded_at=now)
    LevelDecision.objects.bulk_create(to_create, batch_size=2000)
    return len(to_create), raised


# --- publishing by the province -----------------------------------------------------------------
def level_publish(
    *,
    actor: Any,
    unit: Unit,
    level: int,
    reason: str = "",
    effective_from: datetime | None = None,
) -> LevelDecision:
    """Publish ``level`` for ``unit``. Differing from the latest computed level is an override and needs a
    reason. A raise (above the level in force now; no level yet counts as level 1) takes effect at least 48
    hours after publication; a lowering may take effect at once. A pending decision is superseded."""
    if not can_publish(actor, unit):
        raise PermissionDenied(_("Chỉ quản trị hệ thống cấp tỉnh được công bố, điều chỉnh cấp độ dịch."))
    if unit.level > Level.COMMUNE:
        raise ValidationFailed(_("Cấp độ dịch công bố cho xã, huyện hoặc tỉnh."), field="unit")
    if level not in (1, 2, 3, 4):
        raise ValidationFailed(_("Cấp độ phải từ 1 đến 4."), field="level")
    reason = (reason or "").strip()
    now = timezone.now()
    latest_assessment = Assessment.objects.filter(unit=unit).order_by("-week_start", "-id").first()
    computed = latest_assessment.level if latest_assessment else None
    is_override = computed is not None and level != computed
    if (is_override or computed is None) and not reason:
        raise ValidationFailed(_("Cần nêu lý do khi công bố cấp độ khác cấp độ tính được."), field="reason")
    current = _in_force([unit.pk], now).get(unit.pk)
    is_raise = level > (current if current is not None else 1)
    earliest = now + RAISE_NOTICE if is_raise else now
    if effective_from is None:
        effective_from = earliest
    elif effective_from < now - timedelta(minutes=1):
        raise ValidationFailed(_("Không được áp dụng cấp độ từ một thời điểm đã qua."), field="effective_from")
    elif effective_from < earliest:
        raise ValidationFailed(
            _("Nâng cấp độ phải công bố trước ít nhất 48 giờ: áp dụng sớm nhất từ %(at)s.")
            % {"at": timezone.localtime(earliest).strftime("%H:%M %d/%m/%Y")},
            field="effective_from",
        )
    effective_from = max(effective_from, now)
    with transaction.atomic():
        LevelDecision.objects.filter(unit=unit, superseded_at__isnull=True, effective_from__gt=now).update(
            superseded_at=now
        )
        decision = LevelDecision.objects.create(
            unit=unit,
            level=level,
            computed_level=computed,
            assessment=latest_assessment,
            is_override=is_override,
            reason=reason,
            published_at=now,
            effective_from=effective_from,
            published_by=actor if _active(actor) else None,
        )
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=decision,
            summary=_("Công bố cấp độ %(level)s cho %(unit)s, áp dụng từ %(at)s")
            % {
                "level": level,
                "unit": unit.name,
                "at": timezone.localtime(effective_from).strftime("%H:%M %d/%m/%Y"),
            },
            detail={
                "unit": unit.code,
                "level": level,
                "computed": computed,
                "override": is_override,
                "raise": is_raise,
                "reason": reason,
            },
        )
    return decision

"""The level assessment as a pure function: ``assess(rules, indicators) -> Result``.

``Rules`` is a plain snapshot of a ``RuleSet`` and its cells (``rules_load`` reads it from the database),
so that the assessment needs no database and can be table-tested cell by cell and property-tested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.errors import ValidationFailed

# The indicators each rule set reads (name → (type, help)). ``bool`` values are true/false.
INDICATORS: dict[str, dict[str, tuple[type, str]]] = {
    "4800": {
        "community_cases_per_100k_week": (float, "ca mắc mới trong cộng đồng /100.000 dân /tuần (tiêu chí 1)"),
        "vaccination_criterion_met": (bool, "đạt tiêu chí 2 về tiêm chủng (true/false)"),
        "adult_one_dose_pct": (float, "% người ≥ 18 tuổi tiêm ít nhất 1 mũi (thay cho vaccination_criterion_met)"),
        "elderly_full_pct": (float, "% người cao tuổi tiêm đủ liều (thay cho vaccination_criterion_met)"),
        "treatment_capacity_met": (bool, "đạt tiêu chí 3 về năng lực điều trị (true/false)"),
        "free_beds_per_100k": (float, "giường điều trị còn trống /100.000 dân"),
        "icu_beds_per_100k": (float, "giường hồi sức tích cực có đủ nhân lực /100.000 dân"),
        "mobile_stations": (float, "số trạm y tế lưu động"),
        "oxygen_supply_adequate": (bool, "bảo đảm đủ oxy (true/false)"),
    },
    "218": {
        "cases_per_100k_week": (float, "ca mắc mới /100.000 dân /tuần"),
        "oxygen_cases_per_100k_week": (float, "ca cần hỗ trợ oxy /100.000 dân /tuần"),
        "deaths_per_100k_week": (float, "ca tử vong /100.000 dân /tuần"),
        "full_coverage_pct": (float, "% dân số tiêm đủ liều cơ bản"),
        "high_risk_full_coverage_pct": (float, "% người có nguy cơ cao (cao tuổi) tiêm đủ liều"),
        "vaccination_criterion_met": (bool, "đạt tiêu chí tiêm chủng (thay cho hai tỷ lệ trên)"),
        "free_beds_per_100k": (float, "giường điều trị COVID-19 còn trống /100.000 dân"),
        "icu_beds_per_100k": (float, "giường hồi sức tích cực có đủ nhân lực /100.000 dân"),
    },
}
CASES_INDICATOR = {"4800": "community_cases_per_100k_week", "218": "cases_per_100k_week"}

TRUE_WORDS = {"true", "1", "yes", "y", "có", "co", "đạt", "dat"}
FALSE_WORDS = {"false", "0", "no", "n", "không", "khong", "không đạt", "khong dat"}


@dataclass(frozen=True)
class Param:
    value: Any
    certainty: str
    note: str = ""


@dataclass(frozen=True)
class Cell:
    order: int
    cases_min: float | None
    cases_min_inclusive: bool
    cases_max: float | None
    cases_max_inclusive: bool
    band_certainty: str
    vaccination_met: bool
    capacity: str
    level: int
    certainty: str
    note: str = ""

    def contains(self, cases: float) -> bool:
        if self.cases_min is not None and (
            cases < self.cases_min or (cases == self.cases_min and not self.cases_min_inclusive)
        ):
            return False
        return not (
            self.cases_max is not None
            and (cases > self.cases_max or (cases == self.cases_max and not self.cases_max_inclusive))
        )

    def band_label(self) -> str:
        low = "" if self.cases_min is None else f"{'≥' if self.cases_min_inclusive else '>'} {self.cases_min:g}"
        high = "" if self.cases_max is None else f"{'≤' if self.cases_max_inclusive else '<'} {self.cases_max:g}"
        return ", ".join(p for p in (low, high) if p)


@dataclass(frozen=True)
class Rules:
    code: str
    name: str
    source: str
    effective_from: date
    effective_to: date | None
    parameters: Mapping[str, Param]
    cells: tuple[Cell, ...]

    def value(self, name: str) -> Any:
        return self.parameters[name].value


@dataclass
class Result:
    level: int
    rule_set: str
    cell: int
    certainty: str
    uncertain: bool
    indicators: dict[str, Any]
    derived: dict[str, Any] = field(default_factory=dict)
    assumed: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_value(rule_set: str, name: str, raw: Any) -> Any:
    """One indicator's value from text (the command line, a form) or a number; a Vietnamese error if bad."""
    known = INDICATORS.get(rule_set, {})
    if name not in known:
        raise ValidationFailed(
            _("Chỉ số không có trong bộ quy tắc %(code)s: %(name)s. Các chỉ số: %(names)s")
            % {"code": rule_set, "name": name, "names": ", ".join(known)},
            field=name,
        )
    kind = known[name][0]
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationFailed(_("%(name)s phải là true hoặc false.") % {"name": name}, field=name)
    try:
        value = float(str(raw).strip().replace(",", ".")) if not isinstance(raw, int | float | Decimal) else float(raw)
    except ValueError:
        raise ValidationFailed(_("%(name)s phải là một số.") % {"name": name}, field=name) from None
    if value != value or value < 0 or value in (float("inf"), float("-inf")):  # NaN, negative or infinite
        raise ValidationFailed(_("%(name)s phải là số không âm.") % {"name": name}, field=name)
    return value


def _certainty_rank(c: str) -> int:
    return {"V": 0, "P": 1, "U": 2}.get(c, 2)


def _flag(p: Param) -> str:
    return f"[{p.certainty}]"


def _vaccination_4800(rules: Rules, ind: Mapping[str, Any], res: Result) -> bool:
    if "vaccination_criterion_met" in ind:
        met = bool(ind["vaccination_criterion_met"])
        res.reasoning.append(
            _("Tiêu chí 2 (tiêm chủng): %(v)s (nhập trực tiếp).") % {"v": _("đạt") if met else _("không đạt")}
        )
        return met
    if "adult_one_dose_pct" in ind and "elderly_full_pct" in ind:
        adult_p, elderly_p = rules.parameters["adult_one_dose_pass_pct"], rules.parameters["elderly_full_pass_pct"]
        age = rules.parameters["elderly_age"]
        met = ind["adult_one_dose_pct"] >= adult_p.value and ind["elderly_full_pct"] >= elderly_p.value
        res.reasoning.append(
            _(
                "Tiêu chí 2 (tiêm chủng): %(a).1f%% người ≥ 18 tuổi tiêm ít nhất 1 mũi (ngưỡng %(ap)s%% %(af)s), "
                "%(e).1f%% người ≥ %(age)s tuổi tiêm đủ liều (ngưỡng %(ep)s%% %(ef)s, tuổi %(agef)s) → %(v)s."
            )
            % {
                "a": ind["adult_one_dose_pct"],
                "ap": adult_p.value,
                "af": _flag(adult_p),
                "e": ind["elderly_full_pct"],
                "age": age.value,
                "ep": elderly_p.value,
                "ef": _flag(elderly_p),
                "agef": _flag(age),
                "v": _("đạt") if met else _("không đạt"),
            }
        )
        if "U" in (adult_p.certainty, elderly_p.certainty, age.certainty):
            res.uncertain = True
        return met
    res.assumed.append("vaccination_criterion_met")
    res.reasoning.append(_("Tiêu chí 2 (tiêm chủng): không có số liệu → coi như không đạt."))
    return False


def _capacity_4800(rules: Rules, ind: Mapping[str, Any], res: Result) -> str:
    if "treatment_capacity_met" in ind:
        met = bool(ind["treatment_capacity_met"])
        res.reasoning.append(
            _("Tiêu chí 3 (năng lực điều trị): %(v)s (nhập trực tiếp).") % {"v": _("đạt") if met else _("không đạt")}
        )
        return "met" if met else "not_met"
    checks: list[tuple[str, bool]] = []
    p = rules.parameters
    if "oxygen_supply_adequate" in ind:
        checks.append((_("đủ oxy"), bool(ind["oxygen_supply_adequate"])))
    if "free_beds_per_100k" in ind:
        checks.append(
            (
                _("giường trống %(v).1f/100.000 (tối thiểu %(m)s %(f)s)")
                % {"v": ind["free_beds_per_100k"], "m": p["capacity_free_beds_per_100k_min"].value, "f": "[U]"},
                ind["free_beds_per_100k"] >= p["capacity_free_beds_per_100k_min"].value,
            )
        )
    if "icu_beds_per_100k" in ind:
        checks.append(
            (
                _("giường hồi sức %(v).1f/100.000 (tối thiểu %(m)s %(f)s)")
                % {"v": ind["icu_beds_per_100k"], "m": p["capacity_icu_beds_per_100k_min"].value, "f": "[U]"},
                ind["icu_beds_per_100k"] >= p["capacity_icu_beds_per_100k_min"].value,
            )
        )
    if "mobile_stations" in ind:
        checks.append(
            (
                _("trạm y tế lưu động %(v)g (tối thiểu %(m)s %(f)s)")
                % {"v": ind["mobile_stations"], "m": p["capacity_mobile_stations_min"].value, "f": "[U]"},
                ind["mobile_stations"] >= p["capacity_mobile_stations_min"].value,
            )
        )
    if not checks:
        res.assumed.append("treatment_capacity_met")
        res.reasoning.append(_("Tiêu chí 3 (năng lực điều trị): không có số liệu → coi như đạt."))
        return "met"
    met = all(ok for _label, ok in checks)
    res.uncertain = res.uncertain or len(checks) > 1 or "oxygen_supply_adequate" not in ind
    res.reasoning.append(
        _("Tiêu chí 3 (năng lực điều trị): %(checks)s → %(v)s.")
        % {
            "checks": "; ".join(f"{label} {'✓' if ok else '✗'}" for label, ok in checks),
            "v": _("đạt") if met else _("không đạt"),
        }
    )
    return "met" if met else "not_met"


def _vaccination_218(rules: Rules, ind: Mapping[str, Any], res: Result) -> bool:
    if "vaccination_criterion_met" in ind:
        met = bool(ind["vaccination_criterion_met"])
        res.reasoning.append(_("Tiêm chủng: %(v)s (nhập trực tiếp).") % {"v": _("đạt") if met else _("không đạt")})
        return met
    if "full_coverage_pct" in ind and "high_risk_full_coverage_pct" in ind:
        full_p, risk_p = rules.parameters["full_coverage_pass_pct"], rules.parameters["high_risk_full_pass_pct"]
        met = ind["full_coverage_pct"] >= full_p.value and ind["high_risk_full_coverage_pct"] >= risk_p.value
        res.reasoning.append(
            _(
                "Tiêm chủng: %(f).1f%% dân số tiêm đủ liều (ngưỡng %(fp)s%% %(ff)s), %(r).1f%% người nguy cơ cao "
                "tiêm đủ liều (ngưỡng %(rp)s%% %(rf)s) → %(v)s."
            )
            % {
                "f": ind["full_coverage_pct"],
                "fp": full_p.value,
                "ff": _flag(full_p),
                "r": ind["high_risk_full_coverage_pct"],
                "rp": risk_p.value,
                "rf": _flag(risk_p),
                "v": _("đạt") if met else _("không đạt, nâng một cấp"),
            }
        )
        return met
    res.assumed.append("vaccination_criterion_met")
    res.reasoning.append(_("Tiêm chủng: không có số liệu → coi như không đạt."))
    return False


_CLASS_RANK = {"high": 0, "medium": 1, "low": 2}


def _capacity_218(rules: Rules, ind: Mapping[str, Any], res: Result) -> str:
    p = rules.parameters
    classes: list[str] = []
    if "free_beds_per_100k" in ind:
        beds = ind["free_beds_per_100k"]
        high, low = p["beds_high_above"], p["beds_low_below"]
        cls = "high" if beds > high.value else ("low" if beds < low.value else "medium")
        classes.append(cls)
        res.reasoning.append(
            _("Giường trống %(v).1f/100.000 (cao > %(h)s, thấp < %(l)s %(f)s) → %(c)s.")
            % {"v": beds, "h": high.value, "l": low.value, "f": _flag(high), "c": cls}
        )
    if "icu_beds_per_100k" in ind:
        icu = ind["icu_beds_per_100k"]
        high, low = p["icu_high_above"], p["icu_low_below"]
        cls = "high" if icu > high.value else ("low" if icu < low.value else "medium")
        classes.append(cls)
        res.uncertain = True
        res.reasoning.append(
            _("Giường hồi sức %(v).1f/100.000 (cao > %(h)s, thấp < %(l)s %(f)s) → %(c)s.")
            % {"v": icu, "h": high.value, "l": low.value, "f": _flag(high), "c": cls}
        )
    if not classes:
        res.assumed.append("free_beds_per_100k")
        res.reasoning.append(_("Năng lực đáp ứng: không có số liệu giường → coi như cao."))
        return "high"
    return max(classes, key=lambda c: _CLASS_RANK[c])


def assess(rules: Rules, indicators: Mapping[str, Any]) -> Result:
    """The level for ``indicators`` (already parsed: numbers and booleans) under ``rules``, with reasons."""
    code = rules.code
    ind = {k: parse_value(code, k, v) for k, v in indicators.items()}
    cases_name = CASES_INDICATOR[code]
    if cases_name not in ind:
        raise ValidationFailed(_("Thiếu chỉ số %(name)s.") % {"name": cases_name}, field=cases_name)
    cases = ind[cases_name]
    res = Result(level=0, rule_set=code, cell=0, certainty="V", uncertain=False, indicators=dict(ind))
    res.reasoning.append(_("Bộ quy tắc: %(name)s.") % {"name": rules.name})
    if code == "4800":
        vaccination = _vaccination_4800(rules, ind, res)
        capacity = _capacity_4800(rules, ind, res)
    else:
        vaccination = _vaccination_218(rules, ind, res)
        capacity = _capacity_218(rules, ind, res)
    res.derived = {"vaccination_met": vaccination, "capacity": capacity}
    matches = [
        c for c in rules.cells if c.contains(cases) and c.vaccination_met == vaccination and c.capacity == capacity
    ]
    if len(matches) != 1:
        raise ValidationFailed(
            _("Bộ quy tắc %(code)s không có đúng một ô cho các chỉ số này (%(n)s ô).")
            % {"code": code, "n": len(matches)}
        )
    cell = matches[0]
    certainty = max(cell.certainty, cell.band_certainty, key=_certainty_rank)
    res.cell, res.certainty = cell.order, certainty
    res.reasoning.append(
        _("Ô %(order)s: %(cases).1f ca /100.000 /tuần thuộc khoảng %(band)s [%(bc)s] → cấp %(level)s [%(c)s]. %(note)s")
        % {
            "order": cell.order,
            "cases": cases,
            "band": cell.band_label(),
            "bc": cell.band_certainty,
            "level": cell.level,
            "c": cell.certainty,
            "note": cell.note,
        }
    )
    level = cell.level
    if code == "4800" and capacity == "not_met" and rules.parameters["capacity_fail_raises_one"].value:
        level = min(4, level + 1)
        res.uncertain = True
        res.reasoning.append(_("Không đạt tiêu chí 3: nâng một cấp theo hướng dẫn địa phương [U]."))
    if code == "218":
        deaths, oxygen = ind.get("deaths_per_100k_week"), ind.get("oxygen_cases_per_100k_week")
        d_p, o_p = rules.parameters["deaths_raise_above"], rules.parameters["oxygen_raise_above"]
        over = []
        if deaths is not None and deaths > d_p.value:
            over.append(_("tử vong %(v).1f > %(t)s %(f)s") % {"v": deaths, "t": d_p.value, "f": _flag(d_p)})
        if oxygen is not None and oxygen > o_p.value:
            over.append(_("cần oxy %(v).1f > %(t)s %(f)s") % {"v": oxygen, "t": o_p.value, "f": _flag(o_p)})
        if over:
            level = min(4, level + 1)
            res.uncertain = True
            res.reasoning.append(_("Nâng một cấp: %(what)s /100.000 /tuần.") % {"what": "; ".join(over)})
    res.level = level
    res.uncertain = res.uncertain or _certainty_rank(certainty) >= 2
    res.reasoning.append(
        _("Kết luận: cấp %(level)s%(flag)s.")
        % {"level": level, "flag": _(" (có dựa trên ô hoặc tham số chưa chắc chắn)") if res.uncertain else ""}
    )
    return res


def rules_load(code: str) -> Rules:
    """A snapshot of the rule set ``code`` from the database."""
    from .models import RuleSet

    rs = RuleSet.objects.filter(code=code).first()
    if rs is None:
        raise ValidationFailed(_("Không có bộ quy tắc %(code)s.") % {"code": code}, field="rules")
    return rules_from_model(rs)


def rules_from_model(rs: Any) -> Rules:
    def num(v: Any) -> float | None:
        return None if v is None else float(v)

    return Rules(
        code=rs.code,
        name=rs.name,
        source=rs.source,
        effective_from=rs.effective_from,
        effective_to=rs.effective_to,
        parameters={
            k: Param(value=v["value"], certainty=v.get("certainty", "U"), note=v.get("note", ""))
            for k, v in rs.parameters.items()
        },
        cells=tuple(
            Cell(
                order=c.order,
                cases_min=num(c.cases_min),
                cases_min_inclusive=c.cases_min_inclusive,
                cases_max=num(c.cases_max),
                cases_max_inclusive=c.cases_max_inclusive,
                band_certainty=c.band_certainty,
                vaccination_met=c.vaccination_met,
                capacity=c.capacity,
                level=c.level,
                certainty=c.certainty,
                note=c.note,
            )
            for c in rs.cells.order_by("order")
        ),
    )


def rules_in_force(on: date) -> str | None:
    """The code of the rule set in force on ``on`` (None before 12/10/2021)."""
    from django.db.models import Q

    from .models import RuleSet

    rs = (
        RuleSet.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    return rs.code if rs else None

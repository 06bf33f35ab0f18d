"""Writes to the administrative tree: units, hamlets (by commune officers), populations.

Loading whole trees from packaged data or GSO files lives in ``loaders.py``.
"""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any, Final

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phongdich.core import tabular as tb
from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.core.text import fold

from .access import is_province_admin, unit_scope
from .models import HAMLET_TYPES, Level, PopulationSource, Unit, UnitType


def unit_path(*, parent: Unit | None, code: str) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def unit_create(
    *,
    tree: str,
    code: str,
    name: str,
    level: Level | int,
    unit_type: UnitType | str,
    parent: Unit | None = None,
    population: int | None = None,
    population_year: int | None = None,
    population_source: PopulationSource | str = "",
    name_en: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Unit:
    """Create one unit under ``parent`` (None for a province). Codes are unique per tree."""
    code = code.strip()
    name = " ".join(name.split())
    if not code or "/" in code:
        raise ValidationFailed(_("Mã đơn vị không hợp lệ."), field="code")
    if not name:
        raise ValidationFailed(_("Tên đơn vị không được để trống."), field="name")
    if parent is not None:
        if parent.tree != tree:
            raise ValidationFailed(_("Đơn vị cấp trên thuộc bộ đơn vị khác."), field="parent")
        if int(level) <= parent.level:
            raise ValidationFailed(_("Cấp của đơn vị phải thấp hơn cấp của đơn vị cấp trên."), field="level")
    elif int(level) != Level.PROVINCE:
        raise ValidationFailed(_("Chỉ cấp tỉnh mới không có đơn vị cấp trên."), field="parent")
    if Unit.objects.filter(tree=tree, code=code).exists():
        raise ValidationFailed(_("Mã đơn vị %(code)s đã tồn tại.") % {"code": code}, field="code")
    return Unit.objects.create(
        tree=tree,
        code=code,
        name=name,
        name_en=name_en,
        name_folded=fold(name),
        level=int(level),
        unit_type=str(unit_type),
        parent=parent,
        path=unit_path(parent=parent, code=code),
        population=population,
        population_year=population_year,
        population_source=str(population_source) if population is not None else "",
        valid_from=valid_from,
        valid_to=valid_to,
    )


# --- Hamlets and residential groups (level 4) -------------------------------------------------


def _choice(members: Any) -> tb.Parser:
    """A cell parser accepting a choice's Vietnamese label (the source string, whatever the active
    language) or its value."""
    with translation.override(None):
        labels = {str(m.label): m for m in members}
    return tb.parse_choice({**labels, **{str(m.value): m for m in members}}, shown=labels)


MAX_NAME = 120
MAX_CODE = 20


class _Unset:
    pass


UNSET: Final = _Unset()


def _check_commune(commune: Unit, actor: User | None) -> None:
    """The commune must be a commune-level unit inside the actor's jurisdiction (else: not found).

    ``actor=None`` is the system itself (management commands, the demo builder): no scope to check.
    """
    if actor is not None and not unit_scope(actor).contains_unit(commune):
        raise NotInScope(_("Không tìm thấy đơn vị."))
    if commune.level != Level.COMMUNE:
        raise ValidationFailed(_("Thôn, xóm, tổ dân phố chỉ được thêm vào đơn vị cấp xã."), field="commune")


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Tên không được để trống."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(_("Tên dài quá %(n)s ký tự.") % {"n": MAX_NAME}, field="name")
    return name


def _clean_hamlet_type(unit_type: UnitType | str) -> UnitType:
    if unit_type not in HAMLET_TYPES:
        raise ValidationFailed(_("Loại phải là thôn, xóm, bản, tổ dân phố, ấp hoặc khu phố."), field="unit_type")
    return UnitType(unit_type)


def _clean_code(code: str) -> str:
    code = code.strip()
    if not code or len(code) > MAX_CODE or "/" in code or any(ch.isspace() for ch in code):
        raise ValidationFailed(
            _("Mã chỉ gồm chữ, số, dấu gạch; không có khoảng trắng hay dấu /; tối đa %(n)s ký tự.") % {"n": MAX_CODE},
            field="code",
        )
    return code


def _check_population(population: int | None) -> None:
    if population is not None and not 0 <= population <= 50_000_000:
        raise ValidationFailed(_("Dân số không hợp lệ."), field="population")


def next_hamlet_codes(commune: Unit, count: int = 1, *, avoid: set[str] | None = None) -> list[str]:
    """The next free automatic codes ``<commune code>-NN`` (two digits, more when needed)."""
    prefix = f"{commune.code}-"
    taken = set(Unit.objects.filter(tree=commune.tree, code__startswith=prefix).values_list("code", flat=True))
    taken |= avoid or set()
    numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
    n = max(numbers, default=0)
    codes: list[str] = []
    while len(codes) < count:
        n += 1
        code = f"{prefix}{n:02d}"
        if code not in taken:
            codes.append(code)
    return codes


def _hamlet_name_taken(commune: Unit, name: str, *, exclude: Unit | None = None) -> bool:
    qs = Unit.objects.filter(tree=commune.tree, parent=commune, name_folded=fold(name))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


@transaction.atomic
def hamlet_create(
    *,
    commune: Unit,
    name: str,
    unit_type: UnitType | str,
    code: str | None = None,
    population: int | None = None,
    actor: User | None,
) -> Unit:
    """Add a hamlet or residential group (xóm, thôn, bản, tổ dân phố …) to ``commune``.

    Raises ``NotInScope`` when the commune is outside the actor's jurisdiction (``actor=None``: the
    system, e.g. the demo builder — no scope check), ``ValidationFailed`` for a bad name, type or code.
    Without ``code`` the next ``<commune code>-NN`` is used.
    """
    _check_commune(commune, actor)
    Unit.objects.select_for_update().filter(pk=commune.pk).first()  # one hamlet code at a time per commune
    name = _clean_name(name)
    hamlet_type = _clean_hamlet_type(unit_type)
    _check_population(population)
    if _hamlet_name_taken(commune, name):
        raise ValidationFailed(
            _("%(commune)s đã có “%(name)s”.") % {"commune": commune.name, "name": name}, field="name"
        )
    code = _clean_code(code) if code else next_hamlet_codes(commune)[0]
    hamlet = unit_create(
        tree=commune.tree,
        code=code,
        name=name,
        level=Level.HAMLET,
        unit_type=hamlet_type,
        parent=commune,
        population=population,
        population_year=timezone.localdate().year if population is not None else None,
        population_source=PopulationSource.ENTERED,
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=hamlet,
        summary=f"{hamlet.name} ({hamlet.code}) ∈ {commune.name}",
    )
    return hamlet


@transaction.atomic
def hamlet_update(
    *,
    hamlet: Unit,
    actor: User | None,
    name: str | None = None,
    unit_type: UnitType | str | None = None,
    population: int | _Unset | None = UNSET,
) -> Unit:
    """Rename a hamlet, change its type or its population (None clears it). Same scope rule as creating."""
    if hamlet.level != Level.HAMLET or hamlet.parent is None:
        raise ValidationFailed(_("Chỉ sửa được thôn, xóm, tổ dân phố ở đây."), field="unit")
    _check_commune(hamlet.parent, actor)
    changes: dict[str, Any] = {}
    if name is not None:
        name = _clean_name(name)
        if name != hamlet.name:
            if _hamlet_name_taken(hamlet.parent, name, exclude=hamlet):
                raise ValidationFailed(
                    _("%(commune)s đã có “%(name)s”.") % {"commune": hamlet.parent.name, "name": name}, field="name"
                )
            changes["name"] = (hamlet.name, name)
            hamlet.name = name
            hamlet.name_folded = fold(name)
    if unit_type is not None and unit_type != hamlet.unit_type:
        new_type = _clean_hamlet_type(unit_type)
        changes["unit_type"] = (hamlet.unit_type, str(new_type))
        hamlet.unit_type = new_type
    if not isinstance(population, _Unset) and population != hamlet.population:
        _check_population(population)
        changes["population"] = (hamlet.population, population)
        hamlet.population = population
        hamlet.population_year = timezone.localdate().year if population is not None else None
        hamlet.population_source = PopulationSource.ENTERED if population is not None else ""
    if changes:
        hamlet.save()
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=hamlet,
            summary=f"{hamlet.name} ({hamlet.code})",
            detail={k: [str(v) if v is not None else None for v in pair] for k, pair in changes.items()},
        )
    return hamlet


def hamlet_columns() -> tuple[tb.Column, ...]:
    """The hamlet import's columns (Vietnamese headers; English aliases)."""
    return (
        tb.Column("Tên", "name", aliases=("name", "Tên thôn, xóm")),
        tb.Column(
            "Loại",
            "unit_type",
            aliases=("type",),
            parse=_choice([UnitType(t) for t in HAMLET_TYPES]),
        ),
        tb.Column(
            "Mã", "code", required=False, default="", aliases=("code",), parse=tb.parse_code(max_length=MAX_CODE)
        ),
        tb.Column("Dân số", "population", required=False, aliases=("population",), parse=tb.parse_int(minimum=0)),
    )


def hamlet_import_spec(*, commune: Unit) -> tb.TabularSpec:
    """Columns ``Tên`` (name), ``Loại`` (type), optional ``Mã`` (code) and ``Dân số`` (population)."""
    existing_names = set(Unit.objects.filter(tree=commune.tree, parent=commune).values_list("name_folded", flat=True))
    existing_codes = set(Unit.objects.filter(tree=commune.tree).values_list("code", flat=True))
    names: set[str] = set()
    codes: set[str] = set()
    year = timezone.localdate().year

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        issues: list[tb.RowIssue] = []
        name = " ".join(row["name"].split())
        folded = fold(name)
        if len(name) > MAX_NAME:
            issues.append(tb.RowIssue("name", _("Tên dài quá %(n)s ký tự.") % {"n": MAX_NAME}))
        elif folded in existing_names:
            issues.append(
                tb.RowIssue("name", _("%(commune)s đã có “%(name)s”.") % {"commune": commune.name, "name": name})
            )
        elif folded in names:
            issues.append(tb.RowIssue("name", _("Tên bị trùng với một dòng phía trên.")))
        names.add(folded)
        code = row["code"]
        if code:
            if code in codes:
                issues.append(tb.RowIssue("code", _("Mã bị trùng với một dòng phía trên.")))
            elif code in existing_codes:
                issues.append(tb.RowIssue("code", _("Mã đơn vị %(code)s đã tồn tại.") % {"code": code}))
            codes.add(code)
        return issues or {**row, "name": name}

    def write(rows: list[dict[str, Any]]) -> int:
        auto = iter(next_hamlet_codes(commune, sum(1 for r in rows if not r["code"]), avoid=codes))
        units = []
        for r in rows:
            code = r["code"] or next(auto)
            units.append(
                Unit(
                    tree=commune.tree,
                    code=code,
                    name=r["name"],
                    name_folded=fold(r["name"]),
                    level=Level.HAMLET,
                    unit_type=r["unit_type"],
                    parent=commune,
                    path=unit_path(parent=commune, code=code),
                    population=r["population"],
                    population_year=year if r["population"] is not None else None,
                    population_source=PopulationSource.IMPORTED if r["population"] is not None else "",
                )
            )
        Unit.objects.bulk_create(units, batch_size=500)
        return len(units)

    return tb.TabularSpec(
        name="geo.hamlet_import",
        title=_("thôn, xóm, tổ dân phố"),
        columns=hamlet_columns(),
        validate_row=validate,
        write=write,
        ignore_columns=("STT", "TT"),
    )


def hamlet_import(
    *, commune: Unit, upload: tb.Upload, actor: User | None, partial: bool = False, filename: str | None = None
) -> tb.ImportResult:
    """Import a commune's hamlets from CSV/Excel (see ``hamlet_import_spec``); scope-checked like ``hamlet_create``."""
    _check_commune(commune, actor)
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=commune.pk).first()
        return tb.run_import(
            hamlet_import_spec(commune=commune),
            upload,
            actor=actor,
            filename=filename,
            partial=partial,
            audit_obj=commune,
        )


# --- Populations ---------------------------------------------------------------------------------


@transaction.atomic
def unit_set_population(
    *,
    unit: Unit,
    population: int | None,
    year: int | None,
    source: PopulationSource | str,
    actor: User | None,
) -> Unit:
    """Set (or, with None, clear) one unit's population figure."""
    _check_population(population)
    unit.population = population
    unit.population_year = year if population is not None else None
    unit.population_source = str(source) if population is not None else ""
    unit.save(update_fields=["population", "population_year", "population_source", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=unit,
        summary=f"population {unit.code}: {population} ({year}, {source})",
    )
    return unit


def population_columns() -> tuple[tb.Column, ...]:
    """The population import's columns (Vietnamese headers; English aliases)."""
    return (
        tb.Column("Mã", "code", aliases=("code", "Mã đơn vị"), parse=tb.parse_code(max_length=MAX_CODE)),
        tb.Column("Dân số", "population", aliases=("population",), parse=tb.parse_int(minimum=0)),
        tb.Column("Năm", "year", aliases=("year",), parse=tb.parse_int(minimum=1900)),
        tb.Column(
            "Nguồn",
            "source",
            required=False,
            aliases=("source",),
            parse=_choice(PopulationSource),
        ),
    )


def population_import_spec(*, tree: str, actor: User | None) -> tb.TabularSpec:
    """Columns ``Mã`` (code), ``Dân số`` (population), ``Năm`` (year) and optional ``Nguồn`` (source)."""
    scope = unit_scope(actor) if actor is not None else None
    units = {u.code: u for u in Unit.objects.filter(tree=tree)}
    seen: set[str] = set()
    this_year = timezone.localdate().year

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        unit = units.get(row["code"])
        if unit is None:
            return [
                tb.RowIssue(
                    "code", _("Không có đơn vị mã %(code)s (bộ %(tree)s).") % {"code": row["code"], "tree": tree}
                )
            ]
        if scope is not None and not scope.contains_unit(unit):
            return [tb.RowIssue("code", _("Đơn vị %(code)s ngoài phạm vi quản lý của bạn.") % {"code": row["code"]})]
        if row["code"] in seen:
            return [tb.RowIssue("code", _("Mã bị trùng với một dòng phía trên."))]
        seen.add(row["code"])
        if row["year"] > this_year:
            return [tb.RowIssue("year", _("Năm không được ở tương lai."))]
        return {**row, "unit": unit}

    def write(rows: list[dict[str, Any]]) -> int:
        changed = []
        for r in rows:
            unit: Unit = r["unit"]
            unit.population = r["population"]
            unit.population_year = r["year"]
            unit.population_source = str(r["source"] or PopulationSource.IMPORTED)
            unit.updated_at = timezone.now()
            changed.append(unit)
        Unit.objects.bulk_update(
            changed, ["population", "population_year", "population_source", "updated_at"], batch_size=500
        )
        return len(changed)

    return tb.TabularSpec(
        name="geo.population_import",
        title=_("dân số"),
        columns=population_columns(),
        validate_row=validate,
        write=write,
        ignore_columns=("STT", "TT", "Tên", "Tên đơn vị", "name"),
    )


def population_import(
    *,
    upload: tb.Upload,
    actor: User | None,
    tree: str,
    partial: bool = False,
    filename: str | None = None,
) -> tb.ImportResult:
    """Import populations per unit code. ``actor`` must be a province administrator (each unit also in
    their scope); ``actor=None`` is the operator at the command line (``manage.py import_population``)."""
    if actor is not None and not is_province_admin(actor):
        raise NotInScope(_("Chỉ quản trị viên cấp tỉnh được nhập số liệu dân số."))
    return tb.run_import(
        population_import_spec(tree=tree, actor=actor),
        upload,
        actor=actor,
        filename=filename,
        partial=partial,
        detail={"tree": tree},
    )


# 2019 census, Thái Nguyên (GSO district codes of the 2021 tree; Võ Nhai approximate). RULES.md.
CENSUS_2019_THAI_NGUYEN: Final = {
    "19": 1_286_751,
    "164": 340_403,  # Thành phố Thái Nguyên
    "172": 196_378,  # Phổ Yên
    "171": 171_703,  # Đại Từ
    "173": 156_804,  # Phú Bình
    "168": 102_292,  # Phú Lương
    "169": 92_421,  # Đồng Hỷ
    "167": 89_288,  # Định Hóa
    "165": 69_382,  # Thành phố Sông Công
    "170": 68_080,  # Võ Nhai (approximate)
}


@transaction.atomic
def apply_census_2019_thai_nguyen(*, tree: str = "2021", actor: User | None = None) -> int:
    """Set the 2019 census figures on Thái Nguyên and its nine district-level units (source ``census_2019``).

    Returns how many units were set; units not loaded are skipped.
    """
    units = list(Unit.objects.filter(tree=tree, code__in=CENSUS_2019_THAI_NGUYEN, level__lte=Level.DISTRICT))
    for unit in units:
        unit.population = CENSUS_2019_THAI_NGUYEN[unit.code]
        unit.population_year = 2019
        unit.population_source = PopulationSource.CENSUS_2019
        unit.updated_at = timezone.now()
    Unit.objects.bulk_update(units, ["population", "population_year", "population_source", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="geo.unit",
        summary=f"census 2019 Thái Nguyên: {len(units)} units",
        detail={"tree": tree, "codes": sorted(u.code for u in units)},
    )
    return len(units)


_TYPE_WEIGHT: Final = {UnitType.PHUONG: 1.6, UnitType.THI_TRAN: 1.3}


def _weight(unit: Unit) -> float:
    """A stable pseudo-random weight per commune (0.6–1.4 × a bonus for urban wards and towns)."""
    spread = zlib.crc32(f"{unit.tree}:{unit.code}".encode()) % 1000 / 1000
    return (0.6 + 0.8 * spread) * _TYPE_WEIGHT.get(UnitType(unit.unit_type), 1.0)


@transaction.atomic
def synthesize_commune_populations(*, district: Unit, actor: User | None = None) -> int:
    """Split the district's population among its communes, deterministically; marked ``synthesized``.

    Communes with a real figure (census, imported, entered) keep it, and only the remainder is split
    among the others. The synthesized figures add up exactly to the district total. Returns how many
    communes got a synthesized figure.
    """
    if district.level != Level.DISTRICT:
        raise ValidationFailed(_("Chỉ chia dân số của đơn vị cấp huyện."), field="district")
    if district.population is None:
        raise ValidationFailed(_("%(name)s chưa có số liệu dân số.") % {"name": district.name}, field="district")
    communes = list(Unit.objects.filter(parent=district, level=Level.COMMUNE).order_by("code"))
    fixed = [c for c in communes if c.population is not None and c.population_source != PopulationSource.SYNTHESIZED]
    targets = [c for c in communes if c not in fixed]
    remainder = district.population - sum(c.population or 0 for c in fixed)
    if not targets:
        return 0
    if remainder < 0:
        raise ValidationFailed(
            _("Tổng dân số các xã đã có số liệu lớn hơn dân số của %(name)s.") % {"name": district.name},
            field="district",
        )
    weights = [_weight(c) for c in targets]
    total_weight = sum(weights)
    shares = [remainder * w / total_weight for w in weights]
    amounts = [int(s) for s in shares]
    # Largest remainders get the leftover people, so the parts add up to the whole.
    leftovers = sorted(range(len(targets)), key=lambda i: (amounts[i] - shares[i], targets[i].code))
    for i in leftovers[: remainder - sum(amounts)]:
        amounts[i] += 1
    now = timezone.now()
    for commune, amount in zip(targets, amounts, strict=True):
        commune.population = amount
        commune.population_year = district.population_year
        commune.population_source = PopulationSource.SYNTHESIZED
        commune.updated_at = now
    Unit.objects.bulk_update(targets, ["population", "population_year", "population_source", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=district,
        summary=f"synthesized populations for {len(targets)} communes of {district.name}",
        detail={"remainder": remainder, "communes": len(targets)},
    )
    return len(targets)

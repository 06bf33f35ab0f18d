"""Writes to the administrative tree."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.core.errors import ValidationFailed
from phongdich.core.text import fold

from .models import Level, PopulationSource, Unit, UnitType


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

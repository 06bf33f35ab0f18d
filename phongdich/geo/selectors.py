"""Reads of the administrative tree.

Units are public geography (names, codes, populations), not personal data: every signed-in user
may browse the whole tree; only writes are limited to the user's jurisdiction (``access.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from phongdich.core.text import fold

from .models import Level, Unit, UnitSuccession


def current_tree() -> str:
    return str(getattr(settings, "ADMIN_TREE", "2021"))


def unit_get(*, uid: UUID | str) -> Unit:
    """One unit by its public id (raises ``Unit.DoesNotExist``)."""
    return Unit.objects.select_related("parent").get(uid=uid)


def unit_list(
    *,
    tree: str | None = None,
    parent: Unit | None = None,
    level: int | None = None,
    q: str = "",
) -> QuerySet[Unit]:
    """Units of one tree (default: the tree in force), optionally under ``parent`` (its direct children),
    at ``level``, or matching ``q`` (diacritic-insensitive name, or code prefix). Ordered by path."""
    qs = Unit.objects.filter(tree=tree or current_tree()).select_related("parent")
    if parent is not None:
        qs = qs.filter(parent=parent)
    if level is not None:
        qs = qs.filter(level=level)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code__startswith=q))
    return qs.order_by("path")


def provinces(*, tree: str | None = None) -> QuerySet[Unit]:
    return Unit.objects.filter(tree=tree or current_tree(), level=Level.PROVINCE).order_by("code")


def unit_children(unit: Unit) -> QuerySet[Unit]:
    """Direct children in code order, with how many children each has (for the browser's counts)."""
    return Unit.objects.filter(tree=unit.tree, parent=unit).annotate(child_count=Count("children")).order_by("path")


def commune_hamlets(commune: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(tree=commune.tree, parent=commune, level=Level.HAMLET).order_by("code")


def unit_successions(unit: Unit) -> QuerySet[UnitSuccession]:
    """For a new (2025) unit: the old units it came from; for an old unit: the new ones it went to."""
    return UnitSuccession.objects.filter(Q(new_unit=unit) | Q(old_unit=unit)).select_related("old_unit", "new_unit")


def export_rows(*, province: Unit) -> Iterator[tuple[str, str, int, str]]:
    """``(code, name, level, parent_code)`` for the province and every unit below it, in path order."""
    qs = (
        Unit.objects.filter(tree=province.tree, path__startswith=province.path)
        .order_by("path")
        .values_list("code", "name", "level", "parent__code")
    )
    for code, name, level, parent_code in qs.iterator(chunk_size=2000):
        yield code, name, level, parent_code or ""

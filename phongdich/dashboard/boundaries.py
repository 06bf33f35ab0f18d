"""Reading unit outlines from a GeoJSON file: units matched by their GSO code, rings simplified.

All or nothing: a file with an unknown code or a bad geometry stores nothing and says which feature.
No network: the file is read from disk.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit

from .models import UnitBoundary

CODE_PROPERTIES = ("code", "gso_code", "ma", "ma_gso", "MA", "MA_XA", "ma_xa")
# About 50 m at Thái Nguyên's latitude: enough for a commune map on a screen.
TOLERANCE = 0.0005
Ring = list[list[float]]


@dataclass(frozen=True)
class LoadResult:
    loaded: int
    points_before: int
    points_after: int


def _perpendicular(p: list[float], a: list[float], b: list[float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / math.hypot(dx, dy)


def simplify(points: Ring, tolerance: float = TOLERANCE) -> Ring:
    """Douglas–Peucker on one ring (iterative, so a long ring does not exhaust the stack)."""
    if len(points) < 4:
        return [list(p) for p in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [[round(p[0], 5), round(p[1], 5)] for p, k in zip(points, keep, strict=True) if k]


def _point(value: Any) -> list[float] | None:
    if not isinstance(value, list) or len(value) < 2:
        return None
    x, y = value[0], value[1]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (x, y)):
        return None
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        return None
    return [float(x), float(y)]


def _rings(geometry: Any) -> list[Ring] | None:
    """The outer and inner rings of a Polygon or MultiPolygon; None when the geometry is not one."""
    if not isinstance(geometry, dict):
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon" and isinstance(coords, list):
        polygons = coords
    else:
        return None
    rings: list[Ring] = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return None
            points = [_point(p) for p in ring]
            if any(p is None for p in points):
                return None
            rings.append([p for p in points if p is not None])
    return rings


def _code(properties: Any, code_property: str | None) -> str:
    if not isinstance(properties, dict):
        return ""
    names = (code_property,) if code_property else CODE_PROPERTIES
    for name in names:
        value = properties.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def load_boundaries(
    path: Path, *, tree: str, code_property: str | None = None, tolerance: float = TOLERANCE, actor: Any = None
) -> LoadResult:
    """Store the outline of every feature's unit (replacing an earlier one); raise ValidationFailed listing the
    problems (unknown codes, bad geometries) and store nothing when there is any."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationFailed(_("Không đọc được tệp %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(_("Tệp không phải GeoJSON hợp lệ: %(error)s") % {"error": exc}) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise ValidationFailed(_("Tệp GeoJSON không có đối tượng nào (cần một FeatureCollection)."))
    units = {u.code: u for u in Unit.objects.filter(tree=tree)}
    problems: list[str] = []
    found: dict[str, list[Ring]] = {}
    for number, feature in enumerate(features, start=1):
        feature = feature if isinstance(feature, dict) else {}
        code = _code(feature.get("properties"), code_property)
        if not code:
            problems.append(_("Đối tượng %(n)d: thiếu mã đơn vị (mã GSO).") % {"n": number})
            continue
        if code not in units:
            problems.append(_("Đối tượng %(n)d: không có đơn vị mã %(code)s.") % {"n": number, "code": code})
            continue
        rings = _rings(feature.get("geometry"))
        if rings is None:
            problems.append(
                _("Đối tượng %(n)d (mã %(code)s): hình học không hợp lệ (cần Polygon hoặc MultiPolygon).")
                % {"n": number, "code": code}
            )
            continue
        found.setdefault(code, []).extend(rings)
    if problems:
        raise ValidationFailed(" ".join(problems))
    before = after = 0
    with transaction.atomic():
        for code, rings in found.items():
            simplified = [simplify(r, tolerance) for r in rings]
            before += sum(len(r) for r in rings)
            after += sum(len(r) for r in simplified)
            UnitBoundary.objects.update_or_create(
                unit=units[code], defaults={"rings": simplified, "source": Path(path).name[:255]}
            )
        audit(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="dashboard.unitboundary",
            summary=_("Nhập đường bao của %(n)d đơn vị từ %(file)s") % {"n": len(found), "file": Path(path).name},
            actor_username="" if actor else "manage.py load_boundaries",
        )
    return LoadResult(loaded=len(found), points_before=before, points_after=after)

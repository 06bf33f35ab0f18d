"""``manage.py load_boundaries FILE``: outlines matched by GSO code, clear errors, nothing stored on error (D5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from phongdich.dashboard.boundaries import simplify
from phongdich.dashboard.models import UnitBoundary


def _square(x: float, y: float, size: float = 0.05, extra: int = 0) -> list[list[float]]:
    # ``extra`` points along the bottom edge, on the line: the simplification drops them.
    bottom = [[x + size * i / (extra + 1), y] for i in range(extra + 1)]
    return [*bottom, [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _feature(code: str, geometry: Any, key: str = "code") -> dict[str, Any]:
    return {"type": "Feature", "properties": {key: code, "ten": "x"}, "geometry": geometry}


def _write(tmp_path: Path, features: list[Any]) -> Path:
    path = tmp_path / "ranh_gioi.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_loads_polygons_and_multipolygons_by_gso_code_D5(tree: Any, tmp_path: Path, capsys: Any) -> None:
    path = _write(
        tmp_path,
        [
            _feature("05431", {"type": "Polygon", "coordinates": [_square(105.8, 21.6, extra=20)]}),
            _feature(
                "05857",
                {
                    "type": "MultiPolygon",
                    "coordinates": [[_square(105.9, 21.4)], [_square(106.0, 21.4)]],
                },
                key="MA_XA",
            ),
        ],
    )
    call_command("load_boundaries", str(path))
    assert "2 đơn vị" in capsys.readouterr().out
    qt = UnitBoundary.objects.get(unit=tree.quan_trieu)
    assert len(qt.rings) == 1
    assert len(qt.rings[0]) == 5  # the 20 points on the straight edge are gone
    assert len(UnitBoundary.objects.get(unit=tree.dac_son).rings) == 2
    # Loading again replaces, not duplicates.
    call_command("load_boundaries", str(path))
    assert UnitBoundary.objects.count() == 2


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([_feature("99999", {"type": "Polygon", "coordinates": [_square(105.8, 21.6)]})], "không có đơn vị mã 99999"),
        ([_feature("05431", {"type": "Point", "coordinates": [105.8, 21.6]})], "hình học không hợp lệ"),
        (
            [_feature("05431", {"type": "Polygon", "coordinates": [[[105.8, 21.6], [105.9, 21.6]]]})],
            "hình học không hợp lệ",
        ),
        ([_feature("05431", {"type": "Polygon", "coordinates": [[["a", 1], [2, 3], [4, 5], [6, 7]]]})], "hình học"),
        ([_feature("05431", {"type": "Polygon", "coordinates": [_square(400, 21.6)]})], "hình học không hợp lệ"),
        ([{"type": "Feature", "properties": {}, "geometry": None}], "thiếu mã đơn vị"),
        ([], "không có đối tượng nào"),
    ],
)
def test_bad_files_store_nothing_and_say_why_D5(tree: Any, tmp_path: Path, features: list[Any], message: str) -> None:
    good = _feature("05434", {"type": "Polygon", "coordinates": [_square(105.8, 21.6)]})
    path = _write(tmp_path, [good, *features] if features else [])
    with pytest.raises(CommandError, match=message):
        call_command("load_boundaries", str(path))
    assert not UnitBoundary.objects.exists()


def test_unreadable_files_D5(tree: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("load_boundaries", str(tmp_path / "khong_co.geojson"))
    broken = tmp_path / "hong.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải GeoJSON hợp lệ"):
        call_command("load_boundaries", str(broken))


def test_simplify_keeps_the_corners_D5() -> None:
    ring = _square(0, 0, size=1, extra=50)
    assert simplify(ring, 0.0005) == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    zigzag = [[0, 0], [0.5, 0.2], [1, 0], [1, 1], [0, 0]]
    assert [0.5, 0.2] in simplify(zigzag, 0.1)
    assert [0.5, 0.2] not in simplify(zigzag, 0.3)

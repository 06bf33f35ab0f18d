"""D1: populations — 2019 census for Thái Nguyên, synthesized commune figures, CSV/Excel import."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, AuditLog, User
from phongdich.geo.models import Level, PopulationSource, Unit
from phongdich.geo.services import (
    apply_census_2019_thai_nguyen,
    population_import,
    synthesize_commune_populations,
    unit_set_population,
)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_census_2019_sets_the_province_and_its_nine_districts_D1(thai_nguyen_2021: str) -> None:
    assert apply_census_2019_thai_nguyen() == 10
    province = Unit.objects.get(tree="2021", code="19")
    districts = Unit.objects.filter(tree="2021", level=Level.DISTRICT, parent=province)
    assert province.population == 1_286_751
    assert sum(d.population or 0 for d in districts) == province.population
    assert {d.code: d.population for d in districts}["164"] == 340_403
    assert {d.population_source for d in districts} == {PopulationSource.CENSUS_2019}
    assert {d.population_year for d in districts} == {2019}


def test_synthesized_commune_populations_add_up_and_are_marked_D1(thai_nguyen_2021: str) -> None:
    apply_census_2019_thai_nguyen()
    city = Unit.objects.get(tree="2021", code="164")
    assert synthesize_commune_populations(district=city) == 32
    communes = list(Unit.objects.filter(parent=city).order_by("code"))
    assert sum(c.population or 0 for c in communes) == 340_403
    assert {c.population_source for c in communes} == {PopulationSource.SYNTHESIZED}
    assert all(c.population and c.population > 0 for c in communes)
    first = [c.population for c in communes]
    synthesize_commune_populations(district=city)  # deterministic
    assert [c.population for c in Unit.objects.filter(parent=city).order_by("code")] == first


def test_real_commune_figures_are_kept_and_the_rest_split_D1(tree: Any) -> None:
    unit_set_population(unit=tree.city, population=10_000, year=2019, source=PopulationSource.CENSUS_2019, actor=None)
    tree.city.refresh_from_db()
    unit_set_population(unit=tree.quan_trieu, population=7_000, year=2021, source=PopulationSource.IMPORTED, actor=None)
    assert synthesize_commune_populations(district=tree.city) == 1
    tree.quan_trieu.refresh_from_db()
    tree.quang_vinh.refresh_from_db()
    assert (tree.quan_trieu.population, tree.quan_trieu.population_source) == (7_000, PopulationSource.IMPORTED)
    assert (tree.quang_vinh.population, tree.quang_vinh.population_source) == (3_000, PopulationSource.SYNTHESIZED)


def test_synthesis_needs_a_district_with_a_population_D1(tree: Any) -> None:
    with pytest.raises(ValidationFailed, match="chưa có số liệu dân số"):
        synthesize_commune_populations(district=tree.city)
    with pytest.raises(ValidationFailed):
        synthesize_commune_populations(district=tree.quan_trieu)


POPULATIONS = "Mã,Dân số,Năm,Nguồn\n05431,9.870,2021,\n05434,8120,2021,Nhập tay\n05431-01,1204,2022,\n"


def test_import_population_command_D1(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "dan-so.csv"
    path.write_text(POPULATIONS, encoding="utf-8")
    out = io.StringIO()
    call_command("import_population", str(path), "--tree", "2021", stdout=out)
    assert "Đã cập nhật dân số 3 đơn vị" in out.getvalue()
    qt = Unit.objects.get(tree="2021", code="05431")
    assert (qt.population, qt.population_year, qt.population_source) == (9870, 2021, PopulationSource.IMPORTED)
    assert Unit.objects.get(tree="2021", code="05434").population_source == PopulationSource.ENTERED
    assert AuditLog.objects.get(action=AuditAction.IMPORT).detail["written"] == 3


def test_import_population_with_a_bad_row_writes_nothing_D1(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "dan-so.csv"
    path.write_text("code,population,year\n05431,9870,2021\n99999,10,2021\n05434,-5,2021\n05434,5,2999\n", "utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 dòng lỗi; chưa ghi dòng nào"):
        call_command("import_population", str(path), "--tree", "2021", stderr=err)
    assert "dòng 3 [Mã]: Không có đơn vị mã 99999 (bộ 2021)." in err.getvalue()
    assert "dòng 4 [Dân số]: Giá trị phải từ 0 trở lên." in err.getvalue()
    assert "dòng 5 [Năm]: Năm không được ở tương lai." in err.getvalue()
    assert Unit.objects.get(tree="2021", code="05431").population is None
    call_command("import_population", str(path), "--tree", "2021", "--partial", stderr=err, stdout=io.StringIO())
    assert Unit.objects.get(tree="2021", code="05431").population == 9870
    assert (tmp_path / "dan-so-loi.csv").read_text("utf-8-sig").startswith("code,population,year,Lỗi")


def test_population_import_is_for_province_administrators_D1(tree: Any, cast: Any) -> None:
    with pytest.raises(NotInScope):
        population_import(upload=POPULATIONS.encode(), filename="p.csv", actor=cast.dan, tree="2021")
    result = population_import(upload=POPULATIONS.encode(), filename="p.csv", actor=cast.alice, tree="2021")
    assert result.written == 3


def test_population_import_page_D1(tree: Any, cast: Any) -> None:
    url = reverse("geo:population_import")
    assert client_for(cast.cuong).get(url).status_code == 403
    c = client_for(cast.alice)
    assert c.get(url).status_code == 200
    upload = SimpleUploadedFile("dan-so.csv", POPULATIONS.encode("utf-8-sig"))
    response = c.post(url, {"file": upload, "tree": "2021"})
    assert response.status_code == 200
    assert Unit.objects.get(tree="2021", code="05431-01").population == 1204
    bad = SimpleUploadedFile("dan-so.csv", "Mã,Dân số,Năm\n05431,nhiều,2021\n".encode())
    response = c.post(url, {"file": bad, "tree": "2021"})
    assert response.status_code == 400
    assert "“nhiều” không phải là số nguyên." in response.content.decode()


def test_population_shows_in_the_browser_with_its_source_D1(thai_nguyen_2021: str) -> None:
    apply_census_2019_thai_nguyen()
    city = Unit.objects.get(tree="2021", code="164")
    synthesize_commune_populations(district=city)
    viewer = User.objects.create_user(username="viewer", password="x")  # any signed-in user may browse units
    html = client_for(viewer).get(reverse("geo:unit", kwargs={"uid": city.uid})).content.decode()
    assert "340.403" in html
    assert "giả lập" in html  # synthesized commune figures are marked as such
    assert "TĐT 2019" in html

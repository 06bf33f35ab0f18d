"""D1: hamlets and residential groups are added by commune officers — service, page, API, Excel import.

Quán Triều is cuong's commune; chi is the commune officer of Quang Vinh (out of scope for Quán Triều).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.geo.models import Level, PopulationSource, Unit, UnitType
from phongdich.geo.services import hamlet_create, hamlet_import, hamlet_update


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def hamlets(commune: Any) -> list[tuple[str, str, str]]:
    return list(Unit.objects.filter(parent=commune).order_by("code").values_list("code", "name", "unit_type"))


# --- Service -----------------------------------------------------------------------------------------


def test_commune_officer_adds_hamlet_with_automatic_code_D1(tree: Any, cast: Any) -> None:
    h = hamlet_create(
        commune=tree.quan_trieu, name="  Tổ dân phố   2 ", unit_type=UnitType.TO_DAN_PHO, actor=cast.cuong
    )
    assert (h.code, h.name, h.level, h.path) == ("05431-02", "Tổ dân phố 2", Level.HAMLET, "/19/164/05431/05431-02/")
    assert h.parent == tree.quan_trieu
    line = AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(h.uid))
    assert line.actor == cast.cuong
    h3 = hamlet_create(commune=tree.quan_trieu, name="Xóm Cầu", unit_type="xom", population=420, actor=cast.cuong)
    assert h3.code == "05431-03"
    assert (h3.population, h3.population_source) == (420, PopulationSource.ENTERED)


@pytest.mark.parametrize("who", ["dan", "alice"])
def test_officers_above_the_commune_may_add_hamlets_D1(tree: Any, cast: Any, who: str) -> None:
    h = hamlet_create(commune=tree.quan_trieu, name="Xóm Mới", unit_type=UnitType.XOM, actor=getattr(cast, who))
    assert h.parent == tree.quan_trieu


@pytest.mark.parametrize("who", ["chi", "hoa", "oanh"])
def test_users_outside_the_commune_cannot_add_hamlets_D1(tree: Any, cast: Any, who: str) -> None:
    with pytest.raises(NotInScope):
        hamlet_create(commune=tree.quan_trieu, name="Xóm Lạ", unit_type=UnitType.XOM, actor=getattr(cast, who))
    assert hamlets(tree.quan_trieu) == [("05431-01", "Tổ dân phố 1", UnitType.TO_DAN_PHO)]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": "  "}, "name", "Tên không được để trống."),
        ({"name": "to dan pho 1"}, "name", "Phường Quán Triều đã có “to dan pho 1”."),
        ({"unit_type": UnitType.XA}, "unit_type", "Loại phải là"),
        ({"code": "05431-01"}, "code", "Mã đơn vị 05431-01 đã tồn tại."),
        ({"code": "a b"}, "code", "không có khoảng trắng"),
        ({"population": -1}, "population", "Dân số không hợp lệ."),
    ],
)
def test_bad_hamlet_input_is_refused_on_its_field_D1(
    tree: Any, cast: Any, kwargs: dict[str, Any], field: str, message: str
) -> None:
    args: dict[str, Any] = {"name": "Xóm Mới", "unit_type": UnitType.XOM, **kwargs}
    with pytest.raises(ValidationFailed) as exc:
        hamlet_create(commune=tree.quan_trieu, actor=cast.cuong, **args)
    assert exc.value.field == field
    assert message in str(exc.value.message)


def test_the_system_itself_may_add_hamlets_D1(tree: Any) -> None:
    """``actor=None``: management commands and the demo builder."""
    h = hamlet_create(commune=tree.quang_vinh, name="Tổ dân phố 7", unit_type=UnitType.TO_DAN_PHO, actor=None)
    assert h.code == "05434-01"
    assert AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(h.uid)).actor is None


def test_hamlets_only_under_communes_D1(tree: Any, cast: Any) -> None:
    with pytest.raises(ValidationFailed, match="đơn vị cấp xã"):
        hamlet_create(commune=tree.city, name="Xóm Sai", unit_type=UnitType.XOM, actor=cast.dan)


def test_rename_and_repopulate_a_hamlet_D1(tree: Any, cast: Any) -> None:
    hamlet_update(
        hamlet=tree.xom1, actor=cast.cuong, name="Tổ dân phố Số 1", unit_type=UnitType.KHU_PHO, population=800
    )
    tree.xom1.refresh_from_db()
    assert (tree.xom1.name, tree.xom1.unit_type, tree.xom1.population) == ("Tổ dân phố Số 1", "khu_pho", 800)
    assert tree.xom1.name_folded == "to dan pho so 1"
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_uid=str(tree.xom1.uid)).count() == 1
    with pytest.raises(NotInScope):
        hamlet_update(hamlet=tree.xom1, actor=cast.chi, name="Khác")


# --- Pages ----------------------------------------------------------------------------------------------


def test_commune_page_shows_hamlets_and_add_form_to_its_officer_D1(tree: Any, cast: Any) -> None:
    response = client_for(cast.cuong).get(reverse("geo:unit", kwargs={"uid": tree.quan_trieu.uid}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tổ dân phố 1" in body
    assert reverse("geo:hamlet_add", kwargs={"uid": tree.quan_trieu.uid}) in body


def test_out_of_scope_officer_sees_the_commune_but_no_form_D1(tree: Any, cast: Any) -> None:
    response = client_for(cast.chi).get(reverse("geo:unit", kwargs={"uid": tree.quan_trieu.uid}))
    assert response.status_code == 200
    assert reverse("geo:hamlet_add", kwargs={"uid": tree.quan_trieu.uid}) not in response.content.decode()


def test_add_hamlet_page_creates_in_scope_and_404s_out_of_scope_D1(tree: Any, cast: Any) -> None:
    url = reverse("geo:hamlet_add", kwargs={"uid": tree.quan_trieu.uid})
    data = {"name": "Xóm Đồng Tâm", "unit_type": "xom", "code": "", "population": "350"}
    assert client_for(cast.chi).post(url, data).status_code == 404
    assert (
        client_for(cast.chi).get(reverse("geo:hamlet_import", kwargs={"uid": tree.quan_trieu.uid})).status_code == 404
    )
    response = client_for(cast.cuong).post(url, data)
    assert response.status_code == 302
    assert ("05431-02", "Xóm Đồng Tâm", "xom") in hamlets(tree.quan_trieu)
    again = client_for(cast.cuong).post(url, data)
    assert again.status_code == 400
    assert "Phường Quán Triều đã có “Xóm Đồng Tâm”." in again.content.decode()


def test_hamlet_edit_page_D1(tree: Any, cast: Any) -> None:
    url = reverse("geo:hamlet_edit", kwargs={"uid": tree.xom1.uid})
    assert client_for(cast.chi).get(url).status_code == 404
    assert client_for(cast.cuong).get(url).status_code == 200
    response = client_for(cast.cuong).post(url, {"name": "Tổ 1A", "unit_type": "to_dan_pho", "population": ""})
    assert response.status_code == 302
    tree.xom1.refresh_from_db()
    assert tree.xom1.name == "Tổ 1A"


def test_unit_browser_pages_D1(tree: Any, cast: Any) -> None:
    c = client_for(cast.oanh)
    index = c.get(reverse("geo:index"))
    assert index.status_code == 200
    assert "Tỉnh Thái Nguyên" in index.content.decode()
    found = c.get(reverse("geo:index"), {"q": "quan trieu"})
    assert "Phường Quán Triều" in found.content.decode()
    province = c.get(reverse("geo:unit", kwargs={"uid": tree.province.uid})).content.decode()
    assert "Thành phố Thái Nguyên" in province
    assert "Thị xã Phổ Yên" in province
    assert c.get(reverse("geo:unit", kwargs={"uid": "00000000-0000-0000-0000-000000000000"})).status_code == 404
    assert Client().get(reverse("geo:index")).status_code == 302  # sign-in first


# --- API -------------------------------------------------------------------------------------------------


def test_api_adds_hamlet_in_scope_and_404s_out_of_scope_D1(tree: Any, cast: Any) -> None:
    url = reverse("api:units-hamlets", kwargs={"uid": tree.quan_trieu.uid})
    payload = {"name": "Xóm Bến", "unit_type": "xom"}
    assert client_for(cast.chi).post(url, payload, content_type="application/json").status_code == 404
    response = client_for(cast.cuong).post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["name"], body["level"], body["parent"]) == (
        "05431-02",
        "Xóm Bến",
        4,
        str(tree.quan_trieu.uid),
    )
    assert "id" not in body
    listed = client_for(cast.chi).get(url).json()
    assert [h["name"] for h in listed] == ["Tổ dân phố 1", "Xóm Bến"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Xóm Bến", "unit_type": "xa"}, "unit_type"),
        ({"unit_type": "xom"}, "name"),
        ({"name": "Tổ dân phố 1", "unit_type": "xom"}, "name"),
        ({"name": "Xóm Bến", "unit_type": "xom", "code": "05431-01"}, "code"),
    ],
)
def test_api_bad_hamlet_gives_400_with_field_errors_D1(
    tree: Any, cast: Any, payload: dict[str, Any], field: str
) -> None:
    url = reverse("api:units-hamlets", kwargs={"uid": tree.quan_trieu.uid})
    response = client_for(cast.cuong).post(url, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()


def test_api_hamlets_of_a_non_commune_is_404_D1(tree: Any, cast: Any) -> None:
    url = reverse("api:units-hamlets", kwargs={"uid": tree.city.uid})
    assert client_for(cast.alice).post(url, {"name": "X", "unit_type": "xom"}).status_code == 404


def test_api_lists_units_by_parent_level_and_name_D1(tree: Any, cast: Any) -> None:
    c = client_for(cast.chi)
    url = reverse("api:units-list")
    children = c.get(url, {"parent": str(tree.city.uid)}).json()["results"]
    assert [u["code"] for u in children] == ["05431", "05434"]
    communes = c.get(url, {"level": 3}).json()["results"]
    assert [u["code"] for u in communes] == ["05431", "05434", "05857"]
    assert [u["code"] for u in c.get(url, {"q": "DAC SON"}).json()["results"]] == ["05857"]
    assert c.get(url, {"level": 7}).status_code == 400
    assert c.get(url, {"parent": "nope"}).status_code == 400
    detail = c.get(reverse("api:units-detail", kwargs={"uid": tree.quan_trieu.uid})).json()
    assert (detail["name"], detail["unit_type"], detail["parent"]) == (
        "Phường Quán Triều",
        "phuong",
        str(tree.city.uid),
    )


def test_api_unit_list_pages_in_tree_order_D1(tree: Any, cast: Any) -> None:
    c = client_for(cast.alice)
    first = c.get(reverse("api:units-list"), {"page_size": 3}).json()
    assert [u["code"] for u in first["results"]] == ["19", "164", "05431"]
    second = c.get(first["next"]).json()
    assert [u["code"] for u in second["results"]] == ["05431-01", "05434", "172"]


def test_api_schema_documents_the_units_endpoints_D1(db: Any, cast: Any) -> None:
    schema = client_for(cast.alice).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/units/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/units/{uid}/hamlets/"]
    names = [p["name"] for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]]
    assert {"parent", "level", "tree", "q"} <= set(names)


# --- Import --------------------------------------------------------------------------------------------------


def csv_upload(text: str, name: str = "thon-xom.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.replace("\n", "\r\n").encode(encoding), content_type="text/csv")


GOOD = "Tên,Loại,Mã,Dân số\nTổ dân phố 2,Tổ dân phố,,510\nXóm Cầu,xóm,QT-CAU,\nTổ dân phố 3,to dan pho,,1.204\n"
BAD = (
    "STT,Tên,Loại,Mã,Dân số\n"
    "1,Tổ dân phố 2,Tổ dân phố,,510\n"
    "2,Tổ dân phố 1,Tổ dân phố,,\n"  # already exists
    "3,Xóm Cầu,Làng,,\n"  # not a hamlet type
    "4,Tổ dân phố 2,Tổ dân phố,,\n"  # duplicate of row 2
    "5,Xóm Giữa,Xóm,05431-01,\n"  # code taken
    "6,Xóm Trên,Xóm,,nhiều\n"  # population not a number
)


def test_import_creates_hamlets_with_codes_D1(tree: Any, cast: Any) -> None:
    result = hamlet_import(commune=tree.quan_trieu, upload=csv_upload(GOOD), actor=cast.cuong)
    assert result.ok
    assert result.written == 3
    assert hamlets(tree.quan_trieu) == [
        ("05431-01", "Tổ dân phố 1", "to_dan_pho"),
        ("05431-02", "Tổ dân phố 2", "to_dan_pho"),
        ("05431-03", "Tổ dân phố 3", "to_dan_pho"),
        ("QT-CAU", "Xóm Cầu", "xom"),
    ]
    assert Unit.objects.get(code="05431-03").population == 1204
    assert Unit.objects.get(code="QT-CAU").path == "/19/164/05431/QT-CAU/"
    assert AuditLog.objects.get(action=AuditAction.IMPORT).object_uid == str(tree.quan_trieu.uid)


def test_import_with_bad_rows_writes_nothing_and_reports_them_in_vietnamese_D1(tree: Any, cast: Any) -> None:
    result = hamlet_import(commune=tree.quan_trieu, upload=csv_upload(BAD), actor=cast.cuong)
    assert result.written == 0
    assert hamlets(tree.quan_trieu) == [("05431-01", "Tổ dân phố 1", "to_dan_pho")]
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "Tên"),
        (4, "Loại"),
        (5, "Tên"),
        (6, "Mã"),
        (7, "Dân số"),
    ]
    assert result.errors[0].message == "Phường Quán Triều đã có “Tổ dân phố 1”."
    assert result.errors[2].message == "Tên bị trùng với một dòng phía trên."


def test_import_out_of_scope_is_refused_D1(tree: Any, cast: Any) -> None:
    with pytest.raises(NotInScope):
        hamlet_import(commune=tree.quan_trieu, upload=csv_upload(GOOD), actor=cast.chi)
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


def test_import_page_shows_row_errors_and_offers_the_rejected_rows_D1(tree: Any, cast: Any) -> None:
    url = reverse("geo:hamlet_import", kwargs={"uid": tree.quan_trieu.uid})
    c = client_for(cast.cuong)
    response = c.post(url, {"file": csv_upload(BAD), "partial": "on"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Phường Quán Triều đã có “Tổ dân phố 1”." in body
    assert "“Làng” không hợp lệ; chọn một trong: Xóm, Thôn, Bản, Tổ dân phố, Ấp, Khu phố." in body
    assert hamlets(tree.quan_trieu)[1] == ("05431-02", "Tổ dân phố 2", "to_dan_pho")  # the valid row, written
    link = response.context["rejected_url"]
    assert link
    download = c.get(link)
    assert download.status_code == 200
    assert "thon-xom-loi.csv" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["STT", "Tên", "Loại", "Mã", "Dân số", "Lỗi"]
    assert [r[0] for r in rows[1:]] == ["2", "3", "4", "5", "6"]
    assert rows[2][5] == "Loại: “Làng” không hợp lệ; chọn một trong: Xóm, Thôn, Bản, Tổ dân phố, Ấp, Khu phố."
    assert client_for(cast.dan).get(link).status_code == 404  # only the importer gets the file


def test_import_page_all_or_nothing_by_default_D1(tree: Any, cast: Any) -> None:
    url = reverse("geo:hamlet_import", kwargs={"uid": tree.quan_trieu.uid})
    response = client_for(cast.cuong).post(url, {"file": csv_upload(BAD)})
    assert response.status_code == 400
    assert "chưa ghi dòng nào" in response.content.decode()
    assert len(hamlets(tree.quan_trieu)) == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.csv", b""), "Tệp rỗng"),
        (SimpleUploadedFile("x.csv", "Tên,Loại\n".encode()), "chỉ có dòng tiêu đề"),
        (SimpleUploadedFile("x.csv", "Tên,Kiểu\nXóm A,Xóm\n".encode()), "Tệp có cột không nhận ra: “Kiểu”"),
        (SimpleUploadedFile("x.csv", "Tên,Dân số\nXóm A,3\n".encode()), "Tệp thiếu cột bắt buộc: “Loại”"),
        # "Tên,Loại / Xóm Cầu,Xóm" as legacy Windows-1258 saves it (base letter + combining tone mark)
        (SimpleUploadedFile("x.csv", b"T\xean,Loa\xf2i\r\nX\xf3m C\xe2\xccu,X\xf3m\r\n"), "UTF-8"),
    ],
    ids=["empty", "header-only", "unknown-column", "missing-column", "cp1258"],
)
def test_import_page_file_errors_D1(tree: Any, cast: Any, upload: Any, message: str) -> None:
    url = reverse("geo:hamlet_import", kwargs={"uid": tree.quan_trieu.uid})
    response = client_for(cast.cuong).post(url, {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(hamlets(tree.quan_trieu)) == 1


def test_import_page_accepts_excel_and_serves_templates_D1(tree: Any, cast: Any) -> None:
    c = client_for(cast.cuong)
    template = c.get(reverse("geo:hamlet_template", kwargs={"uid": tree.quan_trieu.uid, "fmt": "xlsx"}))
    ws = load_workbook(io.BytesIO(template.content)).active
    assert ws is not None
    assert next(ws.iter_rows(values_only=True)) == ("Tên", "Loại", "Mã", "Dân số")
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(["Tên", "Loại", "Dân số"])
    sheet.append(["Bản Na", "Bản", 230])
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("ban.xlsx", buf.getvalue())
    response = c.post(reverse("geo:hamlet_import", kwargs={"uid": tree.quan_trieu.uid}), {"file": upload})
    assert response.status_code == 200
    assert ("05431-02", "Bản Na", "ban") in hamlets(tree.quan_trieu)
    assert c.get(reverse("geo:hamlet_template", kwargs={"uid": tree.quan_trieu.uid, "fmt": "pdf"})).status_code == 404


def test_admin_lists_and_shows_units_with_the_path_read_only_D1(tree: Any) -> None:
    from phongdich.core.models import User

    root = User.objects.create_superuser(username="root", password="x", email="root@example.org")
    c = client_for(root)
    assert c.get(reverse("admin:geo_unit_changelist"), {"q": "quan trieu"}).status_code == 200
    page = c.get(reverse("admin:geo_unit_change", args=[tree.quan_trieu.pk]))
    assert page.status_code == 200
    assert 'name="code"' not in page.content.decode()  # the code makes up paths: not editable here
    assert c.get(reverse("admin:geo_unitsuccession_changelist")).status_code == 200

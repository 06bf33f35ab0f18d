"""The home page per role: what that role must do today, inside its scope (D5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from phongdich.core.models import User
from phongdich.dashboard.selectors import capped_count, home_for
from phongdich.geo.models import Level, UnitType
from phongdich.geo.services import unit_create
from phongdich.orgs.models import Role, Sector
from phongdich.orgs.services import follow_assign, organisation_create, premises_create, role_assign
from phongdich.people.models import Person, StaffMembership
from phongdich.people.services import person_create


def _person(name: str, unit: Any, year: int = 1980, sex: str = "M", organisation: Any = None) -> Person:
    result = person_create(
        actor=None, full_name=name, birth_year=year, sex=sex, residence_unit=unit, organisation=organisation
    )
    assert result.person is not None
    return result.person


@pytest.fixture
def people(tree: Any) -> dict[str, Person]:
    return {
        "an": _person("Nguyễn Văn An", tree.quan_trieu),
        "binh": _person("Trần Thị Bình", tree.xom1, sex="F"),
        "cuc": _person("Lê Thị Cúc", tree.quang_vinh, sex="F"),
        "dung": _person("Phạm Văn Dũng", tree.dac_son),
    }


def _todos(home: Any) -> dict[str, bool]:
    return {t.text: t.done for t in home.todos}


def _get(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_home_is_vietnamese_and_needs_login_D5(cast: Any, client: Client) -> None:
    assert client.get("/").status_code == 302
    html = _get(client, cast.cuong)
    assert '<html lang="vi">' in html
    assert "Xin chào, Cường" in html
    assert "Việc cần làm hôm nay" in html


def test_commune_officer_home_shows_commune_hamlets_people_and_links_D5(
    cast: Any, client: Client, people: dict[str, Person]
) -> None:
    html = _get(client, cast.cuong)
    assert "Cán bộ cấp xã" in html
    assert "Phường Quán Triều" in html
    home = home_for(cast.cuong)
    assert str(home.people) == "2"  # An in the ward, Bình in its hamlet; not Cúc (Quang Vinh)
    panel = next(p for p in home.panels if p.kind == "commune")
    facts = dict(panel.facts)
    assert facts["Xóm, tổ dân phố"] == 1
    assert str(facts["Nhân khẩu đã đăng ký"]) == "2"
    assert [h.name for h in panel.rows] == ["Tổ dân phố 1"]
    labels = [link.label for link in panel.links]
    assert "Thêm nhân khẩu" in labels
    assert "Danh sách nhân khẩu" in labels
    assert _todos(home)["Khai báo xóm, tổ dân phố của Phường Quán Triều"] is True
    # the hamlet has a head (hoa), and there are people: nothing open about them
    assert _todos(home)["Mọi xóm, tổ dân phố của Phường Quán Triều đã có trưởng xóm được phân quyền"] is True
    assert "Lê Thị Cúc" not in html


def test_commune_without_hamlets_is_asked_to_declare_them_D5(cast: Any, client: Client) -> None:
    home = home_for(cast.chi)
    assert _todos(home)["Khai báo xóm, tổ dân phố của Phường Quang Vinh"] is False
    assert _todos(home)["Cập nhật danh sách nhân khẩu của Phường Quang Vinh"] is False
    html = _get(client, cast.chi)
    assert "Khai báo xóm, tổ dân phố của Phường Quang Vinh" in html
    assert "Phường Quán Triều" not in html


def test_hamlet_without_head_shows_in_commune_checklist_D5(cast: Any, tree: Any) -> None:
    unit_create(
        tree="2021",
        code="05431-02",
        name="Tổ dân phố 2",
        level=Level.HAMLET,
        unit_type=UnitType.TO_DAN_PHO,
        parent=tree.quan_trieu,
    )
    todos = _todos(home_for(cast.cuong))
    assert todos["1 xóm, tổ dân phố của Phường Quán Triều chưa có trưởng xóm được phân quyền"] is False


def test_hamlet_head_home_shows_residents_of_the_hamlet_D5(
    cast: Any, client: Client, people: dict[str, Person]
) -> None:
    html = _get(client, cast.hoa)
    assert "Tổ dân phố 1" in html
    assert "Trần Thị Bình" in html
    assert "Nguyễn Văn An" not in html  # in the ward, not in the hamlet
    home = home_for(cast.hoa)
    assert str(home.people) == "1"
    assert _todos(home)["Khai báo nhân khẩu của Tổ dân phố 1"] is True


def test_organisation_head_home_shows_compliance_and_todos_D5(cast: Any, client: Client, tree: Any) -> None:
    org = cast.enterprise
    child = organisation_create(name="Phân xưởng 2", kind="enterprise", unit=tree.dac_son, parent=org)
    todos = _todos(home_for(cast.oanh))
    assert todos["Khai báo địa điểm của Công ty TNHH Mẫu"] is False
    assert todos["Ghi nhận thủ trưởng của Công ty TNHH Mẫu trong danh sách cán bộ"] is False
    assert todos["Đăng ký danh sách cán bộ, nhân viên của Công ty TNHH Mẫu"] is False
    assert todos["1 đơn vị trực thuộc chưa có thủ trưởng"] is False
    html = _get(client, cast.oanh)
    assert "Khai báo địa điểm của Công ty TNHH Mẫu" in html
    assert "Phân xưởng 2" in html

    premises_create(organisation=org, name="Cổng chính", kind="gate")
    head = _person("Đỗ Thị Oanh", tree.dac_son, sex="F", organisation=org)
    # No staff-registry service exists yet (people app); the membership row is the registry's own shape.
    StaffMembership.objects.create(
        person=head, organisation=org, position="Giám đốc", is_head=True, start_date=date(2020, 1, 1)
    )
    StaffMembership.objects.create(
        person=_person("Vũ Văn Tư", tree.dac_son, organisation=child),
        organisation=child,
        is_head=True,
        start_date=date(2020, 1, 1),
    )
    home = home_for(cast.oanh)
    todos = _todos(home)
    assert todos["Khai báo địa điểm của Công ty TNHH Mẫu"] is True
    assert todos["Ghi nhận thủ trưởng của Công ty TNHH Mẫu trong danh sách cán bộ"] is True
    assert todos["Đăng ký danh sách cán bộ, nhân viên của Công ty TNHH Mẫu"] is True
    assert not any("chưa có thủ trưởng" in t for t in todos)
    panel = next(p for p in home.panels if p.kind == "organisation")
    assert dict(panel.facts) == {"Cán bộ, nhân viên": 1, "Địa điểm": 1, "Đơn vị trực thuộc": 1}
    assert panel.extra["compliance"].score == 100
    html = _get(client, cast.oanh)
    assert "Cổng chính" in html
    assert "Đã ghi nhận thủ trưởng đơn vị" in html


def test_former_head_no_longer_counts_D5(cast: Any, tree: Any) -> None:
    org = cast.enterprise
    head = _person("Đỗ Thị Oanh", tree.dac_son, sex="F", organisation=org)
    StaffMembership.objects.create(
        person=head, organisation=org, is_head=True, start_date=date(2015, 1, 1), end_date=date(2019, 12, 31)
    )
    assert _todos(home_for(cast.oanh))["Ghi nhận thủ trưởng của Công ty TNHH Mẫu trong danh sách cán bộ"] is False


def test_committee_member_home_shows_followed_localities_with_people_counts_D5(
    cast: Any, client: Client, tree: Any, people: dict[str, Person]
) -> None:
    son = User.objects.create_user("son", password="x", first_name="Sơn")
    role_assign(user=son, role=Role.STANDING_COMMITTEE, unit=tree.province)
    assert (
        _todos(home_for(son))["Được phân công địa bàn, lĩnh vực theo dõi (liên hệ quản trị hệ thống của tỉnh)"] is False
    )
    follow_assign(user=son, unit=tree.quan_trieu)
    follow_assign(user=son, unit=tree.pho_yen)
    follow_assign(user=son, sector=Sector.HEALTH)
    home = home_for(son)
    panel = next(p for p in home.panels if p.kind == "follow")
    rows = {(r["unit"].code if r["unit"] else None, r["sector"]): r for r in panel.rows}
    assert str(rows[("05431", "")]["people"]) == "2"
    assert str(rows[("172", "")]["people"]) == "1"
    assert "people" not in rows[(None, "Y tế")]
    html = _get(client, son)
    assert "Địa bàn, lĩnh vực theo dõi" in html
    assert "Thị xã Phổ Yên" in html
    assert f"?unit={tree.quan_trieu.uid}" in html


def test_province_admin_home_shows_users_roles_audit_and_imports_D5(cast: Any, client: Client) -> None:
    User.objects.create_user("moi", password="x")
    home = home_for(cast.alice)
    panel = next(p for p in home.panels if p.kind == "admin")
    assert dict(panel.facts)["Tài khoản chưa có vai trò"] == 1
    assert ("Cán bộ cấp xã", 2) in panel.extra["role_counts"]
    assert panel.rows
    assert panel.rows[0].pk > panel.rows[-1].pk
    assert _todos(home)["1 tài khoản chưa được giao vai trò"] is False
    assert _todos(home)["1 cơ quan, đơn vị chưa khai báo địa điểm"] is False
    html = _get(client, cast.alice)
    assert "Nhật ký mới nhất" in html
    assert "Phân quyền" in html
    assert "/orgs/roles/" in html
    assert "/audit/" in html
    labels = {link.label for link in panel.links}
    assert {"Phân quyền", "Phân công theo dõi", "Nhật ký truy cập", "Nhập nhân khẩu từ tệp"} <= labels


def test_district_officer_home_lists_communes_without_hamlets_D5(cast: Any, client: Client) -> None:
    home = home_for(cast.dan)
    panel = next(p for p in home.panels if p.kind == "district")
    assert [u.name for u in panel.rows] == ["Phường Quang Vinh"]
    assert _todos(home)["1 xã, phường chưa khai báo xóm, tổ dân phố"] is False


def test_user_without_roles_is_told_to_ask_for_one_D5(db: Any, client: Client) -> None:
    html = _get(client, User.objects.create_user("nobody", password="x"))
    assert "chưa được giao vai trò nào" in html


def test_people_counts_are_capped(cast: Any, tree: Any, people: dict[str, Person]) -> None:
    count = capped_count(Person.objects.all(), cap=3)
    assert (count.value, count.capped, str(count)) == (3, True, "3+")
    count = capped_count(Person.objects.all(), cap=10)
    assert (count.value, count.capped, str(count)) == (4, False, "4")


def test_home_query_count_does_not_grow_with_people_D5(
    cast: Any, client: Client, tree: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.cuong)
    client.get("/")
    for i in range(30):
        _person(f"Người Thứ {i}", tree.quan_trieu, year=1950 + i)
    with django_assert_max_num_queries(40):
        client.get("/")


@pytest.mark.parametrize("persona", ["alice", "dan", "cuong", "chi", "hoa", "oanh", "son", "yte"])
def test_every_link_on_the_home_page_opens_D5(
    cast: Any, client: Client, tree: Any, people: dict[str, Person], persona: str
) -> None:
    import re

    if persona == "son":
        user = User.objects.create_user("son", password="x")
        role_assign(user=user, role=Role.STANDING_COMMITTEE, unit=tree.province)
        for unit in (tree.quan_trieu, tree.pho_yen, tree.xom1):
            follow_assign(user=user, unit=unit)
        follow_assign(user=user, sector=Sector.HEALTH)
    elif persona == "yte":
        user = User.objects.create_user("yte", password="x")
        role_assign(user=user, role=Role.HEALTH, unit=tree.city)
        organisation_create(name="Trạm Y tế", kind="health_agency", sector="health", unit=tree.quan_trieu)
    else:
        user = getattr(cast, persona)
    html = _get(client, user)
    main = html[html.index("<main") :]
    links = set(re.findall(r'href="(/[^"]*)"', main))
    assert links
    for link in sorted(links):
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, (persona, link, response.status_code)


def test_health_officer_home_shows_health_organisations_and_their_premises_todo_D5(
    cast: Any, client: Client, tree: Any
) -> None:
    officer = User.objects.create_user("yte", password="x")
    role_assign(user=officer, role=Role.HEALTH, unit=tree.city)
    station = organisation_create(
        name="Trạm Y tế Quán Triều", kind="health_agency", sector="health", unit=tree.quan_trieu
    )
    organisation_create(name="Trường Mầm non Quang Vinh", kind="school", sector="education", unit=tree.quang_vinh)
    home = home_for(officer)
    panel = next(p for p in home.panels if p.kind == "sector")
    assert [o.name for o in panel.rows] == ["Trạm Y tế Quán Triều"]
    assert _todos(home)["1 cơ quan, đơn vị ngành Y tế chưa khai báo địa điểm"] is False
    premises_create(organisation=station, name="Trạm")
    assert _todos(home_for(officer))["Mọi cơ quan, đơn vị ngành Y tế đã khai báo địa điểm"] is True
    html = _get(client, officer)
    assert "Y tế — Thành phố Thái Nguyên" in html
    assert "Trường Mầm non Quang Vinh" not in html

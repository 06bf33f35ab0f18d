"""Staff pages (D2–D3): list, add by search, edit, end, export (audited); scope 404 (D4)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.people.models import StaffMembership

from .factories import PersonFactory, StaffMembershipFactory, StaffTree, build_staff_tree


@pytest.fixture
def staff(cast: Any, tree: Any) -> StaffTree:
    return build_staff_tree(company=cast.enterprise, unit=tree.dac_son)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_organisation_page_links_to_its_staff_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    html = login(client, cast.oanh).get(reverse("orgs:detail", args=[staff.team.uid])).content.decode()
    assert reverse("people:staff-list", args=[staff.team.uid]) in html


def test_staff_list_shows_posts_heads_party_members_and_managers_D3(
    client: Client, staff: StaffTree, cast: Any
) -> None:
    membership_update_party = StaffMembershipFactory(
        person=PersonFactory(full_name="Trịnh Văn Đảng", residence_unit=staff.team.unit, organisation=staff.team),
        organisation=staff.team,
        position="Công nhân",
        is_party_member=True,
        manager=staff.deputy,
    )
    response = login(client, cast.oanh).get(reverse("people:staff-list", args=[staff.team.uid]))
    assert response.status_code == 200
    items = response.context["page"].items
    assert items[0] == staff.team_head  # the head first
    assert set(items) == {staff.team_head, staff.deputy, staff.worker, staff.peer, membership_update_party}
    html = response.content.decode()
    assert "thủ trưởng" in html
    assert "Tổ phó" in html
    assert "Lê Văn Xưởng" in html  # the team head's manager
    row = html.split("Trịnh Văn Đảng", 1)[1].split("</tr>", 1)[0]
    assert "Có" in row  # party member
    assert "Vũ Văn Phó" in row  # direct manager
    # with the sub-units, from the company
    sub = client.get(reverse("people:staff-list", args=[staff.company.uid]), {"sub": "1"})
    assert staff.worker in sub.context["page"].items
    assert staff.outsider not in sub.context["page"].items


@pytest.mark.parametrize(("persona", "status"), [("chi", 404), ("cuong", 404), ("hoa", 404), ("oanh", 200)])
def test_staff_pages_are_404_out_of_scope_D4(
    client: Client, staff: StaffTree, cast: Any, persona: str, status: int
) -> None:
    login(client, getattr(cast, persona))
    urls = [
        reverse("people:staff-list", args=[staff.team.uid]),
        reverse("people:staff-create", args=[staff.team.uid]),
        reverse("people:staff-edit", args=[staff.worker.uid]),
        reverse("people:staff-end", args=[staff.worker.uid]),
        reverse("people:staff-export", args=[staff.team.uid, "xlsx"]),
        reverse("people:staff-import", args=[staff.team.uid]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url
    response = client.post(
        reverse("people:staff-end", args=[staff.worker.uid]), {"end_date": timezone.localdate().isoformat()}
    )
    staff.worker.refresh_from_db()
    if status == 404:
        assert response.status_code == 404
        assert staff.worker.end_date is None
        assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()
    else:
        assert response.status_code == 302
        assert staff.worker.end_date == timezone.localdate()


def test_add_staff_by_searching_the_registry_D3(client: Client, staff: StaffTree, cast: Any, tree: Any) -> None:
    person = PersonFactory(
        full_name="Hoàng Thị Mới", residence_unit=tree.dac_son, organisation=staff.team, with_cccd=True
    )
    PersonFactory(full_name="Hoàng Thị Mới", residence_unit=tree.quang_vinh)  # a namesake outside oanh's scope
    login(client, cast.oanh)
    url = reverse("people:staff-create", args=[staff.team.uid])
    found = client.get(url, {"q": "hoang thi moi"})
    assert [p.pk for p in found.context["found"]] == [person.pk]
    by_cccd = client.get(url, {"q": person.cccd})
    assert [p.pk for p in by_cccd.context["found"]] == [person.pk]
    assert f'value="{person.uid}"' in found.content.decode()
    response = client.post(
        url + "?q=hoang+thi+moi",
        {
            "person": str(person.uid),
            "position": "Công nhân",
            "category": "worker",
            "manager": str(staff.deputy.uid),
            "start_date": "2024-05-01",
        },
    )
    assert response.status_code == 302
    membership = StaffMembership.objects.get(person=person)
    assert (membership.organisation, membership.manager) == (staff.team, staff.deputy)
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(membership.uid), actor=cast.oanh).exists()


def test_add_staff_errors_show_on_the_form_D3(client: Client, staff: StaffTree, cast: Any, tree: Any) -> None:
    person = PersonFactory(full_name="Hoàng Thị Mới", residence_unit=tree.dac_son, organisation=staff.team)
    login(client, cast.oanh)
    url = reverse("people:staff-create", args=[staff.team.uid])
    data = {"person": str(person.uid), "position": "Tổ trưởng", "category": "worker", "start_date": "2024-05-01"}
    head = client.post(url, {**data, "is_head": "on"})
    assert head.status_code == 200
    assert "đã có thủ trưởng" in " ".join(head.context["form"].errors["is_head"])
    assert "Hoàng Thị Mới" in head.content.decode()  # the chosen person stays chosen
    nobody = client.post(url, {**data, "person": ""})
    assert "Hãy tìm và chọn một người" in nobody.content.decode()
    assert not StaffMembership.objects.filter(person=person).exists()
    replaced = client.post(url, {**data, "is_head": "on", "replace_head": "on"})
    assert replaced.status_code == 302
    assert list(
        StaffMembership.objects.filter(organisation=staff.team, is_head=True).values_list("person", flat=True)
    ) == [person.pk]


def test_edit_and_end_pages_D3(client: Client, staff: StaffTree, cast: Any) -> None:
    login(client, cast.oanh)
    edit = reverse("people:staff-edit", args=[staff.worker.uid])
    form = client.get(edit).context["form"]
    assert form.initial["manager"] == staff.deputy.uid
    # the person's own post is not offered as their manager
    assert staff.worker not in form.fields["manager"].queryset
    cycle = client.post(edit, {"position": "Công nhân", "category": "worker", "manager": str(staff.worker.uid)})
    assert cycle.status_code == 200
    assert "manager" in cycle.context["form"].errors
    saved = client.post(edit, {"position": "Tổ phó", "category": "worker", "manager": str(staff.team_head.uid)})
    assert saved.status_code == 302
    staff.worker.refresh_from_db()
    assert (staff.worker.position, staff.worker.manager) == ("Tổ phó", staff.team_head)
    end = reverse("people:staff-end", args=[staff.worker.uid])
    early = client.post(end, {"end_date": "2019-01-01"})
    assert "không được trước ngày bắt đầu" in " ".join(early.context["form"].errors["end_date"])
    yesterday = timezone.localdate() - timedelta(days=1)
    assert client.post(end, {"end_date": yesterday.isoformat()}).status_code == 302
    staff.worker.refresh_from_db()
    assert staff.worker.end_date == yesterday
    listed = client.get(reverse("people:staff-list", args=[staff.team.uid]))
    assert staff.worker not in listed.context["page"].items
    with_ended = client.get(reverse("people:staff-list", args=[staff.team.uid]), {"ended": "1"})
    assert staff.worker in with_ended.context["page"].items


def test_export_to_excel_is_audited_and_hides_identities_out_of_person_scope_D4(
    client: Client, staff: StaffTree, cast: Any, tree: Any
) -> None:
    resident = PersonFactory(full_name="Đinh Văn Vinh", residence_unit=tree.quang_vinh, with_cccd=True)
    StaffMembershipFactory(person=resident, organisation=staff.team, position="Bảo vệ")
    response = login(client, cast.oanh).get(reverse("people:staff-export", args=[staff.team.uid, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    by_name = {row[header.index("Họ và tên")]: row for row in rows[1:]}
    assert set(by_name) == {"Phạm Thị Tổ", "Vũ Văn Phó", "Đỗ Thị Công", "Ngô Văn Bạn", "Đinh Văn Vinh"}
    worker = by_name["Đỗ Thị Công"]
    assert worker[header.index("Số CCCD")] == staff.worker.person.cccd
    assert worker[header.index("CCCD lãnh đạo trực tiếp")] == staff.deputy.person.cccd
    assert worker[header.index("Thủ trưởng")] == "Không"
    # oanh may not see the Quang Vinh resident's record (not staff of hers in the registry): no CCCD
    assert by_name["Đinh Văn Vinh"][header.index("Số CCCD")] in ("", None)
    line = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (line.actor, line.object_type, line.object_uid) == (cast.oanh, "orgs.organisation", str(staff.team.uid))
    assert line.detail["rows"] == 5
    assert client.get(reverse("people:staff-export", args=[staff.team.uid, "pdf"])).status_code == 302
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_staff_list_page_query_count_is_pinned_D3(
    client: Client, staff: StaffTree, cast: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        StaffMembershipFactory(organisation=staff.team, manager=staff.deputy, position=f"Công nhân {i}")
    login(client, cast.oanh)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:staff-list", args=[staff.team.uid]))
    assert len(response.context["page"].items) == 24

"""The officials' pages (R5, G4): the tips inbox scoped to the responsible unit (out of scope 404), keyset
paged and filtered, exported (audited); the detail an audited read; assign, start and close; operator entry;
the directory and teams with who is on duty now."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from phongdich.core.models import AuditLog
from phongdich.hotlines.models import Tip, TipChannel, TipKind, TipStatus
from phongdich.hotlines.services import hotline_create, shift_create, team_create, tip_receive

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tip(tree: Any, commune: Any = None, kind: str = TipKind.SUSPECTED_CASE, **kw: Any) -> Tip:
    return tip_receive(
        actor=None,
        channel=TipChannel.PUBLIC,
        kind=kind,
        description=kw.pop("description", "Có người sốt từ vùng dịch về"),
        commune=commune or tree.quan_trieu,
        **kw,
    )


def test_inbox_is_scoped_to_the_responsible_unit_G4(cast: Any, tree: Any) -> None:
    ours = _tip(tree, description="ở Quán Triều")
    theirs = _tip(tree, commune=tree.quang_vinh, description="ở Quang Vinh")
    html = _client(cast.cuong).get("/hotlines/tips/").content.decode()
    assert ours.code in html
    assert theirs.code not in html
    assert _client(cast.chi).get(f"/hotlines/tips/{ours.uid}/").status_code == 404
    assert (
        _client(cast.chi).post(f"/hotlines/tips/{ours.uid}/close/", {"outcome": "unfounded", "note": "x"}).status_code
        == 404
    )
    district = _client(cast.dan).get("/hotlines/tips/").content.decode()
    assert ours.code in district
    assert theirs.code in district


def test_inbox_filters_and_keyset_pages_G4(cast: Any, tree: Any) -> None:
    tips = [_tip(tree) for _i in range(55)]
    false_info = _tip(tree, kind=TipKind.FALSE_INFORMATION)  # routed to the city, not Quán Triều
    client = _client(cast.dan)
    first = client.get("/hotlines/tips/").content.decode()
    assert false_info.code in first
    assert tips[0].code not in first
    assert 'rel="next"' in first
    second = client.get(f"/hotlines/tips/?after={tips[6].pk}").content.decode()
    assert tips[0].code in second
    assert 'rel="next"' not in second
    only = client.get("/hotlines/tips/?kind=false_information").content.decode()
    assert false_info.code in only
    assert tips[-1].code not in only
    by_code = client.get(f"/hotlines/tips/?q={false_info.code.lower()}").content.decode()
    assert false_info.code in by_code
    assert tips[-1].code not in by_code


def test_export_is_audited_and_scoped_G4(cast: Any, tree: Any) -> None:
    ours = _tip(tree, reporter_phone="0912345678")
    _tip(tree, commune=tree.quang_vinh)
    response = _client(cast.cuong).get("/hotlines/tips/export.xlsx?status=open")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == ours.code
    assert "0912345678" in rows[1]
    line = AuditLog.objects.get(action="export")
    assert (line.actor, line.object_type, line.detail["rows"], line.detail["status"]) == (
        cast.cuong,
        "hotlines.tip",
        1,
        "open",
    )


def test_detail_is_an_audited_read_G4(cast: Any, tree: Any) -> None:
    tip = _tip(tree, reporter_name="Lê Báo Tin", reporter_phone="0912345678")
    html = _client(cast.cuong).get(f"/hotlines/tips/{tip.uid}/").content.decode()
    assert "Lê Báo Tin" in html
    assert "0912345678" in html
    assert AuditLog.objects.filter(action="read", object_uid=str(tip.uid), actor=cast.cuong).count() == 1


def test_assign_start_close_through_the_pages_G4(cast: Any, tree: Any) -> None:
    tip = _tip(tree)
    client = _client(cast.cuong)
    bad = client.post(f"/hotlines/tips/{tip.uid}/assign/", {"assignee": cast.chi.pk})
    assert bad.status_code == 400
    assert "Lựa chọn không hợp lệ" in bad.content.decode()
    assert client.post(f"/hotlines/tips/{tip.uid}/assign/", {"assignee": cast.hoa.pk}).status_code == 302
    hoa = _client(cast.hoa)
    assert hoa.post(f"/hotlines/tips/{tip.uid}/start/").status_code == 302
    missing_note = hoa.post(f"/hotlines/tips/{tip.uid}/close/", {"outcome": "confirmed", "note": ""})
    assert missing_note.status_code == 400
    assert (
        hoa.post(
            f"/hotlines/tips/{tip.uid}/close/", {"outcome": "confirmed", "note": "Đã đưa đi xét nghiệm"}
        ).status_code
        == 302
    )
    tip.refresh_from_db()
    assert (tip.status, tip.assignee) == (TipStatus.CLOSED, cast.hoa)
    html = client.get(f"/hotlines/tips/{tip.uid}/").content.decode()
    assert "Đã đưa đi xét nghiệm" in html
    assert "Kết thúc tin báo" not in html


def test_operator_enters_a_tip_from_the_phone_G4(cast: Any, tree: Any) -> None:
    client = _client(cast.dan)
    assert client.get("/hotlines/tips/new/").status_code == 200
    data = {
        "kind": "price_gouging",
        "description": "Hiệu thuốc bán khẩu trang 200.000 đồng một hộp",
        "commune": tree.quan_trieu.code,
        "hamlet": tree.xom1.code,
        "address": "Chợ Quán Triều",
        "happened_at": "2021-05-10T09:30",
        "reporter_name": "Người gọi",
        "reporter_phone": "0987654321",
    }
    response = client.post("/hotlines/tips/new/", data)
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert (tip.channel, tip.received_by, tip.hamlet, tip.routed_unit) == ("hotline", cast.dan, tree.xom1, tree.city)
    # A commune outside the operator's scope is not offered.
    outside = client.post("/hotlines/tips/new/", {**data, "commune": tree.dac_son.code, "hamlet": ""})
    assert outside.status_code == 400
    assert Tip.objects.count() == 1


def test_directory_and_teams_show_who_is_on_duty_now_R5(cast: Any, tree: Any) -> None:
    now = timezone.now()
    hotline = hotline_create(actor=None, unit=tree.city, name="Đường dây nóng TP", number="0913 111 222")
    shift_create(
        actor=None,
        hotline=hotline,
        full_name="Trực Tổng Đài",
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=1),
    )
    team = team_create(actor=None, unit=tree.city, name="Đội PƯN TP Thái Nguyên")
    shift_create(
        actor=None,
        team=team,
        full_name="Bác Sĩ Đang Trực",
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=1),
    )
    shift_create(
        actor=None, team=team, full_name="Bác Sĩ Hôm Qua", start=now - timedelta(days=1), end=now - timedelta(hours=20)
    )
    client = _client(cast.cuong)
    directory = client.get("/hotlines/").content.decode()
    assert "Trực Tổng Đài" in directory
    teams = client.get("/hotlines/teams/").content.decode()
    assert "Bác Sĩ Đang Trực" in teams
    assert "Bác Sĩ Hôm Qua" not in teams
    assert "Đội PƯN TP Thái Nguyên" not in _client(cast.oanh).get("/hotlines/teams/").content.decode()


def test_adding_a_shift_on_the_team_page_R5(cast: Any, tree: Any) -> None:
    team = team_create(actor=None, unit=tree.city, name="Đội PƯN TP")
    client = _client(cast.dan)
    bad = client.post(
        f"/hotlines/teams/{team.uid}/", {"full_name": "A", "start": "2021-05-10T08:00", "end": "2021-05-10T07:00"}
    )
    assert bad.status_code == 400
    assert "Giờ kết thúc ca trực phải sau giờ bắt đầu" in bad.content.decode()
    ok = client.post(
        f"/hotlines/teams/{team.uid}/",
        {"full_name": "Bác sĩ A", "phone": "0912345678", "start": "2099-05-10T08:00", "end": "2099-05-10T20:00"},
    )
    assert ok.status_code == 302
    assert team.shifts.get().full_name == "Bác sĩ A"
    # A commune officer sees the district's team but may not add its shifts.
    client = _client(cast.cuong)
    client.post(
        f"/hotlines/teams/{team.uid}/", {"full_name": "B", "start": "2099-05-11T08:00", "end": "2099-05-11T20:00"}
    )
    assert team.shifts.count() == 1


def test_inbox_query_count_does_not_grow_with_the_page_G4(
    cast: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    for _i in range(30):
        tip = _tip(tree, kind=TipKind.ILLEGAL_ENTRY)
    from phongdich.hotlines.services import tip_assign

    tip_assign(actor=cast.dan, tip=tip, assignee=cast.cuong)
    client = _client(cast.dan)
    client.get("/hotlines/tips/")  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get("/hotlines/tips/").status_code == 200


def test_district_officer_adds_a_hotline_a_team_and_a_member_R5(cast: Any, tree: Any) -> None:
    client = _client(cast.dan)
    bad = client.post("/hotlines/", {"unit": tree.city.pk, "name": "TTYT", "number": "gọi ngay", "hours": "24/7"})
    assert bad.status_code == 400
    assert "Số đường dây nóng chỉ gồm" in bad.content.decode()
    outside = client.post("/hotlines/", {"unit": tree.pho_yen.pk, "name": "Phổ Yên", "number": "0208 1", "hours": ""})
    assert outside.status_code == 400
    assert (
        client.post(
            "/hotlines/", {"unit": tree.city.pk, "name": "TTYT TP", "number": "0208 3855 123", "hours": "24/7"}
        ).status_code
        == 302
    )
    assert client.post("/hotlines/teams/", {"unit": tree.city.pk, "name": "Đội PƯN TP"}).status_code == 302
    from phongdich.hotlines.models import Hotline, RapidResponseTeam

    team = RapidResponseTeam.objects.get()
    assert (Hotline.objects.get().unit, team.unit) == (tree.city, tree.city)
    bad_phone = client.post(f"/hotlines/teams/{team.uid}/", {"form": "member", "full_name": "Bác sĩ B", "phone": "12"})
    assert bad_phone.status_code == 400
    ok = client.post(
        f"/hotlines/teams/{team.uid}/",
        {"form": "member", "full_name": "Bác sĩ B", "position": "Bác sĩ", "phone": "0912345678"},
    )
    assert ok.status_code == 302
    assert team.members.get().phone == "0912345678"
    # A commune officer has no province or district in scope: no form, and a post adds nothing.
    commune = _client(cast.cuong)
    assert "Thêm đội phản ứng nhanh" not in commune.get("/hotlines/teams/").content.decode()
    commune.post("/hotlines/teams/", {"unit": tree.city.pk, "name": "Không được"})
    assert RapidResponseTeam.objects.count() == 1


def test_inbox_filters_by_place_G4(cast: Any, tree: Any) -> None:
    qt = _tip(tree, kind=TipKind.ILLEGAL_ENTRY)
    qv = _tip(tree, commune=tree.quang_vinh, kind=TipKind.ILLEGAL_ENTRY)
    client = _client(cast.dan)
    page = client.get("/hotlines/tips/").content.decode()
    assert f'value="{tree.quan_trieu.uid}"' in page
    html = client.get(f"/hotlines/tips/?unit={tree.quang_vinh.uid}").content.decode()
    assert qv.code in html
    assert qt.code not in html
    # A unit outside the scope is ignored, not an error.
    assert qt.code in client.get(f"/hotlines/tips/?unit={tree.dac_son.uid}").content.decode()

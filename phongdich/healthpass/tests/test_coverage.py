"""QR coverage of organisations (M1, D5): shares with an active code and with check-ins today and
this week, per unit with drill-down, lists of those without, scope, export and API."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from phongdich.checkins.models import CheckIn, PremisesCode
from phongdich.core.models import AuditAction, AuditLog
from phongdich.healthpass import views
from phongdich.healthpass.selectors import coverage_list, coverage_of
from phongdich.orgs.models import Organisation, OrganisationKind, Premises
from phongdich.orgs.services import organisation_create, premises_create

from .conftest import make_person

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday: the week began on Monday 30/08/2021.
NOW = datetime(2021, 9, 1, 10, 0, tzinfo=HCM)


@dataclass
class Plant:
    a: Organisation
    b: Organisation
    c: Organisation
    d: Organisation
    e: Organisation


def _premises(org: Organisation, name: str = "Trụ sở", *, active: bool = True) -> Premises:
    p = premises_create(organisation=org, name=name, kind=Premises.Kind.OFFICE)
    if not active:
        Premises.objects.filter(pk=p.pk).update(is_active=False)
    return p


def _code(premises: Premises, *, revoked: bool = False) -> None:
    PremisesCode.objects.create(
        premises=premises,
        token=uuid.uuid4().hex,
        issued_at=NOW - timedelta(days=20),
        revoked_at=NOW - timedelta(days=1) if revoked else None,
    )


def _checkin(premises: Premises, person: Any, at: datetime) -> None:
    CheckIn.objects.create(premises=premises, person=person, at=at, received_at=at, client_id=uuid.uuid4())


@pytest.fixture
def plant(cast: Any, tree: Any) -> Plant:
    """Five active organisations and an inactive one, with codes and check-ins at the edges.

    A (Quán Triều): code, a check-in this morning               → QR, today, week
    B (Quán Triều): code, a check-in Monday 00:00 (week start)  → QR, week
    C (Quán Triều): only a revoked code, a check-in Sunday 23:59 → nothing
    D (Quang Vinh): no premises                                  → nothing
    E (oanh's enterprise, Đắc Sơn): code only on a closed premises; check-in today on an open one
                                                                 → today, week (no QR)
    F (on the city itself): inactive                             → not counted
    """
    someone = make_person(tree.quan_trieu)
    mk = organisation_create
    a = mk(name="Ban Quản lý chợ Thái", kind=OrganisationKind.OTHER, unit=tree.quan_trieu)
    b = mk(name="Bệnh viện Gang Thép", kind=OrganisationKind.HOSPITAL, unit=tree.xom1)
    c = mk(name="Công ty Cổ phần Cơ khí", kind=OrganisationKind.ENTERPRISE, unit=tree.quan_trieu)
    d = mk(name="Trường Tiểu học Quang Vinh", kind=OrganisationKind.SCHOOL, unit=tree.quang_vinh)
    e = cast.enterprise
    f = mk(name="Hội Chữ thập đỏ thành phố", kind=OrganisationKind.OTHER, unit=tree.city)
    Organisation.objects.filter(pk=f.pk).update(is_active=False)
    pa, pb, pc = _premises(a), _premises(b), _premises(c)
    _code(pa)
    _code(pb)
    _code(pc, revoked=True)
    _checkin(pa, someone, NOW - timedelta(hours=2))
    _checkin(pb, someone, datetime(2021, 8, 30, 0, 0, tzinfo=HCM))
    _checkin(pc, someone, datetime(2021, 8, 29, 23, 59, tzinfo=HCM))
    closed = _premises(e, "Xưởng cũ", active=False)
    _code(closed)
    _checkin(_premises(e, "Xưởng mới"), someone, NOW - timedelta(minutes=5))
    pf = _premises(f)
    _code(pf)
    _checkin(pf, someone, NOW - timedelta(hours=1))
    return Plant(a, b, c, d, e)


def _numbers(t: Any) -> tuple[int, int, int, int]:
    return (t.organisations, t.with_qr, t.checked_today, t.checked_week)


def test_coverage_numbers_on_planted_data_M1_D5(plant: Plant, cast: Any, tree: Any) -> None:
    cov = coverage_of(cast.alice, unit=tree.province, now=NOW)
    assert _numbers(cov.total) == (5, 2, 2, 3)
    assert (cov.total.share_qr, cov.total.share_today, cov.total.share_week) == (40.0, 40.0, 60.0)
    by_unit = {row.unit.name if row.unit else "": _numbers(row.tally) for row in cov.rows}
    assert by_unit == {"Thành phố Thái Nguyên": (4, 2, 1, 2), "Thị xã Phổ Yên": (1, 0, 1, 1)}
    city = coverage_of(cast.alice, unit=tree.city, now=NOW)
    assert {row.unit.name: _numbers(row.tally) for row in city.rows if row.unit} == {
        "Phường Quán Triều": (3, 2, 1, 2),
        "Phường Quang Vinh": (1, 0, 0, 0),
    }
    commune = coverage_of(cast.alice, unit=tree.quan_trieu, now=NOW)
    # Organisations on the commune itself, and B in a hamlet of it.
    assert {row.unit.name if row.unit else "": _numbers(row.tally) for row in commune.rows} == {
        "": (2, 1, 1, 1),
        "Tổ dân phố 1": (1, 1, 0, 1),
    }


def test_coverage_queries_do_not_grow_with_organisations_D5(
    plant: Plant, cast: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    coverage_of(cast.alice, unit=tree.province, now=NOW)  # warm the user's scope
    with django_assert_max_num_queries(2):
        coverage_of(cast.alice, unit=tree.province, now=NOW)


def test_lists_without_qr_and_without_checkins_this_week_M1_D5(plant: Plant, cast: Any, tree: Any) -> None:
    def names(which: str, user: Any = cast.alice) -> list[str]:
        return [o.name for o in coverage_list(user, unit=tree.province, which=which, now=NOW)]

    assert set(names("no_qr")) == {plant.c.name, plant.d.name, plant.e.name}
    assert set(names("no_week")) == {plant.c.name, plant.d.name}
    assert set(names("no_today")) == {plant.b.name, plant.c.name, plant.d.name}
    assert len(names("all")) == 5


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", {"a", "b", "c", "d", "e"}),
        ("dan", {"a", "b", "c", "d"}),
        ("cuong", {"a", "b", "c"}),
        ("chi", {"d"}),
        ("oanh", {"e"}),
    ],
)
def test_coverage_scope_D5(plant: Plant, cast: Any, who: str, expected: set[str]) -> None:
    user = getattr(cast, who)
    names = {getattr(plant, k).name: k for k in "abcde"}
    seen = {names[o.name] for o in coverage_list(user, which="all", now=NOW)}
    assert seen == expected
    assert coverage_of(user, unit=None, now=NOW).total.organisations == len(expected)


def test_org_head_page_shows_only_own_organisation_D5(plant: Plant, cast: Any) -> None:
    client = Client()
    client.force_login(cast.oanh)
    page = client.get(reverse("healthpass:coverage"))
    assert page.status_code == 200
    assert '<strong id="total-orgs">1</strong>' in page.content.decode()
    listing = client.get(reverse("healthpass:coverage_organisations"), {"which": "all"}).content.decode()
    assert plant.e.name in listing
    for other in (plant.a, plant.b, plant.c, plant.d):
        assert other.name not in listing


def test_commune_officer_sees_only_their_commune_D5(plant: Plant, cast: Any, tree: Any) -> None:
    client = Client()
    client.force_login(cast.cuong)
    page = client.get(reverse("healthpass:coverage")).content.decode()
    assert "Phường Quán Triều" in page
    assert '<strong id="total-orgs">3</strong>' in page
    # Above their commune: only their commune's organisations are counted.
    above = client.get(reverse("healthpass:coverage"), {"unit": str(tree.province.uid)}).content.decode()
    assert '<strong id="total-orgs">3</strong>' in above
    assert "Thị xã Phổ Yên" not in above
    # Another commune or district: not found.
    for unit in (tree.quang_vinh, tree.pho_yen):
        assert client.get(reverse("healthpass:coverage"), {"unit": str(unit.uid)}).status_code == 404
    assert client.get(reverse("healthpass:coverage"), {"unit": "not-a-uuid"}).status_code == 404


def test_drill_down_province_district_commune_organisations_M1(plant: Plant, cast: Any, tree: Any) -> None:
    client = Client()
    client.force_login(cast.alice)
    province = client.get(reverse("healthpass:coverage")).content.decode()
    assert f'{reverse("healthpass:coverage")}?unit={tree.city.uid}"' in province
    district = client.get(reverse("healthpass:coverage"), {"unit": str(tree.city.uid)}).content.decode()
    assert f'{reverse("healthpass:coverage")}?unit={tree.quan_trieu.uid}"' in district
    commune = client.get(reverse("healthpass:coverage"), {"unit": str(tree.quan_trieu.uid)}).content.decode()
    assert f"{reverse('healthpass:coverage_organisations')}?unit={tree.xom1.uid}&amp;which=all" in commune
    hamlet = client.get(reverse("healthpass:coverage_organisations"), {"unit": str(tree.xom1.uid)}).content.decode()
    assert plant.b.name in hamlet
    assert plant.a.name not in hamlet


def test_list_keyset_pages_M1(plant: Plant, cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = Client()
    client.force_login(cast.alice)
    url = reverse("healthpass:coverage_organisations")
    seen: list[str] = []
    query: dict[str, str] | str = {"which": "all"}
    for _page in range(5):
        response = client.get(url, query) if isinstance(query, dict) else client.get(f"{url}?{query}")
        rows = response.context["rows"]
        seen += [o.name for o in rows]
        query = response.context["next_query"]
        if not query:
            break
    names = {getattr(plant, k).name for k in "abcde"}
    assert sorted(seen) == sorted(names)
    assert len(seen) == len(names)


def test_export_without_qr_is_scoped_and_audited_M1_D5(plant: Plant, cast: Any, tree: Any) -> None:
    client = Client()
    client.force_login(cast.dan)
    response = client.get(reverse("healthpass:coverage_export"), {"which": "no_qr"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Cơ quan, đơn vị"
    assert {r[0] for r in rows[1:]} == {plant.c.name, plant.d.name}
    log = AuditLog.objects.get(action=AuditAction.EXPORT, actor=cast.dan)
    assert log.detail["rows"] == 2
    assert log.detail["which"] == "no_qr"


def test_coverage_api_per_unit_M1_D5(plant: Plant, cast: Any, tree: Any) -> None:
    client = Client()
    client.force_login(cast.dan)
    response = client.get("/api/v1/coverage/", {"unit": str(tree.city.uid)})
    assert response.status_code == 200
    data = response.json()
    assert data["unit"]["name"] == "Thành phố Thái Nguyên"
    assert data["total"]["organisations"] == 4
    assert data["total"]["with_qr"] == 2
    assert {r["unit"]["name"] for r in data["rows"]} == {"Phường Quán Triều", "Phường Quang Vinh"}
    assert client.get("/api/v1/coverage/", {"unit": str(tree.pho_yen.uid)}).status_code == 404
    assert Client().get("/api/v1/coverage/").status_code in (401, 403)


def test_today_counts_with_the_real_clock_M1(plant: Plant, cast: Any) -> None:
    """The page uses the server's clock: a check-in a minute ago counts as today."""
    premises = Premises.objects.get(organisation=plant.d) if plant.d.premises.exists() else _premises(plant.d)
    _checkin(premises, make_person(premises.unit), timezone.now() - timedelta(minutes=1))
    today = coverage_of(cast.chi, unit=None)
    assert _numbers(today.total)[2] == 1


@pytest.mark.parametrize("which", ["no_qr", "no_today", "no_week"])
def test_without_lists_probe_per_organisation_not_anti_join_D5(cast: Any, tree: Any, which: str) -> None:
    """A bare NOT EXISTS becomes, on PostgreSQL, an anti-join over the week's millions of check-ins
    (minutes at province scale); the lists keep a per-organisation probe of the (premises, at) index."""
    sql = str(coverage_list(cast.alice, unit=tree.province, which=which, now=NOW).query).upper()
    assert "NOT EXISTS" not in sql
    assert "CASE WHEN EXISTS" in sql

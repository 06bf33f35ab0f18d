"""The dashboard of figures (D5): hand counts, scope, the level map and its tile fallback, charts with tables."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, DetectedIn
from phongdich.dashboard import charts
from phongdich.dashboard.models import UnitBoundary
from phongdich.dashboard.overview import (
    case_tallies,
    epidemic_curve,
    levels_by_commune,
    overview_for,
    quarantine_occupancy,
)
from phongdich.levels.models import LevelDecision
from phongdich.levels.selectors import current_level
from phongdich.people.tests.factories import PersonFactory
from phongdich.quarantine.models import Episode, EpisodeStatus, Facility

TODAY = timezone.localdate()
_codes = iter(range(1, 10_000))


def _case(unit: Any, day: date, *, status: str = CaseStatus.CONFIRMED, where: str = DetectedIn.COMMUNITY) -> Case:
    person = PersonFactory(residence_unit=unit)
    return Case.objects.create(
        case_code=f"TN-D5-{next(_codes):04d}",
        person=person,
        status=status,
        detected_in=where,
        sampling_date=day,
        confirmation_date=day,
        confirmed_at=timezone.make_aware(datetime.combine(day, datetime.min.time())),
        residence_unit=unit,
    )


@pytest.fixture
def cases(tree: Any) -> list[Case]:
    yesterday = TODAY - timedelta(days=1)
    return [
        _case(tree.quan_trieu, TODAY),
        _case(tree.xom1, TODAY, where=DetectedIn.QUARANTINE),
        _case(tree.quan_trieu, yesterday, status=CaseStatus.RECOVERED, where=DetectedIn.ENTRY),
        _case(tree.quang_vinh, yesterday, status=CaseStatus.DIED),
        _case(tree.dac_son, yesterday, where=DetectedIn.HEALTH_FACILITY),
        _case(tree.dac_son, TODAY - timedelta(days=90)),  # outside the curve's 60 days, inside the totals
        _case(tree.dac_son, TODAY, status=CaseStatus.SUSPECTED),  # never counted
    ]


def _level(unit: Any, level: int, days_ago: int) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    LevelDecision.objects.create(unit=unit, level=level, computed_level=level, published_at=at, effective_from=at)


def test_curve_splits_community_from_quarantine_and_entry_D5(tree: Any, cases: list[Case]) -> None:
    curve = {d.day: d for d in epidemic_curve(tree.province, end=TODAY)}
    assert len(curve) == 60
    today, yesterday = curve[TODAY], curve[TODAY - timedelta(days=1)]
    assert (today.community, today.quarantine, today.other) == (1, 1, 0)
    assert (yesterday.community, yesterday.quarantine, yesterday.other) == (1, 1, 1)
    assert sum(d.total for d in curve.values()) == 5
    city_curve = {d.day: d for d in epidemic_curve(tree.city, end=TODAY)}
    assert city_curve[TODAY - timedelta(days=1)].other == 0


def test_case_figures_equal_hand_counts_per_unit_D5(tree: Any, cases: list[Case]) -> None:
    whole, per_unit = case_tallies(tree.province, today=TODAY)
    assert (whole.total, whole.today, whole.treating, whole.recovered, whole.died) == (6, 2, 4, 1, 1)
    rows = {r.unit.name: r.tally for r in per_unit if r.unit}
    assert rows["Thành phố Thái Nguyên"].total == 4
    assert rows["Thị xã Phổ Yên"].total == 2
    _whole, communes = case_tallies(tree.city, today=TODAY)
    assert {r.unit.name: r.tally.total for r in communes if r.unit} == {"Phường Quán Triều": 3, "Phường Quang Vinh": 1}
    # A commune's children are its hamlets; a case placed on the commune itself has its own row.
    _whole, hamlets = case_tallies(tree.quan_trieu, today=TODAY)
    assert {(r.unit.name if r.unit else None): r.tally.total for r in hamlets} == {"Tổ dân phố 1": 1, None: 2}


def test_levels_by_commune_equal_current_level_D5(tree: Any) -> None:
    _level(tree.quan_trieu, 1, days_ago=14)
    _level(tree.quan_trieu, 3, days_ago=2)
    _level(tree.dac_son, 2, days_ago=1)
    at = timezone.now() + timedelta(days=3)  # published, not yet in force
    LevelDecision.objects.create(unit=tree.dac_son, level=4, computed_level=4, published_at=at, effective_from=at)
    cells = levels_by_commune(tree.province)
    assert [c.unit.name for c in cells] == ["Phường Quán Triều", "Phường Quang Vinh", "Xã Đắc Sơn"]
    assert [c.level for c in cells] == [current_level(c.unit) for c in cells] == [3, None, 2]


def test_quarantine_occupancy_against_capacity_D5(tree: Any) -> None:
    f = Facility.objects.create(name="KTX Đại học Thái Nguyên", kind="centralised", unit=tree.quan_trieu, capacity=3)
    Facility.objects.create(name="Trường bắn Đắc Sơn", kind="centralised", unit=tree.dac_son, capacity=50)
    for status in (EpisodeStatus.OPEN, EpisodeStatus.OPEN, EpisodeStatus.RELEASED):
        Episode.objects.create(
            person=PersonFactory(residence_unit=tree.quang_vinh),
            kind="centralised",
            facility=f,
            start_date=TODAY,
            planned_end=TODAY + timedelta(days=14),
            status=status,
        )
    rows = quarantine_occupancy(tree.city)
    assert [(r.facility.name, r.occupied, r.capacity, r.percent) for r in rows] == [
        ("KTX Đại học Thái Nguyên", 2, 3, 67)
    ]
    assert len(quarantine_occupancy(tree.province)) == 2


def _page(client: Client, user: Any, query: str = "") -> Any:
    client.force_login(user)
    return client.get(reverse("dashboard-overview") + query)


def test_commune_officer_sees_only_their_commune_D5(client: Client, tree: Any, cast: Any, cases: list[Case]) -> None:
    response = _page(client, cast.cuong)
    assert response.status_code == 200
    o = response.context["overview"]
    assert o.root == tree.quan_trieu
    assert (o.cases.total, o.cases.today) == (3, 2)
    assert [c.unit for c in o.levels] == [tree.quan_trieu]
    assert "Xã Đắc Sơn" not in response.content.decode()
    # Another place, even named in the address, is refused.
    assert _page(client, cast.cuong, f"?unit={tree.province.uid}").status_code == 404
    assert _page(client, cast.cuong, "?unit=not-a-uuid").status_code == 404
    # A hamlet of their commune is inside their scope.
    assert _page(client, cast.cuong, f"?unit={tree.xom1.uid}").context["overview"].cases.total == 1


def test_district_and_province_scopes_D5(client: Client, tree: Any, cast: Any, cases: list[Case]) -> None:
    assert _page(client, cast.dan).context["overview"].cases.total == 4
    o = _page(client, cast.alice).context["overview"]
    assert o.root == tree.province
    assert o.cases.total == 6
    assert _page(client, cast.alice, f"?unit={tree.pho_yen.uid}").context["overview"].cases.total == 2


def test_a_user_without_a_unit_gets_no_figures_D5(client: Client, cast: Any, cases: list[Case]) -> None:
    response = _page(client, cast.oanh)
    assert response.status_code == 403
    assert response.context["overview"] is None
    client.logout()
    assert client.get(reverse("dashboard-overview")).status_code == 302


def _svg(html: str, section: str) -> str:
    block = html.split(f'id="{section}"', 1)[1]
    return block.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_every_chart_carries_its_table_values_D5(client: Client, tree: Any, cast: Any, cases: list[Case]) -> None:
    Facility.objects.create(name="KTX Đại học Thái Nguyên", kind="centralised", unit=tree.quan_trieu, capacity=40)
    _level(tree.quang_vinh, 2, days_ago=1)
    html = _page(client, cast.alice).content.decode()
    cases_svg = _svg(html, "cases")
    assert "Thành phố Thái Nguyên: 4" in cases_svg
    assert "Thị xã Phổ Yên: 2" in cases_svg
    assert ">Thành phố Thái Nguyên</a></td><td>4</td>" in html
    curve_svg = _svg(html, "curve")
    day = (TODAY - timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"{day} — Cơ sở y tế: 1" in curve_svg
    assert f"<td>{day}</td><td>1</td><td>1</td><td>1</td>" in html
    assert "KTX Đại học Thái Nguyên: 0/40" in _svg(html, "quarantine")
    assert "Phường Quang Vinh: Cấp 2" in _svg(html, "levels")
    for section in ("testing", "vaccination", "accountability"):
        assert f'id="{section}"' in html


def test_tile_grid_when_no_boundary_is_loaded_D5(tree: Any) -> None:
    _level(tree.dac_son, 4, days_ago=1)
    svg = charts.level_map(levels_by_commune(tree.province), label="map")
    assert 'class="chart tiles"' in svg
    assert "<path" not in svg
    assert svg.count('class="tile"') == 3
    assert f'fill="{charts.LEVEL_FILL[4]}"' in svg
    assert "Xã Đắc Sơn: Cấp 4" in svg


def test_map_of_outlines_once_every_commune_has_one_D5(tree: Any) -> None:
    square = [[105.8, 21.6], [105.85, 21.6], [105.85, 21.65], [105.8, 21.65], [105.8, 21.6]]
    for i, unit in enumerate([tree.quan_trieu, tree.quang_vinh]):
        UnitBoundary.objects.create(unit=unit, rings=[[[x + 0.05 * i, y] for x, y in square]])
    # One commune still without an outline: the tiles stay.
    assert "tiles" in charts.level_map(levels_by_commune(tree.province), label="map")
    svg = charts.level_map(levels_by_commune(tree.city), label="map")
    assert svg.count("<path") == 2
    assert "tiles" not in svg


def test_overview_at_the_province_runs_a_bounded_number_of_queries_D5(
    tree: Any, cast: Any, cases: list[Case], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(60):
        o = overview_for(cast.alice, tree.province)
    assert set(o.timings) >= {"cases", "curve", "levels", "quarantine", "testing", "vaccination", "qr"}


def test_home_page_links_to_the_dashboard_for_users_with_a_unit_D5(client: Client, cast: Any) -> None:
    client.force_login(cast.cuong)
    assert reverse("dashboard-overview") in client.get(reverse("home")).content.decode()
    client.force_login(cast.oanh)
    assert reverse("dashboard-overview") not in client.get(reverse("home")).content.decode()


def test_vaccination_per_unit_equals_hand_counts_D5(tree: Any) -> None:
    from phongdich.dashboard.overview import vaccination
    from phongdich.vaccination.models import Dose, VaccineProduct

    product = VaccineProduct.objects.create(
        code="d5-test", name="Vắc xin thử", manufacturer="Thử", primary_doses=2, min_interval_days=28
    )

    def adult(unit: Any, doses: int) -> None:
        person = PersonFactory(residence_unit=unit, birth_year=1980, birth_date=None)
        for n in range(1, doses + 1):
            Dose.objects.create(
                person=person,
                product=product,
                dose_number=n,
                given_on=TODAY - timedelta(days=60 - 30 * n),
                kind="primary",
                completes_series=n == 2,
            )

    for doses in (0, 1, 2):
        adult(tree.quan_trieu, doses)
    adult(tree.dac_son, 2)
    adult(tree.dac_son, 2)
    whole, rows = vaccination(tree.province, on=TODAY)
    assert (whole.adults, whole.adults_one_dose, whole.adults_full) == (5, 4, 3)
    by_name = {r.unit.name: (r.coverage.adults, r.coverage.adults_full) for r in rows}
    assert by_name == {"Thành phố Thái Nguyên": (3, 1), "Thị xã Phổ Yên": (2, 2)}
    _whole, communes = vaccination(tree.city, on=TODAY)
    assert [(r.unit.name, r.coverage.adults_full) for r in communes] == [("Phường Quán Triều", 1)]


def test_drilling_down_offers_the_way_back_D5(client: Client, tree: Any, cast: Any) -> None:
    assert "Về địa bàn của bạn" not in _page(client, cast.alice).content.decode()
    assert "Về địa bàn của bạn" in _page(client, cast.alice, f"?unit={tree.city.uid}").content.decode()


def test_vaccination_figure_is_kept_ten_minutes_with_its_time_D5(tree: Any, cast: Any) -> None:
    from django.core.cache import cache

    from phongdich.dashboard.overview import vaccination_cached

    cache.clear()
    PersonFactory(residence_unit=tree.quan_trieu, birth_year=1980, birth_date=None)
    first, _rows, at = vaccination_cached(tree.province, on=TODAY)
    assert first.adults == 1
    PersonFactory(residence_unit=tree.quan_trieu, birth_year=1980, birth_date=None)
    again, _rows, at_again = vaccination_cached(tree.province, on=TODAY)
    assert (again.adults, at_again) == (1, at)
    o = overview_for(cast.alice, tree.province)
    assert o.vaccination_at == timezone.localtime(at)
    cache.clear()
    assert vaccination_cached(tree.province, on=TODAY)[0].adults == 2


def test_reports_not_sent_today_come_from_the_daily_reports_D5(client: Client, tree: Any, cast: Any) -> None:
    from phongdich.command.reports_selectors import late_today

    now = timezone.now()
    o = overview_for(cast.alice, tree.province, now=now)
    expected = [r.submitter.name for r in late_today(cast.alice, now=timezone.localtime(now))]
    assert expected  # the seeded daily form: every district of the province must send it
    assert o.accountability.late_reports is not None
    assert [r.submitter.name for r in o.accountability.late_reports] == expected
    section = _page(client, cast.alice).content.decode().split('id="accountability"', 1)[1]
    assert "Chưa gửi báo cáo hằng ngày hôm nay" in section
    assert expected[0] in section

"""Elections (E1): polling areas cover a commune's hamlets, each hamlet in exactly one polling area of an
election; on polling day every adult resident in quarantine, isolation or a lockdown zone is on exactly one
polling area's mobile-ballot list, and nobody else is; the lists are scoped and their export audited."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from phongdich.cases.models import DetectedIn
from phongdich.cases.services import case_register
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.people.tests.factories import PersonFactory
from phongdich.quarantine.models import Episode, EpisodeKind, EpisodeStatus
from phongdich.welfare.models import Election, PollingArea, PollingAreaUnit
from phongdich.welfare.selectors import mobile_ballot_lists, mobile_ballot_reasons
from phongdich.welfare.services import election_create, polling_area_create
from phongdich.zones.control_services import zone_create
from phongdich.zones.models import MeasureSet, ZoneArea, ZoneKind

pytestmark = pytest.mark.django_db

DAY = date(2021, 5, 23)


def episode(person: Any, kind: str, start: date, released: date | None = None) -> Episode:
    return Episode.objects.create(
        person=person,
        kind=kind,
        start_date=start,
        planned_end=start + timedelta(days=14),
        status=EpisodeStatus.RELEASED if released else EpisodeStatus.OPEN,
        released_on=released,
    )


def lockdown(units: list[Any], *, kind: str = ZoneKind.LOCKDOWN, start: date = DAY - timedelta(days=3)) -> Any:
    return zone_create(
        actor=None,
        name=f"Phong tỏa {units[0].name}",
        zone_kind=kind,
        area=ZoneArea.UNITS,
        units=units,
        measure_set=MeasureSet.objects.order_by("id").first(),
        start_date=start,
        decision_number="12/QĐ-UBND",
        issuing_authority="UBND thành phố",
    )


@pytest.fixture
def election(tree: Any, hamlets: Any) -> Election:
    election = election_create(actor=None, name="Bầu cử Quốc hội khóa XV", polling_day=DAY, unit=tree.province)
    polling_area_create(
        actor=None, election=election, commune=tree.quan_trieu, number=1, name="KV1", hamlets=[hamlets.qt1, hamlets.qt2]
    )
    polling_area_create(
        actor=None, election=election, commune=tree.quan_trieu, number=2, name="KV2", hamlets=[hamlets.qt3]
    )
    polling_area_create(
        actor=None, election=election, commune=tree.quang_vinh, number=1, name="KV QV", hamlets=[hamlets.qv1]
    )
    return election


def test_each_hamlet_in_exactly_one_polling_area_of_an_election_E1(tree: Any, hamlets: Any, election: Election) -> None:
    with pytest.raises(ValidationFailed) as taken:
        polling_area_create(
            actor=None, election=election, commune=tree.quan_trieu, number=3, name="KV3", hamlets=[hamlets.qt2]
        )
    assert "Tổ dân phố 2" in str(taken.value.message)
    assert taken.value.field == "hamlets"
    with pytest.raises(ValidationFailed) as foreign:
        polling_area_create(
            actor=None, election=election, commune=tree.quan_trieu, number=3, name="KV3", hamlets=[hamlets.qv1]
        )
    assert "Không thuộc Phường Quán Triều" in str(foreign.value.message)
    with pytest.raises(ValidationFailed):
        polling_area_create(actor=None, election=election, commune=tree.city, number=9, name="X", hamlets=[hamlets.qt1])
    assert PollingArea.objects.filter(election=election).count() == 3
    # The database refuses it too, whatever the caller.
    with pytest.raises(IntegrityError), transaction.atomic():
        PollingAreaUnit.objects.create(
            election=election, polling_area=PollingArea.objects.get(election=election, name="KV2"), unit=hamlets.qt1
        )
    # Another election may map the same hamlet again.
    other = election_create(actor=None, name="Bầu cử bổ sung", polling_day=DAY + timedelta(days=30), unit=tree.city)
    polling_area_create(actor=None, election=other, commune=tree.quan_trieu, number=1, name="KV", hamlets=[hamlets.qt2])


def test_polling_day_every_quarantined_or_locked_down_voter_on_exactly_one_list_E1(
    tree: Any, hamlets: Any, cast: Any, election: Election
) -> None:
    adult = 1980
    a = PersonFactory(full_name="Quarantined Centralised", residence_unit=hamlets.qt1, birth_year=adult)
    episode(a, EpisodeKind.CENTRALISED, DAY - timedelta(days=5))
    b = PersonFactory(full_name="Released Before", residence_unit=hamlets.qt3, birth_year=adult)
    episode(b, EpisodeKind.HOME, DAY - timedelta(days=20), released=DAY - timedelta(days=1))
    c = PersonFactory(full_name="Starts After", residence_unit=hamlets.qt2, birth_year=adult)
    episode(c, EpisodeKind.HOME, DAY + timedelta(days=1))
    d = PersonFactory(full_name="Locked Down", residence_unit=hamlets.qv1, birth_year=adult)
    e = PersonFactory(full_name="Self Isolating", residence_unit=hamlets.qt3, birth_year=adult)
    episode(e, EpisodeKind.SELF_ISOLATION, DAY - timedelta(days=2))
    minor = PersonFactory(
        full_name="Minor",
        residence_unit=hamlets.qt1,
        birth_year=2003,
        birth_date=DAY.replace(year=2003) + timedelta(days=1),
    )
    episode(minor, EpisodeKind.HOME, DAY - timedelta(days=1))
    just_18 = PersonFactory(
        full_name="Just Eighteen", residence_unit=hamlets.qt1, birth_year=2003, birth_date=DAY.replace(year=2003)
    )
    episode(just_18, EpisodeKind.HOME, DAY - timedelta(days=1))
    g = PersonFactory(full_name="Open Case", residence_unit=hamlets.qt2, birth_year=adult)
    case_register(actor=None, person=g, detected_in=DetectedIn.COMMUNITY, isolated_on=DAY - timedelta(days=1))
    PersonFactory(full_name="Nothing", residence_unit=hamlets.qt1, birth_year=adult)
    i = PersonFactory(full_name="Both", residence_unit=hamlets.qv1, birth_year=adult)
    episode(i, EpisodeKind.HOME, DAY - timedelta(days=4))
    foreigner = PersonFactory(
        full_name="Foreigner", residence_unit=hamlets.qt1, birth_year=adult, nationality="CN", passport_no="E1234567"
    )
    episode(foreigner, EpisodeKind.CENTRALISED, DAY - timedelta(days=3))
    released_after = PersonFactory(full_name="Released After", residence_unit=hamlets.qt2, birth_year=adult)
    episode(released_after, EpisodeKind.HOME, DAY - timedelta(days=10), released=DAY + timedelta(days=1))
    monitoring = PersonFactory(full_name="Monitoring", residence_unit=hamlets.qt2, birth_year=adult)
    episode(monitoring, EpisodeKind.POST_QUARANTINE, DAY - timedelta(days=3))
    no_hamlet = PersonFactory(full_name="No Hamlet", residence_unit=tree.quan_trieu, birth_year=adult)
    episode(no_hamlet, EpisodeKind.HOME, DAY - timedelta(days=3))
    lockdown([tree.quang_vinh])
    lockdown([tree.quan_trieu], kind=ZoneKind.SOCIAL_DISTANCING)  # distancing: people still go to the polls
    lockdown([hamlets.qt3], start=DAY + timedelta(days=1))  # not yet in force on polling day

    lists = mobile_ballot_lists(user=cast.alice, election=election)
    by_name = {(bl.area.name if bl.area else None): sorted(v.person.full_name for v in bl.voters) for bl in lists}
    assert by_name == {
        "KV1": ["Just Eighteen", "Open Case", "Quarantined Centralised", "Released After"],
        "KV2": ["Self Isolating"],
        "KV QV": ["Both", "Locked Down"],
        None: ["No Hamlet"],
    }
    listed = [v.person.pk for bl in lists for v in bl.voters]
    assert len(listed) == len(set(listed))  # exactly one list each
    # Independently: everyone in quarantine or isolation that day, or inside the lockdown zone, who is an adult
    # Vietnamese resident, is listed — and nobody else.
    expected = {p.pk for p in (a, d, e, just_18, g, i, released_after, no_hamlet)}
    assert set(listed) == expected
    both = next(v for bl in lists for v in bl.voters if v.person.pk == i.pk)
    assert len(both.reasons) == 2
    assert "Phong tỏa Phường Quang Vinh" in both.reasons[1]
    assert mobile_ballot_reasons(on=DAY, person_ids=[b.pk, c.pk, monitoring.pk]) == {}


def test_mobile_ballot_lists_are_scoped_and_export_audited_E1(
    client: Client, tree: Any, hamlets: Any, cast: Any, election: Election
) -> None:
    qt = PersonFactory(full_name="Người Quán Triều", residence_unit=hamlets.qt1, birth_year=1970)
    episode(qt, EpisodeKind.HOME, DAY - timedelta(days=2))
    qv = PersonFactory(full_name="Người Quang Vinh", residence_unit=hamlets.qv1, birth_year=1970)
    episode(qv, EpisodeKind.HOME, DAY - timedelta(days=2))
    cuong_lists = mobile_ballot_lists(user=cast.cuong, election=election)
    assert [bl.area.name for bl in cuong_lists if bl.area] == ["KV1", "KV2"]
    assert [v.person.full_name for bl in cuong_lists for v in bl.voters] == ["Người Quán Triều"]
    client.force_login(cast.chi)
    page = client.get(reverse("welfare:voters", args=[election.uid]))
    assert page.status_code == 200
    assert "Người Quang Vinh" in page.content.decode()
    assert "Người Quán Triều" not in page.content.decode()
    export = client.get(reverse("welfare:voters-export", args=[election.uid]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Người Quang Vinh"]
    line = AuditLog.objects.get(action=AuditAction.EXPORT, actor=cast.chi)
    assert line.detail["rows"] == 1
    assert line.detail["election"] == str(election.uid)
    # Someone outside the election's area does not see it.
    other = election_create(actor=None, name="Bầu cử Phổ Yên", polling_day=DAY, unit=tree.pho_yen)
    assert client.get(reverse("welfare:election", args=[other.uid])).status_code == 404


def test_election_pages_create_and_refuse_bad_input_E1(client: Client, tree: Any, hamlets: Any, cast: Any) -> None:
    client.force_login(cast.cuong)
    response = client.post(
        reverse("welfare:election-create"),
        {"name": "Bầu cử thử", "polling_day": "23/05/2021", "unit": str(tree.quan_trieu.uid)},
    )
    election = Election.objects.get(name="Bầu cử thử")
    assert response.status_code == 302
    url = reverse("welfare:area-create", args=[election.uid])
    ok = client.post(url, {"number": "1", "name": "KV1", "location": "Nhà văn hóa", "hamlets": [str(hamlets.qt1.uid)]})
    assert ok.status_code == 302
    again = client.post(url, {"number": "2", "name": "KV2", "hamlets": [str(hamlets.qt1.uid)]})
    assert again.status_code == 200
    assert PollingArea.objects.filter(election=election).count() == 1
    bad = client.post(reverse("welfare:election-create"), {"name": "", "polling_day": "hôm qua"})
    assert bad.status_code == 200
    assert Election.objects.count() == 1
    # A hamlet head cannot create an election for the commune.
    client.force_login(cast.hoa)
    assert client.get(reverse("welfare:election-create")).status_code == 403

"""Workforce movement (M8): 3-on-site plans and the workers allowed out or in, per enterprise and per industrial
park, scoped, exported (audited), in the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import OrganisationKind
from phongdich.orgs.tests.factories import OrganisationFactory
from phongdich.people.tests.factories import PersonFactory, StaffMembershipFactory
from phongdich.travel import services
from phongdich.travel.models import OnSitePlan, PassDirection, WorkerPass
from phongdich.travel.selectors import pass_queryset, plan_queryset

pytestmark = pytest.mark.django_db


@pytest.fixture
def park_setup(tree: Any, cast: Any) -> dict[str, Any]:
    park = OrganisationFactory(name="KCN Yên Bình", kind=OrganisationKind.INDUSTRIAL_PARK, unit=tree.dac_son)
    factory = OrganisationFactory(
        name="Công ty Điện tử Mẫu", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son, parent=park
    )
    outside = OrganisationFactory(name="Công ty Ngoài KCN", kind=OrganisationKind.ENTERPRISE, unit=tree.quan_trieu)
    worker = PersonFactory(residence_unit=tree.dac_son, organisation=factory, with_cccd=True)
    member = StaffMembershipFactory(
        person=PersonFactory(residence_unit=tree.dac_son, with_cccd=True), organisation=factory
    )
    stranger = PersonFactory(residence_unit=tree.dac_son, with_cccd=True)
    return {
        "park": park,
        "factory": factory,
        "outside": outside,
        "worker": worker,
        "member": member.person,
        "stranger": stranger,
    }


def plan_for(actor: Any, org: Any, **extra: Any) -> OnSitePlan:
    values = {
        "start_date": date(2021, 8, 1),
        "end_date": date(2021, 8, 31),
        "capacity": 300,
        "workers_total": 500,
        "workers_on_site": 280,
        "accommodation": "Nhà xưởng số 2 và ký túc xá",
    }
    values.update(extra)
    return services.plan_save(actor=actor, organisation=org, **values)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"workers_on_site": 301}, "workers_on_site"),  # over capacity
        ({"workers_on_site": 290, "workers_total": 250}, "workers_on_site"),  # more on site than workers
        ({"end_date": date(2021, 7, 1)}, "end_date"),
        ({"accommodation": "  "}, "accommodation"),
        ({"capacity": -1}, "capacity"),
    ],
)
def test_plan_rules_refuse_bad_input_M8(
    cast: Any, park_setup: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        plan_for(cast.alice, park_setup["factory"], **change)
    assert exc.value.field == field
    assert not OnSitePlan.objects.exists()


def test_plan_is_scoped_to_the_enterprise_M8(cast: Any, park_setup: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        plan_for(cast.chi, park_setup["factory"])  # a commune officer of another commune
    plan = plan_for(cast.alice, park_setup["factory"])
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(plan.uid)).exists()
    assert list(plan_queryset(user=cast.chi)) == []
    assert list(plan_queryset(user=cast.alice)) == [plan]


def test_workers_allowed_out_or_in_per_enterprise_and_park_M8(cast: Any, park_setup: dict[str, Any]) -> None:
    inside = plan_for(cast.alice, park_setup["factory"])
    outside = plan_for(cast.alice, park_setup["outside"], capacity=10, workers_total=10, workers_on_site=5)
    out_pass = services.pass_add(
        actor=cast.alice,
        plan=inside,
        person=park_setup["worker"],
        direction=PassDirection.OUT,
        from_date=date(2021, 8, 5),
        to_date=date(2021, 8, 7),
        place="Bắc Giang",
        reason="Việc gia đình",
    )
    in_pass = services.pass_add(
        actor=cast.alice,
        plan=inside,
        person=park_setup["member"],
        direction=PassDirection.IN,
        from_date=date(2021, 8, 10),
        to_date=date(2021, 8, 10),
        place="Hà Nội",
        reason="Chuyên gia lắp đặt máy",
    )
    with pytest.raises(ValidationFailed) as exc:
        services.pass_add(
            actor=cast.alice,
            plan=outside,
            person=park_setup["stranger"],
            direction=PassDirection.OUT,
            from_date=date(2021, 8, 5),
            to_date=date(2021, 8, 6),
            place="Hà Nội",
            reason="Việc riêng",
        )
    assert exc.value.field == "person"
    with pytest.raises(ValidationFailed) as exc:
        services.pass_add(
            actor=cast.alice,
            plan=inside,
            person=park_setup["worker"],
            direction=PassDirection.IN,
            from_date=date(2021, 8, 5),
            to_date=date(2021, 8, 4),
            place="Hà Nội",
            reason="Việc riêng",
        )
    assert exc.value.field == "to_date"
    park = park_setup["park"]
    assert set(plan_queryset(user=cast.alice, park=park)) == {inside}
    assert set(pass_queryset(user=cast.alice, park=park)) == {out_pass, in_pass}
    assert set(pass_queryset(user=cast.alice, park=park, direction=PassDirection.OUT)) == {out_pass}
    assert set(pass_queryset(user=cast.alice, organisation=park_setup["outside"])) == set()
    assert set(pass_queryset(user=cast.alice, on=date(2021, 8, 6))) == {out_pass}
    assert WorkerPass.objects.count() == 2


def test_pages_exports_and_api_M8(cast: Any, park_setup: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast.alice)
    response = client.post(
        reverse("travel:plan-create"),
        {
            "organisation": park_setup["factory"].pk,
            "start_date": "2021-08-01",
            "capacity": "100",
            "workers_total": "200",
            "workers_on_site": "150",
            "accommodation": "Ký túc xá",
        },
    )
    assert response.status_code == 200
    assert "vượt số chỗ" in response.content.decode()
    response = client.post(
        reverse("travel:plan-create"),
        {
            "organisation": park_setup["factory"].pk,
            "start_date": "2021-08-01",
            "capacity": "100",
            "workers_total": "120",
            "workers_on_site": "90",
            "accommodation": "Ký túc xá",
        },
    )
    plan = OnSitePlan.objects.get()
    assert response.status_code == 302
    url = reverse("travel:plan", kwargs={"uid": plan.uid})
    bad = client.post(
        url,
        {
            "cccd": "000000000000",
            "direction": "out",
            "from_date": "2021-08-02",
            "to_date": "2021-08-03",
            "place": "Hà Nội",
            "reason": "Họp",
        },
    )
    assert bad.status_code == 200
    assert "Không có người có số CCCD này" in bad.content.decode()
    good = client.post(
        url,
        {
            "cccd": park_setup["worker"].cccd,
            "direction": "out",
            "from_date": "2021-08-02",
            "to_date": "2021-08-03",
            "place": "Hà Nội",
            "reason": "Họp",
        },
    )
    assert good.status_code == 302
    assert WorkerPass.objects.count() == 1
    park = park_setup["park"].uid
    assert park_setup["worker"].full_name in client.get(reverse("travel:passes") + f"?park={park}").content.decode()
    for name in ("travel:plans-export", "travel:passes-export"):
        export = client.get(reverse(name) + f"?park={park}")
        assert export.status_code == 200
        assert export["Content-Disposition"].endswith('.xlsx"')
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, detail__park=str(park)).count() == 2
    api = client.get(f"/api/v1/travel/worker-passes/?park={park}").json()
    assert [row["person"] for row in api["results"]] == [park_setup["worker"].full_name]
    assert client.get(f"/api/v1/travel/on-site-plans/?park={park}").json()["results"][0]["workers_on_site"] == 90
    assert client.get("/api/v1/travel/on-site-plans/?park=khong-phai-uid").status_code == 400

"""The demo's screening step: a campaign over every enterprise of KCN Yên Bình, last week's and this week's
rounds drawn reproducibly with results through the testing services; idempotent (T2)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from phongdich.core.models import User
from phongdich.demo import catalogue
from phongdich.demo.screening import CAMPAIGN_NAME, step_screening
from phongdich.demo.steps import Demo, run, step_organisations, step_people, step_staff, step_units
from phongdich.screening.draw import round_seed
from phongdich.screening.models import Campaign, Selection
from phongdich.screening.selectors import round_report
from phongdich.testing.models import OrderReason
from phongdich.testing.services import lab_create

PEOPLE = 300


@pytest.mark.django_db
def test_demo_screening_draws_two_rounds_with_results_once_T2(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    steps = [
        ("units", step_units),
        ("organisations", step_organisations),
        ("people", step_people),
        ("staff", step_staff),
    ]
    demo = run(Demo(people=PEOPLE, seed=2021, out=out, progress=None), steps)
    lab_create(actor=None, name="Phòng xét nghiệm thử", unit=demo.unit(catalogue.PHO_YEN), capacity_rapid=100)
    step_screening(demo)

    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    assert campaign.seed == 2021
    assert [o.name for o in campaign.organisations.all()] == ["Khu công nghiệp Yên Bình"]
    rounds = list(campaign.rounds.order_by("number"))
    assert [r.number for r in rounds] == [1, 2]
    for rnd in rounds:
        assert rnd.seed == round_seed(2021, rnd.number)
        assert rnd.drawn_count >= 1
        reasons = {s.order.reason for s in Selection.objects.filter(round=rnd).select_related("order") if s.order}
        assert reasons == {OrderReason.SCREENING}
        assert all(s.person.is_synthetic for s in rnd.selections.select_related("person"))
    admin = User.objects.create_superuser(username="admin", password="x")
    last_week = round_report(user=admin, rnd=rounds[0])
    assert last_week.total.tested == round(last_week.total.drawn * 0.8)
    assert last_week.total.positive == 0
    assert "Sàng lọc ngẫu nhiên" in out.getvalue()

    again = io.StringIO()
    step_screening(Demo(people=PEOPLE, out=again, progress=None, orgs=demo.orgs))
    assert "giữ nguyên" in again.getvalue()
    assert campaign.rounds.count() == 2

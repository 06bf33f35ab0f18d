"""The demo's welfare step (E1, E4, E5): a polling day whose mobile-ballot lists hold voters in quarantine and
in the lockdown zone, polling areas of the outbreak's ward, donations with receipts and support that
reconcile to the đồng, a budget per district — idempotently."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from phongdich.core.models import User
from phongdich.demo import catalogue
from phongdich.demo.steps import Demo
from phongdich.demo.welfare import ELECTION_NAME, step_welfare
from phongdich.geo.models import Level, Unit
from phongdich.welfare.models import Donation, Election, GiftKind, PollingArea, Support
from phongdich.welfare.selectors import budget_rows, fund_balances, mobile_ballot_lists

PEOPLE = 300


@pytest.mark.django_db
def test_demo_welfare_polling_day_funds_and_budgets_idempotently_E1_E4_E5(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo", people=PEOPLE, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(), until="control_zones")
    out = io.StringIO()
    step_welfare(Demo(people=PEOPLE, out=out, progress=None))
    election = Election.objects.get(name=ELECTION_NAME)
    ward = Unit.objects.get(tree=catalogue.TREE, code=catalogue.DONG_TIEN)
    assert PollingArea.objects.filter(election=election, commune=ward).exists()
    admin = User.objects.create_superuser("welfare-demo", password="x")
    lists = mobile_ballot_lists(user=admin, election=election)
    reasons = [r for b in lists if b.area is not None for v in b.voters for r in v.reasons]
    assert any(r.startswith("Trong khu vực phong tỏa") for r in reasons)
    assert any(r in ("Cách ly tại nhà", "Tự theo dõi, cách ly") for r in reasons)
    listed = [v.person.pk for b in lists for v in b.voters]
    assert len(listed) == len(set(listed))
    assert Donation.objects.filter(kind=GiftKind.MONEY).exists()
    assert Donation.objects.filter(kind=GiftKind.GOODS).exists()
    assert Support.objects.exists()
    for balance in fund_balances(user=admin):
        assert balance.on_hand >= 0
        assert balance.received == balance.given + balance.on_hand
    districts = Unit.objects.filter(
        tree=catalogue.TREE, level=Level.DISTRICT, parent__code=catalogue.PROVINCE_CODE
    ).count()
    rows = budget_rows(user=admin)
    assert len(rows) == districts
    assert all(r.spent > 0 and r.remaining >= 0 for r in rows)

    counts = (Election.objects.count(), Donation.objects.count(), Support.objects.count())
    again = io.StringIO()
    step_welfare(Demo(people=PEOPLE, out=again, progress=None))
    assert (Election.objects.count(), Donation.objects.count(), Support.objects.count()) == counts
    assert "giữ nguyên" in again.getvalue()

"""Campaigns and the drawing of rounds through the services: eligibility, reproducibility from the recorded
seed, test orders, refusals, scope and the coverage/positivity report (T2)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.screening.draw import draw, round_seed
from phongdich.screening.models import Campaign, Period, Round, SampleMode, Selection
from phongdich.screening.selectors import (
    campaign_fraction,
    current_round_number,
    eligible_candidates,
    round_report,
    visible_campaigns,
)
from phongdich.screening.services import campaign_create, campaign_update, round_draw
from phongdich.testing import models as testing_models
from phongdich.testing.models import OrderReason
from phongdich.testing.services import lab_create, result_enter, sample_receive, sample_take

pytestmark = pytest.mark.django_db


def make_campaign(actor: Any, orgs: list[Any], **overrides: Any) -> Campaign:
    fields: dict[str, Any] = {
        "name": "Sàng lọc KCN Yên Bình",
        "organisations": orgs,
        "sample_mode": SampleMode.FRACTION,
        "sample_percent": Decimal("30"),
        "period": Period.WEEKLY,
        "test_kind": "rapid",
        "start_date": timezone.localdate(),
        "end_date": timezone.localdate() + timedelta(days=60),
    }
    fields.update(overrides)
    return campaign_create(actor=actor, **fields)


def test_eligible_are_current_staff_of_the_park_and_its_enterprises_once_each_T2(park: Any, cast: Any) -> None:
    campaign = make_campaign(cast.alice, [park.park])
    pool = {c.key: c for c in eligible_candidates(campaign, on=timezone.localdate())}
    people = {str(p.uid) for p in park.a_staff + park.b_staff}
    assert set(pool) == people  # the former worker and the outside company are not eligible
    assert str(park.former.uid) not in pool
    assert not {str(p.uid) for p in park.outside_staff} & set(pool)


def test_draw_creates_the_round_its_selections_and_screening_orders_T2(park: Any, cast: Any) -> None:
    campaign = make_campaign(cast.alice, [park.park], seed=20211106)
    rnd = round_draw(actor=cast.alice, campaign=campaign)
    assert rnd.number == 1
    assert rnd.seed == round_seed(20211106, 1)
    assert rnd.eligible_count == 14
    assert rnd.drawn_count == 5  # ceil(30 % × 14)
    selections = list(rnd.selections.select_related("order"))
    assert len(selections) == 5
    for s in selections:
        order = s.order
        assert order is not None
        assert order.person_id == s.person_id
        assert order.reason == OrderReason.SCREENING
        assert order.kind == "rapid"
        assert order.source_key == f"screening:{rnd.uid}:{s.person_id}"
        assert order.due_on == timezone.localdate() + timedelta(days=2)
    assert sum(rnd.strata.values()) == 14
    assert AuditLog.objects.filter(object_uid=str(rnd.uid), action="create").count() == 1


def test_the_recorded_seed_redraws_the_same_people_T2(park: Any, cast: Any) -> None:
    campaign = make_campaign(cast.alice, [park.park], seed=77)
    rnd = round_draw(actor=cast.alice, campaign=campaign)
    again = draw(
        eligible_candidates(campaign, on=timezone.localdate()), seed=rnd.seed, fraction=campaign_fraction(campaign)
    )
    assert {c.ref[0] for c in again if c.ref} == set(rnd.selections.values_list("person_id", flat=True))
    # Another campaign over the same organisations with the same recorded seed draws the same people.
    twin = make_campaign(cast.alice, [park.a, park.b], seed=77, name="Bản sao")
    twin_round = round_draw(actor=cast.alice, campaign=twin)
    assert set(twin_round.selections.values_list("person_id", flat=True)) == set(
        rnd.selections.values_list("person_id", flat=True)
    )


def test_stratum_allocation_per_enterprise_T2(park: Any, cast: Any) -> None:
    campaign = make_campaign(cast.alice, [park.park], sample_mode=SampleMode.COUNT, sample_count=7, sample_percent=None)
    rnd = round_draw(actor=cast.alice, campaign=campaign)
    per_org = {org_id: rnd.selections.filter(organisation_id=org_id).count() for org_id in (park.a.pk, park.b.pk)}
    sizes = {int(k): v for k, v in rnd.strata.items()}
    assert sum(per_org.values()) == 7
    for org_id, n in per_org.items():
        exact = 7 * sizes[org_id] / 14
        assert int(exact) <= n <= int(exact) + 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"organisations": []}, "organisations"),
        ({"sample_percent": Decimal("0")}, "sample_percent"),
        ({"sample_percent": Decimal("120")}, "sample_percent"),
        ({"sample_mode": SampleMode.COUNT, "sample_count": 0}, "sample_count"),
        ({"end_date": date(2000, 1, 1)}, "end_date"),
        ({"period": "daily"}, "period"),
        ({"test_kind": "elisa"}, "test_kind"),
    ],
)
def test_bad_campaign_input_is_refused_with_a_field_T2(park: Any, cast: Any, overrides: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        make_campaign(cast.alice, [park.park], **overrides)
    assert exc.value.field == field
    assert not Campaign.objects.exists()


def test_one_draw_per_period_and_within_the_dates_T2(park: Any, cast: Any) -> None:
    today = timezone.localdate()
    campaign = make_campaign(cast.alice, [park.park], start_date=today - timedelta(days=15))
    assert current_round_number(campaign, on=today) == 3
    rnd = round_draw(actor=cast.alice, campaign=campaign)
    assert rnd.number == 3
    assert rnd.period_start == today - timedelta(days=1)
    with pytest.raises(ValidationFailed, match="Kỳ 3 đã được chọn mẫu"):
        round_draw(actor=cast.alice, campaign=campaign)
    later = make_campaign(cast.alice, [park.park], start_date=today + timedelta(days=1), name="Chưa bắt đầu")
    with pytest.raises(ValidationFailed, match="không nằm trong thời gian"):
        round_draw(actor=cast.alice, campaign=later)
    assert Round.objects.count() == 1


def test_monthly_rounds_follow_calendar_months_T2(park: Any, cast: Any) -> None:
    campaign = make_campaign(
        cast.alice, [park.park], period=Period.MONTHLY, start_date=date(2021, 1, 31), end_date=date(2021, 12, 31)
    )
    assert campaign.round_start(2) == date(2021, 2, 28)
    assert campaign.round_start(3) == date(2021, 3, 31)
    assert current_round_number(campaign, on=date(2021, 3, 30)) == 2
    campaign.period = Period.BIWEEKLY
    assert campaign.round_start(2) == date(2021, 2, 14)


def test_nobody_eligible_and_stopped_campaigns_draw_nothing_T2(park: Any, cast: Any, tree: Any) -> None:
    from phongdich.orgs.services import organisation_create

    empty = organisation_create(name="Công ty Trống", kind="enterprise", unit=tree.dac_son)
    campaign = make_campaign(cast.alice, [empty])
    with pytest.raises(ValidationFailed, match="Không có cán bộ"):
        round_draw(actor=cast.alice, campaign=campaign)
    stopped = make_campaign(cast.alice, [park.park], name="Đã dừng")
    campaign_update(
        actor=cast.alice,
        campaign=stopped,
        name=stopped.name,
        organisations=[park.park],
        sample_mode=stopped.sample_mode,
        sample_percent=stopped.sample_percent,
        period=stopped.period,
        test_kind=stopped.test_kind,
        start_date=stopped.start_date,
        end_date=stopped.end_date,
        is_active=False,
    )
    with pytest.raises(ValidationFailed, match="đã dừng"):
        round_draw(actor=cast.alice, campaign=stopped)
    assert not testing_models.TestOrder.objects.exists()


def test_scope_who_sees_and_who_runs_a_park_campaign_T2(park: Any, cast: Any) -> None:
    campaign = make_campaign(cast.alice, [park.park])
    assert visible_campaigns(cast.alice).filter(pk=campaign.pk).exists()
    assert visible_campaigns(park.hung).filter(pk=campaign.pk).exists()  # head of an enterprise of the park
    assert not visible_campaigns(cast.oanh).filter(pk=campaign.pk).exists()  # another enterprise
    assert not visible_campaigns(cast.dan).filter(pk=campaign.pk).exists()  # another district
    assert not visible_campaigns(cast.chi).filter(pk=campaign.pk).exists()
    # The enterprise head sees the campaign but cannot draw for the whole park.
    with pytest.raises(ValidationFailed, match="không thuộc phạm vi"):
        round_draw(actor=park.hung, campaign=campaign)
    # … nor put an organisation outside their scope into a campaign; their own enterprise is fine.
    with pytest.raises(ValidationFailed, match="không thuộc phạm vi"):
        make_campaign(park.hung, [park.b])
    own = make_campaign(park.hung, [park.a], name="Sàng lọc Công ty May A")
    assert round_draw(actor=park.hung, campaign=own).drawn_count == 3  # ceil(30 % × 10)
    with pytest.raises(PermissionDenied):
        make_campaign(cast.cuong.__class__.objects.create_user(username="nobody"), [park.a])


def _resulted(order: Any, lab: Any, outcome: str) -> None:
    """The order's result through the testing app: sample taken, received by the lab, result entered."""
    sample = sample_take(actor=None, order=order, lab=lab, taken_at=timezone.now() - timedelta(hours=3))
    sample_receive(actor=None, lab=lab, code=sample.code, received_at=timezone.now() - timedelta(hours=2))
    result_enter(actor=None, code=sample.code, outcome=outcome)


def test_coverage_and_positivity_per_round_and_organisation_T2(park: Any, cast: Any, tree: Any) -> None:
    lab = lab_create(actor=None, name="CDC Thái Nguyên", unit=tree.city, capacity_pcr=500, capacity_rapid=500)
    campaign = make_campaign(
        cast.alice, [park.park], sample_mode=SampleMode.COUNT, sample_count=8, sample_percent=None, test_kind="pcr"
    )
    rnd = round_draw(actor=cast.alice, campaign=campaign)
    selections = list(Selection.objects.filter(round=rnd).select_related("order").order_by("id"))
    # An invalid sample orders a re-test: that person is not tested yet (the re-test is pending).
    for s, outcome in zip(selections, ["positive", "negative", "negative", "invalid"], strict=False):
        _resulted(s.order, lab, outcome)
    report = round_report(user=cast.alice, rnd=rnd)
    assert report.total.drawn == 8
    assert report.total.tested == 3
    assert report.total.positive == 1
    assert report.total.coverage == pytest.approx(3 / 8)
    assert report.total.positivity == pytest.approx(1 / 3)
    assert report.total.coverage_label == "37.5%"
    assert report.total.eligible == 14
    assert sum(r.drawn for r in report.rows) == 8
    assert sum(r.tested for r in report.rows) == 3
    assert {r.organisation.pk for r in report.rows if r.organisation} == {park.a.pk, park.b.pk}
    # The head of enterprise A sees A's row and A's people only.
    own = round_report(user=park.hung, rnd=rnd)
    assert [r.organisation.pk for r in own.rows if r.organisation] == [park.a.pk]
    assert {s.organisation_id for s in own.selections} <= {park.a.pk}

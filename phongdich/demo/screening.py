"""Demo step: random screening (T2). A weekly 10 % rapid-test campaign over every enterprise of Khu công nghiệp
Yên Bình, started two weeks ago: last week's round drawn with most results in, this week's round drawn with a
few. Everything goes through the screening and testing services, as the system (``actor=None``); the seed is
the demo's, so the same demo draws the same workers."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.screening.models import Campaign, Period, Round, SampleMode
from phongdich.screening.selectors import current_round_number
from phongdich.screening.services import campaign_create, round_draw
from phongdich.testing.models import Lab, OrderStatus
from phongdich.testing.services import result_enter, sample_receive, sample_take

if TYPE_CHECKING:
    from .steps import Demo

PARK_KEY = "kcn_yen_binh"
PARK_NAME = "Khu công nghiệp Yên Bình"
CAMPAIGN_NAME = "Sàng lọc ngẫu nhiên công nhân KCN Yên Bình (mô phỏng)"
# Share of each round's orders with a result: last week's round, this week's round.
RESULTED_SHARE = (0.8, 0.3)


def _park(demo: Demo) -> Organisation | None:
    park = demo.orgs.get(PARK_KEY)
    if park is None:
        park = Organisation.objects.filter(name=PARK_NAME, kind=OrganisationKind.INDUSTRIAL_PARK).first()
    return park


def _campaign(demo: Demo, park: Organisation) -> Campaign:
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        today = timezone.localdate()
        campaign = campaign_create(
            actor=None,
            name=CAMPAIGN_NAME,
            organisations=[park],
            sample_mode=SampleMode.FRACTION,
            sample_percent=Decimal("10"),
            period=Period.WEEKLY,
            test_kind="rapid",
            start_date=today - timedelta(days=13),
            end_date=today + timedelta(days=8 * 7),
            note="Dữ liệu giả lập (demo)",
            seed=demo.seed,
        )
    return campaign


def _results(rng: random.Random, rnd: Round, lab: Lab, share: float, hours_ago: int) -> int:
    """Negative results for ``share`` of the round's open orders (sample taken, received, resulted)."""
    orders = [s.order for s in rnd.selections.select_related("order").order_by("id") if s.order is not None]
    done = 0
    for order in orders[: round(len(orders) * share)]:
        if order.status != OrderStatus.OPEN:
            continue
        taken = timezone.now() - timedelta(hours=hours_ago + rng.randint(0, 4))
        sample = sample_take(actor=None, order=order, lab=lab, taken_at=taken)
        sample_receive(actor=None, lab=lab, code=sample.code, received_at=taken + timedelta(hours=1))
        result_enter(actor=None, code=sample.code, outcome="negative", resulted_at=taken + timedelta(hours=2))
        done += 1
    return done


def step_screening(demo: Demo) -> None:
    park = _park(demo)
    if park is None:
        demo.say("Sàng lọc ngẫu nhiên: chưa có khu công nghiệp, bỏ qua.")
        return
    rng = random.Random(demo.seed + 41)
    campaign = _campaign(demo, park)
    today = timezone.localdate()
    lab = Lab.objects.filter(active=True).order_by("id").first()
    drawn = resulted = 0
    for days_ago, share, hours_ago in ((7, RESULTED_SHARE[0], 24 * 6), (0, RESULTED_SHARE[1], 6)):
        on = today - timedelta(days=days_ago)
        number = current_round_number(campaign, on=on)
        if number is None or campaign.rounds.filter(number=number).exists():
            continue
        rnd = round_draw(actor=None, campaign=campaign, on=on)
        drawn += rnd.drawn_count
        if lab is not None:
            resulted += _results(rng, rnd, lab, share, hours_ago)
    rounds = campaign.rounds.count()
    if not drawn:
        demo.say(f"Sàng lọc ngẫu nhiên: {rounds} kỳ (giữ nguyên).")
        return
    demo.say(
        f"Sàng lọc ngẫu nhiên: đợt “{campaign.name}”, {rounds} kỳ, {drawn} người được chọn, {resulted} đã có kết quả."
    )

"""Demo step: elections with mobile ballot boxes (E1), donations through the Fatherland Front and support to
affected households (E4), the prevention budget per district (E5).

A polling day two days from now: polling areas of the outbreak's ward (Phường Đồng Tiến, whose hamlet is
locked down by the control-zones step) and of Phường Quán Triều (where the quarantine step puts people in
home quarantine and self-isolation), so that the mobile-ballot lists hold voters in quarantine and in the
lockdown zone. The Fatherland Front of the province, of Thị xã Phổ Yên and of the ward receive money and
goods from enterprises, organisations and individuals (numbered receipts), and the ward's Front supports
households of the locked-down hamlet from them. Every district gets a prevention budget with a few spending
lines.

Runs after "control_zones" and "quarantine". Everything goes through the welfare services as the system
(``actor=None``); seeded pseudo-random amounts; synthetic names marked "(mô phỏng)". Idempotent: when the
demo election exists, nothing is added.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.orgs.services import organisation_create
from phongdich.people.models import Person
from phongdich.people.services import person_create
from phongdich.quarantine.models import EpisodeKind
from phongdich.quarantine.services import episode_start
from phongdich.welfare.models import Donation, DonorKind, Election, GiftKind, SpendingCategory
from phongdich.welfare.selectors import mobile_ballot_reasons
from phongdich.welfare.services import (
    budget_allocate,
    budget_spend,
    donation_record,
    election_create,
    goods_left,
    money_given,
    money_received,
    polling_area_create,
    support_give,
)
from phongdich.zones.control_selectors import zones_in_force
from phongdich.zones.models import ZoneKind

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

ELECTION_NAME = "Bầu cử đại biểu Quốc hội khóa XV và HĐND các cấp nhiệm kỳ 2021–2026 (mô phỏng)"
PROVINCE_FRONT = "Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên"
HAMLETS_PER_AREA = 3
RESIDENTS = 14  # synthetic residents added to the ward's hamlets; the last QUARANTINED of them in home quarantine
QUARANTINED = 4
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hương", "Lan", "Minh", "Nam", "Phương", "Thảo", "Tuấn")
DONORS = [
    (DonorKind.ENTERPRISE, "Công ty TNHH Samsung Electronics Việt Nam Thái Nguyên (mô phỏng)"),
    (DonorKind.ENTERPRISE, "Công ty CP Gang thép Thái Nguyên (mô phỏng)"),
    (DonorKind.ENTERPRISE, "Ngân hàng TMCP Công thương chi nhánh Thái Nguyên (mô phỏng)"),
    (DonorKind.ORGANISATION, "Hội Chữ thập đỏ tỉnh Thái Nguyên (mô phỏng)"),
    (DonorKind.ORGANISATION, "Đoàn Thanh niên Đại học Thái Nguyên (mô phỏng)"),
    (DonorKind.INDIVIDUAL, "Ông Nguyễn Văn Thành (mô phỏng)"),
    (DonorKind.INDIVIDUAL, "Bà Trần Thị Hòa (mô phỏng)"),
]
GOODS = [("Gạo", "kg", 15_000), ("Mì tôm", "thùng", 110_000), ("Khẩu trang y tế", "hộp", 45_000)]
SPENDING = [
    (SpendingCategory.TESTING, "Sinh phẩm xét nghiệm nhanh kháng nguyên"),
    (SpendingCategory.SUPPLIES, "Khẩu trang, bộ đồ bảo hộ, dung dịch sát khuẩn"),
    (SpendingCategory.QUARANTINE, "Vận hành khu cách ly tập trung"),
    (SpendingCategory.ALLOWANCES, "Bồi dưỡng lực lượng trực chốt kiểm soát"),
    (SpendingCategory.COMMUNICATION, "Tuyên truyền phòng, chống dịch trên loa truyền thanh"),
]


def _front(unit: Unit, name: str, parent: Organisation | None) -> Organisation:
    body = Organisation.objects.filter(kind=OrganisationKind.FATHERLAND_FRONT, unit=unit).order_by("id").first()
    if body is None:
        body = organisation_create(name=name, kind=OrganisationKind.FATHERLAND_FRONT, unit=unit, parent=parent)
    return body


def _polling_areas(election: Election, commune: Unit) -> int:
    hamlets = list(Unit.objects.filter(parent=commune, level=Level.HAMLET).order_by("code"))
    groups = [hamlets[i : i + HAMLETS_PER_AREA] for i in range(0, len(hamlets), HAMLETS_PER_AREA)]
    for number, group in enumerate(groups, start=1):
        polling_area_create(
            actor=None,
            election=election,
            commune=commune,
            number=number,
            name=f"Khu vực bỏ phiếu số {number}",
            location=f"Nhà văn hóa {group[0].name}",
            hamlets=group,
        )
    return len(groups)


def _lockdown_hamlets(ward: Unit) -> list[Unit]:
    zones = list(zones_in_force(on=timezone.localdate(), kinds=[ZoneKind.LOCKDOWN]).prefetch_related("units"))
    return [u for z in zones for u in z.units.all() if u.path.startswith(ward.path)]


def _lockdown_residents(ward: Unit, limit: int) -> list[Person]:
    units = _lockdown_hamlets(ward)
    if not units:
        return []
    return list(
        Person.objects.filter(is_synthetic=True, merged_into__isnull=True, residence_unit__in=units).order_by("id")[
            :limit
        ]
    )


def _ward_residents(rng: random.Random, ward: Unit) -> int:
    """Synthetic households of the ward's hamlets (most of the synthetic population is recorded by commune):
    residents of the locked-down hamlet, and a few people of other hamlets put in home quarantine, so that
    the ward's polling areas have voters for the mobile ballot box."""
    hamlets = list(Unit.objects.filter(parent=ward, level=Level.HAMLET).order_by("code"))
    if not hamlets:
        return 0
    locked = _lockdown_hamlets(ward) or hamlets[:1]
    others = [h for h in hamlets if h not in locked] or hamlets
    today = timezone.localdate()
    made = 0
    for n in range(RESIDENTS):
        hamlet = locked[n % len(locked)] if n < RESIDENTS - QUARANTINED else others[n % len(others)]
        family, given = FAMILY[rng.randrange(len(FAMILY))], GIVEN[rng.randrange(len(GIVEN))]
        sex = "M" if n % 2 == 0 else "F"
        person = person_create(
            actor=None,
            force=True,
            full_name=f"{family} {'Văn' if sex == 'M' else 'Thị'} {given}",
            birth_year=rng.randint(1950, 2010),
            sex=sex,
            residence_unit=hamlet,
            address=f"Số {rng.randint(1, 120)}, {hamlet.name}",
            is_synthetic=True,
        ).person
        made += 1
        if n >= RESIDENTS - QUARANTINED and person is not None:
            episode_start(
                actor=None,
                person=person,
                kind=EpisodeKind.HOME,
                start_date=today - timedelta(days=rng.randint(1, 5)),
                reason="F1 của ca bệnh tại khu công nghiệp (dữ liệu giả lập)",
            )
    return made


def _funds(rng: random.Random, ward: Unit, bodies: list[Organisation]) -> tuple[int, int]:
    today = timezone.localdate()
    for n in range(12):
        body = bodies[n % len(bodies)]
        donor_kind, donor = DONORS[rng.randrange(len(DONORS))]
        day = today - timedelta(days=rng.randint(1, 20))
        if n % 3 == 2:
            goods, goods_unit, price = GOODS[rng.randrange(len(GOODS))]
            quantity = rng.randint(20, 200) * (10 if goods_unit == "kg" else 1)
            donation_record(
                actor=None,
                receiver=body,
                received_on=day,
                donor_kind=donor_kind,
                donor_name=donor,
                kind=GiftKind.GOODS,
                goods=goods,
                quantity=quantity,
                goods_unit=goods_unit,
                estimated_value=quantity * price,
                note="Dữ liệu giả lập (demo)",
            )
        else:
            donation_record(
                actor=None,
                receiver=body,
                received_on=day,
                donor_kind=donor_kind,
                donor_name=donor,
                kind=GiftKind.MONEY,
                amount=rng.randint(5, 300) * 1_000_000
                if donor_kind != DonorKind.INDIVIDUAL
                else rng.randint(5, 50) * 100_000,
                note="Dữ liệu giả lập (demo)",
            )
    giver = bodies[-1]  # the ward's Front supports the locked-down households
    given = 0
    for person in _lockdown_residents(ward, 8):
        on_hand = money_received(giver) - money_given(giver)
        amount = min(on_hand, rng.choice([500_000, 1_000_000, 1_500_000]))
        if amount > 0:
            support_give(
                actor=None,
                giver=giver,
                given_on=today - timedelta(days=1),
                recipient_name=f"Hộ {person.full_name}",
                person=person,
                unit=person.residence_unit,
                household_size=rng.randint(2, 6),
                reason="Hộ gia đình trong khu vực phong tỏa",
                kind=GiftKind.MONEY,
                amount=amount,
            )
            given += 1
        stock = Donation.objects.filter(receiver=giver, kind=GiftKind.GOODS).order_by("id").first()
        if stock is not None and goods_left(stock) >= 5:
            support_give(
                actor=None,
                giver=giver,
                given_on=today - timedelta(days=1),
                recipient_name=f"Hộ {person.full_name}",
                person=person,
                unit=person.residence_unit,
                reason="Hộ gia đình trong khu vực phong tỏa",
                kind=GiftKind.GOODS,
                donation=stock,
                quantity=5,
            )
            given += 1
    return Donation.objects.filter(receiver__in=bodies).count(), given


def _budgets(rng: random.Random, province: Unit) -> int:
    today = timezone.localdate()
    year = today.year
    districts = list(Unit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
    for district in districts:
        allocated = rng.randint(20, 80) * 100_000_000
        budget_allocate(
            actor=None,
            unit=district,
            year=year,
            amount=allocated,
            decision=f"Quyết định cấp kinh phí phòng, chống dịch {district.name} (mô phỏng)",
            allocated_on=today.replace(month=1, day=15) if today.month > 1 else today.replace(day=1),
        )
        left = allocated
        for n, (category, text) in enumerate(rng.sample(SPENDING, k=3)):
            amount = min(left, rng.randint(5, 25) * 50_000_000)
            if amount <= 0:
                break
            budget_spend(
                actor=None,
                unit=district,
                year=year,
                amount=amount,
                category=category,
                description=text,
                spent_on=max(today - timedelta(days=30 - 7 * n), today.replace(month=1, day=16)),
                voucher=f"PC-{rng.randint(100, 999)}",
            )
            left -= amount
    return len(districts)


def step_welfare(demo: Demo) -> None:
    """A polling day with mobile-ballot lists, donations and support, budgets per district."""
    existing = Election.objects.filter(name=ELECTION_NAME).first()
    if existing is not None:
        demo.say(
            f"Bầu cử, ủng hộ, kinh phí giả lập: cuộc bầu cử ngày {existing.polling_day:%d/%m/%Y}, "
            f"{Donation.objects.filter(note='Dữ liệu giả lập (demo)').count()} khoản ủng hộ (giữ nguyên)."
        )
        return
    province = Unit.objects.filter(tree=catalogue.TREE, code=catalogue.PROVINCE_CODE).first()
    ward = Unit.objects.filter(tree=catalogue.TREE, code=catalogue.DONG_TIEN).first()
    quan_trieu = Unit.objects.filter(tree=catalogue.TREE, code=catalogue.QUAN_TRIEU).first()
    pho_yen = Unit.objects.filter(tree=catalogue.TREE, code=catalogue.PHO_YEN).first()
    if province is None or ward is None or quan_trieu is None or pho_yen is None:
        demo.say("Bầu cử, ủng hộ, kinh phí: chưa có đơn vị hành chính, bỏ qua.")
        return
    rng = random.Random(demo.seed + 404)
    polling_day = timezone.localdate() + timedelta(days=2)
    with transaction.atomic():
        residents = _ward_residents(rng, ward)
        election = election_create(actor=None, name=ELECTION_NAME, polling_day=polling_day, unit=province)
        areas = _polling_areas(election, ward) + _polling_areas(election, quan_trieu)
        top = _front(province, PROVINCE_FRONT, None)
        district = _front(pho_yen, "Ủy ban MTTQ Việt Nam thị xã Phổ Yên (mô phỏng)", top)
        local = _front(ward, f"Ủy ban MTTQ Việt Nam {ward.name} (mô phỏng)", district)
        donations, given = _funds(rng, ward, [top, district, local])
        budgets = _budgets(rng, province)
    needing = len(mobile_ballot_reasons(on=polling_day))
    demo.say(
        f"Bầu cử giả lập ngày {polling_day:%d/%m/%Y}: {areas} khu vực bỏ phiếu ({ward.name}, {quan_trieu.name}), "
        f"{needing} người cần hòm phiếu phụ (trước khi xét tuổi), {residents} cư dân giả lập thêm ở các tổ dân phố "
        f"của phường; {donations} khoản ủng hộ, {given} lượt hỗ trợ; "
        f"kinh phí phòng, chống dịch của {budgets} huyện, thành phố."
    )

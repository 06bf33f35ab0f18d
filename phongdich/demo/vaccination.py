"""Demo step: vaccination (V1, V2). Lots of every product in use, one vaccination site per district
(its health centre), doses for the synthetic adults with coverage that clearly varies by commune
(about half the communes well above 80 % of adults with ≥ 1 dose, the others well below 60 %), health
staff, police and army in the front-line groups of Resolution 21/NQ-CP vaccinated first, boosters for
part of the fully vaccinated, and a few adverse events (one severe, reviewed by the provincial council).

Doses are bulk-inserted (the rules of ``services.dose_record`` are respected by construction: adults on
the day, intervals of the product, lots of the product not expired); the unique (person, dose number)
makes a second run add nothing.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import OrganisationKind
from phongdich.people.models import Person
from phongdich.vaccination.models import (
    AdverseEvent,
    AdverseEventFollowUp,
    AefiOutcome,
    Causality,
    Dose,
    DoseKind,
    PriorityAssignment,
    PriorityGroup,
    Severity,
    VaccinationSite,
    VaccineLot,
    VaccineProduct,
)

if TYPE_CHECKING:
    from .steps import Demo

# Share of the doses by product (Thái Nguyên 2021 received mostly AstraZeneca, then Vero Cell and Pfizer).
PRODUCT_SHARE = (
    ("astrazeneca", 40),
    ("sinopharm", 22),
    ("pfizer", 18),
    ("moderna", 10),
    ("sputnik-v", 4),
    ("abdala", 3),
    ("hayat-vax", 3),
)
CAMPAIGN_DAYS = 240  # the first doses were given this many days before today
HIGH = (0.82, 0.95)  # share of adults with ≥ 1 dose in a well-covered commune
LOW = (0.30, 0.55)  # … and in a poorly covered one
SECOND_DOSE = 0.85
BOOSTER = 0.35
# Organisation kind → (group of Resolution 21/NQ-CP, group of the 16-group plan)
FRONT_LINE: dict[str, tuple[str, str]] = {
    OrganisationKind.HOSPITAL: ("1a", "1"),
    OrganisationKind.HEALTH_AGENCY: ("1a", "1"),
    OrganisationKind.STEERING_COMMITTEE: ("1b", "2"),
    OrganisationKind.MILITARY: ("1c", "3"),
    OrganisationKind.POLICE: ("1d", "4"),
}
ELDERLY_GROUPS = ("5", "9")
AEFI_COUNT = 8


def _lots(today: date) -> dict[str, list[VaccineLot]]:
    lots: dict[str, list[VaccineLot]] = {}
    for product in VaccineProduct.objects.all():
        for n in (1, 2):
            lot, _created = VaccineLot.objects.get_or_create(
                product=product,
                lot_number=f"{product.code[:3].upper()}-DEMO{n}",
                defaults={"expiry_date": today + timedelta(days=180 * n)},
            )
            lots.setdefault(product.code, []).append(lot)
    return lots


def _sites(province: Unit) -> dict[int, VaccinationSite]:
    """One site per district (keyed by district id)."""
    sites = {}
    for district in Unit.objects.filter(tree=province.tree, parent=province, level=Level.DISTRICT).order_by("path"):
        site, _created = VaccinationSite.objects.get_or_create(
            name=f"Trung tâm Y tế {district.name}", unit=district, defaults={"active": True}
        )
        sites[district.pk] = site
    return sites


def _pick_product(rng: random.Random) -> str:
    roll, total = rng.random() * 100, 0
    for code, share in PRODUCT_SHARE:
        total += share
        if roll < total:
            return code
    return PRODUCT_SHARE[0][0]


def step_vaccination(demo: Demo) -> None:
    rng = random.Random(demo.seed + 55)
    today = timezone.localdate()
    start = today - timedelta(days=CAMPAIGN_DAYS)
    province = demo.province or Unit.objects.filter(level=Level.PROVINCE).order_by("tree", "path").first()
    if province is None:
        demo.say("Tiêm chủng: chưa có đơn vị hành chính.")
        return
    products = {p.code: p for p in VaccineProduct.objects.all()}
    groups = {(g.priority_list.code, g.code): g for g in PriorityGroup.objects.select_related("priority_list").all()}
    with transaction.atomic():
        lots = _lots(today)
        sites = _sites(province)
        communes = {
            u.pk: u.parent_id
            for u in Unit.objects.filter(tree=province.tree, level=Level.COMMUNE, path__startswith=province.path)
        }
        # Half of the communes well covered, half poorly, decided by the seed.
        target = {c: rng.uniform(*HIGH) if rng.random() < 0.5 else rng.uniform(*LOW) for c in sorted(communes)}
        people = (
            Person.objects.filter(
                is_synthetic=True, merged_into__isnull=True, residence_unit__path__startswith=province.path
            )
            .order_by("id")
            .values_list(
                "id",
                "birth_year",
                "residence_unit_id",
                "residence_unit__level",
                "residence_unit__parent_id",
                "organisation__kind",
            )
        )
        doses: list[Dose] = []
        assignments: list[PriorityAssignment] = []
        for person_id, birth_year, unit_id, level, parent_id, org_kind in people:
            commune = parent_id if level == Level.HAMLET else unit_id
            if commune not in communes:
                continue
            front = FRONT_LINE.get(org_kind)
            elderly = today.year - birth_year >= 65
            if front:
                assignments += [
                    PriorityAssignment(person_id=person_id, priority_list=g.priority_list, group=g)
                    for g in (groups.get(("nq21-2021", front[0])), groups.get(("ke-hoach-16-nhom-2021", front[1])))
                    if g is not None
                ]
            elif elderly:
                assignments += [
                    PriorityAssignment(person_id=person_id, priority_list=g.priority_list, group=g)
                    for g in (
                        groups.get(("nq21-2021", ELDERLY_GROUPS[0])),
                        groups.get(("ke-hoach-16-nhom-2021", ELDERLY_GROUPS[1])),
                    )
                    if g is not None
                ]
            share = 0.97 if front else target[commune]
            if rng.random() >= share:
                continue
            # Front line in the first month, the others over the campaign.
            first = start + timedelta(days=rng.randint(0, 30) if front else rng.randint(20, CAMPAIGN_DAYS - 60))
            if first.year - birth_year < 19:  # adults on the day, whatever the birthday
                continue
            product = products[_pick_product(rng)]
            district = communes[commune]
            site = sites.get(district) if district is not None else None
            day, number = first, 1
            while True:
                lot = rng.choice(lots[product.code])
                completes = number == product.primary_doses
                doses.append(
                    Dose(
                        person_id=person_id,
                        product=product,
                        lot=lot,
                        site=site,
                        dose_number=number,
                        given_on=day,
                        kind=DoseKind.PRIMARY,
                        completes_series=completes,
                    )
                )
                if completes or rng.random() >= SECOND_DOSE:
                    break
                number += 1
                day = day + timedelta(days=product.min_interval_days + rng.randint(0, 28))
                if day > today:  # the next dose is not due yet
                    break
            if doses[-1].completes_series and rng.random() < BOOSTER:
                booster_day = doses[-1].given_on + timedelta(days=90 + rng.randint(0, 60))
                if booster_day <= today:
                    booster = products[rng.choice(("pfizer", "moderna", "astrazeneca"))]
                    doses.append(
                        Dose(
                            person_id=person_id,
                            product=booster,
                            lot=rng.choice(lots[booster.code]),
                            site=site,
                            dose_number=number + 1,
                            given_on=booster_day,
                            kind=DoseKind.BOOSTER,
                            completes_series=False,
                        )
                    )
        before = Dose.objects.count()
        Dose.objects.bulk_create(doses, batch_size=2_000, ignore_conflicts=True)
        added = Dose.objects.count() - before
        PriorityAssignment.objects.bulk_create(assignments, batch_size=2_000, ignore_conflicts=True)
        events = _adverse_events(rng, today)
    high = sum(1 for v in target.values() if v >= HIGH[0])
    demo.say(
        f"Tiêm chủng: {added:,} mũi tiêm mới; {high} xã độ bao phủ cao, {len(target) - high} xã thấp; "
        f"{PriorityAssignment.objects.count():,} người trong nhóm ưu tiên; {events} phản ứng sau tiêm mới."
    )


AEFI_CASES = (
    (Severity.MILD, "Đau, sưng tại chỗ tiêm; sốt nhẹ 37,8 °C.", AefiOutcome.RECOVERED, Causality.PRODUCT),
    (Severity.MILD, "Chóng mặt, vã mồ hôi, tim đập nhanh ngay sau tiêm.", AefiOutcome.RECOVERED, Causality.ANXIETY),
    (Severity.MODERATE, "Sốt 39 °C, đau đầu, mệt mỏi kéo dài hai ngày.", AefiOutcome.RECOVERED, Causality.PRODUCT),
    (Severity.MILD, "Nổi mẩn đỏ ở tay.", AefiOutcome.RECOVERING, ""),
    (Severity.MODERATE, "Đau bụng, nôn; chẩn đoán viêm dạ dày cấp.", AefiOutcome.RECOVERED, Causality.COINCIDENTAL),
    (
        Severity.SEVERE,
        "Khó thở, tụt huyết áp 30 phút sau tiêm; xử trí phản vệ, chuyển viện.",
        AefiOutcome.RECOVERED,
        Causality.PRODUCT,
    ),
    (Severity.MILD, "Sưng hạch nách bên tiêm.", AefiOutcome.RECOVERING, ""),
    (Severity.MODERATE, "Đau ngực, hồi hộp; đang chờ kết quả điện tim.", AefiOutcome.UNKNOWN, ""),
)


def _adverse_events(rng: random.Random, today: date) -> int:
    """A few adverse events on demo doses; none added if the demo already has some."""
    if AdverseEvent.objects.filter(dose__person__is_synthetic=True).exists():
        return 0
    candidates = list(
        Dose.objects.filter(person__is_synthetic=True, given_on__lt=today - timedelta(days=14))
        .select_related("person", "site")
        .order_by("id")[:5_000]
    )
    if not candidates:
        return 0
    created = 0
    for severity, symptoms, outcome, causality in AEFI_CASES[: min(AEFI_COUNT, len(candidates))]:
        dose = rng.choice(candidates)
        if AdverseEvent.objects.filter(dose=dose).exists():
            continue
        onset = timezone.make_aware(datetime.combine(dose.given_on, time(9, 0))) + timedelta(
            minutes=30 if severity == Severity.SEVERE else rng.randint(30, 24 * 60)
        )
        event = AdverseEvent.objects.create(
            dose=dose,
            onset_at=onset,
            symptoms=symptoms,
            severity=severity,
            reported_by="Cán bộ điểm tiêm",
            reported_at=dose.site.name if dose.site else "",
            reported_on=dose.given_on + timedelta(days=1),
            outcome=outcome,
        )
        AdverseEventFollowUp.objects.create(
            event=event,
            on=dose.given_on + timedelta(days=3),
            note="Đã theo dõi tại nhà; "
            + ("hết triệu chứng." if outcome == AefiOutcome.RECOVERED else "còn triệu chứng nhẹ."),
            outcome=outcome,
        )
        if causality:
            event.causality = causality
            event.review_body = "Hội đồng tư vấn chuyên môn đánh giá tai biến sau tiêm chủng tỉnh"
            notes: dict[str, str] = {
                Causality.PRODUCT: "Phản ứng đã biết của vắc xin, phù hợp thời gian xuất hiện.",
                Causality.ANXIETY: "Phản ứng do lo lắng khi tiêm, không liên quan đến sản phẩm.",
                Causality.COINCIDENTAL: "Bệnh lý sẵn có trùng hợp về thời gian, không do vắc xin.",
            }
            event.review_note = notes.get(causality, "")
            event.reviewed_on = dose.given_on + timedelta(days=10)
            event.save()
        created += 1
    return created

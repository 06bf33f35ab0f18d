"""Demo step: control zones and goods-transport passes (Z1, Z2) around the factory outbreak.

After the outbreak at the synthetic garment factory in Phường Đồng Tiến (Thị xã Phổ Yên): the ward is
put under social distancing per Directive 15/CT-TTg, the hamlet (tổ dân phố) of the ward where most of
the outbreak's cases live — the first one when none does — is locked down per Directive 16/CT-TTg, and
a workshop line of the factory is a medical isolation zone. Two checkpoints guard the ward; a few
goods-transport passes (farm produce and production inputs keep flowing, Z2) have been checked there:
valid, one not yet valid, one expired, one revoked, one re-issued, and a forged code.

Dated from today; everything goes through the services as the system (``actor=None``). Idempotent:
when the zones exist, nothing is added. Synthetic data, marked "(mô phỏng)".
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.cases.models import Case, Cluster
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Premises
from phongdich.zones.control_services import (
    checkpoint_create,
    pass_check,
    pass_issue,
    pass_reissue,
    pass_revoke,
    zone_create,
)
from phongdich.zones.models import Checkpoint, ControlZone, MeasureSet, PassCheck, TransportPass, ZoneArea, ZoneKind
from phongdich.zones.pass_tokens import token_for

from . import catalogue
from .outbreak import CLUSTER_NAME, LINES

if TYPE_CHECKING:
    from .steps import Demo

NOTE = "Dữ liệu giả lập (demo): vùng quanh ổ dịch tại doanh nghiệp trong khu công nghiệp"
AUTHORITY = "UBND thị xã Phổ Yên (mô phỏng)"
CHECKPOINTS = ("Chốt kiểm soát đường Thống Nhất (mô phỏng)", "Chốt kiểm soát cổng KCN Yên Bình (mô phỏng)")
DRIVERS = ("Nguyễn Văn Hùng", "Trần Văn Thắng", "Lê Văn Toàn", "Phạm Văn Cường", "Hoàng Văn Dũng", "Đỗ Văn Mạnh")
GOODS = (
    "Vải thiều",
    "Phân bón, thức ăn chăn nuôi",
    "Nguyên liệu dệt may",
    "Rau xanh, thực phẩm",
    "Linh kiện điện tử",
    "Chè Thái Nguyên",
)
ORIGINS = ("Lục Ngạn, Bắc Giang", "Khu công nghiệp Yên Phong, Bắc Ninh", "Hà Nội", "Định Hóa, Thái Nguyên")


def _moment(day: date, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now())


def _outbreak_hamlet(cluster: Cluster, ward: Unit) -> Unit | None:
    """The ward's hamlet where most of the cluster's cases live (the first hamlet when none does)."""
    homes = list(Case.objects.filter(cluster=cluster).values_list("person__residence_unit", flat=True))
    hamlets = list(Unit.objects.filter(parent=ward, level=Level.HAMLET).order_by("code"))
    if not hamlets:
        return None
    return max(hamlets, key=lambda h: (homes.count(h.pk), -hamlets.index(h)))


def _zones(cluster: Cluster, ward: Unit, today: date) -> list[ControlZone]:
    sets = {ms.code: ms for ms in MeasureSet.objects.filter(code__in=["ct15", "ct16"])}
    start = max(cluster.start_date + timedelta(days=3), today - timedelta(days=12))
    zones = [
        zone_create(
            actor=None,
            name=f"Giãn cách xã hội {ward.name} (mô phỏng)",
            zone_kind=ZoneKind.SOCIAL_DISTANCING,
            area=ZoneArea.UNITS,
            units=[ward],
            measure_set=sets["ct15"],
            start_date=start,
            end_date=today + timedelta(days=7),
            decision_number="1021/QĐ-UBND (mô phỏng)",
            decision_date=start - timedelta(days=1),
            issuing_authority=AUTHORITY,
            note=NOTE,
        )
    ]
    hamlet = _outbreak_hamlet(cluster, ward)
    if hamlet is not None:
        zones.append(
            zone_create(
                actor=None,
                name=f"Phong tỏa {hamlet.name}, {ward.name} (mô phỏng)",
                zone_kind=ZoneKind.LOCKDOWN,
                area=ZoneArea.HAMLET,
                units=[hamlet],
                measure_set=sets["ct16"],
                start_date=start + timedelta(days=2),
                decision_number="1035/QĐ-UBND (mô phỏng)",
                decision_date=start + timedelta(days=1),
                issuing_authority=AUTHORITY,
                note=NOTE,
            )
        )
    line = Premises.objects.filter(organisation=cluster.organisation, name=LINES[0]).first()
    if line is not None:
        zones.append(
            zone_create(
                actor=None,
                name=f"Cách ly y tế {line.name}, {line.organisation.name}",
                zone_kind=ZoneKind.MEDICAL_ISOLATION,
                area=ZoneArea.PREMISES,
                premises=line,
                measure_set=sets["ct16"],
                start_date=cluster.start_date + timedelta(days=1),
                decision_number="1002/QĐ-UBND (mô phỏng)",
                issuing_authority=AUTHORITY,
                note=NOTE,
            )
        )
    return zones


def _passes(demo: Demo, *, ward: Unit, issuer: Unit, zones: list[ControlZone], today: date) -> dict[str, int]:
    rng = random.Random(demo.seed + 21)
    points = [checkpoint_create(actor=None, name=name, unit=ward, zone=zones[0]) for name in CHECKPOINTS]
    # (valid from, valid to) relative to today: valid ones, one not yet valid, one expired.
    spans = [(-10, 10), (-5, 14), (-12, 2), (-3, 20), (2, 16), (-14, -2)]
    issued: list[TransportPass] = []
    for n, (start, end) in enumerate(spans):
        phone = f"09{rng.choice('1234678')}{rng.randint(0, 9_999_999):07d}"
        issued.append(
            pass_issue(
                actor=None,
                issuing_unit=issuer,
                plate=f"20C-{rng.randint(100, 999)}.{rng.randint(0, 99):02d}",
                driver_name=DRIVERS[n],
                driver_phone=phone,
                carrier="Hợp tác xã vận tải (mô phỏng)",
                goods=GOODS[n],
                origin_text=ORIGINS[n % len(ORIGINS)] if n % 2 == 0 else "",
                origin_unit=None if n % 2 == 0 else ward,
                destination_unit=ward if n % 2 == 0 else None,
                destination_text="" if n % 2 == 0 else ORIGINS[n % len(ORIGINS)],
                zones=zones[:1],
                valid_from=today + timedelta(days=start),
                valid_to=today + timedelta(days=end),
                note=NOTE,
            )
        )
    checks = 0
    for transport_pass in issued:
        for _k in range(rng.randint(1, 3)):
            day = today - timedelta(days=rng.randint(0, 4))
            pass_check(
                actor=None,
                checkpoint=rng.choice(points),
                code=token_for(transport_pass.nonce),
                at=_moment(day, rng.randint(6, 20)),
            )
            checks += 1
    pass_revoke(actor=None, transport_pass=issued[3], reason="Lái xe là F1 (mô phỏng)")
    pass_reissue(actor=None, transport_pass=issued[0], reason="Mất thẻ (mô phỏng)")
    for transport_pass in (issued[3], issued[0]):
        pass_check(actor=None, checkpoint=points[0], code=token_for(transport_pass.nonce))
        checks += 1
    pass_check(actor=None, checkpoint=points[1], code="20C12345 THE GIA")  # a forged card
    return {"passes": TransportPass.objects.filter(note=NOTE).count(), "checks": checks + 1}


def step_control_zones(demo: Demo) -> None:
    """Distancing (15/CT-TTg) over the outbreak's ward, lockdown (16/CT-TTg) of a hamlet, isolation of a
    workshop line; checkpoints and goods-transport passes with their checks."""
    existing = ControlZone.objects.filter(note=NOTE)
    if existing.exists():
        demo.say(
            f"Vùng cách ly, phong tỏa, giãn cách giả lập: {existing.count()} vùng, "
            f"{TransportPass.objects.filter(note=NOTE).count()} thẻ luồng xanh (giữ nguyên)."
        )
        return
    cluster = Cluster.objects.select_related("organisation", "unit").filter(name=CLUSTER_NAME).first()
    ward = Unit.objects.filter(tree=catalogue.TREE, code=catalogue.DONG_TIEN).first()
    issuer = Unit.objects.filter(tree=catalogue.TREE, code=catalogue.PHO_YEN).first()
    if cluster is None or ward is None or issuer is None:
        demo.say("Vùng cách ly, phong tỏa, giãn cách: chưa có ổ dịch giả lập, bỏ qua.")
        return
    today = timezone.localdate()
    with transaction.atomic():
        zones = _zones(cluster, ward, today)
        counts = _passes(demo, ward=ward, issuer=issuer, zones=zones, today=today)
    demo.say(
        f"Vùng cách ly, phong tỏa, giãn cách giả lập: {len(zones)} vùng quanh {ward.name}; "
        f"{Checkpoint.objects.filter(zone__in=zones).count()} chốt, {counts['passes']} thẻ luồng xanh, "
        f"{PassCheck.objects.filter(checkpoint__zone__in=zones).count()} lượt kiểm tra."
    )

"""Demo step: gatherings, inspections and violations (G1, G2, G3, G5).

- Gatherings in Phường Quán Triều: a wedding over the cap waiting for the commune's approval, another one
  approved by the commune officer, a small funeral within the cap (no approval needed).
- An inspection round: the province inspects most districts this month (one is left for the "not inspected"
  list); Thành phố Thái Nguyên inspects some of its communes with findings — one follow-up already overdue,
  one closed, one still running; the commune inspects a hamlet, the hamlet head a household.
- Violations: a person without a mask fined (published without the name), an official's trip out of the
  province without approval (the head disciplined, published with the name as the decision says), price
  gouging and counterfeit test kits by shops (published), a false declaration not yet handled.

Everything goes through the enforcement services as the demo's officers (or the system when a login is
missing). Synthetic people only. Running the step again adds nothing.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from phongdich.core.models import User
from phongdich.enforcement.models import Gathering, GatheringStatus, Regulation
from phongdich.enforcement.selectors import month_bounds
from phongdich.enforcement.services import (
    follow_up_add,
    follow_up_close,
    gathering_decide,
    gathering_register,
    inspection_record,
    plan_create,
    violation_publish,
    violation_record,
)
from phongdich.geo.models import Level, Unit
from phongdich.people.models import Person

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

PENDING_TITLE = "Đám cưới nhà ông Nguyễn Văn Hùng"
APPROVED_TITLE = "Đám cưới nhà bà Trần Thị Lan"
FUNERAL_TITLE = "Lễ tang cụ Hoàng Văn Thọ"


def _user(username: str) -> Any:
    return User.objects.filter(username=username, is_active=True).first()


def _gatherings(officer: Any, hamlet: Unit, rng: random.Random) -> None:
    today = timezone.localdate()
    pending = gathering_register(
        actor=officer,
        kind="wedding",
        title=PENDING_TITLE,
        unit=hamlet,
        address="Số 12, ngõ 45 đường Dương Tự Minh",
        event_date=today + timedelta(days=4),
        expected_attendance=150,
        organiser_name="Nguyễn Văn Hùng",
        organiser_phone="0912" + f"{rng.randint(0, 999_999):06d}",
    )
    approved = gathering_register(
        actor=officer,
        kind="wedding",
        title=APPROVED_TITLE,
        unit=hamlet,
        address="Số 3, tổ 1",
        event_date=today + timedelta(days=6),
        expected_attendance=pending.cap + 20 if pending.cap is not None else 80,
        organiser_name="Trần Thị Lan",
    )
    if approved.status == GatheringStatus.PENDING:
        gathering_decide(
            actor=officer,
            gathering=approved,
            approve=True,
            reason="Chia làm hai ca đón khách, bố trí khử khuẩn và khai báo y tế tại cửa.",
        )
    gathering_register(
        actor=officer,
        kind="funeral",
        title=FUNERAL_TITLE,
        unit=hamlet,
        address="Số 8, tổ 1",
        event_date=today + timedelta(days=1),
        expected_attendance=min(20, pending.cap or 20) or 1,
        organiser_name="Hoàng Văn Phúc",
        indoors=True,
    )


def _inspections(province: Unit, city: Unit, commune: Unit, hamlet: Unit, users: dict[str, Any]) -> int:
    today = timezone.localdate()
    month_start, _month_end = month_bounds(today)
    this_month = max(month_start, today - timedelta(days=3))
    districts = list(Unit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
    plan_create(
        actor=users["province"],
        inspector_unit=province,
        title="Kiểm tra công tác phòng, chống dịch tại các huyện, thành phố",
        start_date=month_start,
        end_date=month_start + timedelta(days=27),
        targets=districts,
        note="Theo Chỉ thị của Ban Thường vụ Tỉnh ủy: cấp trên kiểm tra cấp dưới.",
    )
    count = 0
    for index, district in enumerate(districts[:-1]):  # the last district is left for "chưa được kiểm tra"
        inspection_record(
            actor=users["province"],
            inspector_unit=province,
            target_unit=district,
            inspected_on=this_month,
            result="good" if index % 3 else "shortcomings",
            findings="Ban Chỉ đạo huyện họp giao ban hằng ngày; chốt kiểm soát hoạt động 24/24."
            if index % 3
            else "Một số chốt kiểm soát chưa ghi đủ sổ theo dõi người ra vào.",
        )
        count += 1
    communes = list(Unit.objects.filter(parent=city, level=Level.COMMUNE).order_by("code"))
    chosen = [commune, *[c for c in communes if c.pk != commune.pk][:3]]
    for index, target in enumerate(chosen):
        inspected_on = today - timedelta(days=10 - index)
        inspection = inspection_record(
            actor=users["district"],
            inspector_unit=city,
            target_unit=target,
            inspected_on=inspected_on,
            result="violations" if index == 0 else ("shortcomings" if index == 1 else "good"),
            findings=(
                "Phát hiện hai hộ tổ chức tiệc quá số người quy định; tổ COVID cộng đồng chưa kiểm tra "
                "người về từ vùng dịch."
                if index == 0
                else "Sổ theo dõi cách ly tại nhà chưa cập nhật hằng ngày."
                if index == 1
                else "Thực hiện tốt các biện pháp 5K, khai báo y tế bằng mã QR."
            ),
        )
        count += 1
        if index == 0:
            follow_up_add(
                actor=users["district"],
                inspection=inspection,
                action="Rà soát, lập danh sách người về từ vùng dịch trong 14 ngày",
                deadline=inspected_on + timedelta(days=7),  # past: overdue
            )
            follow_up_add(
                actor=users["district"],
                inspection=inspection,
                action="Xử lý các hộ tổ chức tiệc quá số người",
                deadline=today + timedelta(days=5),
            )
        elif index == 1:
            done = follow_up_add(
                actor=users["district"],
                inspection=inspection,
                action="Cập nhật sổ theo dõi cách ly tại nhà",
                deadline=inspected_on + timedelta(days=3),
            )
            follow_up_close(
                actor=users["district"],
                follow_up=done,
                closed_on=inspected_on + timedelta(days=2),
                note="Đã cập nhật đầy đủ.",
            )
    inspection_record(
        actor=users["commune"],
        inspector_unit=commune,
        target_unit=hamlet,
        inspected_on=this_month,
        result="good",
        findings="Tổ COVID cộng đồng đi từng ngõ, gõ từng nhà; danh sách hộ cập nhật.",
    )
    head = Person.objects.filter(residence_unit=hamlet, is_synthetic=True, merged_into__isnull=True).order_by("id")
    household_head = head.first()
    if household_head is not None:
        inspection_record(
            actor=users["hamlet"],
            inspector_unit=hamlet,
            target_unit=hamlet,
            household_head=household_head,
            household_address=household_head.address or "Tổ 1",
            inspected_on=this_month,
            result="good",
            findings="Gia đình thực hiện khai báo y tế, có khẩu trang và dung dịch sát khuẩn.",
        )
        count += 1
    return count + 1


def _violations(commune: Unit, other_commune: Unit, users: dict[str, Any], rng: random.Random) -> int:
    today = timezone.localdate()
    regulations = {r.code: r for r in Regulation.objects.all()}
    people = list(
        Person.objects.filter(
            residence_unit__path__startswith=commune.path, is_synthetic=True, merged_into__isnull=True
        ).order_by("id")[:20]
    )
    officer = users["commune"]
    made = []
    if people:
        person = rng.choice(people)
        no_mask = violation_record(
            actor=officer,
            offender_kind="individual",
            person=person,
            unit=person.residence_unit,
            kind="no_mask",
            occurred_on=today - timedelta(days=5),
            regulation=regulations.get("nd117-d12-k1a"),
            description="Không đeo khẩu trang tại chợ Quán Triều.",
            sanction="fine",
            fine_amount=2_000_000,
            decision_number="05/QĐ-XPHC",
            decision_date=today - timedelta(days=4),
        )
        violation_publish(actor=officer, violation=no_mask, publish=True)
        made.append(no_mask)
        declarer = rng.choice(people)
        made.append(
            violation_record(
                actor=officer,
                offender_kind="individual",
                person=declarer,
                unit=declarer.residence_unit,
                kind="false_declaration",
                occurred_on=today - timedelta(days=2),
                regulation=regulations.get("nd117-d7-khai-bao"),
                description="Không khai báo việc về từ vùng dịch; đang xác minh.",
            )
        )
    travel = violation_record(
        actor=users["district"],
        offender_kind="individual",
        offender_name="Lê Văn Toàn",
        unit=commune,
        kind="unapproved_travel",
        occurred_on=today - timedelta(days=8),
        regulation=regulations.get("600-cv-tu-muc-4"),
        trip_reference="Đi Hà Nội thứ Bảy, không được thủ trưởng đồng ý",
        description="Công chức đi ra ngoài tỉnh ngày thứ Bảy khi chưa được thủ trưởng đồng ý.",
        sanction="discipline_head",
        head_disciplined="Trưởng phòng: kiểm điểm, rút kinh nghiệm",
        decision_number="112/QĐ-UBND",
        decision_date=today - timedelta(days=6),
    )
    violation_publish(actor=users["district"], violation=travel, publish=True, name_published=True)
    gouging = violation_record(
        actor=users["district"],
        offender_kind="organisation",
        offender_name="Nhà thuốc An Khang (giả lập)",
        unit=other_commune,
        kind="price_gouging",
        occurred_on=today - timedelta(days=12),
        regulation=regulations.get("nd109-2013-gia"),
        description="Bán khẩu trang y tế giá gấp ba lần giá niêm yết.",
        sanction="fine",
        fine_amount=15_000_000,
        decision_number="98/QĐ-XPHC",
        decision_date=today - timedelta(days=10),
    )
    violation_publish(actor=users["district"], violation=gouging, publish=True)
    counterfeit = violation_record(
        actor=users["district"],
        offender_kind="organisation",
        offender_name="Cửa hàng thiết bị y tế Minh Châu (giả lập)",
        unit=other_commune,
        kind="counterfeit_supplies",
        occurred_on=today - timedelta(days=9),
        regulation=regulations.get("nd98-2020-hang-gia"),
        description="Bán bộ xét nghiệm nhanh không rõ nguồn gốc.",
        sanction="fine",
        fine_amount=40_000_000,
        decision_number="101/QĐ-XPHC",
        decision_date=today - timedelta(days=7),
    )
    violation_publish(actor=users["district"], violation=counterfeit, publish=True)
    made += [travel, gouging, counterfeit]
    return len(made)


def step_enforcement(demo: Demo) -> None:
    if Gathering.objects.filter(title=PENDING_TITLE).exists():
        demo.say("Kiểm tra, vi phạm: đã có (giữ nguyên).")
        return
    rng = random.Random(demo.seed + 71)
    province = demo.unit("province")
    city = demo.unit(catalogue.CITY)
    commune = demo.unit(catalogue.QUAN_TRIEU)
    other_commune = demo.unit(catalogue.TRUNG_VUONG)
    hamlet = (
        Unit.objects.filter(tree=commune.tree, code=f"{catalogue.QUAN_TRIEU}-01").first()
        or Unit.objects.filter(parent=commune, level=Level.HAMLET).order_by("code").first()
    )
    users = {
        "province": _user("tinh_quantri"),
        "district": _user("huyen_tptn"),
        "commune": _user("xa_quantrieu"),
        "hamlet": _user("to1_quantrieu"),
    }
    with transaction.atomic():
        _gatherings(users["commune"], hamlet or commune, rng)
        inspections = _inspections(province, city, commune, hamlet or commune, users) if hamlet else 0
        violations = _violations(commune, other_commune, users, rng)
    demo.say(
        f"Kiểm tra, vi phạm: 3 sự kiện tụ tập (1 chờ xã phê duyệt), {inspections} biên bản kiểm tra, "
        f"{violations} vụ vi phạm."
    )

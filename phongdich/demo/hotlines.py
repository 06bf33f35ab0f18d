"""Demo step: hotlines and rapid-response teams (R5) and tips from citizens (G4).

The province's hotlines and one per district; a rapid-response team for the province and for each
district, four synthetic members each, on three eight-hour shifts a day from yesterday to the day after
tomorrow (so "on duty now" always has someone); about fifteen tips in every state — new, assigned, in
progress, closed with each outcome — most in Thành phố Thái Nguyên, where the demo's officers are.

Hotline numbers, names and phones are synthetic. Running the step again adds only the missing shifts.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.core.models import User
from phongdich.geo.models import Level, Unit
from phongdich.hotlines.models import DutyShift, Hotline, RapidResponseTeam, Tip, TipChannel, TipKind, TipOutcome
from phongdich.hotlines.services import (
    assignable_users,
    hotline_create,
    shift_create,
    team_create,
    team_member_add,
    tip_assign,
    tip_close,
    tip_receive,
    tip_start,
)
from phongdich.orgs.models import Role, RoleAssignment

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu")
_GIVEN = ("An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nam", "Phúc", "Quân", "Thảo", "Tùng")
_POSITIONS = ("Trưởng đội", "Bác sĩ", "Điều dưỡng", "Cán bộ xét nghiệm")
_PREFIXES = ("091", "094", "098", "097", "086", "088", "035", "037")
SHIFT_HOURS = (0, 8, 16)
TIP_COUNT = 15

# (kind, description, where: "qt" Quán Triều, "city" another commune of the city, "other" elsewhere, target)
TIPS: list[tuple[str, str, str, str]] = [
    (
        TipKind.SUSPECTED_CASE,
        "Nhà bên cạnh có người từ Đà Nẵng về hôm qua, đang sốt và ho, chưa khai báo.",
        "qt",
        "new",
    ),
    (TipKind.SUSPECTED_CASE, "Công nhân ở trọ số 12 sốt cao hai ngày, tự mua thuốc uống.", "qt", "assigned"),
    (TipKind.VIOLATION, "Quán karaoke vẫn mở cửa, tụ tập đông người sau 22 giờ.", "qt", "in_progress"),
    (TipKind.VIOLATION, "Đám cưới tổ chức trên 50 khách, không đeo khẩu trang.", "qt", "closed:confirmed"),
    (
        TipKind.FALSE_INFORMATION,
        "Trên mạng xã hội lan truyền tin phường bị phong tỏa toàn bộ.",
        "qt",
        "closed:unfounded",
    ),
    (
        TipKind.ILLEGAL_ENTRY,
        "Hai người nói tiếng nước ngoài ở trọ, chủ nhà không khai báo tạm trú.",
        "city",
        "assigned",
    ),
    (TipKind.PRICE_GOUGING, "Hiệu thuốc bán khẩu trang y tế 250.000 đồng một hộp.", "city", "new"),
    (TipKind.PRICE_GOUGING, "Cửa hàng bán que thử nhanh không rõ nguồn gốc.", "city", "closed:referred"),
    (
        TipKind.FALSE_INFORMATION,
        "Tin nhắn lan truyền: bệnh viện hết giường, không nhận bệnh nhân.",
        "city",
        "in_progress",
    ),
    (TipKind.SUSPECTED_CASE, "Người bán hàng ở chợ có biểu hiện khó thở.", "city", "new"),
    (TipKind.OTHER, "Rác thải y tế vứt bên đường gần khu cách ly.", "city", "closed:confirmed"),
    (TipKind.SUSPECTED_CASE, "Người về từ vùng dịch không cách ly tại nhà, đi lại trong xóm.", "other", "new"),
    (TipKind.ILLEGAL_ENTRY, "Xe khách đón người qua đường mòn, không qua chốt kiểm soát.", "other", "new"),
    (TipKind.VIOLATION, "Nhà hàng phục vụ ăn uống tại chỗ khi đang giãn cách.", "other", "closed:duplicate"),
    (TipKind.FALSE_INFORMATION, "Trang cá nhân đăng tin giả về tiêm vắc xin gây tử vong.", "other", "new"),
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(_PREFIXES)}{rng.randrange(10**7):07d}"


def _teams_and_hotlines(demo: Demo, rng: random.Random, units: list[Unit]) -> tuple[int, int]:
    made_hotlines = made_teams = 0
    for index, unit in enumerate(units):
        is_province = unit.level == Level.PROVINCE
        if not Hotline.objects.filter(unit=unit).exists():
            if is_province:
                hotline_create(actor=None, unit=unit, name="Đường dây nóng Sở Y tế", number="0208 3000 115")
                hotline_create(actor=None, unit=unit, name="Đường dây nóng Ban Chỉ đạo tỉnh", number="0208 3000 116")
            else:
                hotline_create(
                    actor=None, unit=unit, name=f"Trung tâm Y tế {unit.name}", number=f"0208 3001 {index:03d}"
                )
            made_hotlines += 1
        if not RapidResponseTeam.objects.filter(unit=unit).exists():
            team = team_create(actor=None, unit=unit, name=f"Đội phản ứng nhanh {unit.name}")
            for position in _POSITIONS:
                team_member_add(actor=None, team=team, full_name=_name(rng), position=position, phone=_phone(rng))
            made_teams += 1
    return made_hotlines, made_teams


def _shifts(today_start: datetime) -> int:
    """Three shifts a day from yesterday to the day after tomorrow for each team and each hotline."""
    made = 0
    starts = [today_start + timedelta(days=d, hours=h) for d in (-1, 0, 1, 2) for h in SHIFT_HOURS]
    for team in RapidResponseTeam.objects.prefetch_related("members").order_by("id"):
        members = list(team.members.order_by("id"))
        if not members:
            continue
        have = set(DutyShift.objects.filter(team=team).values_list("start", flat=True))
        for n, start in enumerate(starts):
            if start in have:
                continue
            member = members[n % len(members)]
            shift_create(
                actor=None,
                team=team,
                full_name=member.full_name,
                phone=member.phone,
                start=start,
                end=start + timedelta(hours=8),
            )
            made += 1
    for hotline in Hotline.objects.order_by("id"):
        have = set(DutyShift.objects.filter(hotline=hotline).values_list("start", flat=True))
        operators = [f"Trực tổng đài {hotline.unit.name} {k}" for k in (1, 2, 3)]
        for n, start in enumerate(starts):
            if start in have:
                continue
            shift_create(
                actor=None,
                hotline=hotline,
                full_name=operators[n % len(operators)],
                start=start,
                end=start + timedelta(hours=8),
            )
            made += 1
    return made


def _officer(role: str, unit: Unit) -> User | None:
    ra = RoleAssignment.objects.active().filter(role=role, unit=unit).select_related("user").order_by("id").first()
    return ra.user if ra is not None else None


def _tips(demo: Demo, rng: random.Random) -> int:
    if Tip.objects.exists():
        return 0
    quan_trieu, city = demo.unit(catalogue.QUAN_TRIEU), demo.unit(catalogue.CITY)
    province = demo.unit("province")
    city_communes = list(Unit.objects.subtree(city).filter(level=Level.COMMUNE).exclude(pk=quan_trieu.pk))
    other_communes = list(
        Unit.objects.subtree(province).filter(level=Level.COMMUNE).exclude(tree=city.tree, path__startswith=city.path)
    )
    operator = _officer(Role.PROVINCE_ADMIN, province)
    now = timezone.now()
    for n, (kind, text, where, target) in enumerate(TIPS):
        commune = quan_trieu if where == "qt" else rng.choice(city_communes if where == "city" else other_communes)
        named = n % 3 == 0
        tip = tip_receive(
            actor=operator if n % 2 else None,
            channel=TipChannel.HOTLINE if n % 2 else TipChannel.PUBLIC,
            kind=kind,
            description=text,
            commune=commune,
            address=f"Tổ {rng.randint(1, 20)}",
            happened_at=now - timedelta(hours=rng.randint(3, 72)),
            reporter_name=_name(rng) if named else "",
            reporter_phone=_phone(rng) if named else "",
        )
        # Spread the receipts over the last days (newest last).
        Tip.objects.filter(pk=tip.pk).update(received_at=now - timedelta(hours=(len(TIPS) - n) * 5))
        if target == "new":
            continue
        outcome = target.split(":", 1)[1] if target.startswith("closed:") else ""
        assignee = assignable_users(tip).exclude(role_assignments__role=Role.PROVINCE_ADMIN).last()
        actor = operator
        if assignee is not None and actor is not None:
            tip_assign(actor=actor, tip=tip, assignee=assignee)
            if target != "assigned":
                tip_start(actor=assignee, tip=tip)
            actor = assignee
        if outcome and actor is not None:
            tip_close(actor=actor, tip=tip, outcome=TipOutcome(outcome), note=_closing_note(TipOutcome(outcome)))
    return len(TIPS)


def _closing_note(outcome: TipOutcome) -> str:
    return {
        TipOutcome.CONFIRMED: "Đã xác minh, lập biên bản và xử phạt theo quy định.",
        TipOutcome.UNFOUNDED: "Đã xác minh: thông tin không đúng sự thật; đã đính chính trên trang của phường.",
        TipOutcome.REFERRED: "Chuyển Đội Quản lý thị trường xử lý theo thẩm quyền.",
        TipOutcome.DUPLICATE: "Trùng tin báo đã tiếp nhận trước đó.",
    }[outcome]


def step_hotlines(demo: Demo) -> None:
    rng = random.Random(demo.seed + 606)
    province = demo.unit("province")
    districts = list(Unit.objects.subtree(province).filter(level=Level.DISTRICT).order_by("path"))
    today_start = timezone.make_aware(datetime.combine(timezone.localdate(), time(0, 0)))
    with transaction.atomic():
        hotlines, teams = _teams_and_hotlines(demo, rng, [province, *districts])
        shifts = _shifts(today_start)
        tips = _tips(demo, rng)
    demo.say(
        f"Đường dây nóng, đội phản ứng nhanh: {Hotline.objects.count()} đường dây, "
        f"{RapidResponseTeam.objects.count()} đội (mới {hotlines}/{teams}), {shifts} ca trực mới, "
        f"{Tip.objects.count()} tin báo (mới {tips})."
    )

"""Demo step: command (R3, R4, R6). Seeds 001, 002 and 004 as directive records, each numbered task summarised
in a line and assigned to the demo organisations it names, with the deadlines the documents state
(002 §2.8 and §2.14 by a date and hour, §2.15 daily before 16:00; 004 §4 before election day, 23/5/2021); the
other tasks are standing ones. Progress is reported on many of them (some done late, some blocked), a few are
left overdue; today's daily reports arrive from most agencies. Response plans for the four levels are recorded
for most organisations, a few are left without one or without the red-level plan.

Everything goes through the command services as the system (``actor=None``). Run again, the step keeps what
exists (a directive is recognised by its issuing body, date and title; an organisation with a plan is kept)."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.command.models import Directive, DirectiveKind, ResponsePlan, TaskAssignment
from phongdich.command.services import directive_create, plan_record, progress_report, task_add
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import StaffMembership

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

DEMO_NOTE = "Dữ liệu giả lập (demo): tóm tắt các nhiệm vụ của văn bản, không phải toàn văn."
DISTRICTS = "districts"  # every district People's Committee


@dataclass(frozen=True)
class TaskSpec:
    number: str
    title: str
    assignees: tuple[str, ...]
    lead: str = ""
    due: tuple[date, time] | None = None  # local date and hour
    daily: time | None = None


@dataclass(frozen=True)
class DirectiveSpec:
    number: str
    issued_on: date
    issuing_body: str
    kind: str
    title: str
    text: str
    tasks: tuple[TaskSpec, ...] = field(default_factory=tuple)


DIRECTIVES: tuple[DirectiveSpec, ...] = (
    DirectiveSpec(
        number="600-CV/TU",
        issued_on=date(2021, 11, 6),
        issuing_body="Ban Thường vụ Tỉnh ủy Thái Nguyên",
        kind=DirectiveKind.OFFICIAL_LETTER,
        title="Tăng cường kiểm soát phòng, chống dịch Covid-19 trên địa bàn tỉnh",
        text=DEMO_NOTE,
        tasks=(
            TaskSpec(
                "1", "Cả hệ thống chính trị tập trung chống dịch, theo Nghị quyết 128/NQ-CP", ("ubnd_tinh", "bcd_tinh")
            ),
            TaskSpec(
                "2",
                "Hạn chế tụ tập, họp trực tuyến; 100% cơ quan quét mã QR tại trụ sở; phương án theo từng cấp độ",
                ("so_tttt", "so_y_te", "so_gddt", DISTRICTS),
                lead="so_tttt",
            ),
            TaskSpec(
                "3",
                "Quản lý lưu trú, khai báo di biến động người đến từ vùng có dịch",
                ("cong_an", "ubnd_quan_trieu", DISTRICTS),
                lead="cong_an",
            ),
            TaskSpec("4", "Cán bộ, đảng viên gương mẫu; việc hiếu, hỷ gọn nhẹ, hạn chế người dự", ("tinh_uy", "mttq")),
            TaskSpec("5", "Đẩy mạnh tuyên truyền; xử lý tin thiếu kiểm chứng", ("so_tttt", "cong_an"), lead="so_tttt"),
            TaskSpec("6", "Ban Chỉ đạo tỉnh báo cáo kịp thời Thường trực, Ban Thường vụ Tỉnh ủy", ("bcd_tinh",)),
        ),
    ),
    DirectiveSpec(
        number="",
        issued_on=date(2020, 7, 27),  # the notice is undated; its deadlines start on 28/7/2020
        issuing_body="Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh Thái Nguyên",
        kind=DirectiveKind.CONCLUSION,
        title="Kết luận của Trưởng ban Chỉ đạo về triển khai phòng, chống dịch COVID-19 (dịch tại Đà Nẵng)",
        text=DEMO_NOTE,
        tasks=(
            TaskSpec(
                "2.1",
                "Thực hiện đủ các biện pháp theo Công văn 167/CV-BCĐ; kế hoạch cụ thể của từng đơn vị",
                ("so_y_te", "cong_an", "quan_su", DISTRICTS),
            ),
            TaskSpec("2.2", "Rà soát đại biểu đại hội Đảng đã qua vùng có dịch trong 14 ngày", ("tinh_uy",)),
            TaskSpec(
                "2.3",
                "Ngành y tế: phân luồng, cách ly trong cơ sở y tế; đường dây nóng, đội phản ứng nhanh",
                ("so_y_te", "cdc"),
                lead="so_y_te",
            ),
            TaskSpec(
                "2.4", "Phát hiện, lập danh sách nghi nhiễm và nhập cảnh trái phép; giữ an ninh trật tự", ("cong_an",)
            ),
            TaskSpec("2.5", "Sẵn sàng vận hành khu cách ly tập trung", ("quan_su",)),
            TaskSpec("2.6", "Tuyên truyền khai báo y tế điện tử; xử lý tin bịa đặt", ("so_tttt",)),
            TaskSpec("2.7", "Bố trí kinh phí phòng, chống dịch", ("so_tai_chinh",)),
            TaskSpec(
                "2.8",
                "Phương án tổ chức an toàn kỳ thi tốt nghiệp THPT 2020, báo cáo UBND tỉnh",
                ("so_gddt",),
                due=(date(2020, 7, 28), time(17, 0)),
            ),
            TaskSpec(
                "2.9",
                "Hỗ trợ Đại học Thái Nguyên nghiệm thu bộ sinh phẩm Realtime PCR",
                ("so_khcn", "so_y_te", "dhtn"),
                lead="so_khcn",
            ),
            TaskSpec(
                "2.10",
                "Chống buôn lậu, hàng giả, đầu cơ, tăng giá vật tư y tế",
                ("so_cong_thuong", "qltt"),
                lead="so_cong_thuong",
            ),
            TaskSpec("2.11", "Theo dõi cán bộ, sinh viên đến từ vùng có dịch", ("dhtn",)),
            TaskSpec("2.12", "Sẵn sàng xét nghiệm, cách ly, điều trị", ("bv_tw",)),
            TaskSpec("2.13", "Vận động người dân khai báo y tế", ("so_tttt",)),
            TaskSpec(
                "2.14",
                "Rà soát người từ Đà Nẵng, vùng có dịch đến; tổng hợp gửi UBND tỉnh qua Sở Y tế",
                (DISTRICTS,),
                due=(date(2020, 7, 29), time(17, 0)),
            ),
            TaskSpec(
                "2.15",
                "Báo cáo hằng ngày tình hình phòng, chống dịch gửi UBND tỉnh qua Sở Y tế",
                ("so_y_te", "cong_an", "quan_su", "so_tttt", DISTRICTS),
                lead="so_y_te",
                daily=time(16, 0),
            ),
        ),
    ),
    DirectiveSpec(
        number="",
        issued_on=date(2021, 5, 15),  # the copy kept is undated: May 2021, before the election of 23/5/2021
        issuing_body="Ban Thường vụ Tỉnh ủy",
        kind=DirectiveKind.DIRECTIVE,
        title="Khẩn trương đẩy mạnh các biện pháp cấp bách phòng, chống dịch Covid-19 (hỏa tốc)",
        text=DEMO_NOTE,
        tasks=(
            TaskSpec("1", "Cấp ủy, chính quyền tập trung cao điểm; bí thư chịu trách nhiệm trực tiếp", (DISTRICTS,)),
            TaskSpec(
                "2",
                "Phương án ứng phó mọi tình huống, kể cả xấu nhất; truy vết, khoanh vùng; cấp trên kiểm tra cấp dưới",
                ("ubnd_tinh", "bcd_tinh"),
                lead="ubnd_tinh",
            ),
            TaskSpec(
                "3",
                "Y tế ở mức cao nhất: năng lực xét nghiệm, sinh phẩm, vật tư, không lây nhiễm chéo",
                ("so_y_te", "cdc", "bv_tw"),
                lead="so_y_te",
            ),
            TaskSpec(
                "4",
                "Phương án bầu cử trong điều kiện có dịch: mọi cử tri, kể cả người cách ly, được bỏ phiếu",
                ("ubbc",),
                due=(date(2021, 5, 22), time(17, 0)),
            ),
            TaskSpec("5", "Tuyên truyền khách quan; giải thích sự cố khi tiêm vắc xin", ("so_tttt",)),
            TaskSpec("6", "Vận động ủng hộ, hỗ trợ người dân bị ảnh hưởng", ("mttq",)),
            TaskSpec("7", "Ủy viên phụ trách địa bàn nắm chắc tình hình, xử lý kịp thời", ("tinh_uy",)),
            TaskSpec("8", "Theo dõi, đôn đốc, kiểm tra, định kỳ báo cáo Ban Thường vụ", ("ubnd_tinh",)),
        ),
    ),
)

REPORTS = {
    "in_progress": "Đang triển khai theo kế hoạch của đơn vị.",
    "done": "Đã hoàn thành; kết quả đã báo cáo bằng văn bản.",
    "blocked": "Vướng mắc về kinh phí và nhân lực; đề nghị hỗ trợ.",
}

# Plans: one organisation in PLAN_NONE_EVERY has none; one in PLAN_NO_RED_EVERY lacks the red-level plan.
PLAN_NONE_EVERY = 7
PLAN_NO_RED_EVERY = 5
PLAN_CONTENT = {
    1: "Duy trì 5K, khai báo bằng mã QR, theo dõi sức khỏe cán bộ; hoạt động bình thường.",
    2: "Hạn chế họp đông người, ưu tiên họp trực tuyến; phân ca làm việc; xét nghiệm khi có triệu chứng.",
    3: "Làm việc luân phiên, tối thiểu người tại trụ sở; xét nghiệm định kỳ; cách ly ngay khi có F0.",
    4: "Chỉ duy trì bộ phận thiết yếu; làm việc từ xa; phối hợp địa phương khoanh vùng, xét nghiệm toàn bộ.",
}


def _local(day: date, hour: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, hour))


def _province(demo: Demo) -> Unit:
    if demo.province is None:
        demo.province = Unit.objects.get(tree=catalogue.TREE, code=catalogue.PROVINCE_CODE, level=Level.PROVINCE)
    return demo.province


def _organisations(demo: Demo) -> dict[str, Organisation]:
    """The demo's organisations by key (found again by name and unit when this step runs on its own)."""
    if demo.orgs:
        return demo.orgs
    from .steps import org_specs

    found: dict[str, Organisation] = {}
    for spec in org_specs(_province(demo)):
        org = Organisation.objects.filter(name=spec.name, unit=demo.unit(spec.unit)).first()
        if org is not None:
            found[spec.key] = org
    return found


def _assignees(keys: tuple[str, ...], orgs: dict[str, Organisation]) -> list[Organisation]:
    chosen: list[Organisation] = []
    for key in keys:
        if key == DISTRICTS:
            chosen.extend(org for k, org in sorted(orgs.items()) if k.startswith("ubnd_") and k[5:].isdigit())
        elif key in orgs:
            chosen.append(orgs[key])
    return list({org.pk: org for org in chosen}.values())


def _report(assignment: TaskAssignment, status: str, at: datetime) -> None:
    progress_report(actor=None, assignment=assignment, status=status, report=REPORTS[status], at=at)


def _progress(directive: Directive, spec: DirectiveSpec, rng: random.Random) -> None:
    """Reports: one-off tasks mostly done (a few late, a few never: overdue); standing ones a mix; the daily
    reports of today come from ``_daily_reports``."""
    issued = _local(spec.issued_on, time(9, 0))
    tasks = {t.number: t for t in spec.tasks}
    for assignment in TaskAssignment.objects.filter(task__directive=directive).select_related("task").order_by("id"):
        task_spec = tasks[assignment.task.number]
        roll = rng.random()
        if task_spec.daily is not None:
            continue  # today's daily reports: _daily_reports
        if task_spec.due is not None:
            due = _local(*task_spec.due)
            if roll < 0.55:
                _report(assignment, "done", due - timedelta(hours=rng.randint(2, 20)))
            elif roll < 0.75:
                _report(assignment, "in_progress", due - timedelta(hours=6))
                _report(assignment, "done", due + timedelta(days=1))  # late
            elif roll < 0.9:
                _report(assignment, "in_progress", due - timedelta(hours=3))  # overdue
            # else: no report at all (overdue)
        elif roll < 0.35:
            _report(assignment, "in_progress", issued + timedelta(days=2))
            _report(assignment, "done", issued + timedelta(days=rng.randint(5, 12)))
        elif roll < 0.75:
            _report(assignment, "in_progress", issued + timedelta(days=rng.randint(1, 4)))
        elif roll < 0.85:
            _report(assignment, "blocked", issued + timedelta(days=3))


def _daily_reports(rng: random.Random) -> int:
    """Today's reports on the daily tasks (``trước 16h00 hằng ngày``) from most agencies, half an hour before
    the cutoff (or just now, earlier in the day); agencies that already reported today are kept."""
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    sent = 0
    daily = TaskAssignment.objects.filter(task__deadline_kind="daily", task__directive__text=DEMO_NOTE)
    for assignment in daily.select_related("task").order_by("id"):
        if rng.random() >= 0.75 or assignment.status == "done":
            continue
        if assignment.last_reported_at is not None and assignment.last_reported_at >= today:
            continue
        daily_time = assignment.task.daily_time or time(16, 0)
        cutoff = now.replace(hour=daily_time.hour, minute=daily_time.minute)
        moment = min(cutoff - timedelta(minutes=30), now - timedelta(minutes=5))
        if moment < today:
            continue
        _report(assignment, "in_progress", moment)
        sent += 1
    return sent


def _directive(spec: DirectiveSpec, orgs: dict[str, Organisation], rng: random.Random) -> bool:
    exists = Directive.objects.filter(issuing_body=spec.issuing_body, issued_on=spec.issued_on, title=spec.title)
    if exists.exists():
        return False
    with transaction.atomic():
        directive = directive_create(
            actor=None,
            number=spec.number,
            issued_on=spec.issued_on,
            issuing_body=spec.issuing_body,
            kind=spec.kind,
            title=spec.title,
            text=spec.text,
        )
        for task in spec.tasks:
            assignees = _assignees(task.assignees, orgs)
            if not assignees:
                continue
            task_add(
                actor=None,
                directive=directive,
                number=task.number,
                title=task.title,
                assignees=assignees,
                lead=orgs.get(task.lead) if task.lead else None,
                deadline_kind="daily" if task.daily else "once" if task.due else "ongoing",
                due_at=_local(*task.due) if task.due else None,
                daily_time=task.daily,
            )
        _progress(directive, spec, rng)
    return True


def _head(org: Organisation) -> str:
    head = StaffMembership.objects.filter(organisation=org, is_head=True).select_related("person").first()
    return f"{head.person.full_name}, {head.position}" if head else "Thủ trưởng đơn vị"


def _plans(orgs: dict[str, Organisation]) -> int:
    recorded = 0
    for index, org in enumerate(sorted(orgs.values(), key=lambda o: o.pk)):
        if index % PLAN_NONE_EVERY == PLAN_NONE_EVERY - 1:
            continue
        if ResponsePlan.objects.filter(organisation=org).exists():
            continue
        approved_by = _head(org)
        levels = (1, 2, 3) if index % PLAN_NO_RED_EVERY == PLAN_NO_RED_EVERY - 1 else (1, 2, 3, 4)
        with transaction.atomic():
            for level in levels:
                plan_record(
                    actor=None,
                    organisation=org,
                    level=level,
                    title=f"Phương án phòng, chống dịch COVID-19 cấp độ {level} — {org.short_name or org.name}",
                    content=PLAN_CONTENT[level],
                    approved_on=date(2021, 11, 15),
                    approved_by=approved_by,
                )
                recorded += 1
    return recorded


def step_command(demo: Demo) -> None:
    """Seeds 001, 002 and 004 as directives with their tasks and progress; response plans for most agencies."""
    from phongdich.command.selectors import overdue_q

    rng = random.Random(demo.seed + 6)
    orgs = _organisations(demo)
    added = sum(_directive(spec, orgs, rng) for spec in DIRECTIVES)
    _daily_reports(random.Random(f"{demo.seed}-{timezone.localdate()}"))
    plans = _plans(orgs)
    overdue = TaskAssignment.objects.filter(overdue_q(timezone.localtime())).count()
    with_plans = ResponsePlan.objects.values("organisation").distinct().count()
    demo.say(
        f"Văn bản chỉ đạo: {Directive.objects.count()}"
        + (f" (thêm {added})" if added else "")
        + f", {overdue} phần việc quá hạn; phương án ứng phó: {ResponsePlan.objects.count()}"
        + (f" (thêm {plans})" if plans else "")
        + f", {with_plans}/{len(orgs)} cơ quan có phương án."
    )

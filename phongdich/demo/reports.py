"""Demo step: the daily report to the province (R1) and a one-off report (R2). A week of the 16:00 daily
report from the districts and the provincial member agencies — most on time, some late, some missing — each
pre-filled from the system's figures and completed with a few words; one report corrected (its history
kept); today's reports from part of them. A one-off request ("danh sách người về từ Đà Nẵng", by 17:00 two
days ago) answered by most districts, one late, one missing.

Everything goes through the report services as the system (``actor=None``). Run again, the step keeps what
exists (a report is recognised by its form, day and submitter; the one-off request by its code)."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from phongdich.command import reports_selectors as rs
from phongdich.command.models import FieldKind, Report, ReportForm, ReportVersion
from phongdich.command.reports_services import daily_form_seeded, one_off_form_create, report_submit
from phongdich.geo.models import Level
from phongdich.orgs.models import Organisation

if TYPE_CHECKING:
    from .steps import Demo

DAYS = 7
ONE_OFF_CODE = "demo-ds-nguoi-ve-tu-da-nang"
HEALTH_DEPARTMENT = "Sở Y tế tỉnh Thái Nguyên"  # catalogue key "so_y_te"
SITUATIONS = (
    "Tình hình dịch trên địa bàn ổn định; tiếp tục rà soát người về từ vùng dịch.",
    "Duy trì chốt kiểm soát, giám sát cách ly tại nhà; tuyên truyền 5K.",
    "Đã tổ chức xét nghiệm sàng lọc cho nhóm nguy cơ; chưa phát hiện ca mới ngoài khu cách ly.",
)
DIFFICULTIES = ("", "Thiếu sinh phẩm xét nghiệm nhanh.", "Nhân lực trực chốt mỏng.")
PROPOSALS = ("", "Đề nghị bổ sung kinh phí cho lực lượng trực chốt.", "Đề nghị Sở Y tế hỗ trợ sinh phẩm.")


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _daily_values(rng: random.Random, form: ReportForm, submitter: rs.Submitter, day: date) -> dict[str, object]:
    values: dict[str, object] = dict(rs.prefilled_values(form, submitter, day))
    values["situation"] = rng.choice(SITUATIONS)
    values["difficulties"] = rng.choice(DIFFICULTIES)
    values["proposals"] = rng.choice(PROPOSALS)
    return values


def _submit_daily(demo: Demo, form: ReportForm, now: datetime) -> tuple[int, int, int]:
    today = timezone.localdate(now)
    people = rs.submitters(form)
    done = set(
        Report.objects.filter(form=form, day__gte=today - timedelta(days=DAYS)).values_list("day", "submitter_key")
    )
    on_time = late = missing = 0
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        if day < form.active_from:
            continue
        for submitter in people:
            if (day, submitter.key) in done:
                continue
            # One generator per report: the same draws whatever was already there.
            rng = random.Random(f"{demo.seed}-{day.isoformat()}-{submitter.key}")
            draw = rng.random()
            if offset == 0:
                # Today: about two in three have already sent theirs (no later than now).
                if draw > 0.65:
                    continue
                moment = min(_at(day, 8 + int(draw * 10), rng.randrange(60)), now)
            elif draw < 0.08:
                missing += 1
                continue
            elif draw < 0.2:
                moment = _at(day, 16, 5 + rng.randrange(50)) + timedelta(hours=rng.randrange(3))
            else:
                moment = _at(day, 8 + rng.randrange(7), rng.randrange(60))
            report = report_submit(
                actor=None,
                form=form,
                submitter=submitter,
                values=_daily_values(rng, form, submitter, day),
                day=day,
                now=moment,
            )
            if report.late:
                late += 1
            else:
                on_time += 1
    return on_time, late, missing


def _correct_one(form: ReportForm, now: datetime) -> None:
    """Yesterday's report of the first district, corrected in the evening: one more new case."""
    yesterday = timezone.localdate(now) - timedelta(days=1)
    report = Report.objects.filter(form=form, day=yesterday, unit__level=Level.DISTRICT).order_by("unit__path").first()
    if report is None or report.version > 1 or ReportVersion.objects.filter(report=report, version__gt=1).exists():
        return
    values = dict(report.values)
    values["new_cases"] = int(values.get("new_cases", 0) or 0) + 1
    report_submit(
        actor=None,
        form=form,
        submitter=rs.submitter_of(report),
        values=values,
        day=yesterday,
        note="Bổ sung 1 ca mắc được xác định sau giờ báo cáo.",
        now=min(_at(yesterday, 19, 30), now),
    )


def _health_department(demo: Demo) -> Organisation | None:
    return demo.orgs.get("so_y_te") or Organisation.objects.filter(name=HEALTH_DEPARTMENT).first()


def _one_off(demo: Demo, rng: random.Random, now: datetime) -> tuple[ReportForm, int]:
    form = ReportForm.objects.filter(code=ONE_OFF_CODE).first()
    due_day = timezone.localdate(now) - timedelta(days=2)
    if form is None:
        form = one_off_form_create(
            actor=None,
            code=ONE_OFF_CODE,
            name="Danh sách người về từ thành phố Đà Nẵng từ ngày 08/7",
            due_at=_at(due_day, 17, 0),
            recipient=_health_department(demo),
            unit_level=Level.DISTRICT,
            instructions=(
                "Các huyện, thành phố, thị xã rà soát, lập danh sách người về từ thành phố Đà Nẵng "
                "(họ tên, năm sinh, địa chỉ, ngày về), gửi Sở Y tế trước 17 giờ."
            ),
            fields=[("Số người về từ Đà Nẵng", FieldKind.NUMBER), ("Ghi chú", FieldKind.TEXT)],
        )
    fields = rs.form_fields(form)
    day = rs.report_day_of(form)
    if Report.objects.filter(form=form).exists():
        return form, Report.objects.filter(form=form).count()
    people = rs.submitters(form)
    for i, submitter in enumerate(people[:-1]):  # the last district never answers
        moment = _at(day, 17, 40) if i == 1 else _at(day, 9 + rng.randrange(7), rng.randrange(60))
        report_submit(
            actor=None,
            form=form,
            submitter=submitter,
            values={fields[0].key: str(rng.randrange(0, 40)), fields[1].key: "Danh sách kèm theo (giả lập)."},
            day=day,
            now=moment,
        )
    return form, Report.objects.filter(form=form).count()


def step_reports(demo: Demo) -> None:
    rng = random.Random(demo.seed + 215)
    now = timezone.now()
    form = daily_form_seeded()
    if form.recipient_id is None and _health_department(demo) is not None:
        form.recipient = _health_department(demo)
        form.save(update_fields=["recipient", "updated_at"])
    on_time, late, missing = _submit_daily(demo, form, now)
    _correct_one(form, now)
    one_off, answered = _one_off(demo, rng, now)
    total = Report.objects.filter(form=form).count()
    demo.say(
        f"Báo cáo hằng ngày: {total} báo cáo của {len(rs.submitters(form))} đơn vị trong {DAYS + 1} ngày"
        + (f" (thêm {on_time} đúng hạn, {late} muộn; {missing} thiếu)." if on_time or late else ".")
        + f" Báo cáo đột xuất: {answered}/{len(rs.submitters(one_off))} đã nộp."
    )

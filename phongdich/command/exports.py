"""Excel exports of the command app, each the list on screen and always audited (D4): the agencies lacking
a plan (R6), directives' assignments with their status (R3, R4) and the Standing Committee's per-agency view."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export
from phongdich.geo.models import Unit

from . import rules
from .models import Directive, ResponsePlan, TaskAssignment
from .selectors import (
    assignment_rows,
    missing_plans_queryset,
    missing_rows,
    overview,
    visible_assignments,
    visible_directives,
)


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def missing_plans_export(
    *, user: Any, level: int | None = None, district: Unit | None = None, kind: str = ""
) -> ExportFile:
    orgs = list(missing_plans_queryset(user=user, level=level, district=district, kind=kind)[: EXPORT_MAX_ROWS + 1])
    rows = missing_rows(orgs) if len(orgs) <= EXPORT_MAX_ROWS else orgs
    columns = [
        (_("Cơ quan, đơn vị"), lambda r: r.organisation.name),
        (_("Loại hình"), lambda r: r.organisation.get_kind_display()),
        (_("Địa bàn"), lambda r: r.organisation.unit.name),
        (_("Còn thiếu phương án cấp độ"), lambda r: ", ".join(str(level) for level in r.missing)),
    ]
    detail = {"level": level or "", "district": district.code if district else "", "kind": kind}
    return audited_export(
        user=user,
        rows=rows,
        columns=columns,
        model=ResponsePlan,
        summary=_("Xuất %(count)s cơ quan còn thiếu phương án (XLSX)") % {"count": len(rows)},
        detail={k: v for k, v in detail.items() if v},
        name="thieu-phuong-an",
    )


def _deadline(a: TaskAssignment) -> str:
    task = a.task
    if task.deadline_kind == rules.ONCE:
        return _moment(task.due_at)
    if task.deadline_kind == rules.DAILY and task.daily_time is not None:
        return _("Hằng ngày trước %(time)s") % {"time": task.daily_time.strftime("%H:%M")}
    return _("Thường xuyên")


def assignments_export(*, user: Any, directive: Directive | None = None) -> ExportFile:
    qs = visible_assignments(user).filter(task__directive__in=visible_directives(user).values("pk"))
    if directive is not None:
        qs = qs.filter(task__directive=directive)
    qs = qs.select_related("task__directive", "organisation").order_by("task__directive_id", "task_id", "id")
    rows = assignment_rows(list(qs[: EXPORT_MAX_ROWS + 1]))
    columns = [
        (_("Văn bản"), lambda r: str(r.assignment.task.directive)),
        (_("Số mục"), lambda r: r.assignment.task.number),
        (_("Nhiệm vụ"), lambda r: r.assignment.task.title),
        (_("Cơ quan thực hiện"), lambda r: r.assignment.organisation.name),
        (_("Thời hạn"), lambda r: _deadline(r.assignment)),
        (_("Tình trạng"), lambda r: r.assignment.get_status_display()),
        (_("Quá hạn"), lambda r: _("Quá hạn") if r.overdue else ""),
        (_("Hoàn thành lúc"), lambda r: _moment(r.assignment.done_at)),
        (_("Báo cáo gần nhất lúc"), lambda r: _moment(r.assignment.last_reported_at)),
    ]
    return audited_export(
        user=user,
        rows=rows,
        columns=columns,
        model=TaskAssignment,
        obj=directive,
        summary=_("Xuất %(count)s nhiệm vụ được giao (XLSX)") % {"count": len(rows)},
        name="nhiem-vu-chi-dao",
    )


def overview_export(*, user: Any) -> ExportFile:
    data = overview(user=user)
    columns = [
        (_("Cơ quan, đơn vị"), lambda r: r[0].name),
        (_("Nhiệm vụ được giao"), lambda r: r[1].total),
        (_("Đã hoàn thành"), lambda r: r[1].done),
        (_("Tỷ lệ hoàn thành (%)"), lambda r: r[1].percent if r[1].percent is not None else ""),
        (_("Quá hạn"), lambda r: r[1].overdue),
        (_("Gặp vướng mắc"), lambda r: r[1].blocked),
    ]
    return audited_export(
        user=user,
        rows=data.agencies,
        columns=columns,
        model=TaskAssignment,
        summary=_("Xuất tình hình thực hiện chỉ đạo của %(count)s cơ quan (XLSX)") % {"count": len(data.agencies)},
        name="thuc-hien-chi-dao",
    )

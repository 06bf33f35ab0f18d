"""Pages of the levels app: the overview (a unit's level and its children's), a unit's history, the
province's publication form, the weekly capacity report, the Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core.errors import ApplicationError
from phongdich.core.forms import add_application_error

from .exports import assessments_export
from .forms import CapacityForm, PublishForm, WeekFilterForm
from .models import LEVEL_COLOURS, EpidemicLevel
from .selectors import (
    capacity_reports,
    children_in_view,
    home_unit,
    latest_week,
    level_rows,
    unit_get,
    unit_history,
)
from .services import can_publish, can_report_capacity, capacity_report_save, level_publish
from .weeks import week_label

LEVEL_LEGEND = [(value, label, LEVEL_COLOURS[value]) for value, label in EpidemicLevel.choices]


@login_required
@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    uid = request.GET.get("unit")
    unit = unit_get(user=request.user, uid=uid) if uid else home_unit(request.user)
    if unit is None:
        raise Http404
    filter_form = WeekFilterForm(request.GET or None)
    week = filter_form.week_or(latest_week(unit))
    own = level_rows([unit], week=week)[0]
    children = level_rows(children_in_view(request.user, unit), week=week)
    context = {
        "unit": unit,
        "own": own,
        "rows": children,
        "week": week,
        "week_label": week_label(week) if week else "",
        "filter_form": filter_form,
        "legend": LEVEL_LEGEND,
        "parent": unit.parent if unit.parent_id else None,
        "can_publish": can_publish(request.user, unit),
        "can_report": can_report_capacity(request.user),
    }
    return render(request, "levels/overview.html", context)


@login_required
@require_GET
def history_view(request: HttpRequest, uid: str) -> HttpResponse:
    unit = unit_get(user=request.user, uid=uid)
    assessments, decisions = unit_history(unit)
    own = level_rows([unit], week=assessments[0].week_start if assessments else None)[0]
    context = {
        "unit": unit,
        "own": own,
        "assessments": assessments,
        "decisions": decisions,
        "legend": LEVEL_LEGEND,
        "can_publish": can_publish(request.user, unit),
        "now": timezone.now(),
    }
    return render(request, "levels/history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publish_view(request: HttpRequest, uid: str) -> HttpResponse:
    unit = unit_get(user=request.user, uid=uid)
    if not can_publish(request.user, unit):
        raise PermissionDenied
    assessments, _decisions = unit_history(unit, limit=1)
    computed = assessments[0] if assessments else None
    form = PublishForm(request.POST or None, initial={"level": computed.level if computed else 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = level_publish(
                actor=request.user,
                unit=unit,
                level=data["level"],
                reason=data.get("reason") or "",
                effective_from=data.get("effective_from"),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Đã công bố cấp độ %(level)s cho %(unit)s, áp dụng từ %(at)s.")
                % {
                    "level": decision.level,
                    "unit": unit.name,
                    "at": timezone.localtime(decision.effective_from).strftime("%H:%M %d/%m/%Y"),
                },
            )
            return redirect("levels:history", uid=unit.uid)
    return render(request, "levels/publish.html", {"unit": unit, "form": form, "computed": computed})


@login_required
@require_http_methods(["GET", "POST"])
def capacity_view(request: HttpRequest) -> HttpResponse:
    if not can_report_capacity(request.user):
        raise PermissionDenied
    form = CapacityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = capacity_report_save(
                actor=request.user,
                unit=data["unit"],
                week_start=data["week"],
                beds=data["beds"],
                free_beds=data["free_beds"],
                icu_beds=data["icu_beds"],
                mobile_stations=data["mobile_stations"],
                oxygen_adequate=data["oxygen_adequate"],
                oxygen_cases=data["oxygen_cases"],
                note=data.get("note") or "",
            )
        except ApplicationError as exc:
            add_application_error(form, exc, field_map={"week": "week"})
        else:
            messages.success(
                request,
                _("Đã lưu báo cáo năng lực điều trị của %(unit)s tuần %(week)s.")
                % {"unit": report.unit.name, "week": week_label(report.week_start)},
            )
            return redirect("levels:capacity")
    reports = list(capacity_reports(user=request.user)[:50])
    return render(request, "levels/capacity.html", {"form": form, "reports": reports})


@login_required
@require_GET
def export_view(request: HttpRequest) -> HttpResponse:
    filter_form = WeekFilterForm(request.GET or None)
    week = filter_form.week_or(latest_week(home_unit(request.user)))
    if week is None:
        messages.error(request, _("Chưa có đánh giá cấp độ nào để xuất."))
        return redirect("levels:overview")
    try:
        export = assessments_export(user=request.user, week=week)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("levels:overview")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response

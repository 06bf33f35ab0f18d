"""Case pages (thin): list and export, detail (an audited read), register, status change, statistics."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.orgs.scope import scope_for
from phongdich.people.selectors import person_get_for_write, person_search

from .charts import curve_svg
from .exports import cases_export
from .forms import CaseFilterForm, CaseRegisterForm, StatsForm, TransitionForm, default_period
from .models import CaseStatus
from .selectors import (
    case_counts,
    case_get,
    case_get_for_write,
    case_history,
    case_list,
    community_status,
    counts_sentence,
    epidemic_curve,
    green_after_days,
)
from .services import allowed_transitions, case_register, case_transition

_FILTER_KEYS = ("status", "detected_in", "reported_by", "unit", "date_from", "date_to")


@login_required
@require_GET
def case_list_view(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET, user=request.user)
    page = case_list(user=request.user, filters=form.filters(), after=request.GET.get("after") or None)
    params = {k: request.GET[k] for k in _FILTER_KEYS if request.GET.get(k)}
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "params": urlencode(params),
        "next_url": f"?{urlencode({**params, 'after': page.next_after})}" if page.next_after else "",
        "first_url": f"?{urlencode(params)}" if request.GET.get("after") else "",
    }
    return render(request, "cases/case_list.html", context)


@login_required
@require_GET
def case_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    form = CaseFilterForm(request.GET, user=request.user)
    try:
        export = cases_export(user=request.user, fmt=fmt, filters=form.filters())
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def case_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    case = case_get(user=request.user, uid=uid)
    allowed = allowed_transitions(case)
    form = TransitionForm()
    form.fields["to"].choices = [(s, CaseStatus(s).label) for s in allowed]  # type: ignore[attr-defined]
    context = {"case": case, "history": case_history(case=case), "transition_form": form, "allowed": allowed}
    return render(request, "cases/case_detail.html", context)


@login_required
@require_POST
def case_transition_view(request: HttpRequest, uid: str) -> HttpResponse:
    case = case_get_for_write(user=request.user, uid=uid)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            case_transition(
                actor=request.user,
                case=case,
                to=form.cleaned_data["to"],
                on_date=form.cleaned_data["on_date"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã chuyển phân loại ca bệnh."))
    else:
        messages.error(request, _("Vui lòng chọn phân loại và ngày hợp lệ."))
    return redirect("cases:detail", uid=case.uid)


@login_required
@require_http_methods(["GET", "POST"])
def case_register_view(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    person_ref = request.GET.get("person") or request.POST.get("person") or ""
    if not person_ref:
        q = request.GET.get("q", "").strip()[:120]
        people = person_search(user=request.user, q=q, limit=20).items if q else []
        return render(request, "cases/case_register_search.html", {"q": q, "people": people})
    person = person_get_for_write(user=request.user, uid=person_ref)
    form = CaseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_register(actor=request.user, person=person, **form.service_fields())
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã đăng ký ca bệnh %(code)s.") % {"code": case.case_code})
            return redirect("cases:detail", uid=case.uid)
    return render(request, "cases/case_register.html", {"form": form, "person": person})


@login_required
@require_GET
def case_stats_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = StatsForm(request.GET or default_period(today), user=request.user)
    context: dict[str, Any] = {"form": form, "green_after": green_after_days()}
    if form.is_valid():
        start, end = form.period()
        unit = form.cleaned_data["unit"]
        counts = case_counts(user=request.user, start=start, end=end, unit=unit)
        curve = epidemic_curve(
            user=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"], unit=unit
        )
        context.update(
            counts=counts,
            sentence=counts_sentence(counts),
            curve=curve,
            curve_svg=curve_svg(curve),
            # Days without a community case as of the end of the period (today by default).
            status_rows=community_status(user=request.user, today=form.cleaned_data["end"], parent=unit),
        )
    return render(request, "cases/case_stats.html", context)

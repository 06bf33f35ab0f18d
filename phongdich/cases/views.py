"""Case pages (thin): list and export, detail (an audited read), register, status change, statistics;
clusters: list and export, detail with growth and projection, create, edit, assign cases (C3)."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.core.pagination import filter_params, page_links
from phongdich.orgs.scope import scope_for
from phongdich.people.selectors import person_get_for_write, person_search

from .charts import cluster_svg, curve_svg
from .exports import cases_export, clusters_export
from .forms import (
    CaseClusterForm,
    CaseFilterForm,
    CaseRegisterForm,
    ClusterAssignForm,
    ClusterFilterForm,
    ClusterForm,
    IsolationForm,
    OutlookForm,
    StatsForm,
    TransitionForm,
    default_period,
)
from .growth import WINDOW_DAYS, Outlook
from .models import CaseStatus
from .selectors import (
    case_counts,
    case_get,
    case_get_for_write,
    case_history,
    case_list,
    cases_by_codes,
    cluster_cases,
    cluster_get,
    cluster_get_for_write,
    cluster_list,
    cluster_outlook,
    community_status,
    counts_sentence,
    epidemic_curve,
    green_after_days,
)
from .services import (
    allowed_transitions,
    case_assign_cluster,
    case_register,
    case_set_isolated_on,
    case_transition,
    cluster_create,
    cluster_update,
)

_FILTER_KEYS = ("status", "detected_in", "reported_by", "unit", "date_from", "date_to")


@login_required
@require_GET
def case_list_view(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET, user=request.user)
    page = case_list(user=request.user, filters=form.filters(), after=request.GET.get("after") or None)
    params = filter_params(request, _FILTER_KEYS)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        **page_links(request, params, page.next_after),
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
    context = {
        "case": case,
        "history": case_history(case=case),
        "transition_form": form,
        "allowed": allowed,
        "cluster_form": CaseClusterForm(
            user=request.user, initial={"cluster": case.cluster.uid if case.cluster else None}
        ),
        "isolation_form": IsolationForm(initial={"isolated_on": case.isolated_on}),
    }
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


# --- Outbreak clusters (C3) ------------------------------------------------------------------

_CLUSTER_FILTER_KEYS = ("q", "status", "unit")


@login_required
@require_GET
def cluster_list_view(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    form = ClusterFilterForm(request.GET, user=request.user)
    page = cluster_list(user=request.user, filters=form.filters(), after=request.GET.get("after") or None)
    params = filter_params(request, _CLUSTER_FILTER_KEYS)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        **page_links(request, params, page.next_after),
    }
    return render(request, "cases/cluster_list.html", context)


@login_required
@require_GET
def cluster_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    form = ClusterFilterForm(request.GET, user=request.user)
    try:
        export = clusters_export(user=request.user, fmt=fmt, filters=form.filters())
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{reverse('cases:clusters')}?{request.GET.urlencode()}")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _cluster_form_page(request: HttpRequest, form: ClusterForm, cluster: Any = None) -> HttpResponse:
    return render(request, "cases/cluster_form.html", {"form": form, "cluster": cluster})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_create_view(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    form = ClusterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cluster = cluster_create(actor=request.user, **form.service_fields())
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã tạo ổ dịch “%(name)s”.") % {"name": cluster.name})
            return redirect("cases:cluster", uid=cluster.uid)
    return _cluster_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    cluster = cluster_get_for_write(user=request.user, uid=uid)
    initial = {
        "name": cluster.name,
        "organisation": cluster.organisation.uid if cluster.organisation else None,
        "premises": cluster.premises.uid if cluster.premises else None,
        "place_unit": cluster.place_unit.uid if cluster.place_unit else None,
        "start_date": cluster.start_date,
        "note": cluster.note,
        "status": cluster.status,
        "closed_on": cluster.closed_on,
    }
    form = ClusterForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cluster_update(actor=request.user, cluster=cluster, **form.service_fields())
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã lưu ổ dịch."))
            return redirect("cases:cluster", uid=cluster.uid)
    return _cluster_form_page(request, form, cluster)


def outlook_text(result: Outlook) -> dict[str, str]:
    """The sentences the page and the API state about growth, in plain words."""
    week = result.week
    if week.change_percent is None:
        week_text = _("%(last)s ca trong 7 ngày gần nhất; 7 ngày trước đó không có ca.") % {"last": week.last7}
    else:
        week_text = _("%(last)s ca trong 7 ngày gần nhất so với %(previous)s ca 7 ngày trước đó (%(change)s%%).") % {
            "last": week.last7,
            "previous": week.previous7,
            "change": f"{week.change_percent:+.0f}",
        }
    if result.doubling is not None:
        d = result.doubling
        high = number_format(d.high, 1) if d.high is not None else "∞"
        doubling_text = _("Thời gian nhân đôi: khoảng %(days)s ngày (khoảng tin cậy 95%%: %(low)s–%(high)s ngày).") % {
            "days": number_format(d.days, 1),
            "low": number_format(d.low, 1),
            "high": high,
        }
    elif result.fit is None:
        doubling_text = _("Thời gian nhân đôi: không xác định (quá ít ngày có ca để ước lượng xu hướng).")
    else:
        doubling_text = _("Thời gian nhân đôi: không xác định (số ca không tăng rõ rệt trong 14 ngày gần nhất).")
    projection_text = ""
    if result.projection:
        last_day, last = result.projection[-1]
        projection_text = _(
            "Nếu xu hướng %(days)s ngày gần nhất tiếp diễn, từ nay đến %(day)s có thể thêm khoảng %(n)s ca "
            "(khoảng 95%%: %(low)s–%(high)s ca)."
        ) % {
            "days": (result.as_of - result.window_start).days + 1,
            "day": last_day.strftime("%d/%m/%Y"),
            "n": round(last.cumulative),
            "low": math.floor(last.cumulative_low),
            "high": math.ceil(last.cumulative_high),
        }
    method = _(
        "Cách tính: đường xu hướng hàm mũ (hồi quy Poisson log-tuyến tính) theo số ca xác định mỗi ngày "
        "trong tối đa %(window)s ngày gần nhất, tính cả ngày không có ca. Khoảng %(level)s gồm sai số của "
        "đường xu hướng và dao động ngẫu nhiên của số ca theo ngày. Đây là phép kéo dài xu hướng, không tính "
        "đến tác động của các biện pháp cách ly, phong tỏa mới."
    ) % {"window": WINDOW_DAYS, "level": "95%"}
    return {"week": week_text, "doubling": doubling_text, "projection": projection_text, "method": method}


@login_required
@require_GET
def cluster_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    cluster = cluster_get(user=request.user, uid=uid)
    outlook_form = OutlookForm(request.GET or None)
    as_of = outlook_form.cleaned_data["as_of"] if outlook_form.is_valid() else None
    if as_of is not None and as_of > timezone.localdate():
        as_of = timezone.localdate()
    result = cluster_outlook(cluster=cluster, as_of=as_of)
    if not request.GET:
        outlook_form = OutlookForm(initial={"as_of": result.as_of})
    context: dict[str, Any] = {
        "cluster": cluster,
        "cases": cluster_cases(user=request.user, cluster=cluster),
        "outlook": result,
        "text": outlook_text(result),
        "chart": cluster_svg(result),
        "outlook_form": outlook_form,
        "assign_form": ClusterAssignForm(),
    }
    return render(request, "cases/cluster_detail.html", context)


@login_required
@require_POST
def cluster_assign_view(request: HttpRequest, uid: str) -> HttpResponse:
    """Add the cases whose codes are typed (or remove one, ``remove=<code>``) to/from the cluster."""
    cluster = cluster_get_for_write(user=request.user, uid=uid)
    remove = request.POST.get("remove", "").strip()
    if remove:
        case = cases_by_codes(user=request.user, codes=[remove], cluster=cluster).get(remove.upper())
        if case is None:
            messages.error(request, _("Không tìm thấy ca bệnh %(code)s trong ổ dịch.") % {"code": remove})
        else:
            try:
                case_assign_cluster(actor=request.user, case=case, cluster=None)
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Đã đưa ca %(code)s ra khỏi ổ dịch.") % {"code": case.case_code})
        return redirect("cases:cluster", uid=cluster.uid)
    form = ClusterAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập ít nhất một mã ca bệnh."))
        return redirect("cases:cluster", uid=cluster.uid)
    codes = form.codes_list()
    found = cases_by_codes(user=request.user, codes=codes)
    added: list[str] = []
    for code in codes:
        case = found.get(code)
        if case is None:
            messages.error(request, _("Không tìm thấy ca bệnh %(code)s trong địa bàn của bạn.") % {"code": code})
            continue
        try:
            case_assign_cluster(actor=request.user, case=case, cluster=cluster)
        except ApplicationError as exc:
            messages.error(request, f"{code}: {exc.message}")
        else:
            added.append(code)
    if added:
        messages.success(
            request, _("Đã gán %(n)s ca vào ổ dịch: %(codes)s.") % {"n": len(added), "codes": ", ".join(added)}
        )
    return redirect("cases:cluster", uid=cluster.uid)


@login_required
@require_POST
def case_cluster_view(request: HttpRequest, uid: str) -> HttpResponse:
    case = case_get_for_write(user=request.user, uid=uid)
    form = CaseClusterForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            case_assign_cluster(actor=request.user, case=case, cluster=form.cleaned_data["cluster"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã lưu ổ dịch của ca bệnh."))
    else:
        messages.error(request, _("Vui lòng chọn một ổ dịch đang hoạt động."))
    return redirect("cases:detail", uid=case.uid)


@login_required
@require_POST
def case_isolation_view(request: HttpRequest, uid: str) -> HttpResponse:
    case = case_get_for_write(user=request.user, uid=uid)
    form = IsolationForm(request.POST)
    if form.is_valid():
        try:
            case_set_isolated_on(actor=request.user, case=case, isolated_on=form.cleaned_data["isolated_on"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã lưu ngày cách ly."))
    else:
        messages.error(request, _("Ngày cách ly không hợp lệ."))
    return redirect("cases:detail", uid=case.uid)

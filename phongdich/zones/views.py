"""Pages of the zones app (thin): areas, declare/edit/end, flagged people and export, visits, look-back rule."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core.errors import ApplicationError
from phongdich.geo.models import Unit
from phongdich.orgs.scope import scope_for

from .exports import area_flags_export, areas_export
from .forms import AreaEndForm, AreaForm, LookBackForm, VisitForm
from .models import EpidemicArea
from .selectors import FLAG_STATUSES, area_get, area_list, flag_list, lookback_rules
from .services import (
    area_declare,
    area_end,
    area_update,
    can_manage_areas,
    look_back_days_on,
    lookback_rule_set,
    visit_record,
)


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_areas(request.user):
        raise PermissionDenied


AREA_PAGE_SIZE = 50


def _area_status(request: HttpRequest) -> str:
    status = request.GET.get("status", "active")
    return status if status in ("active", "ended", "all") else "active"


def area_page(*, user: Any, status: str, after: str | None, limit: int = AREA_PAGE_SIZE) -> tuple[list[Any], str]:
    """One keyset page of the areas in the list's order (newest start first, then newest id); no COUNT.
    Returns the rows and the uid to continue after ('' on the last page)."""
    qs = area_list(user=user, status=status)
    if after:
        row = (
            EpidemicArea.objects.filter(uid=after).values_list("start_date", "pk").first() if _is_uuid(after) else None
        )
        if row is None:
            raise Http404
        start, pk = row
        qs = qs.filter(Q(start_date__lt=start) | Q(start_date=start, pk__lt=pk))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].uid) if more and rows else "")


@login_required
@require_GET
def area_list_view(request: HttpRequest) -> HttpResponse:
    status = _area_status(request)
    areas, next_after = area_page(user=request.user, status=status, after=request.GET.get("after") or None)
    context = {
        "areas": areas,
        "next_url": f"?{urlencode({'status': status, 'after': next_after})}" if next_after else "",
        "first_url": f"?{urlencode({'status': status})}" if request.GET.get("after") else "",
        "status": status,
        "can_manage": can_manage_areas(request.user),
        "look_back": look_back_days_on(timezone.localdate()),
    }
    return render(request, "zones/area_list.html", context)


@login_required
@require_GET
def area_list_export_view(request: HttpRequest) -> HttpResponse:
    try:
        export = areas_export(user=request.user, status=_area_status(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("zones:area_list")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _area_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: data.get(k) if k in ("start_date", "end_date", "source_date", "is_complex") else data.get(k) or ""
        for k in (
            "start_date",
            "end_date",
            "source_number",
            "source_date",
            "source_issuer",
            "source_text",
            "is_complex",
            "note",
        )
    }


@login_required
@require_http_methods(["GET", "POST"])
def area_create_view(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = area_declare(
                actor=request.user,  # type: ignore[arg-type]
                kind=data["kind"],
                country=data.get("country") or "",
                unit=data.get("unit_code"),
                **_area_fields(data),
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã công bố vùng dịch %(place)s.") % {"place": area.place_name})
            return redirect("zones:area_detail", uid=area.uid)
    return render(request, "zones/area_form.html", {"form": form, "area": None})


@login_required
@require_http_methods(["GET", "POST"])
def area_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    _require_manager(request)
    area = area_get(uid=uid)
    initial = {k: getattr(area, k) for k in _area_fields({})}
    form = AreaForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            area_update(actor=request.user, area=area, **_area_fields(form.cleaned_data))  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu vùng dịch."))
            return redirect("zones:area_detail", uid=area.uid)
    return render(request, "zones/area_form.html", {"form": form, "area": area})


@login_required
@require_http_methods(["POST"])
def area_end_view(request: HttpRequest, uid: str) -> HttpResponse:
    _require_manager(request)
    area = area_get(uid=uid)
    form = AreaEndForm(request.POST)
    if form.is_valid():
        try:
            area_end(actor=request.user, area=area, end_date=form.cleaned_data["end_date"])  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã kết thúc vùng dịch; cờ không còn căn cứ được bỏ."))
            return redirect("zones:area_detail", uid=area.uid)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("zones:area_detail", uid=area.uid)


def _commune(request: HttpRequest) -> Unit | None:
    ref = request.GET.get("unit", "").strip()
    if not ref:
        return None
    unit = scope_for(request.user).units().filter(uid=ref).first() if _is_uuid(ref) else None
    if unit is None:
        raise Http404
    return unit


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_GET
def area_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    area = area_get(uid=uid)
    status = request.GET.get("status", "active")
    if status not in FLAG_STATUSES:
        status = "active"
    commune = _commune(request)
    page = flag_list(
        user=request.user, area=area, commune=commune, status=status, after=request.GET.get("after") or None
    )
    params = {k: v for k, v in {"status": status, "unit": request.GET.get("unit", "")}.items() if v}
    context = {
        "area": area,
        "page": page,
        "status": status,
        "commune": commune,
        "params": urlencode(params),
        "next_url": f"?{urlencode({**params, 'after': page.next_after})}" if page.next_after else "",
        "can_manage": can_manage_areas(request.user),
        "end_form": AreaEndForm(initial={"end_date": timezone.localdate()}),
    }
    return render(request, "zones/area_detail.html", context)


@login_required
@require_GET
def area_export_view(request: HttpRequest, uid: str, fmt: str) -> HttpResponse:
    area = area_get(uid=uid)
    status = request.GET.get("status", "active")
    if status not in FLAG_STATUSES:
        status = "active"
    try:
        export = area_flags_export(user=request.user, area=area, fmt=fmt, status=status, commune=_commune(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("zones:area_detail", uid=area.uid)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def visit_create_view(request: HttpRequest) -> HttpResponse:
    # From a person's page: ?person=<uid> fills the person in.
    form = VisitForm(request.POST or None, user=request.user, initial={"person": request.GET.get("person", "")[:64]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = visit_record(
                actor=request.user,  # type: ignore[arg-type]
                person=data["person"],
                kind=data["kind"],
                country=data.get("country") or "",
                unit=data.get("unit_code"),
                from_date=data["from_date"],
                to_date=data.get("to_date"),
                reported_on=data.get("reported_on"),
                source=f"official:{request.user.pk}",
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            flags = visit.person.exposure_flags.filter(cleared_at__isnull=True).count()
            messages.success(
                request,
                _("Đã ghi nơi đã đến của %(name)s; đang có %(count)s cờ phơi nhiễm.")
                % {"name": visit.person.full_name, "count": flags},
            )
            return redirect("zones:visit_create")
    return render(request, "zones/visit_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def lookback_view(request: HttpRequest) -> HttpResponse:
    can_manage = can_manage_areas(request.user)
    form = LookBackForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                lookback_rule_set(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã lưu quy định; các vùng dịch đang được xét lại."))
                return redirect("zones:lookback")
    context = {
        "form": form,
        "rules": lookback_rules()[:100],
        "can_manage": can_manage,
        "current": look_back_days_on(timezone.localdate()),
        "areas_count": EpidemicArea.objects.count(),
    }
    return render(request, "zones/lookback.html", context)

"""Pages of the hotlines app (thin): the public tip form at /bao-tin/ (the medical declaration's abuse
guards) and its status lookup by code; for officials the hotline directory with who is on duty, the
rapid-response teams, the tips inbox (scoped, keyset paged, filtered, exported), the operator's entry
form and a tip's detail (audited) with assign, start and close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError, ValidationFailed
from phongdich.core.middleware import client_ip
from phongdich.core.pagination import filter_params, page_links
from phongdich.declarations import guard
from phongdich.declarations.views import body_too_large, size_checked_before_csrf
from phongdich.geo.models import Unit
from phongdich.orgs.scope import scope_for
from phongdich.people.validators import normalise_phone

from .exports import tips_export
from .forms import (
    AssignForm,
    CloseForm,
    CodeForm,
    HotlineForm,
    MemberForm,
    OperatorTipForm,
    PublicTipForm,
    ShiftForm,
    TeamForm,
    managed_units,
)
from .models import TipChannel, TipKind, TipStatus
from .selectors import (
    TIP_FILTERS,
    hotlines_with_duty,
    public_directory,
    team_get,
    teams_with_duty,
    tip_by_code,
    tip_events,
    tip_get,
    tip_get_for_write,
    tip_page,
    upcoming_shifts,
)
from .services import (
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

# --- public ------------------------------------------------------------------------------------------


def _refused(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(request, "errors/error.html", {"title": title, "message": message}, status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _refused(
        request,
        _("Gửi quá nhiều lần"),
        _("Bạn đã gửi quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau một giờ, hoặc gọi đường dây nóng."),
        429,
    )


def _public_form(request: HttpRequest, form: PublicTipForm, status: int = 200) -> HttpResponse:
    challenge = guard.captcha_bind(request, form)
    context = {"form": form, "challenge": challenge, "directory": public_directory()}
    return render(request, "hotlines/public_form.html", context, status=status)


def _phone_key(form: PublicTipForm) -> str:
    try:
        return normalise_phone(str(form.cleaned_data.get("reporter_phone") or ""))
    except ApplicationError:
        return ""


@size_checked_before_csrf
@require_http_methods(["GET", "POST"])
def public_tip_view(request: HttpRequest) -> HttpResponse:
    """A citizen reports a tip (no login; anonymous allowed); the page also lists the hotlines."""
    if request.method != "POST":
        return _public_form(request, PublicTipForm())
    if body_too_large(request):
        return _refused(request, _("Nội dung quá lớn"), _("Nội dung gửi quá lớn. Không có gì được lưu."), 413)
    if guard.ip_blocked(client_ip(request)):
        return _too_many(request)
    form = PublicTipForm(request.POST)
    if guard.captcha_passed(request, form) and form.is_valid():
        phone = _phone_key(form)
        if phone and guard.phone_blocked(phone):
            form.add_error(
                "reporter_phone", _("Số điện thoại này đã gửi quá nhiều lần trong một giờ. Vui lòng thử lại sau.")
            )
        else:
            try:
                tip = tip_receive(actor=None, channel=TipChannel.PUBLIC, **form.tip_data())
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                if phone:
                    guard.phone_hit(phone)
                return render(request, "hotlines/public_done.html", {"tip": tip})
    return _public_form(request, form, status=400)


@require_http_methods(["GET", "POST"])
def public_status_view(request: HttpRequest) -> HttpResponse:
    """Follow a tip by its code: kind, dates, status and outcome only — no personal data."""
    code = request.POST.get("code") or request.GET.get("code") or ""
    if not code:
        return render(request, "hotlines/public_status.html", {"form": CodeForm()})
    ip = client_ip(request)
    if guard.ip_blocked(ip):
        return _too_many(request)
    guard.ip_hit(ip)
    form = CodeForm({"code": code})
    tip = tip_by_code(code) if form.is_valid() else None
    if tip is None:
        form.add_error("code", _("Không tìm thấy tin báo có mã này. Vui lòng kiểm tra lại."))
        return render(request, "hotlines/public_status.html", {"form": form}, status=404)
    return render(request, "hotlines/public_status.html", {"form": form, "tip": tip})


# --- officials: hotlines and teams ----------------------------------------------------------------


def _managed(request: HttpRequest) -> Any:
    return managed_units(scope_for(request.user).units())


@login_required
@require_http_methods(["GET", "POST"])
def directory_view(request: HttpRequest) -> HttpResponse:
    """Every hotline with who is on duty now; officers of a province or district add their unit's."""
    units = _managed(request)
    can_add = units.exists()
    form = HotlineForm(request.POST or None, units=units)
    if request.method == "POST" and can_add and form.is_valid():
        try:
            hotline_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm đường dây nóng."))
            return redirect("hotlines:directory")
    context = {"hotlines": hotlines_with_duty(user=request.user), "form": form, "can_add": can_add}
    return render(request, "hotlines/directory.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def team_list_view(request: HttpRequest) -> HttpResponse:
    """The teams the user may see with who is on duty now; officers of a province or district add a team."""
    units = _managed(request)
    can_add = units.exists()
    form = TeamForm(request.POST or None, units=units)
    if request.method == "POST" and can_add and form.is_valid():
        try:
            team = team_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm đội phản ứng nhanh."))
            return redirect("hotlines:team_detail", uid=team.uid)
    context = {"teams": teams_with_duty(user=request.user), "form": form, "can_add": can_add}
    return render(request, "hotlines/teams.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def team_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    team = team_get(user=request.user, uid=uid)
    can_edit = scope_for(request.user).contains_unit(team.unit)
    adding_member = request.POST.get("form") == "member"
    form = ShiftForm(request.POST if request.method == "POST" and not adding_member else None)
    member_form = MemberForm(request.POST if adding_member else None)
    if request.method == "POST" and can_edit:
        bound: Any = member_form if adding_member else form
        if bound.is_valid():
            try:
                if adding_member:
                    team_member_add(actor=request.user, team=team, **member_form.cleaned_data)  # type: ignore[arg-type]
                else:
                    shift_create(actor=request.user, team=team, **form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                bound.add_service_error(exc)
            else:
                messages.success(request, _("Đã thêm thành viên.") if adding_member else _("Đã thêm ca trực."))
                return redirect("hotlines:team_detail", uid=team.uid)
    context = {
        "team": team,
        "members": list(team.members.all()),
        "shifts": upcoming_shifts(team),
        "now": timezone.now(),
        "form": form,
        "member_form": member_form,
        "can_edit": can_edit,
    }
    errors = form.errors or member_form.errors
    return render(request, "hotlines/team_detail.html", context, status=400 if errors else 200)


# --- officials: tips ------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, Any]:
    params = filter_params(request, TIP_FILTERS)
    filters: dict[str, Any] = {
        "status": params.get("status", "") if params.get("status") in ("open", *TipStatus.values) else "",
        "kind": params.get("kind", "") if params.get("kind") in TipKind.values else "",
        "channel": params.get("channel", "") if params.get("channel") in TipChannel.values else "",
        "q": params.get("q", "")[:12],
        "unit": None,
    }
    unit_uid = _uuid_or_none(params.get("unit", ""))
    if unit_uid:
        filters["unit"] = scope_for(request.user).units().filter(uid=unit_uid).first()
    return filters


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _filter_units(request: HttpRequest) -> list[Unit]:
    """The districts and communes of the user's scope, for the inbox's place filter."""
    from django.conf import settings

    from phongdich.geo.models import Level

    tree = getattr(settings, "ADMIN_TREE", "2021")
    units = scope_for(request.user).units().filter(tree=tree, level__in=[Level.DISTRICT, Level.COMMUNE])
    return list(units.order_by("path")[:1000])


def _query(filters: dict[str, Any]) -> dict[str, str]:
    return {k: (str(v.uid) if isinstance(v, Unit) else str(v)) for k, v in filters.items() if v}


@login_required
@require_GET
def tip_list_view(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = tip_page(user=request.user, after=request.GET.get("after"), **filters)
    context = {
        "page": page,
        "filters": filters,
        "units": _filter_units(request),
        "kinds": TipKind.choices,
        "statuses": TipStatus.choices,
        "channels": TipChannel.choices,
        **page_links(request, _query(filters), page.next_after),
    }
    return render(request, "hotlines/tip_list.html", context)


@login_required
@require_GET
def tip_export_view(request: HttpRequest) -> HttpResponse:
    try:
        export = tips_export(user=request.user, **_filters(request))
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return redirect("hotlines:tips")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@size_checked_before_csrf
@login_required
@require_http_methods(["GET", "POST"])
def tip_create_view(request: HttpRequest) -> HttpResponse:
    """The hotline operator enters a tip taken on the phone; the communes of their scope."""
    units = scope_for(request.user).units()
    form = OperatorTipForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            tip = tip_receive(actor=request.user, channel=TipChannel.HOTLINE, **form.tip_data())  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận tin báo %(code)s, chuyển %(unit)s.") % {"code": tip.code, "unit": tip.routed_unit.name},
            )
            return redirect("hotlines:tip_detail", uid=tip.uid)
    return render(request, "hotlines/tip_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest,
    tip: Any,
    *,
    assign: AssignForm | None = None,
    close: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "tip": tip,
        "events": tip_events(tip),
        "assign_form": assign or AssignForm(users=assignable_users(tip), initial={"assignee": tip.assignee_id}),
        "close_form": close or CloseForm(),
        "closed": tip.status == TipStatus.CLOSED,
        "can_start": tip.status == TipStatus.ASSIGNED,
    }
    return render(request, "hotlines/tip_detail.html", context, status=status)


@login_required
@require_GET
def tip_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    return _detail(request, tip_get(user=request.user, uid=uid))


@login_required
@require_POST
def tip_assign_view(request: HttpRequest, uid: str) -> HttpResponse:
    tip = tip_get_for_write(user=request.user, uid=uid)
    form = AssignForm(request.POST, users=assignable_users(tip))
    if form.is_valid():
        try:
            tip_assign(actor=request.user, tip=tip, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã giao tin báo."))
            return redirect("hotlines:tip_detail", uid=tip.uid)
    return _detail(request, tip, assign=form, status=400)


@login_required
@require_POST
def tip_start_view(request: HttpRequest, uid: str) -> HttpResponse:
    tip = tip_get_for_write(user=request.user, uid=uid)
    try:
        tip_start(actor=request.user, tip=tip)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã chuyển sang đang xử lý."))
    return redirect("hotlines:tip_detail", uid=tip.uid)


@login_required
@require_POST
def tip_close_view(request: HttpRequest, uid: str) -> HttpResponse:
    tip = tip_get_for_write(user=request.user, uid=uid)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            tip_close(actor=request.user, tip=tip, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã kết thúc tin báo."))
            return redirect("hotlines:tip_detail", uid=tip.uid)
    return _detail(request, tip, close=form, status=400)

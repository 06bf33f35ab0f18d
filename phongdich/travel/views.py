"""Travel pages (thin): trips out of the province, their one-tap decision and the declaration after them (M7);
3-on-site plans and the workers allowed out or in (M8); the Excel exports (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.models import AuditAction
from phongdich.core.pagination import filter_params, page_links
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from . import exports, services
from .forms import (
    DecisionForm,
    PassForm,
    PlanForm,
    ReturnForm,
    TripFilterForm,
    TripForm,
    UnapprovedForm,
    parse_destination,
)
from .models import PassDirection, Trip, TripStatus
from .selectors import (
    TripFilters,
    enterprises,
    id_page,
    parks,
    pass_queryset,
    pending_for,
    plan_get,
    plan_queryset,
    trip_get,
    trip_queryset,
)


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _form_error(form: Any, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _org(request: HttpRequest, name: str) -> Organisation | None:
    uid = request.GET.get(name)
    if not uid:
        return None
    try:
        org = Organisation.objects.filter(uid=uid).first()
    except (ValueError, ValidationError):
        return None
    return org if org is not None and scope_for(request.user).contains_organisation(org) else None


def _trip_filters(request: HttpRequest) -> TripFilters:
    status = request.GET.get("status", "")
    approval = request.GET.get("approval", "")
    return TripFilters(
        status=status if status in TripStatus.values else "",
        needs_approval={"yes": True, "no": False}.get(approval),
        organisation=_org(request, "organisation"),
        mine=request.GET.get("mine") == "1",
    )


@login_required
@require_GET
def trip_list_view(request: HttpRequest) -> HttpResponse:
    filters = _trip_filters(request)
    page = id_page(trip_queryset(user=request.user, filters=filters), after=request.GET.get("after"))
    params = filter_params(request, ["status", "approval", "organisation", "mine"])
    context = {
        "trips": page.items,
        "pending": list(pending_for(request.user)[:20]),
        "filter_form": TripFilterForm(request.GET or None),
        "mine": filters.mine,
        "is_staff_member": services.person_of(request.user) is not None,
        **page_links(request, params, page.next_after),
    }
    return render(request, "travel/trip_list.html", context)


@login_required
@require_GET
def trip_export_view(request: HttpRequest) -> HttpResponse:
    try:
        return _download(exports.trips_export(user=request.user, filters=_trip_filters(request)))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("travel:list")


@login_required
@require_http_methods(["GET", "POST"])
def trip_create_view(request: HttpRequest) -> HttpResponse:
    person = services.person_of(request.user)
    form = TripForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, unit, country = parse_destination(data["destination"])
        try:
            trip = services.trip_file(
                actor=request.user,
                membership=data["membership"],
                kind=kind,
                unit=unit,
                country=country,
                depart_at=data["depart_at"],
                return_at=data["return_at"],
                purpose=data["purpose"],
                companions=data.get("companions") or "",
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if trip.needs_approval:
                messages.warning(
                    request,
                    _("Chuyến đi cần phê duyệt (%(reasons)s): đã gửi lãnh đạo.") % {"reasons": trip.approval_reasons},
                )
            else:
                messages.success(request, _("Đã đăng ký chuyến đi; không cần phê duyệt."))
            if trip.epidemic_warning:
                messages.error(request, trip.epidemic_warning)
            return redirect("travel:detail", uid=trip.uid)
    return render(request, "travel/trip_form.html", {"form": form, "has_post": person is not None})


def _audit_read(request: HttpRequest, trip: Trip) -> None:
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=trip,
        summary=_("Xem chuyến đi ngoài tỉnh của %(name)s") % {"name": trip.traveller.full_name},
        detail={"person": str(trip.traveller.uid)},
    )


@login_required
@require_GET
def trip_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    trip = trip_get(user=request.user, uid=uid)
    _audit_read(request, trip)
    person = services.person_of(request.user)
    is_traveller = person is not None and person.pk == trip.traveller_id
    orders: list[Any] = []
    if trip.declaration_id is not None:
        from phongdich.testing.models import TestOrder

        root = trip.declaration.uid if trip.declaration else ""
        orders = list(
            TestOrder.objects.filter(person_id=trip.traveller_id, source_key__startswith=f"declaration:{root}")
        )
    context = {
        "trip": trip,
        "can_decide": services.can_decide(request.user, trip),
        "can_declare": is_traveller
        and trip.status in services.DECLARABLE
        and trip.declaration_id is None
        and trip.depart_at <= timezone.now(),
        "can_record_unapproved": services.can_record_unapproved(request.user, trip),
        "unapproved_form": UnapprovedForm(),
        "orders": orders,
    }
    return render(request, "travel/trip_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def trip_decide_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The approval page a notification links to: the approve button first, refusal with a reason below."""
    trip = trip_get(user=request.user, uid=uid)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.trip_decide(actor=request.user, trip=trip, approve=approve, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("travel:detail", uid=trip.uid)
        else:
            messages.success(request, _("Đã đồng ý chuyến đi.") if approve else _("Đã không đồng ý chuyến đi."))
            return redirect("travel:detail", uid=trip.uid)
    if not services.can_decide(request.user, trip):
        if trip.status != TripStatus.PENDING:
            messages.info(request, _("Chuyến đi này đã được quyết định."))
        return redirect("travel:detail", uid=trip.uid)
    _audit_read(request, trip)
    return render(request, "travel/trip_decide.html", {"trip": trip, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def trip_declare_view(request: HttpRequest, uid: str) -> HttpResponse:
    trip = trip_get(user=request.user, uid=uid)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declared = services.trip_declare_return(actor=request.user, trip=trip, symptoms=form.symptoms())
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("travel:detail", uid=trip.uid)
        else:
            if declared.test_orders:
                messages.warning(request, _("Đã khai báo y tế. Bạn được chỉ định xét nghiệm theo quy định."))
            else:
                messages.success(request, _("Đã khai báo y tế sau chuyến đi."))
            return redirect("travel:detail", uid=trip.uid)
    return render(request, "travel/trip_declare.html", {"trip": trip, "form": form})


@login_required
@require_POST
def trip_unapproved_view(request: HttpRequest, uid: str) -> HttpResponse:
    trip = trip_get(user=request.user, uid=uid)
    form = UnapprovedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ghi căn cứ xác định đã đi khi chưa được phép."))
        return redirect("travel:detail", uid=trip.uid)
    try:
        services.trip_record_unapproved(actor=request.user, trip=trip, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi nhận chuyến đi khi chưa được phép."))
    return redirect("travel:detail", uid=trip.uid)


# --- Workforce movement (M8) ------------------------------------------------------------------------


def _workforce_filters(request: HttpRequest) -> dict[str, Any]:
    return {"park": _org(request, "park"), "organisation": _org(request, "organisation")}


@login_required
@require_GET
def plan_list_view(request: HttpRequest) -> HttpResponse:
    filters = _workforce_filters(request)
    page = id_page(plan_queryset(user=request.user, **filters), after=request.GET.get("after"))
    params = filter_params(request, ["park", "organisation"])
    context = {
        "plans": page.items,
        "parks": parks(request.user),
        "enterprises": enterprises(request.user),
        "filters": filters,
        **page_links(request, params, page.next_after),
    }
    return render(request, "travel/plan_list.html", context)


@login_required
@require_GET
def plan_export_view(request: HttpRequest) -> HttpResponse:
    try:
        return _download(exports.plans_export(user=request.user, **_workforce_filters(request)))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("travel:plans")


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, organisations=enterprises(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_save(actor=request.user, **data)
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("organisation", str(exc))
        else:
            messages.success(request, _("Đã lưu phương án 3 tại chỗ."))
            return redirect("travel:plan", uid=plan.uid)
    return render(request, "travel/plan_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    plan = plan_get(user=request.user, uid=uid)
    form = PassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pass_add(
                actor=request.user,
                plan=plan,
                person=data["cccd"],
                direction=data["direction"],
                from_date=data["from_date"],
                to_date=data["to_date"],
                place=data["place"],
                reason=data["reason"],
            )
        except ApplicationError as exc:
            _form_error(form, exc if exc.field != "person" else ApplicationError(exc.message, field="cccd"))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi người lao động được ra, vào tỉnh."))
            return redirect("travel:plan", uid=plan.uid)
    passes = list(pass_queryset(user=request.user, plan=plan)[:200])
    return render(request, "travel/plan_detail.html", {"plan": plan, "passes": passes, "form": form})


@login_required
@require_GET
def pass_list_view(request: HttpRequest) -> HttpResponse:
    filters = _workforce_filters(request)
    direction = request.GET.get("direction", "")
    page = id_page(pass_queryset(user=request.user, direction=direction, **filters), after=request.GET.get("after"))
    params = filter_params(request, ["park", "organisation", "direction"])
    context = {
        "passes": page.items,
        "parks": parks(request.user),
        "enterprises": enterprises(request.user),
        "filters": filters,
        "direction": direction,
        "directions": PassDirection.choices,
        **page_links(request, params, page.next_after),
    }
    return render(request, "travel/pass_list.html", context)


@login_required
@require_GET
def pass_export_view(request: HttpRequest) -> HttpResponse:
    try:
        return _download(
            exports.passes_export(
                user=request.user, direction=request.GET.get("direction", ""), **_workforce_filters(request)
            )
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("travel:passes")

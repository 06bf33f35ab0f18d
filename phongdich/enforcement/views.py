"""Enforcement pages (thin): gatherings per commune and week with the commune's decision (G1), inspection plans,
records, follow-ups and what was not inspected (G2), violations and their publication (G3, G5), the public
page of published violations, and the Excel exports (audited)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.models import AuditAction
from phongdich.core.pagination import filter_params, page_links
from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for

from . import exports, services
from .forms import (
    DecisionForm,
    FollowUpCloseForm,
    FollowUpForm,
    GatheringForm,
    InspectionForm,
    PlanForm,
    PublishForm,
    ViolationForm,
)
from .models import FollowUp, Gathering, GatheringStatus, Inspection, ViolationKind
from .selectors import (
    GatheringFilters,
    date_page,
    gathering_get,
    gathering_queryset,
    inspectable_units,
    inspection_get,
    inspection_queryset,
    month_bounds,
    not_inspected,
    open_follow_ups,
    plan_get,
    plan_queryset,
    published_violations,
    today,
    violation_get,
    violation_queryset,
    visible_communes,
    week_start,
)


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _form_error(form: Any, exc: ApplicationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def _date_param(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _scoped_unit(request: HttpRequest, uid: str | None) -> Unit | None:
    if not uid:
        return None
    try:
        unit = Unit.objects.filter(uid=uid).first()
    except (ValueError, TypeError, ValidationError):  # a malformed uid is "no filter"
        return None
    if unit is None or not scope_for(request.user).contains_unit(unit):
        return None
    return unit


@login_required
@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    day = today()
    context = {
        "pending": list(gathering_queryset(user=request.user, filters=GatheringFilters(status="pending"))[:20]),
        "overdue": list(open_follow_ups(user=request.user, overdue_on=day)[:20]),
        "recent_violations": list(violation_queryset(user=request.user)[:10]),
    }
    return render(request, "enforcement/index.html", context)


# --- Gatherings (G1) ------------------------------------------------------------------------------------


def _gathering_filters(request: HttpRequest) -> GatheringFilters:
    status = request.GET.get("status", "")
    return GatheringFilters(
        commune=_scoped_unit(request, request.GET.get("commune")),
        week=_date_param(request.GET.get("week")),
        status=status if status in GatheringStatus.values else "",
    )


@login_required
@require_GET
def gathering_list_view(request: HttpRequest) -> HttpResponse:
    filters = _gathering_filters(request)
    page = date_page(
        gathering_queryset(user=request.user, filters=filters),
        field="event_date",
        after=request.GET.get("after"),
    )
    params = filter_params(request, ["commune", "week", "status"])
    context = {
        "gatherings": page.items,
        "filters": filters,
        "week_from": week_start(filters.week) if filters.week else None,
        "communes": visible_communes(request.user),
        "statuses": GatheringStatus.choices,
        **page_links(request, params, page.next_after),
    }
    return render(request, "enforcement/gathering_list.html", context)


@login_required
@require_GET
def gathering_export_view(request: HttpRequest) -> HttpResponse:
    try:
        return _download(exports.gatherings_export(user=request.user, filters=_gathering_filters(request)))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("enforcement:gatherings")


@login_required
@require_http_methods(["GET", "POST"])
def gathering_create_view(request: HttpRequest) -> HttpResponse:
    form = GatheringForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            gathering = services.gathering_register(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                unit=data["unit"],
                address=data["address"],
                event_date=data["event_date"],
                expected_attendance=data["expected_attendance"],
                organiser_name=data["organiser_name"],
                organiser_phone=data.get("organiser_phone") or "",
                organiser=data.get("organiser_cccd"),
                indoors=data.get("indoors", False),
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        else:
            if gathering.status == GatheringStatus.PENDING:
                messages.warning(request, _("Sự kiện vượt giới hạn số người: đã gửi xã phê duyệt."))
            else:
                messages.success(request, _("Đã đăng ký sự kiện."))
            return redirect("enforcement:gathering", uid=gathering.uid)
    return render(request, "enforcement/gathering_form.html", {"form": form})


@login_required
@require_GET
def gathering_view(request: HttpRequest, uid: str) -> HttpResponse:
    gathering = gathering_get(user=request.user, uid=uid)
    if gathering.organiser is not None:  # a person's record is read
        audit(
            actor=request.user,
            action=AuditAction.READ,
            obj=gathering,
            summary="Xem sự kiện do một người trong hồ sơ tổ chức",
            detail={"person": str(gathering.organiser.uid)},
        )
    can_decide = gathering.status == GatheringStatus.PENDING and services.can_decide(request.user, gathering)
    context = {"g": gathering, "decision_form": DecisionForm() if can_decide else None}
    return render(request, "enforcement/gathering.html", context)


@login_required
@require_POST
def gathering_decide_view(request: HttpRequest, uid: str) -> HttpResponse:
    gathering = gathering_get(user=request.user, uid=uid)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn phê duyệt hoặc không phê duyệt."))
        return redirect("enforcement:gathering", uid=gathering.uid)
    try:
        services.gathering_decide(
            actor=request.user,
            gathering=gathering,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data.get("reason") or "",
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã ghi quyết định."))
    return redirect("enforcement:gathering", uid=gathering.uid)


# --- Inspections (G2) -----------------------------------------------------------------------------------


def _inspector_units(request: HttpRequest) -> Any:
    return inspectable_units(request.user).filter(level__lte=Level.HAMLET).select_related("parent")


@login_required
@require_GET
def inspection_list_view(request: HttpRequest) -> HttpResponse:
    inspector = _scoped_unit(request, request.GET.get("inspector"))
    page = date_page(
        inspection_queryset(user=request.user, inspector=inspector),
        field="inspected_on",
        after=request.GET.get("after"),
    )
    params = filter_params(request, ["inspector"])
    context = {
        "inspections": page.items,
        "inspector": inspector,
        "plans": list(plan_queryset(user=request.user)[:20]),
        "overdue": list(open_follow_ups(user=request.user, overdue_on=today())[:50]),
        **page_links(request, params, page.next_after),
    }
    return render(request, "enforcement/inspection_list.html", context)


@login_required
@require_GET
def inspection_export_view(request: HttpRequest) -> HttpResponse:
    inspector = _scoped_unit(request, request.GET.get("inspector"))
    try:
        return _download(exports.inspections_export(user=request.user, inspector=inspector))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("enforcement:inspections")


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create_view(request: HttpRequest) -> HttpResponse:
    units = _inspector_units(request)
    plans = plan_queryset(user=request.user)
    initial = {}
    plan_uid = request.GET.get("plan")
    if plan_uid:
        plan = plans.filter(uid=plan_uid).first() if _is_uuid(plan_uid) else None
        if plan is not None:
            initial = {"plan": plan.uid, "inspector_unit": plan.inspector_unit.uid}
    form = InspectionForm(request.POST or None, user=request.user, units=units, plans=plans, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record(
                actor=request.user,
                inspector_unit=data["inspector_unit"],
                target_unit=data["target_unit"],
                inspected_on=data["inspected_on"],
                result=data["result"],
                findings=data["findings"],
                household_head=data.get("household_cccd"),
                household_address=data.get("household_address") or "",
                plan=data.get("plan"),
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("inspector_unit", str(exc))
        else:
            messages.success(request, _("Đã ghi biên bản kiểm tra."))
            return redirect("enforcement:inspection", uid=inspection.uid)
    return render(request, "enforcement/inspection_form.html", {"form": form})


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_GET
def inspection_view(request: HttpRequest, uid: str) -> HttpResponse:
    inspection = inspection_get(user=request.user, uid=uid)
    can_edit = services.can_edit_inspection(request.user, inspection)
    context = {
        "i": inspection,
        "follow_ups": list(inspection.follow_ups.all()),
        "can_edit": can_edit,
        "follow_up_form": FollowUpForm() if can_edit else None,
        "close_form": FollowUpCloseForm(initial={"closed_on": today()}) if can_edit else None,
        "today": today(),
    }
    return render(request, "enforcement/inspection.html", context)


def _inspection_action(
    request: HttpRequest, inspection: Inspection, form: Any, action: Callable[..., Any], done: str
) -> HttpResponse:
    """A small POST form on the inspection page: its errors or the service's refusal as messages, then back."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            action(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, done)
    return redirect("enforcement:inspection", uid=inspection.uid)


@login_required
@require_POST
def follow_up_add_view(request: HttpRequest, uid: str) -> HttpResponse:
    inspection = inspection_get(user=request.user, uid=uid)
    action = partial(services.follow_up_add, inspection=inspection)
    return _inspection_action(request, inspection, FollowUpForm(request.POST), action, _("Đã giao việc khắc phục."))


@login_required
@require_POST
def follow_up_close_view(request: HttpRequest, uid: str, follow_up_uid: str) -> HttpResponse:
    inspection = inspection_get(user=request.user, uid=uid)
    follow_up = get_object_or_404(FollowUp, uid=follow_up_uid, inspection=inspection)
    action = partial(services.follow_up_close, follow_up=follow_up)
    return _inspection_action(
        request, inspection, FollowUpCloseForm(request.POST), action, _("Đã đóng việc khắc phục.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    units = _inspector_units(request).filter(level__lt=Level.HAMLET)
    targets = inspectable_units(request.user).filter(level__gt=Level.PROVINCE).select_related("parent")
    form = PlanForm(request.POST or None, inspectors=units, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                inspector_unit=data["inspector_unit"],
                title=data["title"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                targets=list(data["targets"]),
                note=data.get("note") or "",
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("inspector_unit", str(exc))
        else:
            messages.success(request, _("Đã lập kế hoạch kiểm tra."))
            return redirect("enforcement:plan", uid=plan.uid)
    return render(request, "enforcement/plan_form.html", {"form": form})


@login_required
@require_GET
def plan_view(request: HttpRequest, uid: str) -> HttpResponse:
    plan = plan_get(user=request.user, uid=uid)
    done = set(plan.inspections.values_list("target_unit_id", flat=True))
    targets = [(t, t.pk in done) for t in plan.targets.order_by("name")]
    context = {"plan": plan, "targets": targets, "inspections": list(plan.inspections.select_related("target_unit"))}
    return render(request, "enforcement/plan.html", context)


@login_required
@require_GET
def not_inspected_view(request: HttpRequest) -> HttpResponse:
    """Units right below the chosen inspecting unit with no inspection by it in the period (default: this
    month)."""
    units = _inspector_units(request).filter(level__lt=Level.HAMLET)
    inspector = _scoped_unit(request, request.GET.get("inspector"))
    if inspector is None or inspector.level >= Level.HAMLET:
        inspector = units.first()
    month_start, month_end = month_bounds(today())
    start = _date_param(request.GET.get("start")) or month_start
    end = _date_param(request.GET.get("end")) or month_end
    error = ""
    if end < start:
        error = _("Ngày kết thúc phải sau ngày bắt đầu.")
        start, end = month_start, month_end
    context = {
        "units": units,
        "inspector": inspector,
        "start": start,
        "end": end,
        "error": error,
        "rows": not_inspected(inspector=inspector, start=start, end=end) if inspector else [],
    }
    return render(request, "enforcement/not_inspected.html", context)


@login_required
@require_GET
def not_inspected_export_view(request: HttpRequest) -> HttpResponse:
    inspector = _scoped_unit(request, request.GET.get("inspector"))
    if inspector is None:
        raise Http404
    month_start, month_end = month_bounds(today())
    start = _date_param(request.GET.get("start")) or month_start
    end = _date_param(request.GET.get("end")) or month_end
    return _download(exports.not_inspected_export(user=request.user, inspector=inspector, start=start, end=end))


# --- Violations (G3, G5) ----------------------------------------------------------------------------------


def _violation_filters(request: HttpRequest) -> tuple[str, str]:
    kind = request.GET.get("kind", "")
    published = request.GET.get("published", "")
    return (kind if kind in ViolationKind.values else ""), (published if published in ("yes", "no") else "")


@login_required
@require_GET
def violation_list_view(request: HttpRequest) -> HttpResponse:
    kind, published = _violation_filters(request)
    page = date_page(
        violation_queryset(user=request.user, kind=kind, published=published),
        field="occurred_on",
        after=request.GET.get("after"),
    )
    params = filter_params(request, ["kind", "published"])
    context = {
        "violations": page.items,
        "kind": kind,
        "published": published,
        "kinds": ViolationKind.choices,
        **page_links(request, params, page.next_after),
    }
    return render(request, "enforcement/violation_list.html", context)


@login_required
@require_GET
def violation_export_view(request: HttpRequest) -> HttpResponse:
    kind, published = _violation_filters(request)
    try:
        return _download(exports.violations_export(user=request.user, kind=kind, published=published))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("enforcement:violations")


@login_required
@require_http_methods(["GET", "POST"])
def violation_create_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    gatherings = Gathering.objects.filter(pk__in=gathering_queryset(user=request.user).values("pk")).order_by(
        "-event_date"
    )
    organisations = scope.organisations().filter(is_active=True).order_by("name")
    initial: dict[str, Any] = {}
    from_gathering = request.GET.get("gathering")
    if from_gathering and _is_uuid(from_gathering):
        g = gatherings.filter(uid=from_gathering).first()
        if g is not None:
            initial = {
                "gathering": g.uid,
                "kind": ViolationKind.ILLEGAL_GATHERING,
                "unit": g.unit.uid,
                "offender_name": g.organiser_name,
                "occurred_on": g.event_date,
            }
    from_trip = request.GET.get("trip")
    if from_trip and _is_uuid(from_trip):
        initial.update({"trip": from_trip, "kind": ViolationKind.UNAPPROVED_TRAVEL})
    form = ViolationForm(
        request.POST or None, user=request.user, gatherings=gatherings, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.violation_record(
                actor=request.user,
                offender_kind=data["offender_kind"],
                offender_name=data.get("offender_name") or "",
                person=data.get("person_cccd"),
                organisation=data.get("organisation"),
                unit=data["unit"],
                kind=data["kind"],
                regulation=data.get("regulation"),
                occurred_on=data["occurred_on"],
                description=data.get("description") or "",
                gathering=data.get("gathering"),
                trip_reference=data.get("trip_reference") or "",
                trip=data.get("trip"),
                sanction=data["sanction"],
                fine_amount=data.get("fine_amount"),
                head_disciplined=data.get("head_disciplined") or "",
                decision_number=data.get("decision_number") or "",
                decision_date=data.get("decision_date"),
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        else:
            messages.success(request, _("Đã ghi vụ vi phạm."))
            return redirect("enforcement:violation", uid=violation.uid)
    return render(request, "enforcement/violation_form.html", {"form": form})


@login_required
@require_GET
def violation_view(request: HttpRequest, uid: str) -> HttpResponse:
    violation = violation_get(user=request.user, uid=uid)
    form = PublishForm(
        initial={"publish": "no" if violation.published else "yes", "name_published": violation.name_published}
    )
    return render(request, "enforcement/violation.html", {"v": violation, "publish_form": form})


@login_required
@require_POST
def violation_publish_view(request: HttpRequest, uid: str) -> HttpResponse:
    violation = violation_get(user=request.user, uid=uid)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn công khai hoặc thôi công khai."))
        return redirect("enforcement:violation", uid=violation.uid)
    try:
        services.violation_publish(
            actor=request.user,
            violation=violation,
            publish=form.cleaned_data["publish"] == "yes",
            name_published=form.cleaned_data.get("name_published", False),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã cập nhật việc công khai."))
    return redirect("enforcement:violation", uid=violation.uid)


# --- Public --------------------------------------------------------------------------------------------


@require_GET
def public_violations_view(request: HttpRequest) -> HttpResponse:
    """Violations handled and published (seeds 000, 001 §4): no identity number, phone or address beyond the
    commune; a person's name only when the decision says so."""
    try:
        after = int(request.GET["after"]) if request.GET.get("after") else None
    except ValueError:
        after = None
    rows, next_after = published_violations(after=after)
    context = {"rows": rows, **page_links(request, {}, next_after)}
    return render(request, "enforcement/public_violations.html", context)

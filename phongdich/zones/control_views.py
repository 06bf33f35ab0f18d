"""Pages for control zones, measure sets, goods-transport passes and checkpoints (Z1, Z2); the public
pass page at ``/luong-xanh/<token>/``."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.core.pagination import filter_params, page_links

from .control_exports import passes_export, zone_people_export, zones_export
from .control_forms import CheckpointForm, PassForm, PassReissueForm, PassRevokeForm, ZoneForm, ZoneLiftForm
from .control_selectors import (
    PASS_STATUSES,
    ZONE_STATUSES,
    check_queryset,
    checkpoint_get,
    checkpoint_list,
    measure_sets,
    pass_by_token,
    pass_get,
    pass_page,
    zone_get,
    zone_list,
    zone_people,
)
from .control_services import (
    can_check_passes,
    can_issue_passes,
    can_manage_zones,
    checkpoint_create,
    pass_check,
    pass_issue,
    pass_reissue,
    pass_revoke,
    zone_create,
    zone_lift,
    zone_update,
)
from .models import MEASURE_FIELDS, BusinessKind, ControlZone, MeasureSet, PublicTransport
from .pass_tokens import token_display, token_for
from .passes import pass_status, public_url, qr_svg_uri

PAGE_SIZE = 50


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def measure_rows(measure_set: MeasureSet) -> list[dict[str, Any]]:
    """The measures of a set as label/value rows for a page, each saying whether it is unconfirmed."""
    none = _("không giới hạn")
    yes, no = _("Có"), _("Không")
    kinds = dict(BusinessKind.choices)
    values = {
        "indoor_gathering_cap": measure_set.indoor_gathering_cap or none,
        "outdoor_gathering_cap": measure_set.outdoor_gathering_cap or none,
        "events_stopped": yes if measure_set.events_stopped else no,
        "min_distance_m": f"{measure_set.min_distance_m} m" if measure_set.min_distance_m is not None else "—",
        "non_essential_closed": yes if measure_set.non_essential_closed else no,
        "closed_business_kinds": ", ".join(str(kinds.get(k, k)) for k in measure_set.closed_business_kinds) or "—",
        "public_transport": PublicTransport(measure_set.public_transport).label,
        "stay_home": yes if measure_set.stay_home else no,
    }
    return [
        {
            "label": getattr(MeasureSet._meta.get_field(name), "verbose_name", name),
            "value": values[name],
            "uncertain": name in (measure_set.uncertain or []),
        }
        for name in MEASURE_FIELDS
    ]


# --- Measure sets ------------------------------------------------------------------------------


@login_required
@require_GET
def measure_list_view(request: HttpRequest) -> HttpResponse:
    sets = [{"set": ms, "rows": measure_rows(ms)} for ms in measure_sets()]
    return render(request, "zones/measure_list.html", {"sets": sets})


# --- Control zones -----------------------------------------------------------------------------


@login_required
@require_GET
def zone_list_view(request: HttpRequest) -> HttpResponse:
    status = _choice(request, "status", ZONE_STATUSES, "active")
    qs = zone_list(user=request.user, status=status).order_by("-start_date", "-id")
    after = request.GET.get("after", "")
    if after:
        row = None
        with contextlib.suppress(ValueError):
            row = ControlZone.objects.filter(uid=uuid.UUID(after)).values_list("start_date", "pk").first()
        if row is None:
            raise Http404
        qs = qs.filter(Q(start_date__lt=row[0]) | Q(start_date=row[0], pk__lt=row[1]))
    rows = list(qs[: PAGE_SIZE + 1])
    next_after = str(rows[PAGE_SIZE - 1].uid) if len(rows) > PAGE_SIZE else None
    context = {
        "zones": rows[:PAGE_SIZE],
        "status": status,
        "today": timezone.localdate(),
        "can_manage": can_manage_zones(request.user),
        **page_links(request, {"status": status}, next_after),
    }
    return render(request, "zones/control_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def zone_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_zones(request.user):
        raise PermissionDenied
    form = ZoneForm(request.POST or None, user=request.user, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            zone = zone_create(actor=request.user, **form.service_values())  # type: ignore[arg-type]
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Nằm ngoài địa bàn của bạn."))
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thiết lập vùng %(name)s.") % {"name": zone.name})
            return redirect("zones:control_detail", uid=zone.uid)
    return render(request, "zones/control_form.html", {"form": form, "zone": None})


@login_required
@require_http_methods(["GET", "POST"])
def zone_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    if not can_manage_zones(request.user):
        raise PermissionDenied
    zone = zone_get(user=request.user, uid=uid)
    form = ZoneForm(request.POST or None, user=request.user, initial=ZoneForm.initial_for(zone))
    if request.method == "POST" and form.is_valid():
        try:
            zone_update(actor=request.user, zone=zone, **form.service_values())  # type: ignore[arg-type]
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Nằm ngoài địa bàn của bạn."))
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu vùng."))
            return redirect("zones:control_detail", uid=zone.uid)
    return render(request, "zones/control_form.html", {"form": form, "zone": zone})


@login_required
@require_POST
def zone_lift_view(request: HttpRequest, uid: str) -> HttpResponse:
    if not can_manage_zones(request.user):
        raise PermissionDenied
    zone = zone_get(user=request.user, uid=uid)
    form = ZoneLiftForm(request.POST)
    if form.is_valid():
        try:
            zone_lift(actor=request.user, zone=zone, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã dỡ bỏ vùng."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("zones:control_detail", uid=zone.uid)


@login_required
@require_GET
def zone_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    zone = zone_get(user=request.user, uid=uid)
    page = zone_people(user=request.user, zone=zone, after=request.GET.get("after") or None, limit=PAGE_SIZE)
    context = {
        "zone": zone,
        "units": list(zone.units.all()),
        "measures": measure_rows(zone.measure_set),
        "page": page,
        "today": timezone.localdate(),
        "can_manage": can_manage_zones(request.user),
        "lift_form": ZoneLiftForm(initial={"lifted_on": timezone.localdate()}),
        "checkpoints": list(zone.checkpoints.filter(is_active=True).order_by("name")),
        **page_links(request, {}, page.next_after),
    }
    return render(request, "zones/control_detail.html", context)


@login_required
@require_GET
def zone_people_export_view(request: HttpRequest, uid: str) -> HttpResponse:
    zone = zone_get(user=request.user, uid=uid)
    try:
        export = zone_people_export(user=request.user, zone=zone)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("zones:control_detail", uid=zone.uid)
    return _file(export)


def _file(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def zone_list_export_view(request: HttpRequest) -> HttpResponse:
    try:
        export = zones_export(user=request.user, status=_choice(request, "status", ZONE_STATUSES, "active"))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("zones:control_list")
    return _file(export)


# --- Goods-transport passes --------------------------------------------------------------------


@login_required
@require_GET
def pass_list_export_view(request: HttpRequest) -> HttpResponse:
    try:
        export = passes_export(
            user=request.user,
            status=_choice(request, "status", PASS_STATUSES, "valid"),
            plate=request.GET.get("plate", "").strip()[:20],
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("zones:pass_list")
    return _file(export)


@login_required
@require_GET
def pass_list_view(request: HttpRequest) -> HttpResponse:
    status = _choice(request, "status", PASS_STATUSES, "valid")
    plate = request.GET.get("plate", "").strip()[:20]
    rows, next_after = pass_page(
        user=request.user, status=status, plate=plate, after=request.GET.get("after") or None, limit=PAGE_SIZE
    )
    today = timezone.localdate()
    items = [
        (p, pass_status(valid_from=p.valid_from, valid_to=p.valid_to, revoked=p.revoked_at is not None, on=today))
        for p in rows
    ]
    params = {"status": status, **filter_params(request, ["plate"])}
    context = {
        "items": items,
        "status": status,
        "plate": plate,
        "can_issue": can_issue_passes(request.user),
        "can_check": can_check_passes(request.user),
        **page_links(request, params, next_after),
    }
    return render(request, "zones/pass_list.html", context)


def _default_issuing_code(user: Any) -> str:
    from phongdich.orgs.scope import scope_for

    paths = scope_for(user).unit_paths
    return paths[0][1].strip("/").split("/")[-1] if len(paths) == 1 else ""


@login_required
@require_http_methods(["GET", "POST"])
def pass_create_view(request: HttpRequest) -> HttpResponse:
    if not can_issue_passes(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"valid_from": today, "issuing_unit_code": _default_issuing_code(request.user)}
    form = PassForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issued = pass_issue(actor=request.user, **form.service_values())  # type: ignore[arg-type]
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Nằm ngoài địa bàn của bạn."))
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã cấp thẻ luồng xanh cho xe %(plate)s.") % {"plate": issued.plate})
            return redirect("zones:pass_detail", uid=issued.uid)
    return render(request, "zones/pass_form.html", {"form": form})


def _pass_context(request: HttpRequest, uid: str) -> dict[str, Any]:
    found = pass_get(user=request.user, uid=uid)
    today = timezone.localdate()
    url = public_url(found.nonce)
    return {
        "p": found,
        "status": pass_status(
            valid_from=found.valid_from, valid_to=found.valid_to, revoked=found.revoked_at is not None, on=today
        ),
        "token": token_display(token_for(found.nonce)),
        "url": url,
        "qr": qr_svg_uri(url),
        "zones": list(found.zones.all()),
    }


@login_required
@require_GET
def pass_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    context = _pass_context(request, uid)
    context.update(
        {
            "checks": list(context["p"].checks.select_related("checkpoint", "checked_by").order_by("-id")[:50]),
            "can_issue": can_issue_passes(request.user),
            "revoke_form": PassRevokeForm(),
            "reissue_form": PassReissueForm(),
        }
    )
    return _no_store(render(request, "zones/pass_detail.html", context))


@login_required
@require_GET
def pass_print_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The card to print (A6, or two on an A5 sheet folded), with the QR and the typed code."""
    return _no_store(render(request, "zones/pass_print.html", _pass_context(request, uid)))


@login_required
@require_POST
def pass_revoke_view(request: HttpRequest, uid: str) -> HttpResponse:
    found = pass_get(user=request.user, uid=uid, audit_read=False)
    form = PassRevokeForm(request.POST)
    if form.is_valid():
        try:
            pass_revoke(actor=request.user, transport_pass=found, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã thu hồi thẻ."))
    else:
        messages.error(request, _("Nhập lý do thu hồi."))
    return redirect("zones:pass_detail", uid=found.uid)


@login_required
@require_POST
def pass_reissue_view(request: HttpRequest, uid: str) -> HttpResponse:
    found = pass_get(user=request.user, uid=uid, audit_read=False)
    form = PassReissueForm(request.POST)
    if form.is_valid():
        try:
            new = pass_reissue(actor=request.user, transport_pass=found, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã cấp lại thẻ; thẻ cũ không còn giá trị."))
            return redirect("zones:pass_detail", uid=new.uid)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("zones:pass_detail", uid=found.uid)


# --- Checkpoints -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_list_view(request: HttpRequest) -> HttpResponse:
    if not can_check_passes(request.user):
        raise PermissionDenied
    form = CheckpointForm(
        request.POST or None, user=request.user, initial={"unit_code": _default_issuing_code(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkpoint = checkpoint_create(
                actor=request.user,  # type: ignore[arg-type]
                name=data["name"],
                unit=data["unit_code"],
                zone=data.get("zone"),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Bạn không có quyền lập chốt kiểm soát."))
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            return redirect("zones:checkpoint", uid=checkpoint.uid)
    rows = list(checkpoint_list(user=request.user)[:200])
    return render(
        request,
        "zones/checkpoint_list.html",
        {"rows": rows, "form": form, "can_create": can_manage_zones(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The checkpoint screen: scan (camera with BarcodeDetector) or type a pass's code; every check recorded."""
    if not can_check_passes(request.user):
        raise PermissionDenied
    checkpoint = checkpoint_get(user=request.user, uid=uid)
    context: dict[str, Any] = {"checkpoint": checkpoint, "outcome": None, "error": ""}
    status = 200
    if request.method == "POST":
        try:
            context["outcome"] = pass_check(
                actor=request.user,  # type: ignore[arg-type]
                checkpoint=checkpoint,
                code=request.POST.get("code", ""),
            )
        except PermissionDenied as exc:
            context["error"] = str(exc) or _("Bạn không kiểm tra thẻ tại chốt này.")
            status = 403
        except ApplicationError as exc:
            context["error"] = str(exc.message)
            status = 400
    context["recent"] = list(check_queryset(user=request.user, checkpoint=checkpoint)[:20])
    return _no_store(render(request, "zones/checkpoint.html", context, status=status))


# --- Public ------------------------------------------------------------------------------------


@require_GET
def public_pass_view(request: HttpRequest, token: str) -> HttpResponse:
    """What anyone scanning the QR sees: the validity, the plate and the dates — no phone, no CCCD."""
    found = pass_by_token(token)
    context: dict[str, Any] = {"p": found, "status": None}
    if found is not None:
        context["status"] = pass_status(
            valid_from=found.valid_from,
            valid_to=found.valid_to,
            revoked=found.revoked_at is not None,
            on=timezone.localdate(),
        )
    response = render(request, "zones/pass_public.html", context, status=200 if found else 404)
    response["X-Robots-Tag"] = "noindex"
    return _no_store(response)

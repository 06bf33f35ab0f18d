"""Movement pages (thin): the list with filters, a movement (audited read), the assisted arrival and
departure forms, "present now", door-to-door with its district-layout export, and the cross-check of an
uploaded list. Every list is scoped, keyset paged and exportable (audited)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core.errors import ApplicationError
from phongdich.core.middleware import client_ip
from phongdich.core.pagination import page_links
from phongdich.core.tabular import TabularFileError
from phongdich.declarations import guard
from phongdich.declarations.views import size_checked_before_csrf
from phongdich.people.models import Person
from phongdich.people.validators import looks_like_phone, normalise_phone

from .crosscheck import cross_check, remember_result, result_download
from .exports import XLSX, door_to_door_export, movements_export, present_now_export
from .forms import (
    ArrivalForm,
    CrossCheckForm,
    DepartureForm,
    DoorToDoorForm,
    MovementFilterForm,
    PublicArrivalForm,
    hamlet_choices,
    province_units,
)
from .models import DeclaredBy, Direction, Movement
from .selectors import (
    default_since,
    door_to_door_rollup,
    movement_get,
    movement_page,
    present_now_page,
    scope_units,
    visible_movements,
)
from .services import arrival_declare, arrival_self_declare, departure_declare, may_record, person_for_declaration


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _require_recorder(request: HttpRequest) -> None:
    if not may_record(request.user):
        raise PermissionDenied


def _query(form: MovementFilterForm) -> dict[str, str]:
    """The filters as query parameters (a unit by its key, as the form's choice field reads it)."""
    return {k: (str(v.pk) if hasattr(v, "pk") else str(v)) for k, v in form.filters().items()}


@login_required
@require_GET
def movement_list_view(request: HttpRequest) -> HttpResponse:
    form = MovementFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    page = movement_page(user=request.user, after=request.GET.get("after") or None, **filters)
    context: dict[str, Any] = {
        "form": form,
        "movements": page.items,
        "can_record": may_record(request.user),
        **page_links(request, _query(form), page.next_after),
    }
    return render(request, "movements/movement_list.html", context)


@login_required
@require_GET
def movement_export_view(request: HttpRequest) -> HttpResponse:
    form = MovementFilterForm(request.GET or None, user=request.user)
    export = movements_export(user=request.user, **form.filters())
    return _download(export.content, export.filename)


@login_required
@require_GET
def movement_detail_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    movement = movement_get(user=request.user, uid=uid)
    return render(
        request,
        "movements/movement_detail.html",
        {"m": movement, "overdue": movement.is_overdue(timezone.localdate())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def arrival_create_view(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    initial = {"move_date": timezone.localdate(), "declared_by": DeclaredBy.OFFICIAL}
    form = ArrivalForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            with transaction.atomic():
                person = person_for_declaration(
                    actor=request.user, unit=values["unit"], address=values["lodging_address"], **form.person_values()
                )
                movement = arrival_declare(actor=request.user, person=person, **values)
        except ApplicationError as exc:
            form.add_service_error(exc, field_map={"person": "cccd", "place_unit": "place_unit_code"})
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        else:
            messages.success(
                request,
                _("Đã ghi nhận %(name)s đến %(unit)s.") % {"name": person.full_name, "unit": movement.unit.name},
            )
            return redirect("movements:present")
    return render(request, "movements/arrival_form.html", {"form": form})


def _departing_person(user: Any, ref: str) -> Person | None:
    """The person to declare gone: by uid, CCCD or phone among those the user may see or who arrived in scope."""
    ref = (ref or "").strip()
    arrived = Person.objects.filter(pk__in=visible_movements(user).values("person"))
    candidates = Person.objects.for_user(user).active() | arrived
    try:
        return candidates.filter(uid=uuid.UUID(ref)).first()
    except ValueError:
        pass
    if looks_like_phone(ref):
        found = list(candidates.filter(phone=normalise_phone(ref)).distinct()[:2])
        return found[0] if len(found) == 1 else None
    return candidates.filter(cccd=ref).first() if ref else None


@login_required
@require_http_methods(["GET", "POST"])
def departure_create_view(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    initial: dict[str, Any] = {"move_date": timezone.localdate(), "declared_by": DeclaredBy.OFFICIAL}
    ref = request.GET.get("person", "")
    if ref:
        initial["person"] = ref
        person = _departing_person(request.user, ref)
        if person is not None:
            arrival = open_arrival_in_scope(request.user, person)
            if arrival is not None:
                initial["unit"] = arrival.unit
    form = DepartureForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = _departing_person(request.user, form.cleaned_data["person"])
        if person is None:
            form.add_error("person", _("Không tìm thấy người này trong địa bàn của bạn."))
        else:
            try:
                movement = departure_declare(actor=request.user, person=person, **form.service_values())
            except ApplicationError as exc:
                form.add_service_error(exc, field_map={"place_unit": "place_unit_code"})
            except PermissionDenied as exc:
                form.add_error("unit", str(exc))
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận %(name)s đi khỏi %(unit)s.")
                    % {"name": person.full_name, "unit": movement.unit.name},
                )
                return redirect("movements:present")
    return render(request, "movements/departure_form.html", {"form": form})


def open_arrival_in_scope(user: Any, person: Person) -> Movement | None:
    """The person's open arrival into a unit the user may see (to preset the departure form)."""
    return (
        visible_movements(user)
        .filter(person=person, direction=Direction.ARRIVAL, left_on__isnull=True)
        .select_related("unit")
        .order_by("-move_date", "-id")
        .first()
    )


def _unit_filter(request: HttpRequest) -> Any:
    ref = request.GET.get("unit", "")
    if not ref:
        return None
    try:
        return scope_units(request.user).filter(uid=uuid.UUID(ref)).first()
    except ValueError:
        return None


@login_required
@require_GET
def present_view(request: HttpRequest) -> HttpResponse:
    unit = _unit_filter(request)
    page = present_now_page(user=request.user, unit=unit, after=request.GET.get("after") or None)
    today = timezone.localdate()
    params = {"unit": str(unit.uid)} if unit else {}
    context: dict[str, Any] = {
        "rows": [(m, m.is_overdue(today)) for m in page.items],
        "units": scope_units(request.user),
        "unit": unit,
        "can_record": may_record(request.user),
        **page_links(request, params, page.next_after),
    }
    return render(request, "movements/present.html", context)


@login_required
@require_GET
def present_export_view(request: HttpRequest) -> HttpResponse:
    export = present_now_export(user=request.user, unit=_unit_filter(request))
    return _download(export.content, export.filename)


@login_required
@require_GET
def door_to_door_view(request: HttpRequest) -> HttpResponse:
    form = DoorToDoorForm(request.GET or None, user=request.user)
    context: dict[str, Any] = {"form": form, "districts": None}
    if form.is_bound and form.is_valid():
        place = form.place()
        since = form.cleaned_data.get("since") or default_since(form.cleaned_data.get("area"))
        districts = door_to_door_rollup(user=request.user, place=place, since=since, unit=form.cleaned_data["unit"])
        context.update(
            {
                "districts": districts,
                "place": place,
                "since": since,
                "total": sum(d.arrivals for d in districts),
                "total_present": sum(d.present for d in districts),
                "params": request.GET.urlencode(),
            }
        )
        if request.GET.get("format") == "xlsx":
            export = door_to_door_export(user=request.user, place=place, since=since, unit=form.cleaned_data["unit"])
            return _download(export.content, export.filename)
    return render(request, "movements/door_to_door.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cross_check_view(request: HttpRequest) -> HttpResponse:
    form = CrossCheckForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "check": None}
    if request.method == "POST" and form.is_valid():
        try:
            check = cross_check(user=request.user, upload=form.cleaned_data["file"])
        except TabularFileError as exc:
            form.add_error("file", str(exc.message))
        else:
            context.update({"check": check, "token": remember_result(check, user=request.user)})
    return render(request, "movements/cross_check.html", context)


@login_required
@require_GET
def cross_check_result_view(request: HttpRequest, token: str) -> HttpResponse:
    content, filename = result_download(token, user=request.user)
    return _download(content, filename)


# The public arrival declaration (no login), mounted by the root URLs at /khai-bao-di-chuyen/
# (namespace "declare-movement"). Its abuse guards are the medical declaration's: ``declarations.guard``
# (per-address and per-phone counters, the local CAPTCHA) and the body-size check before CSRF.


def _public_rate_limited(request: HttpRequest) -> HttpResponse:
    message = _("Bạn đã gửi quá nhiều lần khai báo từ địa chỉ này. Vui lòng thử lại sau một giờ.")
    return render(request, "errors/error.html", {"title": _("Gửi quá nhiều lần"), "message": message}, status=429)


def _public_form(request: HttpRequest, form: PublicArrivalForm, status: int = 200) -> HttpResponse:
    challenge = guard.captcha_bind(request, form)
    if challenge is None:
        form.fields["captcha_answer"].widget = forms.HiddenInput()
    else:
        form.fields["captcha_answer"].label = _("Tính: %(question)s") % {"question": challenge.question}
    return render(request, "movements/public_form.html", {"form": form, "challenge": challenge}, status=status)


@require_GET
def public_hamlets_view(request: HttpRequest) -> JsonResponse:
    """The hamlets of one commune of the province (``?xa=<code>``) for the public form: public names only."""
    choices = hamlet_choices(province_units(), (request.GET.get("xa") or "")[:10])
    response = JsonResponse({"hamlets": [{"value": value, "name": str(name)} for value, name in choices[1:]]})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@size_checked_before_csrf
@require_http_methods(["GET", "POST"])
def public_arrival_view(request: HttpRequest) -> HttpResponse:
    """Anyone declares an arrival into the province: the person themself, or the lodging owner for a guest."""
    if request.method != "POST":
        return _public_form(request, PublicArrivalForm(initial={"move_date": timezone.localdate()}))
    if guard.ip_blocked(client_ip(request)):
        return _public_rate_limited(request)
    form = PublicArrivalForm(request.POST)
    valid = guard.captcha_passed(request, form) and form.is_valid()
    if valid and not guard.phone_limited(form):
        try:
            movement = arrival_self_declare(**form.service_values())
        except ApplicationError as exc:
            form.add_service_error(exc, field_map=PublicArrivalForm.FIELD_MAP)
        except PermissionDenied as exc:
            form.add_error("commune", str(exc))
        else:
            guard.phone_hit(movement.person.phone)
            # The name as typed: a CCCD already registered must not reveal its holder's stored name.
            context = {"reference": movement.uid.hex[:8].upper(), "name": form.cleaned_data["full_name"]}
            return render(request, "movements/public_done.html", context)
    return _public_form(request, form, status=400)

"""Health pass pages (M1): the citizen's own code, the officials' printable code of a person,
the gate screen, and the QR check-in coverage of organisations (M1, D5)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.checkins.api import visitor_from_cookie
from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.middleware import client_ip
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Unit
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.people.services import live_person

from . import exports, selectors, services
from .qr import qr_data_uri
from .tokens import code_display, code_issue, valid_hours

PAGE_SIZE = 50
PREMISES_SHOWN = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _pass_context(person: Person) -> dict[str, Any]:
    now = timezone.now()
    code = code_issue(person.uid, now=now)
    return {
        "person_name": person.full_name,
        "birth_year": person.birth_year,
        "qr": qr_data_uri(code),
        "code": code_display(code),
        "expires": now + timedelta(hours=valid_hours()),
        "hours": valid_hours(),
    }


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# --- The citizen's page (no login) ------------------------------------------------------------


def my_pass(request: HttpRequest) -> HttpResponse:
    """``/qr/``: the person remembered by this phone's check-in page, or found by CCCD + phone + birth."""
    context: dict[str, Any] = {"form": {}, "error": ""}
    status = 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "")[:40] for k in ("cccd", "phone", "birth")}
        context["form"] = form
        try:
            person = services.pass_lookup(
                cccd=form["cccd"], phone=form["phone"], birth=form["birth"], ip=client_ip(request)
            )
        except ApplicationError as exc:
            context["error"] = str(exc.message)
            status = 400
        else:
            context.update(_pass_context(person))
    elif not request.GET.get("lookup"):
        visitor = visitor_from_cookie(request)
        if visitor is not None:
            context.update(_pass_context(live_person(visitor.person)))
            context["from_device"] = True
    return _no_store(render(request, "healthpass/my_pass.html", context, status=status))


# --- An official prints a person's code ----------------------------------------------------------


@login_required
def person_pass(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    person = Person.objects.for_user(user).filter(uid=uid).first()
    if person is None:
        raise Http404
    person = live_person(person)
    audit(actor=user, action=AuditAction.READ, obj=person, summary="In mã QR cá nhân")
    context = _pass_context(person)
    context["person"] = person
    return _no_store(render(request, "healthpass/person_pass.html", context))


# --- The gate ----------------------------------------------------------------------------------


@login_required
def gate_select(request: HttpRequest) -> HttpResponse:
    """Choose the premises whose gate you keep (organisations in your scope; your own for a head)."""
    user = _user(request)
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.gate_premises(user)
    if q:
        from phongdich.core.text import fold

        qs = qs.filter(organisation__name_folded__contains=fold(q))
    rows = list(qs.order_by("organisation__name_folded", "name", "id")[: PREMISES_SHOWN + 1])
    return render(
        request,
        "healthpass/gate_select.html",
        {"rows": rows[:PREMISES_SHOWN], "more": len(rows) > PREMISES_SHOWN, "q": q},
    )


@login_required
def gate(request: HttpRequest, uid: UUID) -> HttpResponse:
    """The gate screen: scan (camera with BarcodeDetector) or type a personal code; colour and check-in."""
    user = _user(request)
    premises = selectors.gate_premises(user).filter(uid=uid).first()
    if premises is None:
        raise Http404
    context: dict[str, Any] = {"premises": premises, "result": None, "error": ""}
    status = 200
    if request.method == "POST":
        client_id = request.POST.get("client_id", "")
        try:
            uuid.UUID(client_id)
        except ValueError:
            client_id = str(uuid.uuid4())
        try:
            context["result"] = services.gate_scan(
                actor=user, premises=premises, code=request.POST.get("code", ""), client_id=client_id
            )
        except PermissionDenied as exc:
            context["error"] = str(exc) or _("Bạn không trực cổng tại địa điểm này.")
            status = 403
        except ApplicationError as exc:
            context["error"] = str(exc.message)
            status = 400
    context["client_id"] = str(uuid.uuid4())
    return _no_store(render(request, "healthpass/gate.html", context, status=status))


# --- Coverage ----------------------------------------------------------------------------------


def _unit_param(request: HttpRequest) -> Unit | None:
    raw = request.GET.get("unit", "")
    if not raw:
        return None
    try:
        return get_object_or_404(Unit, uid=UUID(raw))
    except ValueError:
        raise Http404 from None


def resolve_unit(user: Any, request: HttpRequest) -> Unit | None:
    """The unit asked for (which must be in scope, or above it), else the user's default unit."""
    unit = _unit_param(request)
    if unit is None:
        return selectors.default_unit(user)
    scope = scope_for(user)
    above_scope = any(tree == unit.tree and path.startswith(unit.path) for tree, path in scope.unit_paths)
    if not (scope.contains_unit(unit) or above_scope):
        raise Http404
    return unit


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """Overview with drill-down: province → district → commune → organisations."""
    user = _user(request)
    unit = resolve_unit(user, request)
    data = selectors.coverage_of(user, unit=unit)
    return render(
        request,
        "healthpass/coverage.html",
        {"cov": data, "unit": unit, "ancestors": selectors.unit_ancestors(unit), "period": selectors.period()},
    )


def _list_titles() -> dict[str, str]:
    return {
        "all": _("Tất cả cơ quan, đơn vị"),
        "no_qr": _("Cơ quan, đơn vị chưa có mã QR"),
        "no_today": _("Cơ quan, đơn vị chưa có lượt quét mã hôm nay"),
        "no_week": _("Cơ quan, đơn vị chưa có lượt quét mã tuần này"),
    }


def _which(request: HttpRequest) -> str:
    which = request.GET.get("which", "all")
    return which if which in selectors.LIST_FILTERS else "all"


@login_required
def coverage_organisations(request: HttpRequest) -> HttpResponse:
    """Organisations of a unit with their QR and check-ins; filters "without QR", "no check-ins this week"."""
    user = _user(request)
    unit = resolve_unit(user, request)
    which = _which(request)
    qs = selectors.coverage_list(user, unit=unit, which=which)
    qs = selectors.keyset_after(qs, request.GET.get("an"), request.GET.get("ai", ""))
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    base = QueryDict(mutable=True)
    if unit is not None:
        base["unit"] = str(unit.uid)
    base["which"] = which
    next_query = ""
    if more:
        params = base.copy()
        params["an"], params["ai"] = rows[-1].name_folded, str(rows[-1].id)
        next_query = params.urlencode()
    return render(
        request,
        "healthpass/coverage_organisations.html",
        {
            "rows": rows,
            "unit": unit,
            "which": which,
            "titles": _list_titles(),
            "title": _list_titles()[which],
            "next_query": next_query,
            "export_query": base.urlencode(),
            "unit_query": f"unit={unit.uid}&" if unit is not None else "",
            "ancestors": selectors.unit_ancestors(unit),
        },
    )


@login_required
def coverage_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unit = resolve_unit(user, request)
    which = _which(request)
    try:
        file = exports.coverage_export(user=user, unit=unit, which=which, title=_list_titles()[which])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{reverse('healthpass:coverage_organisations')}?{request.GET.urlencode()}")
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response

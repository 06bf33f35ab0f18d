"""Staff pages (thin): an organisation's staff list, add / edit / end a membership, export, import (D2–D3).

Every page opens the organisation (or the membership's organisation) through the user's scope:
outside it the page is 'not found'.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core import tabular as tb
from phongdich.core.errors import ApplicationError
from phongdich.core.forms import add_application_error
from phongdich.orgs.selectors import organisation_get

from .exports import CONTENT_TYPES
from .models import Person
from .selectors import person_search
from .staff_exports import staff_export
from .staff_forms import StaffCreateForm, StaffEditForm, StaffEndForm, StaffImportForm
from .staff_imports import staff_import, staff_template
from .staff_selectors import current_head, membership_get_for_write, staff_list, visible_person_ids
from .staff_services import membership_create, membership_end, membership_update

_FLAGS = ("sub", "ended")


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "") in ("1", "true", "on")


@login_required
@require_GET
def staff_list_view(request: HttpRequest, uid: UUID) -> HttpResponse:
    org = organisation_get(user=request.user, uid=uid)
    include_sub, include_ended = _flag(request, "sub"), _flag(request, "ended")
    page = staff_list(
        user=request.user,
        organisation=org,
        include_sub=include_sub,
        include_ended=include_ended,
        after=request.GET.get("after") or None,
    )
    params = {name: "1" for name in _FLAGS if _flag(request, name)}
    today = timezone.localdate()
    context: dict[str, Any] = {
        "org": org,
        "page": page,
        "head": current_head(organisation=org),
        "visible": visible_person_ids(user=request.user, memberships=page.items),
        "include_sub": include_sub,
        "include_ended": include_ended,
        "today": today,
        "params": urlencode(params),
        "next_url": f"?{urlencode({**params, 'after': page.next_after})}" if page.next_after else "",
        "first_url": f"?{urlencode(params)}" if request.GET.get("after") else "",
    }
    return render(request, "people/staff_list.html", context)


def _picked_person(request: HttpRequest) -> Person | None:
    """The person chosen (``person`` in the form or the address), if the user may see them."""
    ref = (request.POST.get("person") if request.method == "POST" else request.GET.get("person")) or ""
    try:
        key = UUID(ref)
    except ValueError:
        return None
    return Person.objects.for_user(request.user).active().select_related("residence_unit").filter(uid=key).first()


@login_required
@require_http_methods(["GET", "POST"])
def staff_create_view(request: HttpRequest, uid: UUID) -> HttpResponse:
    org = organisation_get(user=request.user, uid=uid)
    form = StaffCreateForm(request.POST or None, user=request.user, organisation=org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            membership = membership_create(actor=request.user, organisation=org, **data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, _("Đã thêm %(name)s vào danh sách cán bộ, nhân viên.") % {"name": membership.person.full_name}
            )
            return redirect("people:staff-list", uid=org.uid)
    q = request.GET.get("q", "").strip()[:120]
    found = person_search(user=request.user, q=q, limit=20).items if q else []
    context = {
        "org": org,
        "form": form,
        "q": q,
        "found": found,
        "picked": _picked_person(request),
        "head": current_head(organisation=org),
    }
    return render(request, "people/staff_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit_view(request: HttpRequest, uid: UUID) -> HttpResponse:
    membership = membership_get_for_write(user=request.user, uid=uid)
    org = membership.organisation
    initial = {
        "position": membership.position,
        "category": membership.category,
        "is_party_member": membership.is_party_member,
        "is_head": membership.is_head,
        "manager": membership.manager.uid if membership.manager else None,
    }
    form = StaffEditForm(request.POST or None, organisation=org, membership=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership_update(actor=request.user, membership=membership, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("people:staff-list", uid=org.uid)
    return render(
        request, "people/staff_form.html", {"org": org, "form": form, "membership": membership, "picked": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_end_view(request: HttpRequest, uid: UUID) -> HttpResponse:
    membership = membership_get_for_write(user=request.user, uid=uid)
    form = StaffEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(actor=request.user, membership=membership, end_date=form.cleaned_data["end_date"])  # type: ignore[arg-type]
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã kết thúc công tác của %(name)s.") % {"name": membership.person.full_name})
            return redirect("people:staff-list", uid=membership.organisation.uid)
    return render(request, "people/staff_end.html", {"membership": membership, "form": form})


@login_required
@require_GET
def staff_export_view(request: HttpRequest, uid: UUID, fmt: str) -> HttpResponse:
    org = organisation_get(user=request.user, uid=uid)
    try:
        export = staff_export(
            user=request.user,
            organisation=org,
            fmt=fmt,
            include_sub=_flag(request, "sub"),
            include_ended=_flag(request, "ended"),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{reverse('people:staff-list', args=[org.uid])}?{request.GET.urlencode()}")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def staff_import_view(request: HttpRequest, uid: UUID) -> HttpResponse:
    org = organisation_get(user=request.user, uid=uid)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    result = None
    rejected_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = staff_import(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                upload=form.cleaned_data["file"],
                partial=form.cleaned_data["partial"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            token = tb.remember_rejected_file(result, user=request.user)
            rejected_url = reverse("people:staff-import-rejected", args=[token]) if token else ""
    context = {"org": org, "form": form, "result": result, "rejected_url": rejected_url, "errors_shown": 500}
    return render(request, "people/staff_import.html", context)


@login_required
@require_GET
def staff_import_rejected_view(request: HttpRequest, token: str) -> HttpResponse:
    return tb.rejected_file_response(token, user=request.user)


@login_required
@require_GET
def staff_import_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    response = HttpResponse(staff_template(fmt=fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-can-bo.{fmt}"'
    return response

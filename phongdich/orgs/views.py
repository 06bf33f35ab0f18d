"""Organisation pages: list, detail with compliance, create/edit, premises, roles, follow assignments."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.core.forms import add_application_error
from phongdich.core.models import User

from . import permissions, selectors, services
from .forms import (
    FollowAssignForm,
    OrganisationFilterForm,
    OrganisationForm,
    PremisesForm,
    RoleAssignForm,
    RoleFilterForm,
)
from .models import FollowAssignment, RoleAssignment

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = OrganisationFilterForm(request.GET or None, user=user)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    qs = selectors.organisation_list(user=user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/organisation_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_create": permissions.can_create_organisations(user),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    org = selectors.organisation_get(user=user, uid=uid)
    compliance = selectors.organisation_compliance(org)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": org,
            "parent_link": selectors.visible_parent(user=user, org=org),
            "children": selectors.organisation_children(user=user, org=org)[:200],
            "premises": org.premises.select_related("unit").order_by("-is_active", "name"),
            "compliance": compliance,
            "can_edit": permissions.can_edit_organisation(user, org),
            "can_manage_premises": permissions.can_manage_premises(user, org),
            "is_head": permissions.is_head_of(user, org),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.can_create_organisations(user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.organisation_create(actor=user, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ quan, đơn vị “%(name)s”.") % {"name": org.name})
            return redirect("orgs:detail", uid=org.uid)
    return render(request, "orgs/organisation_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    org = selectors.organisation_get(user=user, uid=uid)
    if not permissions.can_edit_organisation(user, org):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, user=user, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=org, actor=user, **form.changes())
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cơ quan, đơn vị."))
            return redirect("orgs:detail", uid=org.uid)
    return render(request, "orgs/organisation_form.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def premises_create(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    org = selectors.organisation_get(user=user, uid=uid)
    if not permissions.can_manage_premises(user, org):
        raise PermissionDenied
    form = PremisesForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.premises_create(organisation=org, actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã khai báo địa điểm."))
            return redirect("orgs:detail", uid=org.uid)
    return render(request, "orgs/premises_form.html", {"form": form, "org": org, "premises": None})


@login_required
@require_http_methods(["GET", "POST"])
def premises_edit(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    premises = selectors.premises_get(user=user, uid=uid)
    org = premises.organisation
    if not permissions.can_manage_premises(user, org):
        raise PermissionDenied
    form = PremisesForm(request.POST or None, organisation=org, instance=premises)
    if request.method == "POST" and form.is_valid():
        try:
            services.premises_update(premises=premises, actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã lưu địa điểm."))
            return redirect("orgs:detail", uid=org.uid)
    return render(request, "orgs/premises_form.html", {"form": form, "org": org, "premises": premises})


# --- Roles (province administrators) ----------------------------------------------------------


def _require_role_admin(user: User) -> None:
    if not permissions.can_manage_roles(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def role_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_role_admin(user)
    form = RoleAssignForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ra = services.role_assign(
                user=data["username"],
                role=data["role"],
                unit=data["unit_code"],
                organisation=data["organisation"],
                actor=user,
            )
        except ApplicationError as exc:
            add_application_error(form, exc, field_map={"unit": "unit_code", "user": "username"})
        else:
            messages.success(request, _("Đã phân quyền: %(ra)s.") % {"ra": ra})
            return redirect("orgs:roles")
    filters = RoleFilterForm(request.GET or None)
    criteria: dict[str, Any] = {}
    if filters.is_bound and filters.is_valid():
        criteria = {k: v for k, v in filters.cleaned_data.items() if v}
    page = Paginator(selectors.role_assignment_list(**criteria), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/role_list.html",
        {"form": form, "filters": filters, "page": page, "query": _query_without_page(request)},
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    _require_role_admin(user)
    ra = get_object_or_404(RoleAssignment.objects.select_related("user"), uid=uid)
    try:
        services.role_revoke(assignment=ra, actor=user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã thu hồi quyền: %(ra)s.") % {"ra": ra})
    return redirect("orgs:roles")


# --- Follow assignments (D5) -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def follow_list(request: HttpRequest) -> HttpResponse:
    """Province administrators assign committee members localities or sectors to follow."""
    user = _user(request)
    _require_role_admin(user)
    form = FollowAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_assign(
                user=data["user"], unit=data["unit_code"], sector=data["sector"], note=data["note"], actor=user
            )
        except ApplicationError as exc:
            add_application_error(form, exc, field_map={"unit": "unit_code"})
        else:
            messages.success(request, _("Đã phân công theo dõi."))
            return redirect("orgs:follows")
    page = Paginator(selectors.follow_assignment_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/follow_list.html", {"form": form, "page": page})


@login_required
@require_POST
def follow_revoke(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    _require_role_admin(user)
    fa = get_object_or_404(FollowAssignment, uid=uid)
    services.follow_revoke(assignment=fa, actor=user)
    messages.success(request, _("Đã bỏ phân công theo dõi."))
    return redirect("orgs:follows")


@login_required
def followed(request: HttpRequest) -> HttpResponse:
    """What the current user follows as a committee member: localities and sectors, with links."""
    user = _user(request)
    return render(request, "orgs/followed.html", {"items": selectors.followed_by(user)})

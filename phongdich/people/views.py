"""Person pages (thin): list and search, detail (an audited read), create/edit, merge, exports."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core.errors import ApplicationError, ValidationFailed
from phongdich.core.pagination import page_links
from phongdich.geo.models import Unit
from phongdich.orgs.scope import scope_for

from .exports import CONTENT_TYPES, people_export
from .forms import ImportForm, PersonForm, communes_for
from .imports import people_import, people_template
from .models import Person
from .panels import panels_for
from .selectors import (
    person_get,
    person_get_for_write,
    person_search,
    possible_merge_partners,
)
from .services import CreateOutcome, person_create, person_merge, person_update
from .staff_selectors import person_approvers


def _unit_filter(request: HttpRequest) -> Unit | None:
    """The commune chosen in the list filter, if it is one the user may see."""
    ref = request.GET.get("unit", "").strip()
    if not ref:
        return None
    unit = communes_for(request.user).filter(uid=ref).first() if _is_uuid(ref) else None
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


def _list_page(request: HttpRequest, *, foreigners: bool) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:120]
    unit = _unit_filter(request)
    page = person_search(
        user=request.user, q=q, unit=unit, after=request.GET.get("after") or None, foreigners=foreigners
    )
    params = {k: v for k, v in {"q": q, "unit": request.GET.get("unit", "")}.items() if v}
    context: dict[str, Any] = {
        "page": page,
        "q": q,
        "unit": unit,
        "communes": communes_for(request.user),
        "foreigners": foreigners,
        **page_links(request, params, page.next_after),
    }
    if getattr(request, "htmx", False):
        return render(request, "people/_rows.html", context)
    return render(request, "people/person_list.html", context)


@login_required
@require_GET
def person_list_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, foreigners=False)


@login_required
@require_GET
def foreigner_list_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, foreigners=True)


def _export(request: HttpRequest, fmt: str, *, foreigners: bool) -> HttpResponse:
    try:
        export = people_export(
            user=request.user,
            fmt=fmt,
            q=request.GET.get("q", "").strip()[:120],
            unit=_unit_filter(request),
            foreigners=foreigners,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        back = reverse("people:foreigners" if foreigners else "people:list")
        return redirect(f"{back}?{request.GET.urlencode()}")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def person_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, fmt, foreigners=False)


@login_required
@require_GET
def foreigner_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, fmt, foreigners=True)


@login_required
@require_GET
def person_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    person = person_get(user=request.user, uid=uid)
    if person.merged_into_id is not None:
        assert person.merged_into is not None
        messages.info(request, _("Hồ sơ này đã được gộp vào hồ sơ khác; đang mở hồ sơ được giữ lại."))
        return redirect("people:detail", uid=person.merged_into.uid)
    staff_posts = person_approvers(person=person)
    context = {
        "person": person,
        "unit_full_name": person.residence_unit.full_name(),
        "memberships": [post.membership for post in staff_posts],
        "staff_posts": staff_posts,
        "panels": panels_for(person, request.user),
    }
    return render(request, "people/person_detail.html", context)


def _require_scope(request: HttpRequest) -> None:
    if scope_for(request.user).is_empty:
        raise PermissionDenied


def _apply_errors(form: PersonForm, exc: ValidationFailed) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        fields = form.person_fields()
        if action.startswith("same:"):
            return _fill_existing(request, action.removeprefix("same:"), fields)
        try:
            result = person_create(actor=request.user, force=action == "force", **fields)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            if result.outcome is CreateOutcome.POSSIBLE_DUPLICATE:
                return render(
                    request,
                    "people/person_duplicate.html",
                    {"form": form, "candidates": result.candidates},
                    status=200,
                )
            assert result.person is not None
            if result.outcome is CreateOutcome.EXISTING:
                messages.warning(request, _("Số CCCD này đã được đăng ký: đây là hồ sơ có sẵn, không tạo hồ sơ mới."))
            else:
                messages.success(request, _("Đã thêm %(name)s.") % {"name": result.person.full_name})
            return redirect("people:detail", uid=result.person.uid)
    return render(request, "people/person_form.html", {"form": form, "person": None})


def _fill_existing(request: HttpRequest, uid: str, fields: dict[str, Any]) -> HttpResponse:
    """'The same person': complete the existing record with what was typed where it is blank."""
    existing = person_get_for_write(user=request.user, uid=uid)
    blanks = {
        name: value
        for name, value in fields.items()
        if value not in (None, "", False) and getattr(existing, name) in (None, "")
    }
    try:
        person_update(person=existing, actor=request.user, **blanks)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã bổ sung thông tin vào hồ sơ có sẵn."))
    return redirect("people:detail", uid=existing.uid)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    person = person_get_for_write(user=request.user, uid=uid)
    initial = {
        **{name: getattr(person, name) for name in PersonForm.base_fields if hasattr(person, name)},
        "cccd": person.cccd or "",
        "residence_unit": person.residence_unit.uid,
        "organisation": person.organisation.uid if person.organisation else None,
    }
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, actor=request.user, **form.person_fields())  # type: ignore[arg-type]
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("people:detail", uid=person.uid)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def person_merge_view(request: HttpRequest, uid: str) -> HttpResponse:
    person = person_get_for_write(user=request.user, uid=uid)
    if request.method == "POST":
        partner = person_get_for_write(user=request.user, uid=request.POST.get("other", ""))
        keep_uid = request.POST.get("keep", "")
        if keep_uid not in (str(person.uid), str(partner.uid)):
            raise Http404
        keep, drop = (person, partner) if keep_uid == str(person.uid) else (partner, person)
        try:
            person_merge(keep=keep, drop=drop, actor=request.user)  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return redirect(f"{reverse('people:merge', args=[person.uid])}?other={request.POST.get('other', '')}")
        messages.success(request, _("Đã gộp hai hồ sơ; hồ sơ bị gộp được giữ lại làm dấu vết."))
        return redirect("people:detail", uid=keep.uid)
    other_uid = request.GET.get("other", "")
    other: Person | None = person_get_for_write(user=request.user, uid=other_uid) if other_uid else None
    if other is not None and other.pk == person.pk:
        other = None
    q = request.GET.get("q", "").strip()[:120]
    found = [p for p in person_search(user=request.user, q=q, limit=20).items if p.pk != person.pk] if q else []
    context = {
        "person": person,
        "other": other,
        "q": q,
        "found": found,
        "suggestions": possible_merge_partners(user=request.user, person=person),
    }
    return render(request, "people/person_merge.html", context)


_REJECTED_CACHE = "people-import-rejected:{user}:{token}"


@login_required
@require_http_methods(["GET", "POST"])
def person_import_view(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    outcome = None
    rejected_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            outcome = people_import(
                actor=request.user,  # type: ignore[arg-type]
                upload=form.cleaned_data["file"],
                partial=form.cleaned_data["partial"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationFailed as exc:
            _apply_import_error(form, exc)
        else:
            result = outcome.result
            if result.rejected_file:
                rejected_token = secrets.token_urlsafe(16)
                cache.set(
                    _REJECTED_CACHE.format(user=request.user.pk, token=rejected_token),
                    (result.rejected_filename, result.rejected_content_type, result.rejected_file),
                    timeout=3600,
                )
    context = {"form": form, "outcome": outcome, "rejected_token": rejected_token, "max_errors": 500}
    return render(request, "people/person_import.html", context, status=200)


def _apply_import_error(form: ImportForm, exc: ValidationFailed) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


@login_required
@require_GET
def person_import_rejected_view(request: HttpRequest, token: str) -> HttpResponse:
    stored = cache.get(_REJECTED_CACHE.format(user=request.user.pk, token=token))
    if stored is None:
        raise Http404
    filename, content_type, content = stored
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def person_import_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    response = HttpResponse(people_template(fmt=fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-nhan-khau.{fmt}"'
    return response

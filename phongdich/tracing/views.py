"""Tracing pages (thin): overview, contacts (list, export, record), F1 not yet in quarantine, chains and the graph."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.cases.selectors import case_get_for_write
from phongdich.core.errors import ApplicationError
from phongdich.core.pagination import filter_params, page_links
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.people.selectors import person_get_for_write, person_search

from .exports import chains_export, contacts_export
from .forms import ChainFilterForm, ContactFilterForm, ContactForm, F1QuarantineForm
from .models import F1WindowRule
from .selectors import (
    ChainFilters,
    chain_get,
    chain_list,
    cluster_names,
    contact_list,
    f1_unquarantined_list,
)
from .services import contact_record, f1_quarantine

_CONTACT_KEYS = ("level", "exposure_type", "index_case", "unit", "unquarantined", "person")
_CHAIN_KEYS = ("cluster", "unit", "min_size", "date_from", "date_to", "with_case")


def _need_scope(request: HttpRequest) -> None:
    if scope_for(request.user).is_empty:
        raise PermissionDenied


@login_required
@require_GET
def tracing_home_view(request: HttpRequest) -> HttpResponse:
    """The tracing home: the largest chains (with their clusters), F1s still to quarantine, the ways in."""
    _need_scope(request)
    chains = chain_list(user=request.user, filters=ChainFilters(with_case=True), limit=10).items
    names = cluster_names(sorted({c for chain in chains for c in chain.cluster_ids or []}))
    f1 = f1_unquarantined_list(user=request.user, limit=10)
    today = timezone.localdate()
    rule = (
        F1WindowRule.objects.filter(effective_from__lte=today)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        .order_by("-effective_from")
        .first()
    )
    context: dict[str, Any] = {
        "chains": [(c, [names.get(i, "") for i in c.cluster_ids or []]) for c in chains],
        "f1": f1,
        "rule": rule,
    }
    return render(request, "tracing/home.html", context)


@login_required
@require_GET
def contact_list_view(request: HttpRequest) -> HttpResponse:
    _need_scope(request)
    form = ContactFilterForm(request.GET, user=request.user)
    page = contact_list(user=request.user, filters=form.filters(), after=request.GET.get("after") or None)
    context = {
        "form": form,
        "page": page,
        **page_links(request, filter_params(request, _CONTACT_KEYS), page.next_after),
    }
    return render(request, "tracing/contact_list.html", context)


@login_required
@require_GET
def contact_export_view(request: HttpRequest) -> HttpResponse:
    _need_scope(request)
    form = ContactFilterForm(request.GET, user=request.user)
    try:
        export = contacts_export(user=request.user, filters=form.filters())
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{reverse('tracing:contacts')}?{request.GET.urlencode()}")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _record(request: HttpRequest, source: Person, context: dict[str, Any], back: str) -> HttpResponse:
    """Pick the contact person (search), then the exposure form; shared by the case and person entries."""
    contact_ref = request.GET.get("contact") or request.POST.get("contact") or ""
    context.update(source=source, back=back)
    if not contact_ref:
        q = request.GET.get("q", "").strip()[:120]
        people = [p for p in person_search(user=request.user, q=q, limit=20).items if p.pk != source.pk] if q else []
        context.update(q=q, people=people)
        return render(request, "tracing/contact_search.html", context)
    try:
        contact = person_get_for_write(user=request.user, uid=contact_ref)
    except Http404:
        messages.error(request, _("Không tìm thấy người này trong địa bàn."))
        return redirect(request.path)
    form = ContactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            contact_record(actor=request.user, source=source, contact=contact, **form.service_fields())
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request,
                _("Đã ghi nhận %(contact)s tiếp xúc với %(source)s.")
                % {"contact": contact.full_name, "source": source.full_name},
            )
            return redirect(back)
    context.update(form=form, contact=contact)
    return render(request, "tracing/contact_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create_view(request: HttpRequest, case_uid: str) -> HttpResponse:
    """Record a contact of a case (F1 link), from the case's page."""
    case = case_get_for_write(user=request.user, uid=case_uid)
    back = f"{reverse('tracing:contacts')}?{urlencode({'person': str(case.person.uid)})}"
    return _record(request, case.person, {"case": case}, back)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create_for_person_view(request: HttpRequest, person_uid: str) -> HttpResponse:
    """Record a contact of a person already in a chain (e.g. an F1's contacts, the F2)."""
    source = person_get_for_write(user=request.user, uid=person_uid)
    back = f"{reverse('tracing:contacts')}?{urlencode({'person': str(source.uid)})}"
    return _record(request, source, {}, back)


@login_required
@require_http_methods(["GET", "POST"])
def f1_unquarantined_view(request: HttpRequest) -> HttpResponse:
    """F1s recorded but not yet in quarantine; tick some and put them into quarantine at once."""
    _need_scope(request)
    form = F1QuarantineForm(request.POST or None, user=request.user)
    if request.method == "POST":
        uids = request.POST.getlist("person")[:200]
        people = list(Person.objects.for_user(request.user).filter(uid__in=_uuids(uids)))
        if not people:
            messages.error(request, _("Vui lòng chọn ít nhất một người."))
        elif form.is_valid():
            d = form.cleaned_data
            result = f1_quarantine(
                actor=request.user,
                people=people,
                kind=d["kind"],
                facility=d["facility"],
                start_date=d["start_date"],
                vaccination=d["vaccination"],
            )
            if result.started:
                messages.success(request, _("Đã đưa %(n)s người vào cách ly.") % {"n": len(result.started)})
            for person, message in result.refused:
                messages.error(request, f"{person.full_name}: {message}")
            return redirect("tracing:f1")
        else:
            messages.error(request, _("Vui lòng chọn hình thức và ngày bắt đầu hợp lệ."))
    page = f1_unquarantined_list(user=request.user, after=request.GET.get("after") or None)
    context = {"form": form, "page": page, **page_links(request, {}, page.next_after)}
    return render(request, "tracing/f1_list.html", context)


def _uuids(values: list[str]) -> list[str]:
    import uuid

    result = []
    for v in values:
        try:
            result.append(str(uuid.UUID(v)))
        except ValueError:
            continue
    return result


@login_required
@require_GET
def chain_list_view(request: HttpRequest) -> HttpResponse:
    _need_scope(request)
    form = ChainFilterForm(request.GET, user=request.user)
    page = chain_list(user=request.user, filters=form.filters(), after=request.GET.get("after") or None)
    names = cluster_names(sorted({c for chain in page.items for c in chain.cluster_ids or []}))
    rows = [(c, [names.get(i, "") for i in c.cluster_ids or []]) for c in page.items]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        **page_links(request, filter_params(request, _CHAIN_KEYS), page.next_after),
    }
    return render(request, "tracing/chain_list.html", context)


@login_required
@require_GET
def chain_export_view(request: HttpRequest) -> HttpResponse:
    _need_scope(request)
    form = ChainFilterForm(request.GET, user=request.user)
    try:
        export = chains_export(user=request.user, filters=form.filters())
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{reverse('tracing:chains')}?{request.GET.urlencode()}")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def chain_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    chain = chain_get(user=request.user, uid=uid)
    names = cluster_names(chain.cluster_ids or [])
    clusters = [names.get(c, f"#{i + 1}") for i, c in enumerate(chain.cluster_ids or [])]
    per_generation = list(enumerate((chain.json or {}).get("per_generation", [])))
    levels = sorted((chain.json or {}).get("levels", {}).items())
    labels = {
        "shown": _("Đang hiện %(n)s người (thế hệ %(from)s–%(to)s)."),
        "more": _("Còn người ở trang sau."),
        "none": _("Không có người nào khớp."),
        "error": _("Không tải được sơ đồ. Vui lòng thử lại."),
        "loading": _("Đang tải…"),
        "outside": _("Ngoài thời gian lây nhiễm"),
        "children": _("%(n)s người tiếp xúc"),
        "hidden": _("không có quyền xem tên"),
    }
    context = {
        "chain": chain,
        "clusters": clusters,
        "per_generation": per_generation,
        "levels": levels,
        "labels": labels,
    }
    return render(request, "tracing/chain_detail.html", context)

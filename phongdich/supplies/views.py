"""Supplies pages (thin): the overview (low-stock warnings, holders), a holder's stock with the movement and
threshold forms, its ledger, the catalogue, and the Excel exports (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.core.pagination import page_links
from phongdich.orgs.scope import scope_for

from .exports import history_export, low_stock_export, stock_export
from .forms import MovementForm, ThresholdForm
from .models import ItemCategory, MovementKind
from .selectors import (
    HolderRef,
    holder_organisations,
    holder_ref,
    holder_units,
    item_list,
    low_stock,
    movement_page,
    stock_rows,
    visible_holders,
)
from .services import can_manage_supplies, holder_for, movement_record, threshold_set


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _ensure_holder(ref: HolderRef) -> Any:
    return ref.holder or holder_for(unit=ref.unit, organisation=ref.organisation)


def _can_write(request: HttpRequest, ref: HolderRef) -> bool:
    if not can_manage_supplies(request.user):
        return False
    if ref.unit is not None:
        return scope_for(request.user).contains_unit(ref.unit)
    return ref.organisation is not None and scope_for(request.user).contains_organisation(ref.organisation)


def _movement_form(request: HttpRequest, ref: HolderRef, data: Any = None) -> MovementForm:
    tree = ref.unit.tree if ref.unit is not None else (ref.organisation.unit.tree if ref.organisation else "")
    return MovementForm(data, tree=tree, organisations=holder_organisations(request.user))


@login_required
@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    holders = visible_holders(request.user).select_related("unit", "organisation").order_by("id")
    context: dict[str, Any] = {
        "low": low_stock(user=request.user, limit=200),
        "units": list(holder_units(request.user)[:400]),
        "organisations": list(holder_organisations(request.user)[:400]),
        "holders": list(holders[:200]),
    }
    return render(request, "supplies/overview.html", context)


@login_required
@require_GET
def holder_open_view(request: HttpRequest) -> HttpResponse:
    """The overview's chooser: go to the stock page of the chosen unit or organisation."""
    target = request.GET.get("target", "")
    kind, _sep, uid = target.partition(":")
    if kind not in ("u", "o") or not uid:
        messages.error(request, _("Chọn một địa bàn hoặc cơ quan."))
        return redirect("supplies:overview")
    return redirect("supplies:holder", kind=kind, uid=uid)


@login_required
@require_GET
def holder_view(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    ref = holder_ref(user=request.user, kind=kind, uid=uid)
    can_write = _can_write(request, ref)
    context: dict[str, Any] = {
        "ref": ref,
        "rows": stock_rows(ref.holder, all_items=True),
        "can_write": can_write,
        "movement_form": _movement_form(request, ref) if can_write else None,
        "threshold_form": ThresholdForm() if can_write else None,
        "recent": movement_page(holder=ref.holder, limit=10).items,
    }
    return render(request, "supplies/holder.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def movement_create_view(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    ref = holder_ref(user=request.user, kind=kind, uid=uid)
    if not _can_write(request, ref):
        raise PermissionDenied
    form = _movement_form(request, ref, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        receiver = None
        if data["kind"] == MovementKind.ISSUED and (data.get("receiver_unit") or data.get("receiver_organisation")):
            receiver = holder_for(unit=data.get("receiver_unit"), organisation=data.get("receiver_organisation"))
        try:
            movement_record(
                actor=request.user,
                holder=_ensure_holder(ref),
                item=data["item"],
                kind=data["kind"],
                quantity=data["quantity"],
                occurred_on=data["occurred_on"],
                receiver=receiver,
                reason=data.get("reason", ""),
            )
        except ApplicationError as exc:
            field = {"receiver": "receiver_unit"}.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã ghi sổ kho."))
            return redirect("supplies:holder", kind=ref.kind, uid=ref.uid)
    return render(request, "supplies/movement_form.html", {"ref": ref, "form": form})


@login_required
@require_POST
def threshold_view(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    ref = holder_ref(user=request.user, kind=kind, uid=uid)
    if not _can_write(request, ref):
        raise PermissionDenied
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("supplies:holder", kind=ref.kind, uid=ref.uid)
    try:
        threshold_set(
            actor=request.user,
            holder=_ensure_holder(ref),
            item=form.cleaned_data["item"],
            minimum=form.cleaned_data["minimum"],
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã lưu mức tồn tối thiểu."))
    return redirect("supplies:holder", kind=ref.kind, uid=ref.uid)


@login_required
@require_GET
def history_view(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    ref = holder_ref(user=request.user, kind=kind, uid=uid)
    page = movement_page(holder=ref.holder, after=request.GET.get("after") or None)
    context = {"ref": ref, "movements": page.items, **page_links(request, {}, page.next_after)}
    return render(request, "supplies/history.html", context)


@login_required
@require_GET
def stock_export_view(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    return _download(stock_export(user=request.user, ref=holder_ref(user=request.user, kind=kind, uid=uid)))


@login_required
@require_GET
def history_export_view(request: HttpRequest, kind: str, uid: str) -> HttpResponse:
    ref = holder_ref(user=request.user, kind=kind, uid=uid)
    try:
        export = history_export(user=request.user, ref=ref)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("supplies:history", kind=ref.kind, uid=ref.uid)
    return _download(export)


@login_required
@require_GET
def low_stock_export_view(request: HttpRequest) -> HttpResponse:
    return _download(low_stock_export(user=request.user))


@login_required
@require_GET
def catalogue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "supplies/catalogue.html", {"items": item_list(), "categories": ItemCategory.choices})

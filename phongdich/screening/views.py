"""Screening pages (thin): campaigns (list, create, edit, detail), the draw of a round with its confirmation,
the round (per-organisation coverage and positivity, the people drawn — audited) and its Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.models import AuditAction
from phongdich.core.pagination import page_links

from .exports import round_export
from .forms import CampaignForm, DrawConfirmForm
from .selectors import (
    campaign_get,
    campaign_page,
    campaign_rounds,
    can_manage_campaign,
    round_get,
    round_preview,
    round_report,
)
from .services import campaign_create, campaign_update, can_manage_screening, round_draw


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    active = request.GET.get("active", "")
    active = active if active in ("1", "0") else ""
    page = campaign_page(user=request.user, active=active, after=request.GET.get("after") or None)
    context: dict[str, Any] = {
        "campaigns": page.items,
        "active": active,
        "can_manage": can_manage_screening(request.user),
        **page_links(request, {"active": active} if active else {}, page.next_after),
    }
    return render(request, "screening/campaign_list.html", context)


def _campaign_fields(form: CampaignForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["organisations"] = list(data["organisations"])
    return data


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_screening(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(actor=request.user, **_campaign_fields(form))
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã tạo đợt sàng lọc “%(name)s”.") % {"name": campaign.name})
            return redirect("screening:campaign", uid=campaign.uid)
    return render(request, "screening/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    campaign = campaign_get(user=request.user, uid=uid)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_update(actor=request.user, campaign=campaign, **_campaign_fields(form))
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã cập nhật đợt sàng lọc “%(name)s”.") % {"name": campaign.name})
            return redirect("screening:campaign", uid=campaign.uid)
    return render(request, "screening/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_GET
def campaign_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    campaign = campaign_get(user=request.user, uid=uid)
    context = {
        "campaign": campaign,
        "organisations": list(campaign.organisations.order_by("name")),
        "rounds": campaign_rounds(campaign),
        "can_manage": can_manage_campaign(request.user, campaign),
    }
    return render(request, "screening/campaign_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_draw_view(request: HttpRequest, uid: str) -> HttpResponse:
    campaign = campaign_get(user=request.user, uid=uid)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    form = DrawConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = round_draw(actor=request.user, campaign=campaign)
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Đã chọn %(drawn)s trên %(eligible)s người cho kỳ %(number)s.")
                % {"drawn": rnd.drawn_count, "eligible": rnd.eligible_count, "number": rnd.number},
            )
            return redirect("screening:round", uid=rnd.uid)
    preview = round_preview(campaign, on=timezone.localdate())
    return render(request, "screening/round_draw.html", {"campaign": campaign, "preview": preview, "form": form})


@login_required
@require_GET
def round_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    rnd = round_get(user=request.user, uid=uid)
    report = round_report(user=request.user, rnd=rnd)
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=rnd,
        summary=_("Xem danh sách kỳ %(number)s của đợt sàng lọc “%(name)s”")
        % {"number": rnd.number, "name": rnd.campaign.name},
        detail={"people": len(report.selections)},
    )
    return render(request, "screening/round_detail.html", {"round": rnd, "campaign": rnd.campaign, "report": report})


@login_required
@require_GET
def round_export_view(request: HttpRequest, uid: str) -> HttpResponse:
    rnd = round_get(user=request.user, uid=uid)
    try:
        export = round_export(user=request.user, rnd=rnd)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("screening:round", uid=rnd.uid)
    return _download(export)

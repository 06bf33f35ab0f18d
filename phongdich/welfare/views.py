"""Welfare pages (thin): elections, polling areas and the mobile-ballot lists (E1); the check of a list of
candidates or staff before an event (E3); donations with printable receipts, support and the funds' books
(E4); the prevention budget per unit (E5). Every list is exportable to Excel, audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.exports import ExportFile
from phongdich.core.forms import add_application_error
from phongdich.core.models import AuditAction
from phongdich.core.pagination import page_links
from phongdich.core.tabular import TabularFileError

from . import checks, exports
from .forms import (
    AllocationForm,
    DonationForm,
    ElectionForm,
    EventCheckForm,
    PollingAreaForm,
    SpendingForm,
    SupportForm,
)
from .models import GiftKind
from .selectors import (
    budget_get,
    budget_rows,
    donation_get,
    donation_page,
    election_get,
    election_list,
    fund_balances,
    mobile_ballot_lists,
    polling_area_get,
    polling_areas,
    receivers,
    support_page,
)
from .services import (
    budget_allocate,
    budget_spend,
    can_manage_budgets,
    can_manage_elections,
    can_manage_funds,
    donation_record,
    election_create,
    polling_area_create,
    polling_area_delete,
    support_give,
)


def _download(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- Elections (E1) ----------------------------------------------------------------------------


@login_required
@require_GET
def election_list_view(request: HttpRequest) -> HttpResponse:
    elections = list(election_list(user=request.user)[:200])
    return render(
        request,
        "welfare/election_list.html",
        {"elections": elections, "can_manage": can_manage_elections(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def election_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_elections(request.user):
        raise PermissionDenied
    form = ElectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            election = election_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã tạo cuộc bầu cử."))
            return redirect("welfare:election", election.uid)
    return render(request, "welfare/form.html", {"form": form, "title": _("Tạo cuộc bầu cử")})


@login_required
@require_GET
def election_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    election = election_get(user=request.user, uid=uid)
    return render(
        request,
        "welfare/election_detail.html",
        {
            "election": election,
            "areas": polling_areas(user=request.user, election=election),
            "can_manage": can_manage_elections(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def polling_area_create_view(request: HttpRequest, uid: str) -> HttpResponse:
    election = election_get(user=request.user, uid=uid)
    if not can_manage_elections(request.user):
        raise PermissionDenied
    form = PollingAreaForm(request.POST or None, user=request.user, election=election)
    if request.method == "POST" and form.is_valid():
        hamlets = form.cleaned_data["hamlets"]
        try:
            polling_area_create(
                actor=request.user,
                election=election,
                commune=hamlets[0].parent,
                number=form.cleaned_data["number"],
                name=form.cleaned_data["name"],
                location=form.cleaned_data["location"],
                hamlets=hamlets,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        except PermissionDenied:
            form.add_error("hamlets", _("Bạn không có quyền lập khu vực bỏ phiếu ở xã, phường này."))
        else:
            messages.success(request, _("Đã thêm khu vực bỏ phiếu."))
            return redirect("welfare:election", election.uid)
    return render(
        request,
        "welfare/form.html",
        {"form": form, "title": _("Thêm khu vực bỏ phiếu"), "subtitle": str(election), "back": election},
    )


@login_required
@require_POST
def polling_area_delete_view(request: HttpRequest, uid: str, area_uid: str) -> HttpResponse:
    election = election_get(user=request.user, uid=uid)
    area = polling_area_get(user=request.user, election=election, uid=area_uid)
    polling_area_delete(actor=request.user, area=area)
    messages.success(request, _("Đã xóa khu vực bỏ phiếu."))
    return redirect("welfare:election", election.uid)


@login_required
@require_GET
def voters_view(request: HttpRequest, uid: str) -> HttpResponse:
    election = election_get(user=request.user, uid=uid)
    lists = mobile_ballot_lists(user=request.user, election=election)
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=election,
        summary=_("Xem danh sách cử tri bỏ phiếu bằng hòm phiếu phụ “%(name)s”") % {"name": election.name},
        detail={"voters": sum(len(b.voters) for b in lists)},
    )
    return render(
        request,
        "welfare/voters.html",
        {"election": election, "lists": lists, "total": sum(len(b.voters) for b in lists)},
    )


@login_required
@require_GET
def voters_export_view(request: HttpRequest, uid: str) -> HttpResponse:
    election = election_get(user=request.user, uid=uid)
    return _download(exports.voters_export(user=request.user, election=election))


# --- Event checks (E3) -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_check_view(request: HttpRequest) -> HttpResponse:
    form = EventCheckForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "check": None}
    if request.method == "POST" and form.is_valid():
        try:
            check = checks.event_check(
                user=request.user,
                upload=form.cleaned_data["file"],
                event=form.cleaned_data["event"],
                on=form.cleaned_data["on"],
            )
        except TabularFileError as exc:
            form.add_error("file", str(exc.message))
        else:
            context.update({"check": check, "token": checks.remember_result(check, user=request.user)})
    return render(request, "welfare/event_check.html", context)


@login_required
@require_GET
def event_check_result_view(request: HttpRequest, token: str) -> HttpResponse:
    return _download(checks.result_download(token, user=request.user))


# --- Donations and support (E4) ----------------------------------------------------------------


def _receiver(request: HttpRequest) -> Any:
    uid = request.GET.get("receiver", "")
    if not uid:
        return None
    return receivers(user=request.user).filter(uid=uid).first() if len(uid) == 36 else None


@login_required
@require_GET
def donation_list_view(request: HttpRequest) -> HttpResponse:
    receiver = _receiver(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in GiftKind.values else ""
    rows, next_after = donation_page(user=request.user, receiver=receiver, kind=kind, after=request.GET.get("after"))
    params = {k: v for k, v in {"receiver": str(receiver.uid) if receiver else "", "kind": kind}.items() if v}
    return render(
        request,
        "welfare/donation_list.html",
        {
            "donations": rows,
            "receivers": receivers(user=request.user),
            "receiver": receiver,
            "kind": kind,
            "kinds": GiftKind.choices,
            "can_manage": can_manage_funds(request.user),
            **page_links(request, params, next_after),
        },
    )


@login_required
@require_GET
def donation_export_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    return _download(
        exports.donations_export(
            user=request.user, receiver=_receiver(request), kind=kind if kind in GiftKind.values else ""
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def donation_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_funds(request.user):
        raise PermissionDenied
    form = DonationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            donation = donation_record(actor=request.user, **form.service_values())
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, _("Đã ghi khoản ủng hộ, biên nhận số %(code)s.") % {"code": donation.receipt_code}
            )
            return redirect("welfare:receipt", donation.uid)
    return render(request, "welfare/form.html", {"form": form, "title": _("Tiếp nhận ủng hộ")})


@login_required
@require_GET
def receipt_view(request: HttpRequest, uid: str) -> HttpResponse:
    donation = donation_get(user=request.user, uid=uid)
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=donation,
        summary=_("Xem biên nhận ủng hộ số %(code)s") % {"code": donation.receipt_code},
    )
    return render(request, "welfare/receipt.html", {"donation": donation})


@login_required
@require_GET
def support_list_view(request: HttpRequest) -> HttpResponse:
    rows, next_after = support_page(user=request.user, after=request.GET.get("after"))
    return render(
        request,
        "welfare/support_list.html",
        {"rows": rows, "can_manage": can_manage_funds(request.user), **page_links(request, {}, next_after)},
    )


@login_required
@require_GET
def support_export_view(request: HttpRequest) -> HttpResponse:
    return _download(exports.support_export(user=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def support_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_funds(request.user):
        raise PermissionDenied
    form = SupportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            support_give(actor=request.user, **form.service_values())
        except ApplicationError as exc:
            add_application_error(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền ghi sổ cho đơn vị trao này."))
        else:
            messages.success(request, _("Đã ghi khoản hỗ trợ."))
            return redirect("welfare:support")
    return render(request, "welfare/form.html", {"form": form, "title": _("Trao hỗ trợ")})


@login_required
@require_GET
def funds_view(request: HttpRequest) -> HttpResponse:
    balances = fund_balances(user=request.user)
    totals = {
        "received": sum(b.received for b in balances),
        "given": sum(b.given for b in balances),
        "on_hand": sum(b.on_hand for b in balances),
        "goods_value": sum(b.goods_value for b in balances),
    }
    return render(request, "welfare/funds.html", {"balances": balances, "totals": totals})


@login_required
@require_GET
def funds_export_view(request: HttpRequest) -> HttpResponse:
    return _download(exports.funds_export(user=request.user))


# --- Budget (E5) -------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


@login_required
@require_GET
def budget_list_view(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = budget_rows(user=request.user, year=year)
    totals = {
        "allocated": sum(r.allocated for r in rows),
        "spent": sum(r.spent for r in rows),
        "remaining": sum(r.remaining for r in rows),
    }
    return render(
        request,
        "welfare/budget_list.html",
        {
            "rows": rows,
            "totals": totals,
            "year": year or "",
            "params": f"year={year}" if year else "",
            "can_manage": can_manage_budgets(request.user),
        },
    )


@login_required
@require_GET
def budget_export_view(request: HttpRequest) -> HttpResponse:
    return _download(exports.budgets_export(user=request.user, year=_year(request)))


@login_required
@require_http_methods(["GET", "POST"])
def allocation_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_budgets(request.user):
        raise PermissionDenied
    form = AllocationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = budget_allocate(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Đã ghi kinh phí được cấp."))
            return redirect("welfare:budget", allocation.budget.uid)
    return render(request, "welfare/form.html", {"form": form, "title": _("Ghi kinh phí được cấp")})


@login_required
@require_http_methods(["GET", "POST"])
def budget_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    row = budget_get(user=request.user, uid=uid)
    budget = row.budget
    can_manage = can_manage_budgets(request.user)
    form = SpendingForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                budget_spend(actor=request.user, unit=budget.unit, year=budget.year, **form.cleaned_data)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Đã ghi khoản chi."))
                return redirect("welfare:budget", budget.uid)
    return render(
        request,
        "welfare/budget_detail.html",
        {
            "row": row,
            "budget": budget,
            "allocations": list(budget.allocations.order_by("allocated_on", "id")),
            "spending": list(budget.spending.order_by("spent_on", "id")),
            "form": form,
            "can_manage": can_manage,
        },
    )

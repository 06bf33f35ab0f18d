"""Exposure pages (thin): cases with candidates to decide, a case's candidates (confirm as F1, dismiss,
run again), their Excel export (C4). Everything is scoped through the cases the user may see."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.cases.models import CONFIRMED_STATUSES, Case
from phongdich.cases.selectors import case_get_for_write
from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.models import AuditAction
from phongdich.core.pagination import page_links
from phongdich.orgs.scope import scope_for

from .exports import candidates_export, pending_export
from .models import CandidateStatus, ExposureCandidate
from .selectors import candidate_list, dwell_for, margin, pending_cases
from .services import exposures_confirm, exposures_dismiss, exposures_refresh

MAX_CHOSEN = 200


def _status(request: HttpRequest) -> str:
    value = request.GET.get("status", CandidateStatus.NEW)
    return value if value in CandidateStatus.values else ""


def _case(request: HttpRequest, uid: str) -> Case:
    return case_get_for_write(user=request.user, uid=uid)


@login_required
@require_GET
def pending_view(request: HttpRequest) -> HttpResponse:
    """Cases in the user's jurisdiction with people still to confirm or dismiss."""
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    page = pending_cases(user=request.user, after=request.GET.get("after") or None)
    next_url = f"?{urlencode({'after': page.next_after})}" if page.next_after else ""
    context = {"page": page, "next_url": next_url, "first_url": "?" if request.GET.get("after") else ""}
    return render(request, "exposures/pending.html", context)


@login_required
@require_GET
def pending_export_view(request: HttpRequest) -> HttpResponse:
    """Every candidate still to decide in the user's jurisdiction, as Excel (audited)."""
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    try:
        export = pending_export(user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("exposures:pending")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _report_errors(request: HttpRequest, exc: ApplicationError, names: dict[str, str]) -> None:
    messages.error(request, str(exc.message))
    for ref, message in (exc.extra.get("errors") or {}).items():
        messages.error(request, f"{names.get(ref, ref)}: {message}")


def _post(request: HttpRequest, case: Case) -> HttpResponse:
    action = request.POST.get("action", "")
    back = f"{reverse('exposures:case', args=[case.uid])}?{urlencode({'status': request.GET.get('status', 'new')})}"
    if action == "run":
        try:
            result = exposures_refresh(actor=request.user, case=case)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Đã đối chiếu lại: %(created)s người mới, %(updated)s cập nhật, %(removed)s không còn trùng.")
                % {"created": result.created, "updated": result.updated, "removed": result.removed},
            )
        return redirect(back)
    chosen = request.POST.getlist("candidate")[:MAX_CHOSEN]
    names = {
        str(r.uid): r.person.full_name
        for r in ExposureCandidate.objects.filter(case=case, uid__in=_uuids(chosen)).select_related("person")
    }
    if action not in ("confirm", "dismiss"):
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect(back)
    try:
        if action == "confirm":
            decision = exposures_confirm(actor=request.user, case=case, candidate_uids=chosen)
            messages.success(
                request,
                _("Đã xác nhận %(n)s người là F1 của ca %(code)s.")
                % {"n": len(decision.candidates), "code": case.case_code},
            )
        else:
            decision = exposures_dismiss(actor=request.user, case=case, candidate_uids=chosen)
            messages.success(request, _("Đã loại %(n)s người.") % {"n": len(decision.candidates)})
    except ApplicationError as exc:
        _report_errors(request, exc, names)
    return redirect(back)


def _uuids(values: list[str]) -> list[uuid.UUID]:
    result = []
    for v in values:
        try:
            result.append(uuid.UUID(v))
        except ValueError:
            continue
    return result


@login_required
@require_http_methods(["GET", "POST"])
def case_view(request: HttpRequest, uid: str) -> HttpResponse:
    """A case's candidates with their premises and overlap; tick some and confirm them as F1 or dismiss them."""
    case = _case(request, uid)
    if request.method == "POST":
        return _post(request, case)
    status = _status(request)
    page = candidate_list(case=case, status=status, after=request.GET.get("after") or None)
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=case,
        summary=f"{case.case_code}: người có thể tiếp xúc (quét mã)",
        detail={"status": status, "rows": len(page.items)},
    )
    params = {"status": status}
    context: dict[str, Any] = {
        "case": case,
        "page": page,
        "status": status,
        "statuses": [("", _("Tất cả")), *CandidateStatus.choices],
        **page_links(request, params, page.next_after),
        "margin": int(margin().total_seconds() // 60),
        "dwell": int(dwell_for("office").total_seconds() // 60),
        "confirmable": case.status in CONFIRMED_STATUSES,
    }
    return render(request, "exposures/case.html", context)


@login_required
@require_GET
def case_export_view(request: HttpRequest, uid: str) -> HttpResponse:
    case = _case(request, uid)
    export = candidates_export(user=request.user, case=case, status=_status(request))
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response

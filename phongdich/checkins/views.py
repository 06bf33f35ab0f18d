"""Check-in pages: the public scan page of a poster (M1, C4) and the officials' code and poster pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.middleware import client_ip
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Premises
from phongdich.orgs.scope import scope_for
from phongdich.orgs.selectors import organisation_get, organisation_list, premises_get

from . import services, throttle
from .api import visitor_from_cookie
from .models import PremisesCode
from .permissions import can_manage_codes
from .posters import poster_pdf, scan_url
from .selectors import active_code, code_by_token

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- The public scan page -------------------------------------------------------------------


def _texts() -> dict[str, str]:
    """The page script's messages, translated on the server."""
    return {
        "ok": _("Đã ghi nhận lúc %(time)s tại %(place)s."),
        "queued": _("Chưa có mạng: đã lưu trên máy lúc %(time)s, sẽ tự gửi khi có mạng."),
        "pending": _("Đang chờ gửi: %(n)s lượt."),
        "sending": _("Đang gửi…"),
        "first_offline": _("Lần đầu cần có mạng để đăng ký. Vui lòng thử lại khi có mạng."),
        "busy": _("Máy chủ đang bận, máy sẽ tự gửi lại sau ít phút."),
        "error": _("Không ghi nhận được: %(msg)s"),
        "known": _("người dùng đã đăng ký trên điện thoại này"),
    }


def scan(request: HttpRequest, token: str) -> HttpResponse:
    """``/c/<token>/``: asks once who the phone's owner is, then checks in with one tap.

    Deliberately light (inline CSS, one small script, no base template): it must load on a
    cheap phone over a poor connection, and the page plus everything it loads stays under 50 KB.
    """
    allowed, wait = throttle.check(client_ip(request), kind="page")
    if not allowed:
        message = throttle.TOO_MANY % {"seconds": throttle.wait_text(wait)}
        return render(request, "checkins/scan_busy.html", {"message": message}, status=429)
    code = code_by_token(token)
    if code is None:
        return render(request, "checkins/scan_invalid.html", status=404)
    premises = code.premises
    if not code.is_active:
        return render(request, "checkins/scan_revoked.html", {"premises": premises, "code": code}, status=410)
    if not premises.is_active:
        return render(request, "checkins/scan_closed.html", {"premises": premises}, status=410)
    visitor = visitor_from_cookie(request)
    context = {
        "premises": premises,
        "token": code.token,
        "csrf": get_token(request),
        # Only whether the phone is known: the page shows the name the phone itself keeps.
        "known": "1" if visitor else "",
        "texts": _texts(),
        "days": services.retention_days(),
        "api": reverse("api:checkins-create"),
        "visitors_api": reverse("api:checkins-visitor-create"),
    }
    response = render(request, "checkins/scan.html", context)
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Officials' pages -----------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Organisations in scope with their premises and active codes; district poster downloads."""
    user = _user(request)
    q = request.GET.get("q", "").strip()[:100]
    qs = organisation_list(user=user, q=q, active_only=True).annotate(
        premises_count=Count("premises", filter=Q(premises__is_active=True), distinct=True),
        active_codes=Count(
            "premises__codes",
            filter=Q(premises__is_active=True, premises__codes__revoked_at__isnull=True),
            distinct=True,
        ),
    )
    after_name, after_id = request.GET.get("an"), request.GET.get("ai", "")
    if after_name is not None and after_id.isdigit():
        qs = qs.filter(Q(name_folded__gt=after_name) | Q(name_folded=after_name, id__gt=int(after_id)))
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_query = ""
    if more:
        from django.http import QueryDict

        params = QueryDict(mutable=True)
        if q:
            params["q"] = q
        params["an"], params["ai"] = rows[-1].name_folded, str(rows[-1].id)
        next_query = params.urlencode()
    districts = scope_for(user).units(Unit.objects.filter(level=Level.DISTRICT)).order_by("name")
    return render(
        request,
        "checkins/index.html",
        {"rows": rows, "q": q, "next_query": next_query, "districts": districts},
    )


@login_required
def organisation_codes(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    org = organisation_get(user=user, uid=uid)
    premises = list(org.premises.select_related("unit").order_by("-is_active", "name"))
    codes = {c.premises_id: c for c in PremisesCode.objects.active().filter(premises__in=[p.pk for p in premises])}
    rows = [
        {"premises": p, "code": codes.get(p.pk), "url": scan_url(codes[p.pk]) if p.pk in codes else ""}
        for p in premises
    ]
    return render(
        request,
        "checkins/organisation.html",
        {"org": org, "rows": rows, "can_manage": can_manage_codes(user, org)},
    )


def _back(premises: Premises) -> HttpResponse:
    return redirect("checkins:organisation", uid=premises.organisation.uid)


@login_required
@require_POST
def code_issue(request: HttpRequest, uid: UUID) -> HttpResponse:
    premises = premises_get(user=_user(request), uid=uid)
    try:
        if active_code(premises) is None:
            services.premises_code_issue(actor=_user(request), premises=premises)
            messages.success(
                request,
                _("Đã cấp mã QR cho “%(name)s”. Hãy in áp phích và dán tại địa điểm.") % {"name": premises.name},
            )
        else:
            services.premises_code_reissue(
                actor=_user(request), premises=premises, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                _("Đã cấp lại mã QR cho “%(name)s”; áp phích cũ không còn dùng được.") % {"name": premises.name},
            )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return _back(premises)


@login_required
@require_POST
def code_revoke(request: HttpRequest, uid: UUID) -> HttpResponse:
    premises = premises_get(user=_user(request), uid=uid)
    code = active_code(premises)
    if code is None:
        messages.error(request, _("Địa điểm này không có mã QR còn hiệu lực."))
        return _back(premises)
    try:
        services.premises_code_revoke(actor=_user(request), code=code, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã thu hồi mã QR của “%(name)s”.") % {"name": premises.name})
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return _back(premises)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def poster(request: HttpRequest, uid: UUID) -> HttpResponse:
    user = _user(request)
    premises = premises_get(user=user, uid=uid)
    code = active_code(premises)
    if code is None or not premises.is_active:
        raise Http404(_("Địa điểm này không có mã QR còn hiệu lực."))
    code.premises = premises
    content = poster_pdf([code])
    audit(
        actor=user, action=AuditAction.EXPORT, obj=code, summary=f"{premises.name} — {premises.organisation.name}"[:255]
    )
    return _pdf(content, f"ap-phich-qr-{premises.uid}.pdf")


def district_codes(unit: Unit) -> Any:
    return (
        PremisesCode.objects.active()
        .filter(premises__is_active=True, premises__unit__tree=unit.tree, premises__unit__path__startswith=unit.path)
        .select_related("premises__organisation")
        .order_by("premises__organisation__name_folded", "premises__name", "id")
    )


@login_required
def district_posters(request: HttpRequest, uid: UUID) -> HttpResponse:
    """One PDF with a page for every active code of the district's premises."""
    user = _user(request)
    unit = Unit.objects.filter(uid=uid, level=Level.DISTRICT).first()
    if unit is None or not scope_for(user).contains_unit(unit):
        raise Http404
    codes = list(district_codes(unit))
    if not codes:
        messages.error(request, _("Chưa có địa điểm nào của %(name)s được cấp mã QR.") % {"name": unit.name})
        return redirect("checkins:index")
    content = poster_pdf(codes)
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        obj=unit,
        summary=f"Áp phích QR: {unit.name}"[:255],
        detail={"pages": len(codes)},
    )
    return _pdf(content, f"ap-phich-qr-{unit.code}.pdf")

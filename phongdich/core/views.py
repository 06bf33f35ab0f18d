"""Core pages: sign-in and password flows, the audit log search, and the error pages.

No stack trace ever reaches a user: the error handlers answer in the user's language,
as HTML for pages and as JSON under ``/api/``.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import throttle
from .access import can_read_audit
from .audit import audit
from .forms import AuditSearchForm, LoginForm
from .middleware import client_ip
from .models import AuditAction, AuditLog, User
from .selectors import audit_page, audit_search

log = logging.getLogger(__name__)

AUDIT_PAGE_SIZE = 50
AUDIT_EXPORT_MAX_ROWS = 200_000


# --- Sign-in and passwords ------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Sign-in with throttling per username and per address (``core.throttle``)."""

    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit(actor=form.user, action=AuditAction.UPDATE, obj=form.user, summary="password changed")
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset e-mail; an address that asks too often is refused for a while."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not throttle.password_reset_allowed(client_ip(request)):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần. Vui lòng thử lại sau."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit(actor=form.user, action=AuditAction.UPDATE, obj=form.user, summary="password reset by e-mail")
        return response


# --- The audit log ------------------------------------------------------------------------------


def _require_audit_reader(request: HttpRequest) -> None:
    if not can_read_audit(request.user):
        raise PermissionDenied


@login_required
@require_GET
def audit_search_page(request: HttpRequest) -> HttpResponse:
    """Search the audit log (province administrators and superusers only)."""
    _require_audit_reader(request)
    form = AuditSearchForm(request.GET or None)
    page = None
    export_query = ""
    if form.is_bound and form.is_valid():
        qs = audit_search(**form.filters())
        page = audit_page(qs, cursor=request.GET.get("cursor", ""), size=AUDIT_PAGE_SIZE)
        params = request.GET.copy()
        params.pop("cursor", None)
        export_query = params.urlencode()
    elif not form.is_bound:
        page = audit_page(audit_search(), size=AUDIT_PAGE_SIZE)
    next_query = ""
    if page and page.next_cursor:
        params = request.GET.copy()
        params["cursor"] = page.next_cursor
        next_query = params.urlencode()
    return render(
        request,
        "core/audit_search.html",
        {"form": form, "page": page, "next_query": next_query, "export_query": export_query},
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv_rows(qs: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: Excel opens UTF-8 Vietnamese correctly
    yield writer.writerow(
        [
            _("Thời điểm"),
            _("Tên đăng nhập"),
            _("Hành động"),
            _("Loại đối tượng"),
            _("Mã đối tượng"),
            _("Mô tả"),
            _("Địa chỉ IP"),
            _("Đường dẫn"),
            _("Trình duyệt"),
            _("Chi tiết"),
        ]
    )
    tz = timezone.get_current_timezone()
    line: AuditLog
    for line in qs.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                line.at.astimezone(tz).isoformat(timespec="seconds"),
                _cell(line.actor_username),
                line.action,
                _cell(line.object_type),
                _cell(line.object_uid),
                _cell(line.summary),
                line.ip or "",
                _cell(line.path),
                _cell(line.user_agent),
                _cell(json.dumps(line.detail, ensure_ascii=False)) if line.detail else "",
            ]
        )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered audit lines as CSV; the export itself is written to the audit log first."""
    _require_audit_reader(request)
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "core/audit_search.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    qs = audit_search(**filters)[:AUDIT_EXPORT_MAX_ROWS]
    user = request.user
    assert isinstance(user, User)
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="core.auditlog",
        summary="audit log export (CSV)",
        detail={"filters": {k: str(v) for k, v in filters.items()}, "max_rows": AUDIT_EXPORT_MAX_ROWS},
    )
    response = StreamingHttpResponse(_audit_csv_rows(qs), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.csv"'
    return response


# --- Error pages ----------------------------------------------------------------------------------


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "errors/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, _("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không hợp lệ. Vui lòng kiểm tra lại."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, _("Không có quyền"), _("Bạn không có quyền thực hiện thao tác này."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a stale page (or another site): ask to reload, in the user's language."""
    return _error(
        request,
        403,
        _("Phiên làm việc đã hết hạn"),
        _("Trang bạn gửi đã cũ hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại."),
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(
        request, 404, _("Không tìm thấy"), _("Trang hoặc hồ sơ không tồn tại, hoặc nằm ngoài địa bàn bạn quản lý.")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors or the database: whatever broke may still be broken."""
    title, message = _("Lỗi hệ thống"), _("Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=500)
    try:
        body = loader.get_template("errors/error.html").render({"title": title, "message": message})
    except Exception:
        log.exception("The error page itself failed to render")
        body = f'<!doctype html><html lang="vi"><meta charset="utf-8"><h1>{title}</h1><p>{message}</p></html>'
    return HttpResponse(body, status=500)

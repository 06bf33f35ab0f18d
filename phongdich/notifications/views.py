"""The inbox: unread first, then the read ones (keyset paged); mark one or all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phongdich.core.pagination import page_links

from .selectors import notification_get, read_page, unread_list
from .services import notification_mark_read, notifications_mark_all_read


@login_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    page = read_page(request.user, after=request.GET.get("after"))
    context = {
        "unread": [] if request.GET.get("after") else unread_list(request.user),
        "page": page,
        **page_links(request, {}, page.next_after),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read_view(request: HttpRequest, uid: str) -> HttpResponse:
    """Mark read; with ``open=1`` go on to the notification's link (a local one only)."""
    notification = notification_get(user=request.user, uid=uid)
    notification_mark_read(user=request.user, notification=notification)  # type: ignore[arg-type]
    link = notification.link
    if (
        request.POST.get("open") == "1"
        and link
        and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return redirect(link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read_view(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Đã đánh dấu đã đọc %(count)s thông báo.") % {"count": count})
    return redirect("notifications:inbox")

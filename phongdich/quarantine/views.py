"""Quarantine pages (thin): facilities (list, create, edit, readiness), start an episode, episode detail
(audited), daily checks, release, the commune's "people to follow today", hand-overs, the rule set, and the
Excel export of every list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.core.pagination import page_links
from phongdich.orgs.scope import scope_for
from phongdich.people.selectors import person_get_for_write, person_search

from .exports import facilities_export, follow_today_export, handovers_export, open_episodes_export
from .forms import DailyCheckForm, EpisodeStartForm, FacilityForm, ReadinessForm, ReleaseForm
from .models import EpisodeKind, FacilityKind
from .rules import NoRule, plan_for
from .selectors import (
    HANDOVER_STATUSES,
    episode_checks,
    episode_get,
    episode_get_for_write,
    episode_handover,
    facility_get,
    facility_open_episodes,
    facility_page,
    follow_today_page,
    handover_get_for_write,
    handover_page,
    open_episode_list,
    rule_list,
)
from .services import (
    can_manage_facilities,
    daily_check_record,
    episode_release,
    episode_start,
    facility_create,
    facility_update,
    handover_acknowledge,
)


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in EpisodeKind.values else ""


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _facility_filters(request: HttpRequest) -> dict[str, str]:
    kind = request.GET.get("kind", "")
    ready = request.GET.get("ready", "")
    return {
        k: v
        for k, v in {
            "kind": kind if kind in FacilityKind.values else "",
            "ready": ready if ready in ("1", "0") else "",
        }.items()
        if v
    }


@login_required
@require_GET
def facility_list_view(request: HttpRequest) -> HttpResponse:
    filters = _facility_filters(request)
    page = facility_page(
        user=request.user,
        kind=filters.get("kind", ""),
        ready=filters.get("ready", ""),
        after=request.GET.get("after") or None,
    )
    context: dict[str, Any] = {
        "page": page,
        "facilities": page.items,
        "kind": filters.get("kind", ""),
        "ready": filters.get("ready", ""),
        "kinds": FacilityKind.choices,
        "can_manage": can_manage_facilities(request.user),
        **page_links(request, filters, page.next_after),
    }
    return render(request, "quarantine/facility_list.html", context)


@login_required
@require_GET
def facility_export_view(request: HttpRequest) -> HttpResponse:
    return _download(facilities_export(user=request.user, **_facility_filters(request)))


def _require_facility_manager(request: HttpRequest) -> None:
    if not can_manage_facilities(request.user) or scope_for(request.user).is_empty:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def facility_create_view(request: HttpRequest) -> HttpResponse:
    _require_facility_manager(request)
    form = FacilityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            facility = facility_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã thêm cơ sở cách ly “%(name)s”.") % {"name": facility.name})
            return redirect("quarantine:facility", uid=facility.uid)
    return render(request, "quarantine/facility_form.html", {"form": form, "facility": None})


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    _require_facility_manager(request)
    facility = facility_get(user=request.user, uid=uid)
    form = FacilityForm(request.POST or None, user=request.user, facility=facility)
    if request.method == "POST" and form.is_valid():
        try:
            facility_update(actor=request.user, facility=facility, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã cập nhật cơ sở cách ly “%(name)s”.") % {"name": facility.name})
            return redirect("quarantine:facility", uid=facility.uid)
    return render(request, "quarantine/facility_form.html", {"form": form, "facility": facility})


@login_required
@require_POST
def facility_readiness_view(request: HttpRequest, uid: str) -> HttpResponse:
    _require_facility_manager(request)
    facility = facility_get(user=request.user, uid=uid)
    form = ReadinessForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ghi chú sẵn sàng tối đa 255 ký tự."))
        return redirect("quarantine:facility", uid=facility.uid)
    try:
        facility_update(actor=request.user, facility=facility, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        if facility.ready:
            messages.success(request, _("Cơ sở cách ly đã sẵn sàng tiếp nhận."))
        else:
            messages.success(request, _("Cơ sở cách ly tạm ngừng tiếp nhận."))
    return redirect("quarantine:facility", uid=facility.uid)


@login_required
@require_GET
def facility_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    facility = facility_get(user=request.user, uid=uid)
    episodes = facility_open_episodes(user=request.user, facility=facility)
    context = {
        "facility": facility,
        "episodes": episodes,
        "can_manage": can_manage_facilities(request.user),
        "readiness_form": ReadinessForm(
            initial={"ready": not facility.ready, "readiness_note": facility.readiness_note}
        ),
    }
    return render(request, "quarantine/facility_detail.html", context)


@login_required
@require_GET
def episode_list_view(request: HttpRequest) -> HttpResponse:
    kind = _kind(request)
    page = open_episode_list(user=request.user, kind=kind, after=request.GET.get("after") or None)
    params = {"kind": kind} if kind else {}
    context: dict[str, Any] = {
        "page": page,
        "kind": kind,
        "kinds": EpisodeKind.choices,
        **page_links(request, params, page.next_after),
    }
    return render(request, "quarantine/episode_list.html", context)


@login_required
@require_GET
def episode_export_view(request: HttpRequest) -> HttpResponse:
    return _download(open_episodes_export(user=request.user, kind=_kind(request)))


@login_required
@require_http_methods(["GET", "POST"])
def episode_start_view(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    person_ref = request.GET.get("person") or request.POST.get("person") or ""
    if not person_ref:
        q = request.GET.get("q", "").strip()[:120]
        people = person_search(user=request.user, q=q, limit=20).items if q else []
        return render(request, "quarantine/episode_start_search.html", {"q": q, "people": people})
    person = person_get_for_write(user=request.user, uid=person_ref)
    form = EpisodeStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            episode = episode_start(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã bắt đầu đợt cách ly."))
            return redirect("quarantine:episode", uid=episode.uid)
    return render(request, "quarantine/episode_start.html", {"form": form, "person": person})


@login_required
@require_GET
def episode_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    episode = episode_get(user=request.user, uid=uid)
    plan = None
    if episode.rule is not None:
        try:
            plan = plan_for(start=episode.start_date, vaccination=episode.vaccination, rules=[episode.rule])
        except NoRule:
            plan = None
    context = {
        "episode": episode,
        "plan": plan if episode.phase == 0 else None,
        "checks": episode_checks(episode=episode),
        "handover": episode_handover(episode=episode),
        "check_form": DailyCheckForm(),
        "release_form": ReleaseForm(),
    }
    return render(request, "quarantine/episode_detail.html", context)


@login_required
@require_POST
def daily_check_view(request: HttpRequest, uid: str) -> HttpResponse:
    episode = episode_get_for_write(user=request.user, uid=uid)
    form = DailyCheckForm(request.POST)
    if form.is_valid():
        try:
            daily_check_record(actor=request.user, episode=episode, **form.service_fields())
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã ghi kết quả theo dõi sức khỏe."))
    else:
        messages.error(request, _("Vui lòng nhập ngày và nhiệt độ hợp lệ."))
    if request.POST.get("next") == "today":
        return redirect("quarantine:today")
    return redirect("quarantine:episode", uid=episode.uid)


@login_required
@require_POST
def episode_release_view(request: HttpRequest, uid: str) -> HttpResponse:
    episode = episode_get_for_write(user=request.user, uid=uid)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập ngày kết thúc hợp lệ."))
        return redirect("quarantine:episode", uid=episode.uid)
    try:
        new = episode_release(
            actor=request.user,
            episode=episode,
            on=form.cleaned_data["on"],
            next_kind=form.cleaned_data["next_kind"] or None,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("quarantine:episode", uid=episode.uid)
    if new is not None:
        messages.success(
            request, _("Đã kết thúc đợt cách ly và chuyển sang %(kind)s.") % {"kind": new.get_kind_display()}
        )
        return redirect("quarantine:episode", uid=new.uid)
    messages.success(request, _("Đã kết thúc đợt cách ly."))
    return redirect("quarantine:episode", uid=episode.uid)


@login_required
@require_GET
def follow_today_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = follow_today_page(user=request.user, today=today, after=request.GET.get("after") or None)
    context = {"page": page, "rows": page.items, "today": today, **page_links(request, {}, page.next_after)}
    return render(request, "quarantine/follow_today.html", context)


@login_required
@require_GET
def follow_today_export_view(request: HttpRequest) -> HttpResponse:
    return _download(follow_today_export(user=request.user, today=timezone.localdate()))


def _handover_status(request: HttpRequest) -> str:
    status = request.GET.get("status", "pending")
    return status if status in HANDOVER_STATUSES else "pending"


@login_required
@require_GET
def handover_list_view(request: HttpRequest) -> HttpResponse:
    status = _handover_status(request)
    page = handover_page(user=request.user, status=status, after=request.GET.get("after") or None)
    context = {
        "page": page,
        "rows": page.items,
        "status": status,
        **page_links(request, {"status": status}, page.next_after),
    }
    return render(request, "quarantine/handover_list.html", context)


@login_required
@require_GET
def handover_export_view(request: HttpRequest) -> HttpResponse:
    return _download(handovers_export(user=request.user, status=_handover_status(request)))


@login_required
@require_POST
def handover_acknowledge_view(request: HttpRequest, uid: str) -> HttpResponse:
    handover = handover_get_for_write(user=request.user, uid=uid)
    try:
        handover_acknowledge(actor=request.user, handover=handover)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã xác nhận tiếp nhận bàn giao."))
    status = request.POST.get("status", "")
    if status in HANDOVER_STATUSES:
        return redirect(f"{reverse('quarantine:handovers')}?{urlencode({'status': status})}")
    return redirect("quarantine:handovers")


@login_required
@require_GET
def rule_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "quarantine/rule_list.html", {"rules": rule_list()})

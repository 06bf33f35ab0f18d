"""Excel exports of the quarantine lists (open episodes, facilities, hand-overs, people to follow today) —
scoped and filtered like their pages, and always audited (Q1–Q3, D4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import Episode, Facility, Handover
from .selectors import facility_queryset, follow_today_queryset, handover_queryset, open_episode_queryset


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def open_episodes_export(*, user: Any, kind: str = "") -> ExportFile:
    """The open episodes in scope as an Excel file; one EXPORT audit line with the row count."""
    episodes = list(open_episode_queryset(user=user, kind=kind).order_by("-pk")[: EXPORT_MAX_ROWS + 1])
    columns: list[tuple[str, Any]] = [
        (_("Họ và tên"), lambda e: e.person.full_name),
        (_("Năm sinh"), lambda e: e.person.birth_year),
        (_("Nơi cư trú"), lambda e: e.person.residence_unit.name),
        (_("Hình thức"), lambda e: e.get_kind_display()),
        (_("Cơ sở cách ly"), lambda e: e.facility.name if e.facility else ""),
        (_("Ngày bắt đầu"), lambda e: _day(e.start_date)),
        (_("Ngày dự kiến kết thúc"), lambda e: _day(e.planned_end)),
        (_("Lý do"), lambda e: e.reason),
    ]
    return audited_export(
        user=user,
        model=Episode,
        columns=columns,
        rows=episodes,
        summary=_("Xuất %(count)s người đang cách ly (XLSX)") % {"count": len(episodes)},
        detail={"kind": kind},
        name="dang-cach-ly",
        sheet_title=_("Đang cách ly"),
    )


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def facilities_export(*, user: Any, kind: str = "", ready: str = "") -> ExportFile:
    """The facilities in scope (same filters as the page) with occupancy and readiness."""
    facilities = list(facility_queryset(user=user, kind=kind, ready=ready)[: EXPORT_MAX_ROWS + 1])
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        (_("Tên cơ sở"), lambda f: f.name),
        (_("Loại cơ sở"), lambda f: f.get_kind_display()),
        (_("Địa bàn"), lambda f: f.unit.name),
        (_("Đơn vị vận hành"), lambda f: f.operator.name if f.operator else ""),
        (_("Sức chứa"), lambda f: f.capacity),
        (_("Đang cách ly"), lambda f: f.occupancy),
        (_("Còn trống"), lambda f: max(f.capacity - f.occupancy, 0)),
        (_("Sẵn sàng"), lambda f: _("Có") if f.ready else _("Không")),
        (_("Ghi chú sẵn sàng"), lambda f: f.readiness_note),
    ]
    return audited_export(
        user=user,
        rows=facilities,
        columns=columns,
        model=Facility,
        summary=_("Xuất %(count)s cơ sở cách ly (XLSX)") % {"count": len(facilities)},
        detail={"kind": kind, "ready": ready},
        name="co-so-cach-ly",
    )


def handovers_export(*, user: Any, status: str = "pending", now: datetime | None = None) -> ExportFile:
    """The hand-overs to communes in scope (same status filter as the page) with their overdue flag."""
    moment = now or timezone.now()
    handovers = list(handover_queryset(user=user, status=status, now=moment)[: EXPORT_MAX_ROWS + 1])
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        (_("Họ và tên"), lambda h: h.episode.person.full_name),
        (_("Năm sinh"), lambda h: h.episode.person.birth_year),
        (_("Cơ sở bàn giao"), lambda h: h.from_facility.name),
        (_("Xã/phường nhận"), lambda h: h.to_unit.name),
        (_("Gửi lúc"), lambda h: _moment(h.sent_at)),
        (_("Hạn xác nhận"), lambda h: _moment(h.due_at)),
        (_("Xác nhận lúc"), lambda h: _moment(h.acknowledged_at)),
        (_("Quá hạn"), lambda h: _("Có") if h.is_overdue(moment) else ""),
    ]
    return audited_export(
        user=user,
        rows=handovers,
        columns=columns,
        model=Handover,
        summary=_("Xuất %(count)s bàn giao (XLSX)") % {"count": len(handovers)},
        detail={"status": status},
        name="ban-giao",
    )


def follow_today_export(*, user: Any, today: date | None = None) -> ExportFile:
    """The commune's people to follow today, with what is due for each."""
    day = today or timezone.localdate()
    episodes = list(follow_today_queryset(user=user, today=day)[: EXPORT_MAX_ROWS + 1])
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        (_("Họ và tên"), lambda e: e.person.full_name),
        (_("Năm sinh"), lambda e: e.person.birth_year),
        (_("Số điện thoại"), lambda e: e.person.phone),
        (_("Nơi cư trú"), lambda e: e.person.residence_unit.name),
        (_("Địa chỉ"), lambda e: e.person.address),
        (_("Hình thức"), lambda e: e.get_kind_display()),
        (_("Ngày dự kiến kết thúc"), lambda e: _day(e.planned_end)),
        (_("Chưa theo dõi hôm nay"), lambda e: "" if e.checked_today else _("Có")),
        (_("Xét nghiệm hôm nay"), lambda e: _("Có") if day.isoformat() in (e.test_dates or []) else ""),
    ]
    return audited_export(
        user=user,
        rows=episodes,
        columns=columns,
        model=Episode,
        summary=_("Xuất %(count)s người cần theo dõi ngày %(day)s (XLSX)")
        % {"count": len(episodes), "day": f"{day:%d/%m/%Y}"},
        detail={"day": day.isoformat()},
        name="theo-doi-hom-nay",
    )

"""Excel exports of the quarantine lists (open episodes, facilities, hand-overs, people to follow today) —
scoped and filtered like their pages, and always audited (Q1–Q3, D4)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.core.tabular import write_table
from phongdich.people.exports import CONTENT_TYPES

from .models import Episode, Facility, Handover
from .selectors import facility_queryset, follow_today_queryset, handover_queryset, open_episode_queryset

EXPORT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def open_episodes_export(*, user: Any, kind: str = "") -> ExportFile:
    """The open episodes in scope as an Excel file; one EXPORT audit line with the row count."""
    episodes = list(open_episode_queryset(user=user, kind=kind).order_by("-pk")[: EXPORT_MAX_ROWS + 1])
    if len(episodes) > EXPORT_MAX_ROWS:
        raise ValidationFailed(_("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm."))
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
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Đang cách ly"))
    sheet.append([title for title, _g in columns])
    for e in episodes:
        sheet.append([_safe(get(e)) for _t, get in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=Episode._meta.label_lower,
        summary=_("Xuất %(count)s người đang cách ly (XLSX)") % {"count": len(episodes)},
        detail={"format": "xlsx", "rows": len(episodes), "kind": kind},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=buffer.getvalue(),
        filename=f"dang-cach-ly-{stamp}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
        rows=len(episodes),
    )


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _export(
    *,
    user: Any,
    rows: Sequence[Any],
    columns: list[tuple[str, Callable[[Any], Any]]],
    model: type[Any],
    summary: str,
    detail: dict[str, Any],
    filename: str,
) -> ExportFile:
    if len(rows) > EXPORT_MAX_ROWS:
        raise ValidationFailed(_("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm."))
    content = write_table(
        [title for title, _g in columns], ([_safe(get(r)) for _t, get in columns] for r in rows), fmt="xlsx"
    )
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=model._meta.label_lower,
        summary=summary,
        detail={"format": "xlsx", "rows": len(rows), **detail},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=content, filename=f"{filename}-{stamp}.xlsx", content_type=CONTENT_TYPES["xlsx"], rows=len(rows)
    )


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
    return _export(
        user=user,
        rows=facilities,
        columns=columns,
        model=Facility,
        summary=_("Xuất %(count)s cơ sở cách ly (XLSX)") % {"count": len(facilities)},
        detail={"kind": kind, "ready": ready},
        filename="co-so-cach-ly",
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
    return _export(
        user=user,
        rows=handovers,
        columns=columns,
        model=Handover,
        summary=_("Xuất %(count)s bàn giao (XLSX)") % {"count": len(handovers)},
        detail={"status": status},
        filename="ban-giao",
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
    return _export(
        user=user,
        rows=episodes,
        columns=columns,
        model=Episode,
        summary=_("Xuất %(count)s người cần theo dõi ngày %(day)s (XLSX)")
        % {"count": len(episodes), "day": f"{day:%d/%m/%Y}"},
        detail={"day": day.isoformat()},
        filename="theo-doi-hom-nay",
    )

"""Exports of a case list, and of a cluster list, to CSV or Excel — scoped like the list and always audited (C1, D4)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.core.tabular import write_table
from phongdich.people.exports import CONTENT_TYPES

from .models import Case, Cluster
from .selectors import CaseFilters, ClusterFilters, case_queryset, cluster_queryset

EXPORT_MAX_ROWS = 100_000
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _columns() -> list[tuple[str, Any]]:
    return [
        (_("Mã ca bệnh"), lambda c: c.case_code),
        (_("Họ và tên"), lambda c: c.person.full_name),
        (_("Năm sinh"), lambda c: c.person.birth_year),
        (_("Phân loại"), lambda c: c.get_status_display()),
        (_("Ngày khởi phát"), lambda c: _day(c.onset_date)),
        (_("Ngày lấy mẫu"), lambda c: _day(c.sampling_date)),
        (_("Ngày xác định"), lambda c: _day(c.confirmation_date)),
        (_("Nơi phát hiện"), lambda c: c.get_detected_in_display()),
        (_("Cơ sở y tế"), lambda c: c.facility.name if c.facility else ""),
        (_("Lây nhiễm trong cơ sở y tế"), lambda c: _("Có") if c.acquired_in_facility else ""),
        (_("Mã đơn vị"), lambda c: c.residence_unit.code),
        (_("Đơn vị ghi nhận"), lambda c: c.residence_unit.name),
        (_("Rõ nguồn lây"), lambda c: _("Có") if c.source_known else _("Không")),
        (_("Nguồn lây"), lambda c: c.source_note),
        (_("Đơn vị báo cáo"), lambda c: c.get_reported_by_display()),
    ]


def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _file(fmt: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows([_safe(v) for v in row] for row in rows)
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ca bệnh"))
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cases_export(*, user: Any, fmt: str, filters: CaseFilters | None = None) -> ExportFile:
    """The list the user is looking at, as a file; one EXPORT audit line with the row count."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    cases = list(case_queryset(user=user, filters=filters).order_by("-pk")[: EXPORT_MAX_ROWS + 1])
    if len(cases) > EXPORT_MAX_ROWS:
        raise ValidationFailed(_("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm."))
    columns = _columns()
    content = _file(fmt, [title for title, _g in columns], ([get(c) for _t, get in columns] for c in cases))
    f = filters or CaseFilters()
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=Case._meta.label_lower,
        summary=_("Xuất %(count)s ca bệnh (%(fmt)s)") % {"count": len(cases), "fmt": fmt.upper()},
        detail={
            "format": fmt,
            "rows": len(cases),
            "status": f.status,
            "detected_in": f.detected_in,
            "reported_by": f.reported_by,
            "unit": f.unit.code if f.unit else "",
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=content, filename=f"ca-benh-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt], rows=len(cases)
    )


def _cluster_columns() -> list[tuple[str, Any]]:
    return [
        (_("Tên ổ dịch"), lambda c: c.name),
        (_("Nơi xảy ra"), lambda c: str(c.place)),
        (_("Mã đơn vị"), lambda c: c.unit.code),
        (_("Địa bàn"), lambda c: c.unit.name),
        (_("Ngày bắt đầu"), lambda c: _day(c.start_date)),
        (_("Trạng thái"), lambda c: c.get_status_display()),
        (_("Ngày kết thúc"), lambda c: _day(c.closed_on)),
        (_("Số ca xác định"), lambda c: c.confirmed_count),
        (_("Ngày xác định ca gần nhất"), lambda c: _day(c.last_confirmation)),
        (_("Ghi chú"), lambda c: c.note),
    ]


def clusters_export(*, user: Any, fmt: str, filters: ClusterFilters | None = None) -> ExportFile:
    """The cluster list the user is looking at, as a file; one EXPORT audit line with the row count."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    clusters = list(cluster_queryset(user=user, filters=filters).order_by("-pk")[: EXPORT_MAX_ROWS + 1])
    if len(clusters) > EXPORT_MAX_ROWS:
        raise ValidationFailed(_("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm."))
    columns = _cluster_columns()
    content = write_table(
        [title for title, _g in columns],
        ([_safe(get(c)) for _t, get in columns] for c in clusters),
        fmt=fmt,
    )
    f = filters or ClusterFilters()
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=Cluster._meta.label_lower,
        summary=_("Xuất %(count)s ổ dịch (%(fmt)s)") % {"count": len(clusters), "fmt": fmt.upper()},
        detail={"format": fmt, "rows": len(clusters), "status": f.status, "unit": f.unit.code if f.unit else ""},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=content, filename=f"o-dich-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt], rows=len(clusters)
    )

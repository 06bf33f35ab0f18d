"""Exports of a case list, and of a cluster list, to CSV or Excel — scoped like the list and always audited (C1, D4)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.errors import ValidationFailed
from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import Case, Cluster
from .selectors import CaseFilters, ClusterFilters, case_queryset, cluster_queryset

FORMATS = ("csv", "xlsx")


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


def cases_export(*, user: Any, fmt: str, filters: CaseFilters | None = None) -> ExportFile:
    """The list the user is looking at, as a file; one EXPORT audit line with the row count."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng xuất không hỗ trợ."), field="format")
    cases = list(case_queryset(user=user, filters=filters).order_by("-pk")[: EXPORT_MAX_ROWS + 1])
    f = filters or CaseFilters()
    return audited_export(
        user=user,
        model=Case,
        columns=_columns(),
        rows=cases,
        summary=_("Xuất %(count)s ca bệnh (%(fmt)s)") % {"count": len(cases), "fmt": fmt.upper()},
        detail={
            "status": f.status,
            "detected_in": f.detected_in,
            "reported_by": f.reported_by,
            "unit": f.unit.code if f.unit else "",
        },
        name="ca-benh",
        fmt=fmt,
        sheet_title=_("Ca bệnh"),
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
    f = filters or ClusterFilters()
    return audited_export(
        user=user,
        model=Cluster,
        columns=_cluster_columns(),
        rows=clusters,
        summary=_("Xuất %(count)s ổ dịch (%(fmt)s)") % {"count": len(clusters), "fmt": fmt.upper()},
        detail={"status": f.status, "unit": f.unit.code if f.unit else ""},
        name="o-dich",
        fmt=fmt,
    )

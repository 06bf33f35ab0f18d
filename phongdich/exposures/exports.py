"""Excel export of a case's exposure candidates — scoped through the case, always audited (C4, D4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.cases.models import Case
from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.core.tabular import write_table
from phongdich.people.exports import CONTENT_TYPES

from .selectors import candidate_queryset

EXPORT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def candidates_export(*, user: Any, case: Case, status: str = "") -> ExportFile:
    """The case's candidates (a status or all) as XLSX; the caller has checked the case is in scope."""
    header = [
        _("Họ và tên"),
        _("Năm sinh"),
        _("Số điện thoại"),
        _("Nơi cư trú"),
        _("Địa điểm"),
        _("Cơ quan, doanh nghiệp"),
        _("Trùng từ"),
        _("Trùng đến"),
        _("Số phút trùng"),
        _("Tình trạng"),
        _("Người xử lý"),
        _("Xử lý lúc"),
    ]
    rows = []
    for r in candidate_queryset(case=case, status=status).order_by("pk")[:EXPORT_MAX_ROWS]:
        rows.append(
            [
                _safe(v)
                for v in (
                    r.person.full_name,
                    r.person.birth_year,
                    r.person.phone,
                    r.person.residence_unit.name,
                    r.premises.name,
                    r.premises.organisation.name,
                    _time(r.first_overlap_start),
                    _time(r.overlap_end),
                    r.overlap_minutes,
                    r.get_status_display(),
                    str(r.decided_by) if r.decided_by else "",
                    _time(r.decided_at),
                )
            ]
        )
    content = write_table(header, rows, fmt="xlsx")
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        obj=case,
        summary=f"{case.case_code}: xuất {len(rows)} người có thể tiếp xúc",
        detail={"rows": len(rows), "status": status},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(
        content=content,
        filename=f"tiep-xuc-quet-ma-{case.case_code}-{stamp}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
        rows=len(rows),
    )

"""Excel export of a case's exposure candidates — scoped through the case, always audited (C4, D4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.cases.models import Case
from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .selectors import candidate_queryset


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
    rows = [
        (
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
        for r in candidate_queryset(case=case, status=status).order_by("pk")[:EXPORT_MAX_ROWS]
    ]
    return audited_export(
        user=user,
        obj=case,
        header=header,
        rows=rows,
        summary=f"{case.case_code}: xuất {len(rows)} người có thể tiếp xúc",
        detail={"status": status},
        name=f"tiep-xuc-quet-ma-{case.case_code}",
        with_format=False,
    )

"""Excel export of a case's exposure candidates — scoped through the case, always audited (C4, D4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.cases.models import Case
from phongdich.cases.selectors import visible_cases
from phongdich.core.exports import EXPORT_MAX_ROWS, ExportFile, audited_export

from .models import CandidateStatus, ExposureCandidate
from .selectors import candidate_queryset


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _header() -> list[str]:
    return [
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


def _row(r: ExposureCandidate) -> tuple[Any, ...]:
    return (
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


def candidates_export(*, user: Any, case: Case, status: str = "") -> ExportFile:
    """The case's candidates (a status or all) as XLSX; the caller has checked the case is in scope."""
    rows = [_row(r) for r in candidate_queryset(case=case, status=status).order_by("pk")[:EXPORT_MAX_ROWS]]
    return audited_export(
        user=user,
        obj=case,
        header=_header(),
        rows=rows,
        summary=f"{case.case_code}: xuất {len(rows)} người có thể tiếp xúc",
        detail={"status": status},
        name=f"tiep-xuc-quet-ma-{case.case_code}",
        with_format=False,
    )


def pending_export(*, user: Any) -> ExportFile:
    """Every candidate still to decide, of every case the user may see, as XLSX (case code first)."""
    queryset = (
        ExposureCandidate.objects.filter(status=CandidateStatus.NEW, case__in=visible_cases(user).values("pk"))
        .select_related("case", "person__residence_unit", "premises__organisation", "decided_by")
        .order_by("-case_id", "pk")
    )
    rows = [(r.case.case_code, *_row(r)) for r in queryset[: EXPORT_MAX_ROWS + 1]]
    return audited_export(
        user=user,
        model=ExposureCandidate,
        header=[_("Mã ca bệnh"), *_header()],
        rows=rows,
        summary=_("Xuất %(count)s người có thể tiếp xúc chờ xác minh") % {"count": len(rows)},
        detail={"status": CandidateStatus.NEW.value},
        name="tiep-xuc-quet-ma-cho-xac-minh",
    )

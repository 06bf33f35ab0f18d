"""Excel export of a round (T2): one row per person drawn, with their organisation and result. Audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from phongdich.core.exports import ExportFile, audited_export

from .models import Round
from .selectors import round_report


def outcome_label(outcome: str | None) -> str:
    if outcome == "positive":
        return _("Dương tính")
    if outcome == "negative":
        return _("Âm tính")
    if outcome == "invalid":
        return _("Không hợp lệ")
    return _("Chưa có kết quả")


def round_export(*, user: Any, rnd: Round) -> ExportFile:
    report = round_report(user=user, rnd=rnd)
    return audited_export(
        user=user,
        obj=rnd,
        columns=[
            (_("Họ và tên"), lambda s: s.person.full_name),
            (_("Năm sinh"), lambda s: s.person.birth_year),
            (_("Cơ quan, đơn vị"), lambda s: s.organisation.name),
            (_("Hạn xét nghiệm"), lambda s: f"{rnd.due_on:%d/%m/%Y}"),
            (_("Kết quả"), lambda s: outcome_label(s.outcome)),
        ],
        rows=report.selections,
        summary=_("Xuất danh sách kỳ %(number)s của đợt sàng lọc “%(name)s” (%(count)s người)")
        % {"number": rnd.number, "name": rnd.campaign.name, "count": len(report.selections)},
        detail={"campaign": str(rnd.campaign.uid), "round": rnd.number},
        name=f"sang-loc-ky-{rnd.number}",
    )

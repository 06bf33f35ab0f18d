"""Lab results from a spreadsheet (T3): one row per sample or pool code, all rows or none.

Columns: Mã mẫu, Kết quả (dương tính / âm tính / không hợp lệ), Ct (RT-PCR only, 0–45), Thời điểm
(day, optional: today). Each row is checked first — unknown code, outcome not allowed, Ct out of
range, a day in the future, a code twice in the file or already resulted — then every result is
entered through ``services.result_enter`` in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core import tabular as tb

from .models import CT_MAX, Lab, Outcome, Pool, Result, Sample, TestKind
from .services import result_enter

OUTCOMES = {
    "dương tính": Outcome.POSITIVE,
    "duong tinh": Outcome.POSITIVE,
    "positive": Outcome.POSITIVE,
    "âm tính": Outcome.NEGATIVE,
    "am tinh": Outcome.NEGATIVE,
    "negative": Outcome.NEGATIVE,
    "không hợp lệ": Outcome.INVALID,
    "khong hop le": Outcome.INVALID,
    "invalid": Outcome.INVALID,
}


def _columns() -> list[tb.Column]:
    return [
        tb.Column(_("Mã mẫu"), "code", aliases=("code", "ma mau")),
        tb.Column(
            _("Kết quả"),
            "outcome",
            aliases=("outcome", "ket qua"),
            parse=tb.parse_choice(OUTCOMES, shown=("dương tính", "âm tính", "không hợp lệ")),
        ),
        tb.Column("Ct", "ct", required=False, parse=tb.parse_decimal(minimum=Decimal(0), maximum=Decimal(CT_MAX))),
        tb.Column(_("Ngày có kết quả"), "day", required=False, aliases=("date", "ngay"), parse=tb.parse_date),
    ]


def results_import(*, actor: Any, lab: Lab, upload: Any, filename: str | None = None) -> tb.ImportResult:
    seen: set[str] = set()
    today = timezone.localdate()

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        code = str(row["code"]).strip().upper()
        issues: list[tb.RowIssue] = []
        if code in seen:
            return [tb.RowIssue("code", _("Mã mẫu “%(code)s” xuất hiện hai lần trong tệp.") % {"code": code})]
        seen.add(code)
        sample = Sample.objects.filter(code=code).first()
        pool = None if sample is not None else Pool.objects.filter(code=code).first()
        if sample is None and pool is None:
            return [tb.RowIssue("code", _("Không có mẫu hoặc mẫu gộp mã “%(code)s”.") % {"code": code})]
        if (sample.lab_id if sample is not None else pool.lab_id) != lab.pk or (  # type: ignore[union-attr]
            sample is not None and sample.received_at is None
        ):
            issues.append(
                tb.RowIssue("code", _("Mẫu “%(code)s” chưa được phòng xét nghiệm này nhận.") % {"code": code})
            )
        elif (
            Result.objects.filter(sample=sample).exists()
            if sample is not None
            else Result.objects.filter(pool=pool).exists()
        ):
            issues.append(tb.RowIssue("code", _("Mẫu “%(code)s” đã có kết quả.") % {"code": code}))
        elif sample is not None and sample.pool_id is not None:
            issues.append(
                tb.RowIssue(
                    "code", _("Mẫu “%(code)s” nằm trong mẫu gộp; hãy nhập kết quả của mẫu gộp.") % {"code": code}
                )
            )
        kind = sample.kind if sample is not None else TestKind.PCR
        if row["ct"] is not None and kind != TestKind.PCR:
            issues.append(tb.RowIssue("ct", _("Giá trị Ct chỉ ghi cho xét nghiệm RT-PCR.")))
        day: date | None = row["day"]
        if day is not None and day > today:
            issues.append(tb.RowIssue("day", _("Ngày có kết quả không được ở tương lai.")))
        if day is not None and sample is not None and day < timezone.localdate(sample.taken_at):
            issues.append(tb.RowIssue("day", _("Ngày có kết quả không được trước ngày lấy mẫu.")))
        if issues:
            return issues
        return {**row, "code": code}

    def write(rows: list[dict[str, Any]]) -> int:
        now = timezone.now()
        for row in rows:
            day = row["day"]
            at = (
                now
                if day is None or day == timezone.localdate(now)
                else timezone.make_aware(datetime.combine(day, time(12)))
            )
            result_enter(
                actor=actor, code=row["code"], outcome=row["outcome"], ct_value=row["ct"], resulted_at=at, lab=lab
            )
        return len(rows)

    spec = tb.TabularSpec(
        name="testing.result.import",
        columns=tb.bilingual(_columns),
        validate_row=validate,
        write=write,
        title=_("kết quả xét nghiệm"),
    )
    return tb.run_import(spec, upload, actor=actor, filename=filename, audit_obj=lab, detail={"lab": str(lab.uid)})

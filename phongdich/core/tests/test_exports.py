"""The shared export pieces (D4): formula-safe cells, CSV with a BOM / XLSX with a named sheet, the row cap
(nothing written, nothing audited), one EXPORT audit line with format and rows, the stamped file name."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from phongdich.core import exports as ex
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog, User


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+84912", "'+84912"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        ("", ""),
        (-1, -1),
        (None, None),
    ],
)
def test_safe_cell_neutralises_formulas_in_text_only_D4(value: Any, expected: Any) -> None:
    assert ex.safe_cell(value) == expected


def test_table_bytes_csv_has_bom_and_safe_cells_D4() -> None:
    data = ex.table_bytes(["Họ và tên", "Năm sinh"], [["=1+1", 1990], ["Lê Thị B", None]], fmt="csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Họ và tên", "Năm sinh"], ["'=1+1", "1990"], ["Lê Thị B", ""]]
    assert b"\r\n" in data


def test_table_bytes_xlsx_names_the_sheet_and_keeps_order_D4() -> None:
    data = ex.table_bytes(["A", "B"], [["@x", 2]], sheet_title="Ca bệnh")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Ca bệnh"]
    assert [list(r) for r in wb.active.iter_rows(values_only=True)] == [["A", "B"], ["'@x", 2]]


@pytest.mark.django_db
def test_audited_export_writes_one_audit_line_and_stamped_name_D4() -> None:
    user = User.objects.create_user(username="xuat", password="x")
    rows = [user]
    f = ex.audited_export(
        user=user,
        model=User,
        columns=[("Tên đăng nhập", lambda u: u.username)],
        rows=rows,
        summary="Xuất 1 người dùng (CSV)",
        detail={"q": "x"},
        name="nguoi-dung",
        fmt="csv",
    )
    assert re.fullmatch(r"nguoi-dung-\d{8}-\d{4}\.csv", f.filename)
    assert f.content_type == ex.CONTENT_TYPES["csv"]
    assert f.rows == 1
    assert f.content.decode("utf-8-sig").splitlines() == ["Tên đăng nhập", "xuat"]
    line = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert line.object_type == User._meta.label_lower
    assert line.summary == "Xuất 1 người dùng (CSV)"
    assert line.detail == {"format": "csv", "rows": 1, "q": "x"}


@pytest.mark.django_db
def test_audited_export_over_the_cap_refuses_and_audits_nothing_D4(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ex, "EXPORT_MAX_ROWS", 2)
    with pytest.raises(ValidationFailed) as caught:
        ex.audited_export(
            user=None, model=User, header=["x"], rows=[[1], [2], [3]], summary="s", name="n", too_large="quá nhiều"
        )
    assert str(caught.value.message) == "quá nhiều"
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()

"""The generic CSV/Excel import (core.tabular): every error path of an import, and its speed."""

from __future__ import annotations

import csv
import io
import time
import unicodedata
from typing import Any

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from phongdich.core import tabular as tb
from phongdich.core.models import AuditAction, AuditLog, User

HEADER = "Tên đăng nhập,Họ,Tuổi,Ghi chú"


def user_spec(*, seen: set[str] | None = None, fail_on_write: bool = False) -> tb.TabularSpec:
    """Accounts as the thing imported: core's own model, so the test needs no other app."""
    seen = set() if seen is None else seen

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        if row["username"] in seen:
            return [tb.RowIssue("username", "Trùng trong tệp.")]
        seen.add(row["username"])
        return row

    def write(rows: list[dict[str, Any]]) -> int:
        if fail_on_write:
            raise RuntimeError("disk full")
        User.objects.bulk_create(
            [User(username=r["username"], last_name=r["last_name"], first_name=str(r["age"])) for r in rows]
        )
        return len(rows)

    return tb.TabularSpec(
        name="core.user_import_test",
        title="tài khoản",
        columns=(
            tb.Column("Tên đăng nhập", "username", aliases=("username",)),
            tb.Column("Họ", "last_name"),
            tb.Column("Tuổi", "age", parse=tb.parse_int(minimum=0, maximum=150)),
            tb.Column("Ghi chú", "note", required=False, default=""),
        ),
        validate_row=validate,
        write=write,
    )


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese Windows saves it: base letter, then a combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258")


GOOD = HEADER + "\nlan,Nguyễn,30,\nđức,Trần,41,trưởng xóm\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_and_without_bom_imports_all_rows_D1(db: Any, encoding: str) -> None:
    result = tb.run_import(user_spec(), csv_bytes(GOOD, encoding), filename="users.csv", actor=None)
    assert result.ok
    assert (result.total_rows, result.written, result.rejected) == (2, 2, 0)
    assert User.objects.get(username="đức").last_name == "Trần"
    line = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert line.detail["written"] == 2
    assert line.object_type == "core.user_import_test"


def test_cp1258_file_is_refused_with_save_as_utf8_message_D1(db: Any) -> None:
    data = cp1258_bytes(HEADER + "\r\nlan,Nguyễn,30,\r\n")
    assert data.decode("cp1258") != data.decode("utf-8", errors="replace")
    with pytest.raises(tb.TabularFileError) as exc:
        tb.run_import(user_spec(), data, filename="users.csv", actor=None)
    assert "UTF-8" in str(exc.value)
    assert "Windows-1258" in str(exc.value)
    assert exc.value.field == "file"
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Tệp rỗng"),
        (b"\xef\xbb\xbf\r\n\r\n", "Tệp rỗng"),
        (csv_bytes(HEADER + "\n"), "chỉ có dòng tiêu đề"),
        (csv_bytes(HEADER + "\n,,,\n"), "chỉ có dòng tiêu đề"),
    ],
    ids=["empty", "bom-and-blank-lines", "header-only", "header-and-blank-row"],
)
def test_empty_and_header_only_files_are_refused_D1(db: Any, data: bytes, expected: str) -> None:
    with pytest.raises(tb.TabularFileError, match=expected):
        tb.run_import(user_spec(), data, filename="users.csv", actor=None)
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


def test_unknown_column_is_named_D1(db: Any) -> None:
    data = csv_bytes("Tên đăng nhập,Họ,Tuổi,Số nhà\nlan,Nguyễn,30,12\n")
    with pytest.raises(tb.TabularFileError, match="“Số nhà”"):
        tb.run_import(user_spec(), data, filename="users.csv", actor=None)


def test_missing_required_column_is_named_D1(db: Any) -> None:
    data = csv_bytes("Tên đăng nhập,Ghi chú\nlan,\n")
    with pytest.raises(tb.TabularFileError) as exc:
        tb.run_import(user_spec(), data, filename="users.csv", actor=None)
    assert "“Họ”" in str(exc.value)
    assert "“Tuổi”" in str(exc.value)


def test_headers_match_without_case_or_diacritics_and_optional_columns_may_be_absent_D1(db: Any) -> None:
    data = csv_bytes("USERNAME;ho;TUOI\nlan;Nguyễn;30\n")  # semicolon-separated, as some Excel locales save
    result = tb.run_import(user_spec(), data, filename="users.csv", actor=None)
    assert result.written == 1


def test_ignored_and_unknown_columns_when_declared_D1(db: Any) -> None:
    spec = user_spec()
    data = csv_bytes("STT,Tên đăng nhập,Họ,Tuổi,Khác\n1,lan,Nguyễn,30,x\n")
    with pytest.raises(tb.TabularFileError, match="“Khác”"):
        tb.run_import(tb.TabularSpec(**{**spec.__dict__, "ignore_columns": ("STT",)}), data, actor=None)
    lenient = tb.TabularSpec(**{**spec.__dict__, "ignore_unknown_columns": True})
    assert tb.run_import(lenient, data, filename="u.csv", actor=None).written == 1


BAD = HEADER + "\nlan,Nguyễn,30,\nminh,,abc,\n\nlan,Lê,20,\nhoa,Phạm,200,\n"


def test_bad_rows_write_nothing_and_report_sheet_row_numbers_D1(db: Any) -> None:
    result = tb.run_import(user_spec(), csv_bytes(BAD), filename="users.csv", actor=None)
    assert not result.ok
    assert result.written == 0
    assert not User.objects.exists()
    assert result.total_rows == 4
    assert result.rejected == 3
    # header = row 1; the blank line (row 4) keeps its number
    assert result.errors == [
        tb.RowError(3, "Họ", "Không được để trống."),
        tb.RowError(3, "Tuổi", "“abc” không phải là số nguyên."),
        tb.RowError(5, "Tên đăng nhập", "Trùng trong tệp."),
        tb.RowError(6, "Tuổi", "Giá trị không được lớn hơn 150."),
    ]
    assert result.rejected_file is not None  # offered for correction even when nothing was written
    assert AuditLog.objects.get(action=AuditAction.IMPORT).detail["rejected"] == 3


def test_partial_mode_writes_valid_rows_and_returns_rejected_csv_with_error_column_D1(db: Any) -> None:
    result = tb.run_import(user_spec(), csv_bytes(BAD), filename="users.csv", actor=None, partial=True)
    assert result.written == 1
    assert list(User.objects.values_list("username", flat=True)) == ["lan"]
    assert result.rejected_filename == "users-loi.csv"
    assert result.rejected_content_type.startswith("text/csv")
    assert result.rejected_file is not None
    assert result.rejected_file.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.rejected_file.decode("utf-8-sig"))))
    assert rows[0] == ["Tên đăng nhập", "Họ", "Tuổi", "Ghi chú", "Lỗi"]
    assert [r[0] for r in rows[1:]] == ["minh", "lan", "hoa"]
    assert rows[1][4] == "Họ: Không được để trống.; Tuổi: “abc” không phải là số nguyên."


def test_writer_failure_rolls_back_everything_D1(db: Any) -> None:
    with pytest.raises(RuntimeError):
        tb.run_import(user_spec(fail_on_write=True), csv_bytes(GOOD), filename="u.csv", actor=None)
    assert not User.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_input_and_rejected_xlsx_file_D1(db: Any) -> None:
    data = xlsx_bytes(
        [
            ["Tên đăng nhập", "Họ", "Tuổi", None],
            ["lan", "Nguyễn", 30],
            [None, None, None],
            ["minh", "Lê", 12.0],
            ["hoa", "Phạm", -1],
        ]
    )
    result = tb.run_import(user_spec(), data, filename="users.xlsx", actor=None, partial=True)
    assert result.file_format == "xlsx"
    assert result.written == 2
    assert User.objects.get(username="minh").first_name == "12"
    assert result.errors == [tb.RowError(5, "Tuổi", "Giá trị phải từ 0 trở lên.")]
    assert result.rejected_filename == "users-loi.xlsx"
    assert result.rejected_file is not None
    ws = load_workbook(io.BytesIO(result.rejected_file)).active
    assert ws is not None
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["Tên đăng nhập", "Họ", "Tuổi", "Lỗi"],
        ["hoa", "Phạm", "-1", "Tuổi: Giá trị phải từ 0 trở lên."],
    ]


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"\xd0\xcf\x11\xe0junk", "a.xls", ".xls"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "Không đọc được tệp Excel"),
        (b"a,b\n", "a.pdf", "Chỉ nhận tệp"),
        ("Tên đăng nhập,Họ\n".encode("utf-16"), "a.csv", "UTF-16"),
    ],
)
def test_unreadable_formats_are_refused_D1(db: Any, data: bytes, filename: str, expected: str) -> None:
    with pytest.raises(tb.TabularFileError, match=expected):
        tb.run_import(user_spec(), data, filename=filename, actor=None)


def test_limits_on_bytes_and_rows_D1(db: Any) -> None:
    data = csv_bytes(HEADER + "".join(f"\nu{i},Lê,{i % 90}," for i in range(50)))
    with override_settings(IMPORT_MAX_BYTES=100), pytest.raises(tb.TabularFileError, match="quá lớn"):
        tb.run_import(user_spec(), data, filename="u.csv", actor=None)
    with override_settings(IMPORT_MAX_ROWS=49), pytest.raises(tb.TabularFileError, match="quá nhiều dòng"):
        tb.run_import(user_spec(), data, filename="u.csv", actor=None)
    with override_settings(IMPORT_MAX_ROWS=50):
        assert tb.run_import(user_spec(), data, filename="u.csv", actor=None).written == 50


def test_file_objects_and_uploaded_files_are_accepted_D1(db: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("nguoi-dung.csv", csv_bytes(GOOD), content_type="text/csv")
    result = tb.run_import(user_spec(), upload, actor=None)
    assert (result.filename, result.written) == ("nguoi-dung.csv", 2)
    assert tb.read_table(io.BytesIO(csv_bytes(GOOD)), filename="x.csv").header == HEADER.split(",")


def test_row_with_cells_beyond_the_header_is_rejected_D1(db: Any) -> None:
    result = tb.run_import(user_spec(), csv_bytes(HEADER + "\nlan,Nguyễn,30,,lạ\n"), filename="u.csv", actor=None)
    assert result.errors == [tb.RowError(2, "", "Dòng có dữ liệu ở ngoài các cột có tiêu đề.")]


@pytest.mark.parametrize(
    ("parser", "text", "expected"),
    [
        (tb.parse_int(), "1.234", 1234),
        (tb.parse_int(), "1,234,567", 1234567),
        (tb.parse_int(), "12.0", 12),
        (tb.parse_code(digits=5), "5431", "05431"),
        (tb.parse_code(digits=5), "5431.0", "05431"),
        (tb.parse_code(digits=5), "05431-01", "05431-01"),
        (tb.parse_date, "03/02/2021", __import__("datetime").date(2021, 2, 3)),
        (tb.parse_date, "2021-02-03", __import__("datetime").date(2021, 2, 3)),
        (tb.parse_choice({"Xóm": "xom", "Tổ dân phố": "tdp"}), "to dan pho", "tdp"),
    ],
)
def test_ready_made_parsers_D1(parser: Any, text: str, expected: Any) -> None:
    assert parser(text) == expected


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        (tb.parse_int(), "1.5"),
        (tb.parse_int(), "mười"),
        (tb.parse_code(), "a/b"),
        (tb.parse_date, "31/02/2021"),
        (tb.parse_choice({"Xóm": "xom"}), "phố"),
        (tb.parse_decimal(), "nan"),
    ],
)
def test_ready_made_parsers_reject_D1(parser: Any, text: str) -> None:
    with pytest.raises(tb.CellInvalid):
        parser(text)


def test_template_file_has_the_headers_D1() -> None:
    ws = load_workbook(io.BytesIO(tb.template_file(user_spec()))).active
    assert ws is not None
    assert next(ws.iter_rows(values_only=True)) == ("Tên đăng nhập", "Họ", "Tuổi", "Ghi chú")


def test_100000_row_csv_is_imported_in_seconds_D1(db: Any) -> None:
    """Reading, parsing, validating and batching 100,000 rows; the writer bulk-creates in batches.

    The writer inserts a one-column row per line with ``bulk_create`` (django's own cost per row
    grows with the model's column count; that part belongs to each app's writer).
    """
    from django.contrib.auth.models import Group

    batches: list[int] = []

    def write(rows: list[dict[str, Any]]) -> int:
        batches.append(len(rows))
        Group.objects.bulk_create([Group(name=r["username"]) for r in rows])
        return len(rows)

    spec = tb.TabularSpec(**{**user_spec().__dict__, "write": write})
    lines = [HEADER, *(f"nguoi{i},Nguyễn,{i % 100}," for i in range(100_000))]
    data = "\r\n".join(lines).encode("utf-8-sig")
    # CPU time of this process: what the import costs, whatever else the machine is busy with.
    started, wall = time.process_time(), time.perf_counter()
    result = tb.run_import(spec, data, filename="big.csv", actor=None)
    cpu, elapsed = time.process_time() - started, time.perf_counter() - wall
    assert result.written == 100_000
    assert Group.objects.count() == 100_000
    assert max(batches) == spec.batch_size
    assert cpu < 10, f"100,000 rows took {cpu:.1f}s of CPU"
    assert elapsed < 60, f"100,000 rows took {elapsed:.1f}s"

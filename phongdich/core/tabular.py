"""Import a table (CSV or Excel) row by row: validate everything first, then write in one transaction.

Every CSV/Excel import in the project goes through here, so every import behaves the same way:

* the file is ``.csv`` (UTF-8, with or without BOM; anything else is refused with a message that says how
  to save it as UTF-8) or ``.xlsx`` (first sheet, read with openpyxl in read-only mode);
* the first row is the header; each header is matched, ignoring case and diacritics, against the
  spec's columns (and their aliases); unknown and missing columns are refused by name;
* every data row is parsed and validated before anything is written, and errors are reported
  with the row number the user sees in the sheet (the header is row 1);
* if any row fails nothing is written — unless ``partial=True``: then the valid rows are written
  and the rejected ones come back as a file (same format, an extra ``Lỗi`` column);
* all writes of one import happen in one transaction, with one audit line (``AuditAction.IMPORT``);
* limits: ``settings.IMPORT_MAX_BYTES`` and ``settings.IMPORT_MAX_ROWS``.

Usage — build a spec per import (a closure may hold state, e.g. codes already seen)::

    from phongdich.core import tabular as tb

    def write(rows: list[dict[str, Any]]) -> int:
        Thing.objects.bulk_create([Thing(**r) for r in rows])
        return len(rows)

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        if row["code"] in seen:
            return [tb.RowIssue("code", _("Mã bị trùng trong tệp."))]
        seen.add(row["code"])
        return row                                   # the cleaned row handed to ``write``

    spec = tb.TabularSpec(
        name="things.import",                        # audit object_type
        columns=(
            tb.Column("Mã", "code", aliases=("code",)),
            tb.Column("Số lượng", "count", parse=tb.parse_int(minimum=0)),
            tb.Column("Ghi chú", "note", required=False, default=""),
        ),
        validate_row=validate,
        write=write,
    )
    result = tb.run_import(spec, uploaded_file, actor=request.user, partial=False)
    if not result.ok:
        for err in result.errors:                    # RowError(row=3, column="Số lượng", message="...")
            ...
    result.rejected_file                             # bytes (CSV or XLSX) or None

File-level problems (encoding, empty file, unknown/missing columns, too big) raise
``TabularFileError`` (a ``ValidationFailed`` with ``field="file"``) before anything is read further.

Pieces:

``Column(header, key, *, required=True, allow_blank=None, parse=None, aliases=(), default=None)``
    ``required``: the column must be in the header. ``allow_blank``: an empty cell is allowed (default:
    ``not required``); an empty or absent cell gives ``default``. ``parse(text) -> value`` converts a
    non-empty, stripped cell; it raises ``CellInvalid(message)`` (or ``ValidationFailed``) to reject it.
    Ready-made parsers: ``parse_int``, ``parse_decimal``, ``parse_date``, ``parse_choice``, ``parse_code``.

``TabularSpec(name, columns, write, *, validate_row=None, ignore_columns=(), ignore_unknown_columns=False,
batch_size=2000, title="")``
    ``validate_row(values) -> dict | list[RowIssue]`` receives ``{key: parsed value}`` for a row whose cells
    all parsed; it returns the cleaned row, or issues (``RowIssue(column_key_or_None, message)``); raising
    ``ApplicationError`` also rejects the row (its ``field`` names the column key).
    ``write(rows) -> int | None`` is called inside the transaction with batches of at most ``batch_size``
    cleaned rows, in file order; it returns how many it wrote (None: all of them). An exception from
    ``write`` rolls back the whole import and propagates.

``run_import(spec, upload, *, actor, filename=None, partial=False, audit_obj=None, detail=None)``
    ``upload``: bytes, a binary file object, or a Django ``UploadedFile`` (its name gives the format).

``read_table(upload, *, filename=None) -> Table``
    Just the reading (header + rows of strings), for callers that need no validation.

``template_file(spec_or_columns, *, fmt="xlsx") -> bytes``
    An empty file with the spec's headers, for a "download the template" link.

``remember_rejected_file(result, *, user) -> str`` / ``rejected_file_response(token, *, user)``
    Keep the rejected-rows file in the cache for an hour under a random token, so that the result page
    can link to it; only the same user can fetch it (else 404). The template
    ``core/_import_result.html`` shows an ``ImportResult`` (``result``, ``rejected_url``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import IO, Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .audit import audit
from .errors import ApplicationError, ValidationFailed
from .models import AuditAction, User
from .text import fold

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_HEADER = gettext_noop("Lỗi")  # the extra column of a rejected-rows file, translated on output

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


# --- Errors and results -------------------------------------------------------------------


class TabularFileError(ValidationFailed):
    """The file as a whole cannot be imported (format, encoding, header, size). Nothing was written."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, field="file")


class CellInvalid(ValueError):
    """Raised by a column parser: the cell's text is not acceptable. ``message`` is shown to the user."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


class RowIssue(NamedTuple):
    """One problem a row validator found: the column key (None for the whole row) and a message."""

    column: str | None
    message: str


class RowError(NamedTuple):
    """One reported error: row number as seen in the sheet (header = 1), column header, message."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    spec_name: str
    filename: str
    file_format: str  # "csv" or "xlsx"
    total_rows: int = 0  # data rows read (blank rows skipped)
    written: int = 0
    rejected: int = 0  # rows with at least one error
    partial: bool = False
    errors: list[RowError] = field(default_factory=list)
    rejected_file: bytes | None = None
    rejected_filename: str = ""
    rejected_content_type: str = ""

    @property
    def ok(self) -> bool:
        """True when every row was valid (and so every row was written)."""
        return not self.errors

    @property
    def committed(self) -> bool:
        """True when rows were written (all of them, or the valid ones in partial mode)."""
        return self.written > 0

    def errors_by_row(self) -> dict[int, list[RowError]]:
        out: dict[int, list[RowError]] = {}
        for err in self.errors:
            out.setdefault(err.row, []).append(err)
        return out


# --- Spec ------------------------------------------------------------------------------------

Parser = Callable[[str], Any]
RowValidator = Callable[[dict[str, Any]], "Mapping[str, Any] | Sequence[RowIssue]"]
Writer = Callable[[list[dict[str, Any]]], "int | None"]


@dataclass(frozen=True)
class Column:
    header: str  # as the user writes it in the sheet (Vietnamese)
    key: str
    required: bool = True
    allow_blank: bool | None = None  # None: blank allowed iff the column is optional
    parse: Parser | None = None
    aliases: tuple[str, ...] = ()
    default: Any = None

    @property
    def blank_ok(self) -> bool:
        return (not self.required) if self.allow_blank is None else self.allow_blank

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class TabularSpec:
    name: str
    columns: tuple[Column, ...]
    write: Writer
    validate_row: RowValidator | None = None
    ignore_columns: tuple[str, ...] = ()
    ignore_unknown_columns: bool = False
    batch_size: int = 2000
    title: str = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def bilingual(columns: Callable[[], Sequence[Column]]) -> tuple[Column, ...]:
    """The columns headed in the user's language, also accepting the headers in the source language.

    ``columns`` builds the columns with translated headers (``_("Họ và tên")``). It is called
    once in the active language and once in ``settings.LANGUAGE_CODE`` (Vietnamese); where the two
    headers differ, the Vietnamese one becomes an alias. A sheet made by a colleague working in
    Vietnamese thus imports under an English interface, and the other way round.
    """
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        source = {c.key: c.header for c in columns()}
    return tuple(
        c if source[c.key] in c.names() else replace(c, aliases=(*c.aliases, source[c.key])) for c in columns()
    )


# --- Ready-made cell parsers ----------------------------------------------------------------


def parse_int(*, minimum: int | None = None, maximum: int | None = None) -> Parser:
    """Whole numbers; accepts ``1.234``/``1,234`` thousands separators and Excel's ``12.0``."""

    def parse(text: str) -> int:
        cleaned = text.replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", cleaned):
            cleaned = cleaned.replace(".", "").replace(",", "")
        elif re.fullmatch(r"-?\d+\.0+", cleaned):
            cleaned = cleaned.split(".")[0]
        if not re.fullmatch(r"-?\d+", cleaned):
            raise CellInvalid(_("“%(value)s” không phải là số nguyên.") % {"value": text})
        value = int(cleaned)
        if minimum is not None and value < minimum:
            raise CellInvalid(_("Giá trị phải từ %(min)s trở lên.") % {"min": minimum})
        if maximum is not None and value > maximum:
            raise CellInvalid(_("Giá trị không được lớn hơn %(max)s.") % {"max": maximum})
        return value

    return parse


def parse_decimal(*, minimum: Decimal | None = None, maximum: Decimal | None = None) -> Parser:
    """Decimal numbers; a comma is accepted as the decimal separator."""

    def parse(text: str) -> Decimal:
        try:
            value = Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise CellInvalid(_("“%(value)s” không phải là số.") % {"value": text}) from None
        if not value.is_finite():
            raise CellInvalid(_("“%(value)s” không phải là số.") % {"value": text})
        if minimum is not None and value < minimum:
            raise CellInvalid(_("Giá trị phải từ %(min)s trở lên.") % {"min": minimum})
        if maximum is not None and value > maximum:
            raise CellInvalid(_("Giá trị không được lớn hơn %(max)s.") % {"max": maximum})
        return value

    return parse


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str) -> dt.date:
    """``dd/mm/yyyy`` (as Vietnamese users write it) or ISO ``yyyy-mm-dd``."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00:00", value):  # an Excel date read as text
        value = value[:10]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise CellInvalid(_("“%(value)s” không phải là ngày hợp lệ (dd/mm/yyyy).") % {"value": text})


def parse_choice(choices: Mapping[str, Any], *, shown: Iterable[str] | None = None) -> Parser:
    """Map the cell (compared without case and diacritics) to a value: ``{"Xóm": UnitType.XOM, ...}``.

    ``shown``: the names listed in the error message (default: every key)."""
    folded = {fold(k): v for k, v in choices.items()}
    allowed = ", ".join(shown if shown is not None else choices)

    def parse(text: str) -> Any:
        try:
            return folded[fold(text)]
        except KeyError:
            raise CellInvalid(
                _("“%(value)s” không hợp lệ; chọn một trong: %(allowed)s.") % {"value": text, "allowed": allowed}
            ) from None

    return parse


def parse_code(*, digits: int | None = None, max_length: int = 20) -> Parser:
    """A code such as a GSO unit code. With ``digits`` a purely numeric code is zero-padded
    (Excel turns ``05431`` into ``5431``)."""

    def parse(text: str) -> str:
        value = text.strip()
        if re.fullmatch(r"\d+\.0+", value):
            value = value.split(".")[0]
        if digits is not None and value.isdigit() and len(value) < digits:
            value = value.zfill(digits)
        if len(value) > max_length or "/" in value or any(ch.isspace() for ch in value):
            raise CellInvalid(_("Mã “%(value)s” không hợp lệ.") % {"value": text})
        return value

    return parse


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class Table:
    """A file read as text: the header row and an iterator of ``(row number, cells)`` for the data rows.

    Rows with no non-blank cell are skipped (they keep their number, so numbers match the sheet).
    """

    filename: str
    file_format: str  # "csv" or "xlsx"
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


Upload = bytes | IO[bytes] | Any  # Any: Django's UploadedFile


def _read_bytes(upload: Upload, max_bytes: int) -> bytes:
    if isinstance(upload, bytes | bytearray | memoryview):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if isinstance(size, int) and size > max_bytes:
            raise _too_big(max_bytes)
        if hasattr(upload, "seek"):
            upload.seek(0)
        if hasattr(upload, "chunks"):
            buf = bytearray()
            for chunk in upload.chunks():
                buf += chunk
                if len(buf) > max_bytes:
                    raise _too_big(max_bytes)
            data = bytes(buf)
        else:
            data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    return data


def _too_big(max_bytes: int) -> TabularFileError:
    return TabularFileError(
        _("Tệp quá lớn (tối đa %(mb)s MB). Hãy chia thành nhiều tệp nhỏ hơn.")
        % {"mb": f"{max_bytes / (1024 * 1024):.0f}"}
    )


def _detect_format(data: bytes, filename: str) -> str:
    lower = filename.lower()
    if lower.endswith(".xls") or data.startswith(_OLE_MAGIC):
        raise TabularFileError(
            _("Định dạng Excel 97-2003 (.xls) không được hỗ trợ. Hãy lưu lại tệp dưới dạng .xlsx hoặc CSV UTF-8.")
        )
    if lower.endswith(".xlsx") or data.startswith(_XLSX_MAGIC):
        return "xlsx"
    if lower.endswith((".csv", ".txt")) or not lower or "." not in lower:
        return "csv"
    raise TabularFileError(_("Chỉ nhận tệp .csv hoặc .xlsx."))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TabularFileError(_utf8_message(_("Tệp đang ở mã UTF-16.")))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TabularFileError(
            _utf8_message(_("Tệp không phải mã UTF-8 (có thể là Windows-1258, TCVN3 hay VNI)."))
        ) from None
    if "\x00" in text:
        raise TabularFileError(_("Tệp CSV chứa ký tự không hợp lệ (NUL); có thể đây không phải tệp văn bản."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    header: list[str] | None = None
    try:
        for record in reader:
            number += 1
            if any(cell.strip() for cell in record):
                header = [cell.strip() for cell in record]
                break
    except csv.Error as exc:
        raise TabularFileError(_("Tệp CSV lỗi ở dòng %(row)s: %(error)s") % {"row": number, "error": exc}) from None
    if header is None:
        raise TabularFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    header_row = number

    def rows() -> Iterator[tuple[int, list[str]]]:
        n = header_row
        try:
            for record in reader:
                n += 1
                cells = [cell.strip() for cell in record]
                if any(cells):
                    yield n, cells
        except csv.Error as exc:
            raise TabularFileError(_("Tệp CSV lỗi ở dòng %(row)s: %(error)s") % {"row": n + 1, "error": exc}) from None

    return header, rows()


def _utf8_message(reason: str) -> str:
    return (
        reason
        + " "
        + _(
            "Hãy mở tệp bằng Excel và chọn Lưu thành (Save As) → “CSV UTF-8 (Comma delimited) (*.csv)”, "
            "hoặc lưu dạng .xlsx, rồi tải lên lại."
        )
    )


def _xlsx_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, xml, key errors) for a damaged file
        raise TabularFileError(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải .xlsx.")) from None
    ws = wb.worksheets[0] if wb.worksheets else None
    if ws is None:
        wb.close()
        raise TabularFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    it = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    number = 0
    for values in it:
        number += 1
        cells = [_cell_text(v) for v in values]
        if any(cells):
            header = cells
            break
    if header is None:
        wb.close()
        raise TabularFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    header_row = number

    def rows() -> Iterator[tuple[int, list[str]]]:
        n = header_row
        try:
            for values in it:
                n += 1
                cells = [_cell_text(v) for v in values]
                if any(cells):
                    yield n, cells
        finally:
            wb.close()

    return header, rows()


def read_table(upload: Upload, *, filename: str | None = None) -> Table:
    """Read an uploaded CSV or XLSX as text. Raises ``TabularFileError`` for an unreadable file."""
    name = filename or str(getattr(upload, "name", "") or "")
    data = _read_bytes(upload, int(settings.IMPORT_MAX_BYTES))
    if not data.strip():
        raise TabularFileError(_("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."))
    fmt = _detect_format(data, name)
    header, rows = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    while header and not header[-1]:
        header.pop()
    return Table(filename=name.rsplit("/", 1)[-1], file_format=fmt, header=header, rows=rows)


# --- Header matching ---------------------------------------------------------------------


def _match_header(spec: TabularSpec, header: list[str]) -> list[Column | None]:
    """For each header cell, the column it fills (None: ignored). Raises on unknown/missing/duplicate."""
    by_name: dict[str, Column] = {}
    for col in spec.columns:
        for name in col.names():
            by_name[fold(name)] = col
    ignored = {fold(n) for n in spec.ignore_columns}
    mapping: list[Column | None] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for cell in header:
        key = fold(cell)
        if not key or key in ignored:
            mapping.append(None)
            continue
        match = by_name.get(key)
        if match is None:
            if not spec.ignore_unknown_columns:
                unknown.append(cell)
            mapping.append(None)
            continue
        if match.key in seen:
            raise TabularFileError(
                _("Cột “%(a)s” và “%(b)s” trùng nhau (cùng là “%(col)s”).")
                % {"a": seen[match.key], "b": cell, "col": match.header}
            )
        seen[match.key] = cell
        mapping.append(match)
    if unknown:
        raise TabularFileError(
            _("Tệp có cột không nhận ra: %(unknown)s. Các cột được chấp nhận: %(allowed)s.")
            % {
                "unknown": ", ".join(f"“{u}”" for u in unknown),
                "allowed": ", ".join(f"“{c.header}”" for c in spec.columns),
            }
        )
    missing = [c.header for c in spec.columns if c.required and c.key not in seen]
    if missing:
        raise TabularFileError(
            _("Tệp thiếu cột bắt buộc: %(missing)s.") % {"missing": ", ".join(f"“{m}”" for m in missing)}
        )
    return mapping


# --- Running an import ---------------------------------------------------------------------


def _message(exc: BaseException) -> str:
    if isinstance(exc, CellInvalid):
        return exc.message
    if isinstance(exc, ApplicationError):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return _("Giá trị không hợp lệ.")


def _parse_row(
    spec: TabularSpec, mapping: list[Column | None], cells: list[str], absent: list[Column]
) -> tuple[dict[str, Any], list[RowIssue]]:
    values: dict[str, Any] = {}
    issues: list[RowIssue] = []
    width = len(mapping)
    if len(cells) > width and any(cells[width:]):
        issues.append(RowIssue(None, _("Dòng có dữ liệu ở ngoài các cột có tiêu đề.")))
    for i, col in enumerate(mapping):
        if col is None:
            continue
        text = cells[i] if i < len(cells) else ""
        if not text:
            if not col.blank_ok:
                issues.append(RowIssue(col.key, _("Không được để trống.")))
            values[col.key] = col.default
            continue
        if col.parse is None:
            values[col.key] = text
            continue
        try:
            values[col.key] = col.parse(text)
        except (CellInvalid, ApplicationError, ValidationError, ValueError, TypeError) as exc:
            issues.append(RowIssue(col.key, _message(exc)))
    for col in absent:
        values[col.key] = col.default
    return values, issues


def _validate(spec: TabularSpec, values: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowIssue]]:
    if spec.validate_row is None:
        return values, []
    try:
        outcome = spec.validate_row(values)
    except (ApplicationError, ValidationError) as exc:
        return None, [RowIssue(getattr(exc, "field", None), _message(exc))]
    if isinstance(outcome, Mapping):
        return dict(outcome), []
    issues = [RowIssue(*i) if not isinstance(i, RowIssue) else i for i in outcome]
    return None, issues or [RowIssue(None, _("Dòng không hợp lệ."))]


def run_import(
    spec: TabularSpec,
    upload: Upload,
    *,
    actor: User | AnonymousUser | None,
    filename: str | None = None,
    partial: bool = False,
    audit_obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> ImportResult:
    """Validate every row of ``upload`` against ``spec``, then write (all, or the valid ones if ``partial``).

    Raises ``TabularFileError`` for a file that cannot be read as a table with the right columns.
    Row problems do not raise: they are returned in ``ImportResult.errors``.
    """
    table = read_table(upload, filename=filename)
    mapping = _match_header(spec, table.header)
    present = {c.key for c in mapping if c is not None}
    absent = [c for c in spec.columns if c.key not in present]
    header_of = {c.key: c.header for c in spec.columns}
    max_rows = int(settings.IMPORT_MAX_ROWS)

    result = ImportResult(spec_name=spec.name, filename=table.filename, file_format=table.file_format, partial=partial)
    valid: list[dict[str, Any]] = []
    rejected_rows: list[tuple[list[str], str]] = []
    for number, cells in table.rows:
        result.total_rows += 1
        if result.total_rows > max_rows:
            raise TabularFileError(
                _("Tệp có quá nhiều dòng (tối đa %(max)s dòng dữ liệu). Hãy chia thành nhiều tệp.") % {"max": max_rows}
            )
        values, issues = _parse_row(spec, mapping, cells, absent)
        cleaned: dict[str, Any] | None = None
        if not issues:
            cleaned, issues = _validate(spec, values)
        if issues:
            result.rejected += 1
            row_errors = [RowError(number, header_of.get(i.column or "", ""), i.message) for i in issues]
            result.errors.extend(row_errors)
            rejected_rows.append((cells, "; ".join(_error_text(e) for e in row_errors)))
        elif cleaned is not None:
            valid.append(cleaned)
    if result.total_rows == 0:
        raise TabularFileError(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))

    if rejected_rows:
        result.rejected_file = _rejected_file(table, rejected_rows)
        stem = table.filename.rsplit(".", 1)[0] or "import"
        result.rejected_filename = f"{stem}-loi.{table.file_format}"
        result.rejected_content_type = XLSX_CONTENT_TYPE if table.file_format == "xlsx" else CSV_CONTENT_TYPE

    with transaction.atomic():
        if valid and (partial or not rejected_rows):
            for start in range(0, len(valid), spec.batch_size):
                batch = valid[start : start + spec.batch_size]
                written = spec.write(batch)
                result.written += len(batch) if written is None else written
        audit(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=audit_obj,
            object_type="" if audit_obj is not None else spec.name,
            summary=_("Nhập %(title)s từ “%(file)s”: %(written)s dòng ghi, %(rejected)s dòng lỗi")
            % {
                "title": spec.title or spec.name,
                "file": table.filename,
                "written": result.written,
                "rejected": result.rejected,
            },
            detail={
                "spec": spec.name,
                "filename": table.filename,
                "format": table.file_format,
                "rows": result.total_rows,
                "written": result.written,
                "rejected": result.rejected,
                "partial": partial,
                **(detail or {}),
            },
        )
    return result


def _error_text(err: RowError) -> str:
    return f"{err.column}: {err.message}" if err.column else err.message


def _rejected_file(table: Table, rows: list[tuple[list[str], str]]) -> bytes:
    header = [*table.header, _(ERROR_HEADER)]
    width = len(table.header)
    body: Iterable[list[str]] = ([*(cells + [""] * width)[:width], message] for cells, message in rows)
    return write_table(header, body, fmt=table.file_format)


def write_table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str = "csv") -> bytes:
    """Write rows to CSV (UTF-8 with BOM, so that Excel shows Vietnamese correctly) or XLSX bytes."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def template_file(spec: TabularSpec | Sequence[Column], *, fmt: str = "xlsx") -> bytes:
    """An empty table with the column headers of a spec (or of a sequence of columns)."""
    columns = spec.columns if isinstance(spec, TabularSpec) else spec
    return write_table([c.header for c in columns], [], fmt=fmt)


# --- The rejected-rows file, offered for download after the result page ----------------------------

REJECTED_TTL_SECONDS = 3600
REJECTED_MAX_BYTES = 20 * 1024 * 1024
_CACHE_PREFIX = "tabular:rejected:"


def remember_rejected_file(result: ImportResult, *, user: Any) -> str:
    """Keep ``result.rejected_file`` for an hour; returns its token ('' when there is none or it is too big)."""
    if not result.rejected_file or len(result.rejected_file) > REJECTED_MAX_BYTES:
        return ""
    token = secrets.token_urlsafe(18)
    cache.set(
        _CACHE_PREFIX + token,
        {
            "user": getattr(user, "pk", None),
            "filename": result.rejected_filename,
            "content_type": result.rejected_content_type,
            "data": result.rejected_file,
        },
        REJECTED_TTL_SECONDS,
    )
    return token


def rejected_file_response(token: str, *, user: Any) -> HttpResponse:
    """The remembered rejected-rows file as an attachment; 404 when expired or another user's."""
    entry = cache.get(_CACHE_PREFIX + token) if re.fullmatch(r"[A-Za-z0-9_-]{10,64}", token) else None
    if not entry or entry["user"] != getattr(user, "pk", None):
        raise Http404
    response = HttpResponse(entry["data"], content_type=entry["content_type"])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=entry["filename"])
    return response

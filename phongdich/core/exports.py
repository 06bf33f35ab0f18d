"""The pieces every list export shares: formula-safe cells, CSV/XLSX bytes, the row cap, the audit line, the name.

An export is the list the user is looking at, written to a file and always audited (D4)::

    from phongdich.core.exports import ExportFile, audited_export

    def things_export(*, user, status="") -> ExportFile:
        rows = list(thing_queryset(user=user, status=status)[: EXPORT_MAX_ROWS + 1])
        return audited_export(
            user=user,
            model=Thing,
            columns=[(_("Tên"), lambda t: t.name), (_("Ngày"), lambda t: f"{t.day:%d/%m/%Y}")],
            rows=rows,
            summary=_("Xuất %(count)s việc (XLSX)") % {"count": len(rows)},
            detail={"status": status},
            name="viec",
        )

``audited_export`` refuses more than ``EXPORT_MAX_ROWS`` rows (``ValidationFailed``), writes the table with every
text cell neutralised against spreadsheet formulas (``safe_cell``), writes one ``EXPORT`` audit line whose detail
is ``{"format", "rows", **detail}``, and names the file ``<name>-YYYYMMDD-HHMM.<fmt>`` (local time).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit
from .errors import ValidationFailed
from .models import AuditAction
from .tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_table

EXPORT_MAX_ROWS = 100_000
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

Columns = Sequence[tuple[str, Callable[[Any], Any]]]


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV/formula injection): ``=1+1`` is written ``'=1+1``."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def table_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str = "xlsx", sheet_title: str | None = None
) -> bytes:
    """A table's bytes, every cell through ``safe_cell``: CSV (UTF-8 with a BOM, so that Excel reads Vietnamese)
    or XLSX (one sheet, named ``sheet_title``, else openpyxl's default name)."""
    safe_rows = ([safe_cell(v) for v in row] for row in rows)
    if fmt != "xlsx":
        return write_table(header, safe_rows, fmt=fmt)
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(list(header))
    for row in safe_rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stamped_filename(name: str, fmt: str = "xlsx") -> str:
    """``<name>-YYYYMMDD-HHMM.<fmt>``, in local time."""
    return f"{name}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{fmt}"


def too_large_message() -> str:
    """The usual refusal of a list over ``EXPORT_MAX_ROWS`` rows."""
    return _("Danh sách quá lớn để xuất một lần. Vui lòng lọc thêm.")


def audited_export(
    *,
    user: Any,
    rows: Sequence[Any],
    summary: str,
    name: str,
    columns: Columns | None = None,
    header: Sequence[str] | None = None,
    model: type[models.Model] | None = None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    fmt: str = "xlsx",
    sheet_title: str | None = None,
    too_large: str | None = None,
    with_format: bool = True,
) -> ExportFile:
    """Write ``rows`` as a file and audit it (one ``EXPORT`` line); see the module docstring.

    Either ``columns`` (``(title, getter)`` pairs, each row an object) or ``header`` (each row already a
    sequence of values). The audit line names ``obj`` or, without it, ``model``'s table. ``too_large``: the
    message when there are more than ``EXPORT_MAX_ROWS`` rows (default: ``too_large_message()``).
    ``with_format=False`` leaves ``format`` out of the audit detail (an export that never recorded it).
    """
    if len(rows) > EXPORT_MAX_ROWS:
        raise ValidationFailed(too_large if too_large is not None else too_large_message())
    if columns is not None:
        titles: Sequence[str] = [title for title, _get in columns]
        body: Iterable[Sequence[Any]] = ([get(r) for _title, get in columns] for r in rows)
    elif header is not None:
        titles, body = header, rows
    else:
        raise TypeError("audited_export needs columns or header")
    content = table_bytes(titles, body, fmt=fmt, sheet_title=sheet_title)
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        obj=obj,
        object_type="" if obj is not None or model is None else model._meta.label_lower,
        summary=summary,
        detail={**({"format": fmt} if with_format else {}), "rows": len(rows), **(detail or {})},
    )
    return ExportFile(
        content=content, filename=stamped_filename(name, fmt), content_type=CONTENT_TYPES[fmt], rows=len(rows)
    )

"""The day's provincial report (the roll-up) and any submitted report as documents: a PDF in the layout of a
Vietnamese administrative document (national motto, issuing body, number, place and date, title, body with
the figures, *Nơi nhận*, signature block) drawn by WeasyPrint, and an Excel workbook. Every download is
audited by the page that serves it.

The issuing body of the roll-up, its parent, the number's suffix and the place are settings
(``COMMAND_REPORT_ISSUER``, ``COMMAND_REPORT_ISSUER_PARENT``, ``COMMAND_REPORT_NUMBER_SUFFIX``,
``COMMAND_REPORT_PLACE``, ``COMMAND_REPORT_SIGNER_TITLE``), with the Health Department of Thái Nguyên as
the default."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.exports import safe_cell

from .models import FieldKind, Report
from .reports_selectors import Rollup, form_fields, submitter_of


def status_label(status: str) -> str:
    labels = {
        "on_time": _("Đúng hạn"),
        "late": _("Nộp muộn"),
        "overdue": _("Chưa nộp (quá hạn)"),
        "pending": _("Chưa nộp"),
    }
    return str(labels.get(status, status))


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, name, default))


@dataclass
class Document:
    """What the administrative layout needs."""

    parent_body: str
    issuing_body: str
    number: str
    place: str
    day: date
    title: str
    subtitle: str
    intro: str
    figures: list[tuple[str, Any]]
    sections: list[tuple[str, str]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_title: str = ""
    signer_name: str = ""


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    html = render_to_string("command/reports/document.html", {"doc": doc})
    pdf: bytes = HTML(string=html, base_url=str(getattr(settings, "SITE_URL", ""))).write_pdf()
    return pdf


def rollup_document(roll: Rollup) -> Document:
    form = roll.form
    recipients = [form.recipient_label or _("UBND tỉnh")]
    recipients += [_("Thường trực Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh"), _("Lưu: VT")]
    rows = [
        [
            r.submitter.name,
            status_label(r.status),
            timezone.localtime(r.report.first_submitted_at).strftime("%H:%M %d/%m") if r.report else "",
        ]
        for r in roll.rows
    ]
    late = ", ".join(r.submitter.name for r in roll.late) or _("không")
    missing = ", ".join(r.submitter.name for r in roll.missing) or _("không")
    intro = _(
        "Tổng hợp báo cáo của %(submitted)s/%(expected)s đơn vị, cơ quan gửi đến %(deadline)s ngày %(day)s. "
        "Nộp muộn: %(late)s. Chưa nộp: %(missing)s."
    ) % {
        "submitted": len(roll.submitted),
        "expected": roll.expected,
        "deadline": timezone.localtime(roll.deadline).strftime("%H:%M"),
        "day": roll.day.strftime("%d/%m/%Y"),
        "late": late,
        "missing": missing,
    }
    return Document(
        parent_body=_setting("COMMAND_REPORT_ISSUER_PARENT", "UBND TỈNH THÁI NGUYÊN"),
        issuing_body=_setting("COMMAND_REPORT_ISSUER", "SỞ Y TẾ"),
        number=_setting("COMMAND_REPORT_NUMBER_SUFFIX", "BC-SYT"),
        place=_setting("COMMAND_REPORT_PLACE", "Thái Nguyên"),
        day=roll.day,
        title=_("BÁO CÁO"),
        subtitle=_("Tổng hợp %(form)s ngày %(day)s") % {"form": form.name, "day": roll.day.strftime("%d/%m/%Y")},
        intro=intro,
        figures=[(f.label, total) for f, total in roll.total_rows],
        tables=[
            {
                "title": _("Tình hình nộp báo cáo"),
                "header": [_("Đơn vị, cơ quan"), _("Tình trạng"), _("Nộp lúc")],
                "rows": rows,
            }
        ],
        recipients=recipients,
        signer_title=_setting("COMMAND_REPORT_SIGNER_TITLE", "GIÁM ĐỐC"),
    )


def report_document(report: Report) -> Document:
    form = report.form
    submitter = submitter_of(report)
    fields = form_fields(form)
    figures = [(f.label, report.values.get(f.key, 0)) for f in fields if f.kind == FieldKind.NUMBER]
    sections = [(f.label, str(report.values.get(f.key, "") or "")) for f in fields if f.kind == FieldKind.TEXT]
    if submitter.unit is not None:
        parent, body, suffix = "", f"UBND {submitter.name}".upper(), "BC-UBND"
    else:
        parent, body, suffix = "", submitter.name.upper(), "BC"
    intro = _("%(who)s báo cáo %(form)s ngày %(day)s (phiên bản %(version)s, cập nhật lúc %(at)s) như sau:") % {
        "who": submitter.name,
        "form": form.name,
        "day": report.day.strftime("%d/%m/%Y"),
        "version": report.version,
        "at": timezone.localtime(report.submitted_at).strftime("%H:%M %d/%m/%Y"),
    }
    return Document(
        parent_body=parent,
        issuing_body=body,
        number=suffix,
        place=_setting("COMMAND_REPORT_PLACE", "Thái Nguyên"),
        day=report.day,
        title=_("BÁO CÁO"),
        subtitle=str(form.name),
        intro=intro,
        figures=figures,
        sections=sections,
        recipients=[form.recipient_label or _("UBND tỉnh"), _("Lưu: VT")],
        signer_title=_("THỦ TRƯỞNG ĐƠN VỊ"),
        signer_name=report.submitted_by.get_full_name() if report.submitted_by else "",
    )


def _workbook_bytes(sheets: list[tuple[str, list[Any], list[list[Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append([str(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([safe_cell(v) for v in row])
        ws.column_dimensions["A"].width = 48
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rollup_xlsx(roll: Rollup) -> bytes:
    """Sheet "Tổng hợp": each number field and its total; sheet "Đơn vị": each submitter, its status and its
    figures and texts."""
    totals = [[f.label, total] for f, total in roll.total_rows]
    header = [_("Đơn vị, cơ quan"), _("Tình trạng"), _("Nộp lúc"), _("Phiên bản")] + [f.label for f in roll.fields]
    rows = []
    for r in roll.rows:
        rep = r.report
        rows.append(
            [
                r.submitter.name,
                status_label(r.status),
                timezone.localtime(rep.first_submitted_at).strftime("%d/%m/%Y %H:%M") if rep else "",
                rep.version if rep else "",
            ]
            + [(rep.values.get(f.key, "") if rep else "") for f in roll.fields]
        )
    return _workbook_bytes([(_("Tổng hợp"), [_("Chỉ tiêu"), _("Tổng")], totals), (_("Đơn vị"), header, rows)])


def report_xlsx(report: Report) -> bytes:
    fields = form_fields(report.form)
    rows = [[f.label, report.values.get(f.key, "")] for f in fields]
    history = [
        [
            v.version,
            timezone.localtime(v.recorded_at).strftime("%d/%m/%Y %H:%M"),
            v.recorded_by.get_full_name() or v.recorded_by.username if v.recorded_by else "",
            ", ".join(sorted(v.changes)),
            v.note,
        ]
        for v in report.versions.select_related("recorded_by")
    ]
    return _workbook_bytes(
        [
            (_("Báo cáo"), [_("Chỉ tiêu"), _("Số liệu")], rows),
            (_("Lịch sử"), [_("Phiên bản"), _("Lúc"), _("Người nộp"), _("Thay đổi"), _("Lý do")], history),
        ]
    )

"""Pages of the reports sent up to the province (R1, R2): today's reports (who has submitted, who is late),
the roll-up of a day with its PDF and Excel documents, submitting or correcting a report (pre-filled from the
system's figures), a report with its history and documents, timeliness and completeness per unit and week,
and one-off report requests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError
from phongdich.core.models import AuditAction

from . import documents
from . import reports_selectors as rs
from .models import FieldKind, ReportAttachment, ReportPeriod
from .permissions import is_command
from .reports_forms import OneOffForm, ReportValuesForm
from .reports_services import one_off_form_create, report_submit
from .views import _render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(request: HttpRequest, default: date | None = None) -> date:
    raw = request.GET.get("day", "")
    if raw:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            pass
    return default or timezone.localdate()


def _file(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@require_GET
def reports_home_view(request: HttpRequest) -> HttpResponse:
    """Today's daily reports: for the recipients every submitter's state; for a unit or an agency its own
    reports to submit. Then the one-off requests."""
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    recipient = rs.is_recipient(user)
    daily = []
    for form in rs.daily_forms(today):
        roll = rs.rollup(form, today, user=user, now=now)
        mine = list(rs.submitters_for(user, form)) if not recipient or user.is_superuser else []
        daily.append({"form": form, "roll": roll, "mine": {s.key for s in mine}})
    one_offs = []
    for form in rs.one_off_forms(user=user)[:20]:
        rows = rs.status_rows(form, rs.report_day_of(form), user=user, now=now)
        mine_keys = {s.key for s in rs.submitters_for(user, form)}
        one_offs.append({"form": form, "rows": rows, "mine": mine_keys, "done": sum(1 for r in rows if r.submitted)})
    context = {
        "today": today,
        "now": now,
        "daily": daily,
        "one_offs": one_offs,
        "recipient": recipient,
        "can_request": is_command(user),
        "late": rs.late_today(user, now=now),
    }
    return _render(request, "command/reports/home.html", context)


@login_required
@require_GET
def rollup_view(request: HttpRequest, uid: str) -> HttpResponse:
    form = rs.form_get(user=request.user, uid=uid)
    day = _day(request, rs.report_day_of(form))
    roll = rs.rollup(form, day, user=request.user)
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=form,
        summary=_("Xem tổng hợp %(form)s ngày %(day)s") % {"form": form.name, "day": f"{day:%d/%m/%Y}"},
    )
    context = {
        "form": form,
        "roll": roll,
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < timezone.localdate() else None,
        "recipient": rs.is_recipient(request.user, form),
        "is_daily": form.period == ReportPeriod.DAILY,
        "table": [
            (row, [row.report.values.get(f.key, "") if row.report else "" for f in roll.number_fields])
            for row in roll.rows
        ],
    }
    return _render(request, "command/reports/rollup.html", context)


def _rollup_for_download(request: HttpRequest, uid: str) -> rs.Rollup:
    form = rs.form_get(user=request.user, uid=uid)
    day = _day(request, rs.report_day_of(form))
    return rs.rollup(form, day, user=request.user)


@login_required
@require_GET
def rollup_pdf_view(request: HttpRequest, uid: str) -> HttpResponse:
    roll = _rollup_for_download(request, uid)
    content = documents.render_pdf(documents.rollup_document(roll))
    audit(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=roll.form,
        summary=_("Tải báo cáo tổng hợp (PDF) ngày %(day)s") % {"day": f"{roll.day:%d/%m/%Y}"},
        detail={"format": "pdf", "day": roll.day.isoformat(), "rows": roll.expected},
    )
    return _file(content, "application/pdf", f"bao-cao-tong-hop-{roll.day:%Y%m%d}.pdf")


@login_required
@require_GET
def rollup_xlsx_view(request: HttpRequest, uid: str) -> HttpResponse:
    roll = _rollup_for_download(request, uid)
    content = documents.rollup_xlsx(roll)
    audit(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=roll.form,
        summary=_("Tải báo cáo tổng hợp (Excel) ngày %(day)s") % {"day": f"{roll.day:%d/%m/%Y}"},
        detail={"format": "xlsx", "day": roll.day.isoformat(), "rows": roll.expected},
    )
    return _file(content, XLSX, f"bao-cao-tong-hop-{roll.day:%Y%m%d}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def submit_view(request: HttpRequest, uid: str, submitter: str) -> HttpResponse:
    """Submit a report, or correct it (the old version kept): numbers pre-filled from the system's figures."""
    form = rs.form_get(user=request.user, uid=uid)
    who = rs.submitter_get(user=request.user, form=form, uid=submitter)
    if not rs.can_submit(request.user, who):
        raise PermissionDenied
    day = _day(request, rs.report_day_of(form)) if form.period == ReportPeriod.DAILY else rs.report_day_of(form)
    if day > timezone.localdate() and form.period == ReportPeriod.DAILY:
        raise Http404
    current = rs.report_find(form, day, who)
    fields = rs.form_fields(form)
    if current is not None:
        initial: dict[str, Any] = dict(current.values)
    else:
        initial = rs.prefilled_values(form, who, day)
    locked = current is not None and rs.is_locked(current)
    values_form = ReportValuesForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        fields=fields,
        correcting=current is not None,
        attachments=form.allow_attachments,
    )
    if request.method == "POST" and not locked and values_form.is_valid():
        data = values_form.cleaned_data
        raw = {f.key: "" if data.get(f.key) is None else str(data.get(f.key)) for f in fields}
        try:
            report = report_submit(
                actor=request.user,  # type: ignore[arg-type]
                form=form,
                submitter=who,
                values=raw,
                day=day,
                note=data.get("note", ""),
                attachments=data.get("attachments") or [],
            )
        except ApplicationError as exc:
            values_form.add_service_error(exc)
        else:
            if report.version > 1:
                messages.success(
                    request,
                    _("Đã lưu điều chỉnh (phiên bản %(v)s); phiên bản cũ được giữ lại.") % {"v": report.version},
                )
            elif report.late:
                messages.warning(request, _("Đã nộp báo cáo (sau hạn nộp)."))
            else:
                messages.success(request, _("Đã nộp báo cáo đúng hạn."))
            return redirect("command:report_detail", uid=report.uid)
    context = {
        "form": values_form,
        "report_form": form,
        "submitter": who,
        "day": day,
        "current": current,
        "locked": locked,
        "deadline": rs.deadline_of(form, day),
        "system_figures": {f.label: initial.get(f.key) for f in fields if f.source and f.kind == FieldKind.NUMBER},
    }
    return _render(request, "command/reports/submit.html", context, status=400 if values_form.errors else 200)


@login_required
@require_GET
def report_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    report = rs.report_get(user=request.user, uid=uid)
    who = rs.submitter_of(report)
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=report,
        summary=_("Xem báo cáo %(form)s ngày %(day)s của %(who)s")
        % {"form": report.form.name, "day": f"{report.day:%d/%m/%Y}", "who": who.name},
    )
    fields = rs.form_fields(report.form)
    versions = rs.report_versions(report)
    labels = {f.key: f.label for f in fields}
    history = [
        {"v": v, "changes": [(labels.get(k, k), old, new) for k, (old, new) in v.changes.items()]} for v in versions
    ]
    context = {
        "report": report,
        "submitter": who,
        "rows": [(f, report.values.get(f.key, "")) for f in fields],
        "system": report.system_figures,
        "history": history,
        "attachments": list(report.attachments.all()),
        "can_correct": rs.can_submit(request.user, who) and not rs.is_locked(report),
        "locked_after": rs.locked_after(report),
        "deadline": rs.deadline_of(report.form, report.day),
    }
    return _render(request, "command/reports/detail.html", context)


@login_required
@require_GET
def report_pdf_view(request: HttpRequest, uid: str) -> HttpResponse:
    report = rs.report_get(user=request.user, uid=uid)
    content = documents.render_pdf(documents.report_document(report))
    audit(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=report,
        summary=_("Tải báo cáo (PDF) của %(who)s ngày %(day)s")
        % {"who": report.submitter_name, "day": f"{report.day:%d/%m/%Y}"},
        detail={"format": "pdf"},
    )
    return _file(content, "application/pdf", f"bao-cao-{report.day:%Y%m%d}.pdf")


@login_required
@require_GET
def report_xlsx_view(request: HttpRequest, uid: str) -> HttpResponse:
    report = rs.report_get(user=request.user, uid=uid)
    content = documents.report_xlsx(report)
    audit(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=report,
        summary=_("Tải báo cáo (Excel) của %(who)s ngày %(day)s")
        % {"who": report.submitter_name, "day": f"{report.day:%d/%m/%Y}"},
        detail={"format": "xlsx"},
    )
    return _file(content, XLSX, f"bao-cao-{report.day:%Y%m%d}.xlsx")


@login_required
@require_GET
def attachment_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        attachment = ReportAttachment.objects.select_related("report").get(uid=uid)
    except (ReportAttachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    rs.report_get(user=request.user, uid=attachment.report.uid)
    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404 from None
    audit(
        actor=request.user,
        action=AuditAction.READ,
        obj=attachment.report,
        summary=_("Xem tệp đính kèm báo cáo: %(name)s") % {"name": attachment.name[:150]},
    )
    return FileResponse(handle, as_attachment=True, filename=attachment.name)  # type: ignore[return-value]


@login_required
@require_GET
def rates_view(request: HttpRequest, uid: str) -> HttpResponse:
    """Timeliness and completeness per unit per week."""
    form = rs.form_get(user=request.user, uid=uid)
    try:
        weeks = max(1, min(26, int(request.GET.get("weeks", "8"))))
    except ValueError:
        weeks = 8
    end = _day(request)
    result = rs.rates(form, user=request.user, end=end, weeks=weeks)
    context = {"report_form": form, "rates": result, "weeks": weeks, "end": end}
    return _render(request, "command/reports/rates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def one_off_create_view(request: HttpRequest) -> HttpResponse:
    if not is_command(request.user):
        raise PermissionDenied
    form = OneOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = one_off_form_create(actor=request.user, **form.service_kwargs())  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã gửi yêu cầu báo cáo đột xuất."))
            return redirect("command:report_rollup", uid=created.uid)
    return _render(request, "command/reports/one_off_form.html", {"form": form}, status=400 if form.errors else 200)

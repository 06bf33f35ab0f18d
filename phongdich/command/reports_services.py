"""Writes of the reports sent up to the province (R1, R2), each audited: a report form (a one-off request
with its deadline and recipient), a report submitted or corrected (every version kept, locked after
``COMMAND_REPORT_LOCK_HOURS``), an attachment, and the 15:00 reminders to those who have not submitted."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.geo.models import Level
from phongdich.orgs.models import Organisation, OrganisationKind, Role

from . import reports_selectors as rs
from .files import attachment_max_bytes
from .models import FieldKind, Report, ReportAttachment, ReportField, ReportForm, ReportPeriod, ReportVersion
from .permissions import is_command

TEXT_MAX = 10_000
NUMBER_MAX = 10_000_000
NOTE_MAX = 500
ATTACHMENT_EXTENSIONS = {
    "pdf": b"%PDF-",
    "xlsx": b"PK\x03\x04",
    "docx": b"PK\x03\x04",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}


# --- forms ------------------------------------------------------------------------------------------


def _field_key(label: str, taken: set[str]) -> str:
    from phongdich.core.text import fold

    base = re.sub(r"[^a-z0-9]+", "_", fold(label).lower()).strip("_")[:30] or "truong"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


@transaction.atomic
def one_off_form_create(
    *,
    actor: User | None,
    name: str,
    due_at: datetime | None,
    recipient: Organisation | None = None,
    recipient_label: str = "",
    unit_level: int | None = None,
    org_kinds: Iterable[str] = (),
    org_unit_level: int | None = None,
    instructions: str = "",
    fields: Iterable[tuple[str, str]] = (),
    allow_attachments: bool = True,
    code: str = "",
) -> ReportForm:
    """A one-off report request ("danh sách người về từ Đà Nẵng, trước 17:00 29/07"): its own deadline and
    recipient, who must submit, its fields ((label, kind) pairs; a text field "Nội dung" when none)."""
    if actor is not None and not is_command(actor):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Vui lòng nhập tên báo cáo."), field="name")
    if due_at is None:
        raise ValidationFailed(_("Vui lòng nhập hạn nộp (ngày và giờ)."), field="due_at")
    if timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    kinds = [str(k) for k in org_kinds if k]
    bad = [k for k in kinds if k not in OrganisationKind.values]
    if bad:
        raise ValidationFailed(_("Loại cơ quan không hợp lệ."), field="org_kinds")
    if unit_level is not None and unit_level not in (Level.DISTRICT, Level.COMMUNE):
        raise ValidationFailed(_("Đơn vị phải nộp là cấp huyện hoặc cấp xã."), field="unit_level")
    if not unit_level and not kinds:
        raise ValidationFailed(
            _("Vui lòng chọn ai phải nộp: các huyện, các xã hoặc các loại cơ quan."), field="unit_level"
        )
    if len(instructions or "") > TEXT_MAX:
        raise ValidationFailed(_("Yêu cầu quá dài (tối đa 10.000 ký tự)."), field="instructions")
    specs = [((label or "").strip(), kind) for label, kind in fields if (label or "").strip()]
    if not specs:
        specs = [(_("Nội dung báo cáo"), FieldKind.TEXT)]
    for _label, kind in specs:
        if kind not in FieldKind.values:
            raise ValidationFailed(_("Kiểu trường không hợp lệ."), field="fields")
    if not code:
        code = f"dot-xuat-{timezone.localtime(due_at):%Y%m%d%H%M}-{ReportForm.objects.count() + 1}"
    if ReportForm.objects.filter(code=code).exists():
        raise ValidationFailed(_("Mã báo cáo đã tồn tại."), field="code")
    form = ReportForm.objects.create(
        code=code[:60],
        name=name[:255],
        period=ReportPeriod.ONE_OFF,
        due_at=due_at,
        active_from=timezone.localdate(due_at),
        active_to=timezone.localdate(due_at),
        unit_level=unit_level or None,
        org_kinds=kinds,
        org_unit_level=org_unit_level or None,
        recipient=recipient,
        recipient_label=(recipient_label or (recipient.name if recipient else ""))[:255],
        instructions=(instructions or "").strip(),
        allow_attachments=allow_attachments,
        created_by=actor,
    )
    taken: set[str] = set()
    ReportField.objects.bulk_create(
        ReportField(form=form, key=_field_key(label, taken), label=label[:255], kind=kind, order=i)
        for i, (label, kind) in enumerate(specs, start=1)
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=form,
        summary=_("Yêu cầu báo cáo đột xuất: %(name)s, hạn %(due)s")
        % {"name": form.name, "due": f"{timezone.localtime(due_at):%H:%M %d/%m/%Y}"},
        detail={"unit_level": form.unit_level, "org_kinds": kinds},
    )
    return form


# --- reports ----------------------------------------------------------------------------------------


def clean_values(form: ReportForm, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values from ``raw`` (strings from a page or the API): numbers whole and non-negative,
    texts trimmed; a required field must be filled. Unknown keys are ignored."""
    values: dict[str, Any] = {}
    for f in rs.form_fields(form):
        value = raw.get(f.key, "")
        if f.kind == FieldKind.NUMBER:
            text = str(value if value is not None else "").strip().replace(".", "").replace(" ", "")
            if text == "":
                if f.required:
                    raise ValidationFailed(_("Vui lòng nhập: %(label)s.") % {"label": f.label}, field=f.key)
                values[f.key] = 0
                continue
            if not re.fullmatch(r"\d+", text) or int(text) > NUMBER_MAX:
                raise ValidationFailed(_("%(label)s: phải là số nguyên không âm.") % {"label": f.label}, field=f.key)
            values[f.key] = int(text)
        else:
            text = str(value or "").strip()
            if f.required and not text:
                raise ValidationFailed(_("Vui lòng nhập: %(label)s.") % {"label": f.label}, field=f.key)
            if len(text) > TEXT_MAX:
                raise ValidationFailed(_("%(label)s: quá dài (tối đa 10.000 ký tự).") % {"label": f.label}, field=f.key)
            values[f.key] = text
    return values


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}


def _check_attachment(upload: UploadedFile) -> str:
    from django.template.defaultfilters import filesizeformat

    limit = attachment_max_bytes()
    if not upload.size:
        raise ValidationFailed(_("Tệp rỗng. Vui lòng chọn lại tệp."), field="attachment")
    if upload.size > limit:
        raise ValidationFailed(
            _("Tệp quá lớn (%(size)s); tối đa %(limit)s. Không có gì được lưu.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            field="attachment",
        )
    ext = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    magic = ATTACHMENT_EXTENSIONS.get(ext)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if magic is None or not bytes(head).startswith(magic):
        raise ValidationFailed(
            _("Chỉ nhận tệp PDF, Excel (.xlsx), Word (.docx) hoặc ảnh (JPEG, PNG)."), field="attachment"
        )
    return ext


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    form: ReportForm,
    submitter: rs.Submitter,
    values: Mapping[str, Any],
    day: date | None = None,
    note: str = "",
    attachments: Iterable[UploadedFile] = (),
    now: datetime | None = None,
) -> Report:
    """Submit the submitter's report of ``form`` for ``day`` (today, or the deadline's day of a one-off
    form), or correct it when already submitted: the new values become the current version, the old one
    stays in the history with what changed, who and when. Refused once locked. ``actor=None``: the system
    (demo)."""
    moment = now or timezone.now()
    if actor is not None and not rs.can_submit(actor, submitter):
        raise PermissionDenied
    day = day or rs.report_day_of(form, moment)
    if form.period == ReportPeriod.DAILY:
        if day < form.active_from or (form.active_to is not None and day > form.active_to):
            raise ValidationFailed(_("Mẫu báo cáo không áp dụng cho ngày này."), field="day")
        if day > timezone.localdate(moment):
            raise ValidationFailed(_("Không thể nộp báo cáo cho ngày sau hôm nay."), field="day")
    cleaned = clean_values(form, values)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(_("Lý do điều chỉnh quá dài (tối đa 500 ký tự)."), field="note")
    uploads = [u for u in attachments if u]
    if uploads and not form.allow_attachments:
        raise ValidationFailed(_("Báo cáo này không nhận tệp đính kèm."), field="attachment")
    checked = [(u, _check_attachment(u)) for u in uploads]
    report = Report.objects.select_for_update().filter(form=form, day=day, submitter_key=submitter.key).first()
    if report is None:
        figures = rs.system_figures(submitter, day) if any(f.source for f in rs.form_fields(form)) else {}
        report = Report(
            form=form,
            day=day,
            unit=submitter.unit,
            organisation=submitter.organisation,
            submitter_key=submitter.key,
            values=cleaned,
            system_figures=figures,
            version=1,
            first_submitted_at=moment,
            submitted_at=moment,
            submitted_by=actor,
            late=moment > rs.deadline_of(form, day),
        )
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:
            raise ValidationFailed(
                _("Báo cáo vừa được nộp bởi người khác; vui lòng tải lại trang."), field=None
            ) from exc
        changes: dict[str, list[Any]] = {}
        action = AuditAction.CREATE
    else:
        if rs.is_locked(report, moment):
            raise ValidationFailed(
                _("Báo cáo đã khóa (quá %(hours)s giờ sau hạn nộp); không thể điều chỉnh.")
                % {"hours": rs.lock_hours()},
                field=None,
            )
        changes = _changes(report.values, cleaned)
        if not changes and not checked:
            raise ValidationFailed(_("Không có thay đổi nào so với phiên bản đang lưu."), field=None)
        if not note:
            raise ValidationFailed(_("Vui lòng nhập lý do điều chỉnh."), field="note")
        report.version += 1
        report.values = cleaned
        report.submitted_at = moment
        report.submitted_by = actor
        report.save(update_fields=["version", "values", "submitted_at", "submitted_by", "updated_at"])
        action = AuditAction.UPDATE
    ReportVersion.objects.create(
        report=report,
        version=report.version,
        values=cleaned,
        changes=changes,
        note=note,
        recorded_at=moment,
        recorded_by=actor,
    )
    for upload, ext in checked:
        attachment = ReportAttachment(
            report=report, name=(upload.name or "")[:200], size=upload.size or 0, uploaded_by=actor
        )
        attachment.file.save(f"{attachment.uid}.{ext}", upload, save=False)
        attachment.save()
    audit(
        actor=actor,
        action=action,
        obj=report,
        summary=_("Báo cáo %(form)s ngày %(day)s của %(who)s, phiên bản %(version)s")
        % {"form": form.name, "day": f"{day:%d/%m/%Y}", "who": submitter.name, "version": report.version},
        detail={"late": report.late, "changed": sorted(changes), "attachments": len(checked)},
    )
    return report


# --- reminders ----------------------------------------------------------------------------------------


def _users_of(submitter: rs.Submitter) -> list[User]:
    from phongdich.notifications.selectors import users_with_role

    if submitter.unit is not None:
        return list(users_with_role(unit=submitter.unit, roles=[Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER]))
    return list(users_with_role(organisation=submitter.organisation, roles=[Role.ORGANISATION_HEAD]))


def report_reminders(*, now: datetime | None = None) -> int:
    """Remind every unit and organisation that has not yet submitted today's daily report(s) (run at 15:00 by
    Celery beat, or ``manage.py send_report_reminders``); returns how many submitters were reminded (those
    with no one to notify are skipped)."""
    from django.urls import reverse

    from phongdich.notifications.services import notify

    moment = timezone.localtime(now or timezone.now())
    today = moment.date()
    reminded = 0
    for form in rs.daily_forms(today):
        deadline = rs.deadline_of(form, today)
        if moment >= deadline:
            continue
        for row in rs.status_rows(form, today, now=moment):
            if row.submitted:
                continue
            users = _users_of(row.submitter)
            if not users:
                continue
            notify(
                recipients=users,
                title=_("Nhắc nộp báo cáo trước %(time)s") % {"time": f"{timezone.localtime(deadline):%H:%M}"},
                body=_("%(who)s chưa nộp %(form)s ngày %(day)s.")
                % {"who": row.submitter.name, "form": form.name, "day": f"{today:%d/%m/%Y}"},
                url=reverse("command:report_submit", args=[form.uid, row.submitter.uid]),
                kind="report_reminder",
            )
            reminded += 1
    audit(
        actor=None,
        action=AuditAction.CREATE,
        object_type="command.report_reminder",
        summary=_("Nhắc nộp báo cáo hằng ngày: %(count)s đơn vị") % {"count": reminded},
        detail={"day": today.isoformat(), "count": reminded},
    )
    return reminded


DAILY_FORM_CODE = "daily-covid"


def daily_form_seeded() -> ReportForm:
    """The daily report of seed 002 §2.15 as its data migration seeds it (seeded again where the database
    was emptied after migrating, as a live-server test does)."""
    import importlib

    from django.apps import apps

    form = ReportForm.objects.filter(code=DAILY_FORM_CODE).first()
    if form is None:
        importlib.import_module("phongdich.command.migrations.0003_seed_daily_report_form").seed(apps, None)
        form = ReportForm.objects.get(code=DAILY_FORM_CODE)
    return form

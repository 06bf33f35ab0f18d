"""Writes of the command app, each audited: response plans with their versions (R6), directives, their tasks
and assignments, and agencies' progress reports (R3, R4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core.audit import audit
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.orgs.models import Organisation

from . import rules
from .files import checked_evidence, checked_pdf
from .models import (
    DeadlineKind,
    Directive,
    DirectiveKind,
    DirectiveTask,
    PlanLevel,
    ProgressStatus,
    ResponsePlan,
    ResponsePlanVersion,
    TaskAssignment,
    TaskProgress,
)
from .permissions import can_act_for, is_command

TEXT_MAX = 50_000
REPORT_MAX = 5_000


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, field=field)
    return value


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed(_("Ngày không được sau hôm nay."), field=field)


# --- response plans (R6) ----------------------------------------------------------------------------


@transaction.atomic
def plan_record(
    *,
    actor: User | None,
    organisation: Organisation,
    level: int,
    title: str,
    approved_on: date,
    approved_by: str,
    content: str = "",
    attachment: UploadedFile | None = None,
) -> ResponsePlan:
    """Record an organisation's plan for a level: the first version, or a new one that keeps the old
    (the attachment carries over when no new file is given). ``actor=None``: the system (demo)."""
    if actor is not None and not can_act_for(actor, organisation):
        raise PermissionDenied
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in PlanLevel.values:
        raise ValidationFailed(_("Cấp độ phải từ 1 đến 4."), field="level")
    title = _required(title, "title", _("Vui lòng nhập tên phương án."))[:255]
    approved_by = _required(approved_by, "approved_by", _("Vui lòng nhập người phê duyệt (họ tên, chức vụ)."))[:200]
    if approved_on is None:
        raise ValidationFailed(_("Vui lòng nhập ngày phê duyệt."), field="approved_on")
    _not_future(approved_on, "approved_on")
    content = (content or "").strip()
    if len(content) > TEXT_MAX:
        raise ValidationFailed(_("Nội dung quá dài (tối đa 50.000 ký tự)."), field="content")
    stored_name = checked_pdf(attachment) if attachment is not None else ""
    plan = ResponsePlan.objects.select_for_update().filter(organisation=organisation, level=level).first()
    if plan is None:
        plan = ResponsePlan(organisation=organisation, level=level, version=0)
    if not content and not stored_name and not (plan.pk and plan.attachment):
        raise ValidationFailed(_("Vui lòng nhập nội dung phương án hoặc đính kèm tệp PDF."), field="content")
    plan.version += 1
    plan.title, plan.content, plan.approved_on, plan.approved_by = title, content, approved_on, approved_by
    plan.recorded_by = actor
    if stored_name and attachment is not None:
        plan.attachment.save(stored_name, attachment, save=False)
    plan.save()
    version = ResponsePlanVersion.objects.create(
        plan=plan,
        version=plan.version,
        title=title,
        content=content,
        approved_on=approved_on,
        approved_by=approved_by,
        recorded_by=actor,
        attachment=plan.attachment.name or "",
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE if plan.version == 1 else AuditAction.UPDATE,
        obj=plan,
        summary=_("Phương án %(level)s của %(org)s, phiên bản %(version)s")
        % {"level": plan.get_level_display(), "org": organisation.name, "version": version.version},
        detail={"level": level, "version": version.version, "attachment": bool(plan.attachment)},
    )
    return plan


# --- directives and tasks (R3, R4) -------------------------------------------------------------------


@transaction.atomic
def directive_create(
    *,
    actor: User | None,
    issued_on: date,
    issuing_body: str,
    kind: str,
    title: str,
    number: str = "",
    text: str = "",
    attachment: UploadedFile | None = None,
) -> Directive:
    if actor is not None and not is_command(actor):
        raise PermissionDenied
    number = rules.normalise_number(number)
    if number and not rules.is_directive_number(number):
        raise ValidationFailed(
            _("Số, ký hiệu không đúng dạng (ví dụ: 600-CV/TU, 23/CT-UBND, 04/2021/NQ-HĐND)."), field="number"
        )
    if kind not in DirectiveKind.values:
        raise ValidationFailed(_("Loại văn bản không hợp lệ."), field="kind")
    if issued_on is None:
        raise ValidationFailed(_("Vui lòng nhập ngày ban hành."), field="issued_on")
    _not_future(issued_on, "issued_on")
    issuing_body = _required(issuing_body, "issuing_body", _("Vui lòng nhập cơ quan ban hành."))[:200]
    title = _required(title, "title", _("Vui lòng nhập trích yếu văn bản."))[:500]
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationFailed(_("Nội dung quá dài (tối đa 50.000 ký tự)."), field="text")
    if number and Directive.objects.filter(number=number, issued_on=issued_on).exists():
        raise ValidationFailed(_("Văn bản số %(number)s ngày này đã được nhập.") % {"number": number}, field="number")
    stored_name = checked_pdf(attachment) if attachment is not None else ""
    directive = Directive(
        number=number,
        issued_on=issued_on,
        issuing_body=issuing_body,
        kind=kind,
        title=title,
        text=text,
        recorded_by=actor,
    )
    if stored_name and attachment is not None:
        directive.attachment.save(stored_name, attachment, save=False)
    directive.save()
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=directive,
        summary=_("Nhập văn bản chỉ đạo %(label)s") % {"label": str(directive)},
    )
    return directive


@transaction.atomic
def task_add(
    *,
    actor: User | None,
    directive: Directive,
    number: str,
    title: str,
    assignees: Iterable[Organisation],
    deadline_kind: str = DeadlineKind.ONCE,
    due_at: datetime | None = None,
    daily_time: time | None = None,
    lead: Organisation | None = None,
    text: str = "",
) -> DirectiveTask:
    """A numbered task of the directive, assigned to the agencies it names (the lead among them)."""
    if actor is not None and not is_command(actor):
        raise PermissionDenied
    number = (number or "").strip()
    if not rules.is_task_number(number):
        raise ValidationFailed(_("Số mục không đúng dạng (ví dụ: 2, 2.15, 3a)."), field="number")
    if directive.tasks.filter(number=number).exists():
        raise ValidationFailed(_("Văn bản đã có mục %(number)s.") % {"number": number}, field="number")
    title = _required(title, "title", _("Vui lòng nhập nội dung tóm tắt của nhiệm vụ."))[:300]
    orgs = {org.pk: org for org in assignees}
    if lead is not None:
        orgs.setdefault(lead.pk, lead)
    if not orgs:
        raise ValidationFailed(_("Vui lòng chọn ít nhất một cơ quan thực hiện."), field="assignees")
    if deadline_kind == DeadlineKind.ONCE:
        if due_at is None:
            raise ValidationFailed(_("Vui lòng nhập hạn hoàn thành."), field="due_at")
        daily_time = None
    elif deadline_kind == DeadlineKind.DAILY:
        if daily_time is None:
            raise ValidationFailed(_("Vui lòng nhập giờ báo cáo hằng ngày."), field="daily_time")
        due_at = None
    elif deadline_kind == DeadlineKind.ONGOING:
        due_at, daily_time = None, None
    else:
        raise ValidationFailed(_("Loại thời hạn không hợp lệ."), field="deadline_kind")
    task = DirectiveTask.objects.create(
        directive=directive,
        number=number,
        title=title,
        text=(text or "").strip()[:TEXT_MAX],
        deadline_kind=deadline_kind,
        due_at=due_at,
        daily_time=daily_time,
        lead=lead,
    )
    TaskAssignment.objects.bulk_create([TaskAssignment(task=task, organisation=org) for org in orgs.values()])
    _notify_heads(task, list(orgs.values()))
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        summary=_("Giao nhiệm vụ %(number)s của %(directive)s cho %(count)s cơ quan")
        % {"number": number, "directive": str(directive), "count": len(orgs)},
        detail={"directive": str(directive.uid), "assignees": sorted(str(o.uid) for o in orgs.values())},
    )
    return task


def _notify_heads(task: DirectiveTask, organisations: list[Organisation]) -> None:
    """Tell the heads of the assigned organisations (in-app, after commit)."""
    from django.urls import reverse

    from phongdich.notifications.services import notify
    from phongdich.orgs.models import Role, RoleAssignment

    heads = User.objects.filter(
        pk__in=RoleAssignment.objects.active()
        .filter(role=Role.ORGANISATION_HEAD, organisation__in=organisations)
        .values("user")
    )
    if not heads.exists():
        return
    notify(
        recipients=list(heads),
        title=_("Nhiệm vụ mới: mục %(number)s của %(directive)s")
        % {"number": task.number, "directive": str(task.directive)},
        body=task.title,
        url=reverse("command:tasks") + "?status=open",
        kind="command_task",
    )


@transaction.atomic
def progress_report(
    *,
    actor: User | None,
    assignment: TaskAssignment,
    status: str,
    report: str,
    evidence: UploadedFile | None = None,
    at: datetime | None = None,
) -> TaskProgress:
    """The agency reports its progress on a task; the report is kept and becomes the current status.
    ``at``: the moment of the report (the system's demo only; people report now)."""
    if actor is not None and not can_act_for(actor, assignment.organisation):
        raise PermissionDenied
    if status not in ProgressStatus.values:
        raise ValidationFailed(_("Tình trạng không hợp lệ."), field="status")
    report = _required(report, "report", _("Vui lòng nhập nội dung báo cáo."))
    if len(report) > REPORT_MAX:
        raise ValidationFailed(_("Nội dung báo cáo quá dài (tối đa 5.000 ký tự)."), field="report")
    moment = at if (at is not None and actor is None) else timezone.now()
    stored_name = checked_evidence(evidence) if evidence is not None else ""
    assignment = TaskAssignment.objects.select_for_update().get(pk=assignment.pk)
    progress = TaskProgress(assignment=assignment, status=status, report=report, reported_at=moment, reported_by=actor)
    if stored_name and evidence is not None:
        progress.evidence_name = (evidence.name or "")[-200:]
        progress.evidence.save(stored_name, evidence, save=False)
    progress.save()
    if status == ProgressStatus.DONE:
        if assignment.status != ProgressStatus.DONE or assignment.done_at is None:
            assignment.done_at = moment
    else:
        assignment.done_at = None
    assignment.status = status
    assignment.last_reported_at = moment
    assignment.save(update_fields=["status", "done_at", "last_reported_at", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=assignment,
        summary=_("%(org)s báo cáo nhiệm vụ %(number)s: %(status)s")
        % {
            "org": assignment.organisation.name,
            "number": assignment.task.number,
            "status": progress.get_status_display(),
        },
        detail={"status": status, "evidence": bool(stored_name)},
    )
    return progress


def overdue_reminders(*, now: datetime | None = None) -> int:
    """Remind the heads of organisations with overdue tasks (one in-app message per organisation, listing
    how many); returns the number of organisations reminded. Run by Celery beat after the daily cutoff."""
    from django.urls import reverse

    from phongdich.notifications.services import notify
    from phongdich.orgs.models import Role, RoleAssignment

    from .selectors import overdue_q

    moment = timezone.localtime(now or timezone.now())
    counts: dict[int, int] = {}
    for org_id in TaskAssignment.objects.filter(overdue_q(moment)).values_list("organisation", flat=True):
        counts[org_id] = counts.get(org_id, 0) + 1
    reminded = 0
    heads = (
        RoleAssignment.objects.active()
        .filter(role=Role.ORGANISATION_HEAD, organisation__in=list(counts))
        .select_related("user", "organisation")
    )
    by_org: dict[int, list[User]] = {}
    for ra in heads:
        by_org.setdefault(ra.organisation_id, []).append(ra.user)  # type: ignore[arg-type]
    for org_id, users in by_org.items():
        notify(
            recipients=users,
            title=_("%(count)s nhiệm vụ quá hạn chưa hoàn thành") % {"count": counts[org_id]},
            body=_("Vui lòng báo cáo tiến độ các nhiệm vụ quá hạn của đơn vị."),
            url=reverse("command:tasks") + "?status=overdue",
            kind="command_overdue",
        )
        reminded += 1
    return reminded

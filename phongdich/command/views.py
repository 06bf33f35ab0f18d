"""Pages of the command app (thin): response plans of an organisation and the agencies lacking one (R6);
directives, their completion matrix, an agency's tasks with the progress report form, and the Standing
Committee overview (R3, R4). Files are served only to those who may see them, and the reads are audited."""

from __future__ import annotations

import mimetypes
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError, ValidationFailed
from phongdich.core.exports import ExportFile
from phongdich.core.models import AuditAction
from phongdich.core.pagination import filter_params, page_links
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.orgs.scope import scope_for

from . import exports, selectors
from .forms import LEVEL_CHOICES, DirectiveForm, PlanForm, ProgressForm, TaskForm
from .models import PlanLevel, ProgressStatus, ResponsePlan
from .permissions import can_act_for, is_command
from .services import directive_create, plan_record, progress_report, task_add


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError):
        return None


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**context, "is_command_user": is_command(request.user)}, status=status)


def _download(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _serve(request: HttpRequest, file: FieldFile, *, obj: Any, summary: str, download_name: str) -> HttpResponse:
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except OSError:
        raise Http404 from None
    audit(actor=request.user, action=AuditAction.READ, obj=obj, summary=summary[:255])
    content_type = mimetypes.guess_type(file.name or "")[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type, filename=download_name, as_attachment=False)  # type: ignore[return-value]


# --- response plans (R6) ----------------------------------------------------------------------------

PLAN_FILTERS = ("level", "district", "kind")


def _plan_filters(request: HttpRequest) -> dict[str, Any]:
    params = filter_params(request, PLAN_FILTERS)
    level = params.get("level", "")
    district_uid = _uuid(params.get("district", ""))
    district = None
    if district_uid:
        district = scope_for(request.user).units().filter(uid=district_uid, level=Level.DISTRICT).first()
    return {
        "level": int(level) if level in {str(v) for v in PlanLevel.values} else None,
        "district": district,
        "kind": params.get("kind", "") if params.get("kind") in OrganisationKind.values else "",
    }


def _plan_query(filters: dict[str, Any]) -> dict[str, str]:
    return {k: (str(v.uid) if isinstance(v, Unit) else str(v)) for k, v in filters.items() if v}


def _districts(request: HttpRequest) -> list[Unit]:
    return list(scope_for(request.user).units().filter(level=Level.DISTRICT).order_by("code"))


@login_required
@require_GET
def plans_missing_view(request: HttpRequest) -> HttpResponse:
    """The agencies in scope lacking a response plan, per level, with counts."""
    filters = _plan_filters(request)
    page = selectors.missing_plans_page(user=request.user, after=request.GET.get("after"), **filters)
    counts = selectors.missing_counts(user=request.user, district=filters["district"], kind=filters["kind"])
    context = {
        "page": page,
        "filters": filters,
        "counts": counts,
        "level_counts": [(level, label, counts[str(level)]) for level, label in PlanLevel.choices],
        "levels": LEVEL_CHOICES,
        "kinds": OrganisationKind.choices,
        "districts": _districts(request),
        **page_links(request, _plan_query(filters), page.next_after),
    }
    return _render(request, "command/plans_missing.html", context)


@login_required
@require_GET
def plans_missing_export_view(request: HttpRequest) -> HttpResponse:
    try:
        return _download(exports.missing_plans_export(user=request.user, **_plan_filters(request)))
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return redirect("command:plans_missing")


@login_required
@require_GET
def org_plans_view(request: HttpRequest, uid: str) -> HttpResponse:
    """An organisation's plans for the four levels: which it has (with their versions), which are missing."""
    org = selectors.organisation_get(user=request.user, uid=uid)
    levels = []
    for level, label, plan in selectors.organisation_plans(org):
        versions = selectors.plan_versions(plan) if plan is not None else []
        levels.append({"level": level, "label": label, "plan": plan, "versions": versions})
    context = {
        "organisation": org,
        "levels": levels,
        "missing": [item for item in levels if item["plan"] is None],
        "can_edit": can_act_for(request.user, org),
    }
    return _render(request, "command/org_plans.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request: HttpRequest, uid: str, level: int) -> HttpResponse:
    """Record a plan for a level, or a new version of it (the old one is kept)."""
    org = selectors.organisation_get(user=request.user, uid=uid)
    if level not in PlanLevel.values:
        raise Http404
    if not can_act_for(request.user, org):
        raise PermissionDenied
    current = ResponsePlan.objects.filter(organisation=org, level=level).first()
    initial = {}
    if current is not None:
        initial = {
            "title": current.title,
            "content": current.content,
            "approved_on": current.approved_on,
            "approved_by": current.approved_by,
        }
    form = PlanForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_record(actor=request.user, organisation=org, level=level, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu phương án (phiên bản mới; các phiên bản cũ được giữ lại)."))
            return redirect("command:org_plans", uid=org.uid)
    context = {"organisation": org, "level": level, "level_label": PlanLevel(level).label, "current": current}
    context["form"] = form
    return _render(request, "command/plan_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def plan_file_view(request: HttpRequest, uid: str) -> HttpResponse:
    version = selectors.plan_version_get(user=request.user, uid=uid)
    plan = version.plan
    return _serve(
        request,
        version.attachment,
        obj=plan,
        summary=_("Xem tệp phương án %(org)s, cấp %(level)s, phiên bản %(version)s")
        % {"org": plan.organisation.name, "level": plan.level, "version": version.version},
        download_name=f"phuong-an-cap-{plan.level}-v{version.version}.pdf",
    )


# --- directives (R3, R4) ----------------------------------------------------------------------------


@login_required
@require_GET
def directive_list_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = selectors.directive_page(user=request.user, q=q, after=request.GET.get("after"))
    context = {
        "page": page,
        "q": q,
        "can_create": is_command(request.user),
        **page_links(request, {"q": q} if q else {}, page.next_after),
    }
    return _render(request, "command/directive_list.html", context)


@login_required
@require_GET
def directives_export_view(request: HttpRequest) -> HttpResponse:
    directive = None
    if request.GET.get("directive"):
        directive = selectors.directive_get(user=request.user, uid=request.GET["directive"])
    try:
        return _download(exports.assignments_export(user=request.user, directive=directive))
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return redirect("command:directives")


@login_required
@require_http_methods(["GET", "POST"])
def directive_create_view(request: HttpRequest) -> HttpResponse:
    if not is_command(request.user):
        raise PermissionDenied
    form = DirectiveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            directive = directive_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã nhập văn bản. Tiếp theo: thêm các nhiệm vụ và cơ quan thực hiện."))
            return redirect("command:directive_detail", uid=directive.uid)
    return _render(request, "command/directive_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def directive_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    directive = selectors.directive_get(user=request.user, uid=uid)
    matrix = selectors.directive_matrix(user=request.user, directive=directive)
    context = {"directive": directive, "matrix": matrix, "can_edit": is_command(request.user), "now": timezone.now()}
    return _render(request, "command/directive_detail.html", context)


@login_required
@require_GET
def directive_file_view(request: HttpRequest, uid: str) -> HttpResponse:
    directive = selectors.directive_get(user=request.user, uid=uid)
    return _serve(
        request,
        directive.attachment,
        obj=directive,
        summary=_("Xem tệp văn bản %(label)s") % {"label": str(directive)},
        download_name="van-ban.pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create_view(request: HttpRequest, uid: str) -> HttpResponse:
    directive = selectors.directive_get(user=request.user, uid=uid)
    if not is_command(request.user):
        raise PermissionDenied
    organisations = Organisation.objects.for_user(request.user)
    form = TaskForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            task = task_add(actor=request.user, directive=directive, **form.task_data())  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã giao nhiệm vụ %(number)s.") % {"number": task.number})
            return redirect("command:directive_detail", uid=directive.uid)
    context = {"directive": directive, "form": form}
    return _render(request, "command/task_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def my_tasks_view(request: HttpRequest) -> HttpResponse:
    """The tasks of the agencies in the user's scope: what is due, what is overdue."""
    params = filter_params(request, selectors.TASK_FILTERS)
    status = params.get("status", "") if params.get("status") in selectors.TASK_STATUS_FILTERS else ""
    org = None
    org_uid = _uuid(params.get("org", ""))
    if org_uid:
        org = Organisation.objects.for_user(request.user).filter(uid=org_uid).first()
    page = selectors.assignment_page(user=request.user, status=status, organisation=org, after=request.GET.get("after"))
    query = {k: v for k, v in {"status": status, "org": str(org.uid) if org else ""}.items() if v}
    context = {
        "page": page,
        "status": status,
        "organisation": org,
        "statuses": ProgressStatus.choices,
        **page_links(request, query, page.next_after),
    }
    return _render(request, "command/task_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_view(request: HttpRequest, uid: str) -> HttpResponse:
    """One agency's task: the deadline, the report history and (for those who act for it) the report form."""
    assignment = selectors.assignment_get(user=request.user, uid=uid)
    can_report = can_act_for(request.user, assignment.organisation)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"status": assignment.status})
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            try:
                progress_report(actor=request.user, assignment=assignment, **form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã gửi báo cáo tiến độ."))
                return redirect("command:assignment", uid=assignment.uid)
    row = selectors.assignment_rows([assignment])[0]
    context = {
        "row": row,
        "assignment": assignment,
        "task": assignment.task,
        "reports": selectors.assignment_reports(assignment),
        "form": form,
        "can_report": can_report,
    }
    return _render(request, "command/assignment.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def evidence_view(request: HttpRequest, uid: str) -> HttpResponse:
    progress = selectors.progress_get(user=request.user, uid=uid)
    return _serve(
        request,
        progress.evidence,
        obj=progress.assignment,
        summary=_("Xem minh chứng của %(org)s") % {"org": progress.assignment.organisation.name},
        download_name=progress.evidence_name or (progress.evidence.name or "").rsplit("/", 1)[-1],
    )


@login_required
@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    """The Standing Committee's view: every directive's completion and overdue count, and every agency's."""
    if not is_command(request.user):
        raise PermissionDenied
    return _render(request, "command/overview.html", {"overview": selectors.overview(user=request.user)})


@login_required
@require_GET
def overview_export_view(request: HttpRequest) -> HttpResponse:
    if not is_command(request.user):
        raise PermissionDenied
    return _download(exports.overview_export(user=request.user))

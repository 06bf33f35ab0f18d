"""Testing pages (thin): orders (filters, export), overdue per unit / organisation, an order (audited) with
sample taking, labs and the lab desk (receive, pool, results, capacity and backlog), the results import,
and the mandatory-test rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.core.ids import parse_uuid
from phongdich.core.pagination import filter_params, page_links
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.people.selectors import person_get_for_write

from .exports import orders_export, overdue_export
from .forms import CancelForm, ImportForm, LabForm, OrderForm, ReceiveForm, ResultForm, RuleForm, SampleForm
from .imports import results_import
from .models import MandatoryTestRule, OrderReason, OrderStatus, Sample
from .selectors import (
    OrderFilters,
    backlog_queryset,
    lab_get,
    lab_load,
    lab_loads,
    open_pools,
    order_get,
    order_page,
    order_result,
    order_sample,
    overdue_summary,
    rule_list,
)
from .services import (
    can_edit_rules,
    can_take_samples,
    can_work_lab,
    lab_create,
    order_cancel,
    order_manual,
    pool_create,
    result_enter,
    rule_create,
    rule_update,
    sample_receive,
    sample_take,
)

FILTER_KEYS = ("reason", "status", "overdue", "unit", "organisation", "person")


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _by_uid(model: Any, value: str) -> Any:
    key = parse_uuid(value)
    return model.objects.filter(uid=key).first() if key is not None else None


def _filters(request: HttpRequest) -> tuple[OrderFilters, dict[str, str]]:
    params = filter_params(request, FILTER_KEYS)
    reason = params.get("reason", "")
    status = params.get("status", "")
    scope = scope_for(request.user)
    unit = _by_uid(Unit, params.get("unit", ""))
    if unit is not None and not scope.contains_unit(unit):
        unit = None
    organisation = _by_uid(Organisation, params.get("organisation", ""))
    if organisation is not None and not scope.contains_organisation(organisation):
        organisation = None
    person = _by_uid(Person, params.get("person", ""))
    filters = OrderFilters(
        reason=reason if reason in OrderReason.values else "",
        status=status if status in OrderStatus.values else "",
        overdue=params.get("overdue") == "1",
        unit=unit,
        organisation=organisation,
        person=person,
    )
    clean = {
        "reason": filters.reason,
        "status": filters.status,
        "overdue": "1" if filters.overdue else "",
        "unit": str(unit.uid) if unit else "",
        "organisation": str(organisation.uid) if organisation else "",
        "person": str(person.uid) if person else "",
    }
    return filters, {k: v for k, v in clean.items() if v}


@login_required
@require_GET
def order_list_view(request: HttpRequest) -> HttpResponse:
    filters, params = _filters(request)
    page = order_page(user=request.user, filters=filters, after=request.GET.get("after") or None)
    scope = scope_for(request.user)
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "reasons": OrderReason.choices,
        "statuses": OrderStatus.choices,
        "units": scope.units().filter(level__lte=Level.COMMUNE).order_by("level", "name")[:400],
        "organisations": scope.organisations().order_by("name")[:400],
        **page_links(request, params, page.next_after),
    }
    return render(request, "testing/order_list.html", context)


@login_required
@require_GET
def order_export_view(request: HttpRequest) -> HttpResponse:
    filters, _params = _filters(request)
    try:
        return _download(orders_export(user=request.user, filters=filters))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("testing:orders")


@login_required
@require_GET
def overdue_view(request: HttpRequest) -> HttpResponse:
    by = "organisation" if request.GET.get("by") == "organisation" else "unit"
    rows = overdue_summary(user=request.user, by=by)
    context = {"rows": rows, "by": by, "total": sum(r.count for r in rows)}
    return render(request, "testing/overdue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_create_view(request: HttpRequest) -> HttpResponse:
    if not can_take_samples(request.user):
        raise PermissionDenied
    person = person_get_for_write(user=request.user, uid=request.GET.get("person") or request.POST.get("person") or "")
    form = OrderForm(request.POST or None, initial={"due_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            order = order_manual(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã chỉ định xét nghiệm."))
            return redirect("testing:order", uid=order.uid)
    return render(request, "testing/order_form.html", {"form": form, "person": person})


@login_required
@require_GET
def overdue_export_view(request: HttpRequest) -> HttpResponse:
    by = "organisation" if request.GET.get("by") == "organisation" else "unit"
    return _download(overdue_export(user=request.user, by=by))


@login_required
@require_GET
def order_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    order = order_get(user=request.user, uid=uid)
    context = {
        "order": order,
        "sample": order_sample(order),
        "result": order_result(order),
        "follow_ups": list(order.follow_ups.order_by("id")),
        "can_sample": can_take_samples(request.user) and order.status == OrderStatus.OPEN,
        "sample_form": SampleForm(),
        "cancel_form": CancelForm(),
    }
    return render(request, "testing/order_detail.html", context)


@login_required
@require_POST
def sample_take_view(request: HttpRequest, uid: str) -> HttpResponse:
    if not can_take_samples(request.user):
        raise PermissionDenied
    order = order_get(user=request.user, uid=uid, audited=False)
    form = SampleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thông tin lấy mẫu không hợp lệ."))
        return redirect("testing:order", uid=order.uid)
    try:
        sample = sample_take(actor=request.user, order=order, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã lấy mẫu %(code)s.") % {"code": sample.code})
    return redirect("testing:order", uid=order.uid)


@login_required
@require_POST
def order_cancel_view(request: HttpRequest, uid: str) -> HttpResponse:
    if not can_take_samples(request.user):
        raise PermissionDenied
    order = order_get(user=request.user, uid=uid, audited=False)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Vui lòng ghi lý do hủy chỉ định."))
        order_cancel(actor=request.user, order=order, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã hủy chỉ định xét nghiệm."))
    return redirect("testing:order", uid=order.uid)


@login_required
@require_GET
def lab_list_view(request: HttpRequest) -> HttpResponse:
    context = {"loads": lab_loads(user=request.user), "can_manage": can_work_lab(request.user)}
    return render(request, "testing/lab_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lab_create_view(request: HttpRequest) -> HttpResponse:
    if not can_work_lab(request.user):
        raise PermissionDenied
    form = LabForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lab = lab_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã thêm phòng xét nghiệm “%(name)s”.") % {"name": lab.name})
            return redirect("testing:lab", uid=lab.uid)
    return render(request, "testing/lab_form.html", {"form": form})


def _lab_post(request: HttpRequest, lab: Any) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "receive":
            receive = ReceiveForm(request.POST)
            if not receive.is_valid():
                raise ApplicationError(_("Vui lòng nhập mã mẫu."))
            sample = sample_receive(actor=request.user, lab=lab, code=receive.cleaned_data["code"])
            messages.success(request, _("Đã nhận mẫu %(code)s.") % {"code": sample.code})
        elif action == "pool":
            keys = [k for k in (parse_uuid(u) for u in request.POST.getlist("samples")) if k is not None]
            samples = list(Sample.objects.filter(uid__in=keys, lab=lab))
            pool = pool_create(actor=request.user, lab=lab, samples=samples)
            messages.success(request, _("Đã tạo mẫu gộp %(code)s.") % {"code": pool.code})
        elif action == "result":
            form = ResultForm(request.POST)
            if not form.is_valid():
                errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
                raise ApplicationError(errors)
            result = result_enter(actor=request.user, lab=lab, **form.cleaned_data)
            messages.success(
                request,
                _("Đã ghi kết quả %(code)s: %(outcome)s.")
                % {"code": form.cleaned_data["code"], "outcome": result.get_outcome_display()},
            )
        else:
            raise ApplicationError(_("Thao tác không hợp lệ."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))


@login_required
@require_http_methods(["GET", "POST"])
def lab_desk_view(request: HttpRequest, uid: str) -> HttpResponse:
    lab = lab_get(user=request.user, uid=uid)
    can_work = can_work_lab(request.user)
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        _lab_post(request, lab)
        return redirect("testing:lab", uid=lab.uid)
    context = {
        "lab": lab,
        "load": lab_load(lab),
        "backlog": list(backlog_queryset(lab)[:200]),
        "pools": open_pools(lab),
        "can_work": can_work,
        "receive_form": ReceiveForm(),
        "result_form": ResultForm(),
    }
    return render(request, "testing/lab_desk.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lab_import_view(request: HttpRequest, uid: str) -> HttpResponse:
    lab = lab_get(user=request.user, uid=uid)
    if not can_work_lab(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = results_import(actor=request.user, lab=lab, upload=form.cleaned_data["file"])
        except ApplicationError as exc:
            form.add_error("file", str(exc.message))
        else:
            if result.ok:
                messages.success(request, _("Đã nhập %(count)s kết quả.") % {"count": result.written})
                return redirect("testing:lab", uid=lab.uid)
    return render(request, "testing/lab_import.html", {"lab": lab, "form": form, "result": result})


@login_required
@require_http_methods(["GET", "POST"])
def rule_list_view(request: HttpRequest) -> HttpResponse:
    editor = can_edit_rules(request.user)
    form = RuleForm(request.POST or None) if editor else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                rule_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("Đã thêm quy định xét nghiệm bắt buộc."))
                return redirect("testing:rules")
    return render(request, "testing/rule_list.html", {"rules": rule_list(), "form": form, "editor": editor})


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    if not can_edit_rules(request.user):
        raise PermissionDenied
    rule = MandatoryTestRule.objects.filter(uid=uid).first()
    if rule is None:
        raise Http404
    form = RuleForm.for_rule(rule, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Đã cập nhật quy định."))
            return redirect("testing:rules")
    return render(request, "testing/rule_form.html", {"form": form, "rule": rule})

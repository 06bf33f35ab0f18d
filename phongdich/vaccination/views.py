"""Vaccination pages (thin): doses (scoped keyset list, export, record, a dose — audited — with its adverse
events), coverage by unit and age band with drill-down and export, adverse events (list, export, report,
detail — audited — follow-up, causality), priority lists with counts, dose import, catalogue."""

from __future__ import annotations

import uuid
from datetime import date
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
from phongdich.core.pagination import filter_params, page_links
from phongdich.geo.models import Unit
from phongdich.people.models import Person

from .exports import coverage_export, doses_export, events_export
from .forms import (
    ClassifyForm,
    DoseDeleteForm,
    DoseForm,
    EventForm,
    FollowUpForm,
    ImportForm,
    LotForm,
    PriorityForm,
    SiteForm,
)
from .imports import doses_import, doses_template
from .models import (
    AefiOutcome,
    Causality,
    EligibilityRule,
    PriorityAssignment,
    PriorityList,
    Severity,
    VaccinationSite,
    VaccineLot,
    VaccineProduct,
)
from .selectors import (
    AGE_BANDS,
    DoseFilters,
    EventFilters,
    coverage_report,
    coverage_units,
    dose_get,
    dose_page,
    eligibility,
    event_get,
    event_page,
    person_doses,
    priority_counts,
    priority_list_for,
)
from .services import (
    can_record,
    can_review,
    dose_delete,
    dose_record,
    event_classify,
    event_follow_up,
    event_report,
    lot_create,
    priority_assign,
    site_create,
)

DOSE_FILTER_KEYS = ("product", "dose_number", "person", "date_from", "date_to", "unit")
EVENT_FILTER_KEYS = ("severity", "outcome", "causality", "unreviewed")


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _uid(value: str) -> str:
    try:
        return str(uuid.UUID(value)) if value else ""
    except ValueError:
        return ""


def _person(request: HttpRequest, uid: Any) -> Person:
    person = Person.objects.for_user(request.user).active().filter(uid=uid).select_related("residence_unit").first()
    if person is None:
        raise Http404
    return person


def _apply(form: Any, exc: ApplicationError) -> None:
    problems = exc.extra.get("problems") or [(exc.field, str(exc.message))]
    for field, message in problems:
        form.add_error(field if field in form.fields else None, str(message))


# --- Doses ----------------------------------------------------------------------------------------


def _dose_filters(request: HttpRequest) -> tuple[DoseFilters, dict[str, str]]:
    params = filter_params(request, DOSE_FILTER_KEYS)
    product = params.get("product", "")
    number = params.get("dose_number", "")
    unit_uid = _uid(params.get("unit", ""))
    unit = coverage_units(request.user).filter(uid=unit_uid).first() if unit_uid else None
    filters = DoseFilters(
        product=product if VaccineProduct.objects.filter(code=product).exists() else "",
        dose_number=int(number) if number.isdigit() and 0 < int(number) < 10 else None,
        person=_uid(params.get("person", "")),
        date_from=_date(params.get("date_from", "")),
        date_to=_date(params.get("date_to", "")),
        unit=unit,
    )
    clean = {
        "product": filters.product,
        "dose_number": str(filters.dose_number or ""),
        "person": filters.person,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "unit": str(unit.uid) if unit else "",
    }
    return filters, {k: v for k, v in clean.items() if v}


@login_required
@require_GET
def dose_list_view(request: HttpRequest) -> HttpResponse:
    filters, params = _dose_filters(request)
    page = dose_page(user=request.user, filters=filters, after=request.GET.get("after") or "")
    person = Person.objects.filter(uid=filters.person).first() if filters.person else None
    context = {
        "page": page,
        "filters": filters,
        "person": person,
        "products": VaccineProduct.objects.order_by("name"),
        "units": coverage_units(request.user).order_by("level", "name")[:400],
        "can_record": can_record(request.user),
        **page_links(request, params, page.next_after),
    }
    return render(request, "vaccination/dose_list.html", context)


@login_required
@require_GET
def dose_export_view(request: HttpRequest) -> HttpResponse:
    filters, _params = _dose_filters(request)
    try:
        return _download(doses_export(user=request.user, filters=filters))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("vaccination:doses")


def _record(request: HttpRequest, person: Person | None) -> HttpResponse:
    if not can_record(request.user):
        raise PermissionDenied
    form = DoseForm(request.POST or None, with_person=person is not None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = person
        if target is None:
            target = Person.objects.for_user(request.user).active().filter(cccd=data["cccd"]).first()
            if target is None:
                form.add_error("cccd", _("Không tìm thấy người có số CCCD này trong địa bàn của bạn."))
        if target is not None:
            try:
                dose = dose_record(
                    actor=request.user,
                    person=target,
                    product=data["product"],
                    given_on=data["given_on"],
                    lot=data["lot"],
                    site=data["site"],
                    dose_number=data["dose_number"],
                    exception_reason=data["exception_reason"],
                    note=data["note"],
                )
            except ApplicationError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã ghi mũi %(n)s cho %(name)s.") % {"n": dose.dose_number, "name": target.full_name},
                )
                if person is not None:
                    return redirect("people:detail", uid=person.uid)
                return redirect("vaccination:dose-new")
    context = {
        "form": form,
        "person": person,
        "doses": person_doses(person=person) if person else [],
        "verdict": eligibility(person, timezone.localdate()) if person else None,
        "rules": EligibilityRule.objects.all(),
    }
    return render(request, "vaccination/dose_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dose_create_view(request: HttpRequest) -> HttpResponse:
    return _record(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def person_dose_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return _record(request, _person(request, uid))


@login_required
@require_GET
def dose_detail_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    dose = dose_get(user=request.user, uid=uid)
    context = {
        "dose": dose,
        "events": dose.adverse_events.order_by("-onset_at"),
        "can_record": can_record(request.user),
        "delete_form": DoseDeleteForm(),
    }
    return render(request, "vaccination/dose_detail.html", context)


@login_required
@require_POST
def dose_delete_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    dose = dose_get(user=request.user, uid=uid, audited=False)
    form = DoseDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do xóa mũi tiêm."))
        return redirect("vaccination:dose", uid=dose.uid)
    person = dose.person
    try:
        dose_delete(actor=request.user, dose=dose, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("vaccination:dose", uid=dose.uid)
    messages.success(request, _("Đã xóa mũi tiêm."))
    return redirect("people:detail", uid=person.uid)


# --- Coverage -------------------------------------------------------------------------------------


def _coverage_args(request: HttpRequest) -> tuple[date, Unit | None, int]:
    on = _date(request.GET.get("on", "")) or timezone.localdate()
    unit_uid = _uid(request.GET.get("unit", ""))
    unit = coverage_units(request.user).filter(uid=unit_uid).first() if unit_uid else None
    if unit_uid and unit is None:
        raise Http404
    elderly = 50 if request.GET.get("elderly") == "50" else 65
    return on, unit, elderly


@login_required
@require_GET
def coverage_view(request: HttpRequest) -> HttpResponse:
    on, unit, elderly = _coverage_args(request)
    report = coverage_report(user=request.user, on=on, unit=unit, elderly_age=elderly)
    ancestors = list(report.unit.ancestors()) if report.unit else []
    scope_units = set(
        coverage_units(request.user).filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True)
    )
    context = {
        "report": report,
        "crumbs": [a for a in ancestors if a.pk in scope_units],
        "on": on,
        "elderly": elderly,
        "band_labels": dict(_band_labels()),
    }
    return render(request, "vaccination/coverage.html", context)


def _band_labels() -> list[tuple[str, str]]:
    labels = {"<18": _("Dưới 18 tuổi"), "18-49": _("18–49 tuổi"), "50-64": _("50–64 tuổi"), "65+": _("Từ 65 tuổi")}
    return [(key, labels.get(key, key)) for key, _low in AGE_BANDS]


@login_required
@require_GET
def coverage_export_view(request: HttpRequest) -> HttpResponse:
    on, unit, elderly = _coverage_args(request)
    report = coverage_report(user=request.user, on=on, unit=unit, elderly_age=elderly)
    return _download(coverage_export(user=request.user, report=report))


# --- Adverse events -------------------------------------------------------------------------------


def _event_filters(request: HttpRequest) -> tuple[EventFilters, dict[str, str]]:
    params = filter_params(request, EVENT_FILTER_KEYS)
    severity, outcome, causality = (params.get(k, "") for k in ("severity", "outcome", "causality"))
    filters = EventFilters(
        severity=severity if severity in Severity.values else "",
        outcome=outcome if outcome in AefiOutcome.values else "",
        causality=causality if causality in Causality.values else "",
        unreviewed=params.get("unreviewed") == "1",
    )
    clean = {
        "severity": filters.severity,
        "outcome": filters.outcome,
        "causality": filters.causality,
        "unreviewed": "1" if filters.unreviewed else "",
    }
    return filters, {k: v for k, v in clean.items() if v}


@login_required
@require_GET
def event_list_view(request: HttpRequest) -> HttpResponse:
    filters, params = _event_filters(request)
    page = event_page(user=request.user, filters=filters, after=request.GET.get("after") or "")
    context = {
        "page": page,
        "filters": filters,
        "severities": Severity.choices,
        "outcomes": AefiOutcome.choices,
        "causalities": Causality.choices,
        **page_links(request, params, page.next_after),
    }
    return render(request, "vaccination/event_list.html", context)


@login_required
@require_GET
def event_export_view(request: HttpRequest) -> HttpResponse:
    filters, _params = _event_filters(request)
    try:
        return _download(events_export(user=request.user, filters=filters))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("vaccination:events")


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    if not can_record(request.user):
        raise PermissionDenied
    dose = dose_get(user=request.user, uid=uid, audited=False)
    form = EventForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            event = event_report(actor=request.user, dose=dose, **form.cleaned_data)
        except ApplicationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận phản ứng sau tiêm."))
            return redirect("vaccination:event", uid=event.uid)
    return render(request, "vaccination/event_form.html", {"form": form, "dose": dose})


@login_required
@require_GET
def event_detail_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    event = event_get(user=request.user, uid=uid)
    context = {
        "event": event,
        "follow_ups": event.follow_ups.order_by("on", "id"),
        "follow_form": FollowUpForm(initial={"on": timezone.localdate(), "outcome": event.outcome})
        if can_record(request.user)
        else None,
        "classify_form": ClassifyForm(
            initial={
                "causality": event.causality,
                "review_body": event.review_body,
                "review_note": event.review_note,
                "reviewed_on": event.reviewed_on or timezone.localdate(),
            }
        )
        if can_review(request.user)
        else None,
    }
    return render(request, "vaccination/event_detail.html", context)


@login_required
@require_POST
def event_follow_up_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    if not can_record(request.user):
        raise PermissionDenied
    event = event_get(user=request.user, uid=uid, audited=False)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            event_follow_up(actor=request.user, event=event, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã ghi diễn biến."))
    else:
        messages.error(request, _("Hãy điền đủ ngày theo dõi, diễn biến và kết quả."))
    return redirect("vaccination:event", uid=event.uid)


@login_required
@require_POST
def event_classify_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    if not can_review(request.user):
        raise PermissionDenied
    event = event_get(user=request.user, uid=uid, audited=False)
    form = ClassifyForm(request.POST)
    if form.is_valid():
        try:
            event_classify(actor=request.user, event=event, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Đã ghi kết luận phân loại nguyên nhân."))
    else:
        messages.error(request, _("Hãy điền đủ phân loại, hội đồng, kết luận và ngày kết luận."))
    return redirect("vaccination:event", uid=event.uid)


# --- Priority groups ------------------------------------------------------------------------------


@login_required
@require_GET
def priority_view(request: HttpRequest) -> HttpResponse:
    lists = list(PriorityList.objects.order_by("effective_from"))
    chosen = next((pl for pl in lists if pl.code == request.GET.get("list")), None)
    chosen = chosen or priority_list_for(timezone.localdate()) or (lists[-1] if lists else None)
    counts = priority_counts(user=request.user, priority_list=chosen) if chosen else []
    context = {
        "lists": lists,
        "chosen": chosen,
        "counts": counts,
        "total": sum(c.people for c in counts),
    }
    return render(request, "vaccination/priority.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_priority_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    if not can_record(request.user):
        raise PermissionDenied
    person = _person(request, uid)
    lists = list(PriorityList.objects.order_by("effective_from"))
    chosen = next((pl for pl in lists if pl.code == (request.POST.get("list") or request.GET.get("list"))), None)
    chosen = chosen or priority_list_for(timezone.localdate())
    if chosen is None:
        raise Http404
    form = PriorityForm(request.POST or None, priority_list=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            priority_assign(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Đã xếp nhóm ưu tiên."))
            return redirect("people:detail", uid=person.uid)
    context = {
        "person": person,
        "form": form,
        "lists": lists,
        "chosen": chosen,
        "assignments": PriorityAssignment.objects.filter(person=person).select_related("group", "priority_list"),
    }
    return render(request, "vaccination/person_priority.html", context)


# --- Import and catalogue -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not can_record(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = doses_import(actor=request.user, upload=upload, filename=upload.name)
        except ApplicationError as exc:
            form.add_error("file", str(exc.message))
        else:
            if result.ok:
                messages.success(request, _("Đã nhập %(count)s mũi tiêm.") % {"count": result.written})
                return redirect("vaccination:doses")
    return render(request, "vaccination/import.html", {"form": form, "result": result})


@login_required
@require_GET
def import_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        doses_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-mui-tiem.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_view(request: HttpRequest) -> HttpResponse:
    lot_form = (
        LotForm(request.POST if request.POST.get("form") == "lot" else None) if can_review(request.user) else None
    )
    site_form = (
        SiteForm(request.POST if request.POST.get("form") == "site" else None, user=request.user)
        if can_record(request.user)
        else None
    )
    if request.method == "POST":
        form = lot_form if request.POST.get("form") == "lot" else site_form
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if form is lot_form:
                    lot_create(actor=request.user, **form.cleaned_data)
                else:
                    site_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("vaccination:catalogue")
    context = {
        "products": VaccineProduct.objects.order_by("name"),
        "lots": VaccineLot.objects.select_related("product").order_by("-expiry_date")[:200],
        "sites": VaccinationSite.objects.select_related("unit").order_by("name")[:200],
        "rules": EligibilityRule.objects.order_by("effective_from"),
        "lot_form": lot_form,
        "site_form": site_form,
        "today": timezone.localdate(),
    }
    return render(request, "vaccination/catalogue.html", context)

"""Pages of the administrative tree (thin): browse units, add and edit hamlets, import hamlets and populations.

Browsing is open to every signed-in user (units are public geography). Adding, editing and
importing hamlets need the commune in the user's jurisdiction — outside it the answer is 404;
importing populations needs a province administrator.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core import tabular as tb
from phongdich.core.errors import ApplicationError, NotInScope

from .access import is_province_admin, unit_scope
from .forms import HamletEditForm, HamletForm, ImportForm, PopulationImportForm
from .models import Level, Unit
from .selectors import current_tree, provinces, unit_children, unit_get, unit_list, unit_successions
from .services import (
    hamlet_columns,
    hamlet_create,
    hamlet_import,
    hamlet_update,
    population_columns,
    population_import,
)

PAGE_SIZE = 50
ERRORS_SHOWN = 200


def _unit_or_404(uid: Any) -> Unit:
    try:
        return unit_get(uid=uid)
    except Unit.DoesNotExist:
        raise Http404 from None


def _commune_in_scope_or_404(request: HttpRequest, uid: Any) -> Unit:
    unit = _unit_or_404(uid)
    if unit.level != Level.COMMUNE or not unit_scope(request.user).contains_unit(unit):
        raise Http404
    return unit


def _apply_error(form: Any, exc: ApplicationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The provinces of a tree, and a search over all its units."""
    tree = request.GET.get("tree", "").strip()[:16] or current_tree()
    q = request.GET.get("q", "").strip()[:120]
    page = None
    if q:
        page = Paginator(unit_list(tree=tree, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    trees = sorted(set(Unit.objects.values_list("tree", flat=True).distinct()))
    return render(
        request,
        "geo/index.html",
        {
            "tree": tree,
            "trees": trees,
            "provinces": provinces(tree=tree),
            "q": q,
            "page": page,
            "pager_extra": "&" + urlencode({"tree": tree, "q": q}),
            "can_import_population": is_province_admin(request.user),
        },
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    """One unit: its facts, its ancestors and its children (paged); for a commune, its hamlets and forms."""
    unit = _unit_or_404(uid)
    page = Paginator(unit_children(unit), PAGE_SIZE).get_page(request.GET.get("page"))
    can_edit = unit.level in (Level.COMMUNE, Level.HAMLET) and unit_scope(request.user).contains_unit(unit)
    context: dict[str, Any] = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "page": page,
        "successions": list(unit_successions(unit)),
        "can_edit": can_edit,
        "is_commune": unit.level == Level.COMMUNE,
        "is_hamlet": unit.level == Level.HAMLET,
    }
    if can_edit and unit.level == Level.COMMUNE:
        context["form"] = HamletForm()
    if can_edit and unit.level == Level.HAMLET:
        context["edit_form"] = HamletEditForm(
            initial={"name": unit.name, "unit_type": unit.unit_type, "population": unit.population}
        )
    return render(request, "geo/unit_detail.html", context)


@login_required
@require_POST
def hamlet_add(request: HttpRequest, uid: Any) -> HttpResponse:
    commune = _commune_in_scope_or_404(request, uid)
    form = HamletForm(request.POST)
    if form.is_valid():
        try:
            hamlet = hamlet_create(
                commune=commune,
                name=form.cleaned_data["name"],
                unit_type=form.cleaned_data["unit_type"],
                code=form.cleaned_data["code"] or None,
                population=form.cleaned_data["population"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except NotInScope:
            raise Http404 from None
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s (mã %(code)s).") % {"name": hamlet.name, "code": hamlet.code})
            return redirect("geo:unit", uid=commune.uid)
    page = Paginator(unit_children(commune), PAGE_SIZE).get_page(1)
    return render(
        request,
        "geo/unit_detail.html",
        {
            "unit": commune,
            "ancestors": list(commune.ancestors()),
            "page": page,
            "successions": list(unit_successions(commune)),
            "can_edit": True,
            "is_commune": True,
            "form": form,
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    hamlet = _unit_or_404(uid)
    if hamlet.level != Level.HAMLET or not unit_scope(request.user).contains_unit(hamlet):
        raise Http404
    form = HamletEditForm(
        request.POST or None,
        initial={"name": hamlet.name, "unit_type": hamlet.unit_type, "population": hamlet.population},
    )
    if request.method == "POST" and form.is_valid():
        try:
            hamlet_update(
                hamlet=hamlet,
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                unit_type=form.cleaned_data["unit_type"],
                population=form.cleaned_data["population"],
            )
        except NotInScope:
            raise Http404 from None
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("geo:unit", uid=hamlet.uid)
    return render(request, "geo/hamlet_edit.html", {"unit": hamlet, "form": form}, status=400 if form.errors else 200)


def _import_page(
    request: HttpRequest,
    *,
    template: str,
    form: ImportForm,
    run: Any,
    context: dict[str, Any],
) -> HttpResponse:
    """Shared by the two import pages: run the import on a valid upload and show its result."""
    result = None
    rejected_url = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = run(upload, form.cleaned_data["partial"], form.cleaned_data)
        except NotInScope:
            raise Http404 from None
        except ApplicationError as exc:
            form.add_error("file" if exc.field in (None, "file") else None, str(exc.message))
        else:
            token = tb.remember_rejected_file(result, user=request.user)
            if token:
                rejected_url = reverse("geo:rejected", kwargs={"token": token})
            if result.committed:
                messages.success(request, _("Đã ghi %(n)s dòng.") % {"n": result.written})
    status = 400 if form.errors or (result is not None and not result.ok) else 200
    return render(
        request,
        template,
        {**context, "form": form, "result": result, "rejected_url": rejected_url, "errors_shown": ERRORS_SHOWN},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_import_page(request: HttpRequest, uid: Any) -> HttpResponse:
    commune = _commune_in_scope_or_404(request, uid)
    form = ImportForm(request.POST or None, request.FILES or None)

    def run(upload: Any, partial: bool, _data: dict[str, Any]) -> tb.ImportResult:
        return hamlet_import(commune=commune, upload=upload, actor=request.user, partial=partial)  # type: ignore[arg-type]

    return _import_page(
        request,
        template="geo/hamlet_import.html",
        form=form,
        run=run,
        context={"unit": commune, "columns": hamlet_columns()},
    )


@login_required
@require_GET
def hamlet_template(request: HttpRequest, uid: Any, fmt: str) -> HttpResponse:
    _check_format(fmt)
    commune = _commune_in_scope_or_404(request, uid)
    return _file_response(tb.template_file(hamlet_columns(), fmt=fmt), fmt, f"thon-xom-{commune.code}.{fmt}")


def _require_province_admin(request: HttpRequest) -> None:
    if not is_province_admin(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def population_import_page(request: HttpRequest) -> HttpResponse:
    _require_province_admin(request)
    form = PopulationImportForm(request.POST or None, request.FILES or None)

    def run(upload: Any, partial: bool, data: dict[str, Any]) -> tb.ImportResult:
        return population_import(upload=upload, actor=request.user, tree=data["tree"], partial=partial)  # type: ignore[arg-type]

    return _import_page(
        request, template="geo/population_import.html", form=form, run=run, context={"columns": population_columns()}
    )


@login_required
@require_GET
def population_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _check_format(fmt)
    _require_province_admin(request)
    return _file_response(tb.template_file(population_columns(), fmt=fmt), fmt, f"dan-so.{fmt}")


@login_required
@require_GET
def rejected_file(request: HttpRequest, token: str) -> HttpResponse:
    return tb.rejected_file_response(token, user=request.user)


def _check_format(fmt: str) -> None:
    if fmt not in ("csv", "xlsx"):
        raise Http404


def _file_response(data: bytes, fmt: str, filename: str) -> HttpResponse:
    content_type = tb.XLSX_CONTENT_TYPE if fmt == "xlsx" else tb.CSV_CONTENT_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response

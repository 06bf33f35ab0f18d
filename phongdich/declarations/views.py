"""Pages of the declarations app (thin): the public self-service form and its update by code, and the
officials' assisted form, scoped list, detail and the commune's follow-up tasks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phongdich.core.errors import ApplicationError
from phongdich.core.middleware import client_ip
from phongdich.core.pagination import page_links
from phongdich.orgs.scope import scope_for

from . import guard
from .exports import declarations_export, tasks_export
from .forms import CodeForm, DeclarationForm
from .models import Channel, MedicalDeclaration
from .selectors import declaration_get, declaration_list, declaration_versions, task_get, task_list, task_queryset
from .services import declaration_by_code, declaration_file, declaration_update, task_done


def body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > guard.max_body()


def _too_large(request: HttpRequest) -> HttpResponse:
    message = _("Tờ khai quá lớn (tối đa %(kb)s KB). Không có gì được lưu; vui lòng rút gọn nội dung rồi khai lại.") % {
        "kb": guard.max_body() // 1024
    }
    return render(request, "errors/error.html", {"title": _("Tờ khai quá lớn"), "message": message}, status=413)


def size_checked_before_csrf(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse an oversized POST with the clear message before anything reads its body.

    The CSRF check reads the form body, and a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` then fails with
    a generic 400. So the global CSRF middleware skips this view, the size is checked from the
    Content-Length header first, and the same CSRF check runs right after on the views that pass."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and body_too_large(request):
            return _too_large(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _rate_limited(request: HttpRequest) -> HttpResponse:
    message = _("Bạn đã gửi quá nhiều tờ khai từ địa chỉ này. Vui lòng thử lại sau một giờ.")
    return render(request, "errors/error.html", {"title": _("Gửi quá nhiều lần"), "message": message}, status=429)


def _render_form(
    request: HttpRequest, template: str, form: DeclarationForm, status: int = 200, **extra: Any
) -> HttpResponse:
    challenge = guard.captcha_bind(request, form)
    context = {"form": form, "challenge": challenge, **extra}
    return render(request, template, context, status=status)


@size_checked_before_csrf
@require_http_methods(["GET", "POST"])
def declare_view(request: HttpRequest) -> HttpResponse:
    """The public self-service declaration (no login)."""
    if request.method == "POST":
        if body_too_large(request):
            return _too_large(request)
        if guard.ip_blocked(client_ip(request)):
            return _rate_limited(request)
        form = DeclarationForm(request.POST)
        if guard.captcha_passed(request, form) and form.is_valid() and not guard.phone_limited(form):
            try:
                filed = declaration_file(
                    actor=None, channel=Channel.SELF, data=form.declaration_data(), visits=form.visits()
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                guard.phone_hit(filed.declaration.phone)
                return render(request, "declarations/done.html", {"filed": filed, "declaration": filed.declaration})
        return _render_form(request, "declarations/public_form.html", form, status=400)
    return _render_form(request, "declarations/public_form.html", DeclarationForm())


@size_checked_before_csrf
@require_http_methods(["GET", "POST"])
def update_view(request: HttpRequest) -> HttpResponse:
    """The declarant enters their code and phone, then files an updated declaration (a new version)."""
    if request.method == "GET":
        return render(request, "declarations/code_form.html", {"form": CodeForm()})
    if body_too_large(request):
        return _too_large(request)
    ip = client_ip(request)
    if guard.ip_blocked(ip):
        return _rate_limited(request)
    if request.POST.get("step") != "save":
        guard.ip_hit(ip)
        code_form = CodeForm(request.POST)
        if not code_form.is_valid():
            return render(request, "declarations/code_form.html", {"form": code_form}, status=400)
        code, phone = code_form.cleaned_data["code"], code_form.cleaned_data["phone"]
        try:
            current = declaration_by_code(code=code, phone=phone)
        except ApplicationError as exc:
            code_form.add_error("code", str(exc.message))
            return render(request, "declarations/code_form.html", {"form": code_form}, status=400)
        form = DeclarationForm(instance=current)
        return _render_form(request, "declarations/public_form.html", form, updating=True, code=code, phone=phone)
    code, phone = str(request.POST.get("code", "")), str(request.POST.get("lookup_phone", ""))
    form = DeclarationForm(request.POST)
    if guard.captcha_passed(request, form) and form.is_valid() and not guard.phone_limited(form):
        try:
            filed = declaration_update(code=code, phone=phone, data=form.declaration_data(), visits=form.visits())
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            guard.phone_hit(filed.declaration.phone)
            return render(request, "declarations/done.html", {"filed": filed, "declaration": filed.declaration})
    return _render_form(
        request, "declarations/public_form.html", form, status=400, updating=True, code=code, phone=phone
    )


@size_checked_before_csrf
@login_required
@require_http_methods(["GET", "POST"])
def assisted_view(request: HttpRequest) -> HttpResponse:
    """An official files a declaration for someone without a phone or internet; the commune must be in scope."""
    units = scope_for(request.user).units()
    if request.method == "POST" and body_too_large(request):
        return _too_large(request)
    form = DeclarationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            filed = declaration_file(
                actor=request.user,  # type: ignore[arg-type]
                channel=Channel.ASSISTED,
                data=form.declaration_data(),
                visits=form.visits(),
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Đã lưu tờ khai. Mã khai báo để người dân cập nhật: %(code)s") % {"code": filed.code},
            )
            return redirect("declarations:detail", uid=filed.declaration.uid)
    return render(request, "declarations/assisted_form.html", {"form": form})


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name) == "1"


@login_required
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    symptoms, epidemic = _flag(request, "symptoms"), _flag(request, "epidemic")
    page = declaration_list(user=request.user, symptoms=symptoms, epidemic=epidemic, after=request.GET.get("after"))
    params = {k: "1" for k, v in {"symptoms": symptoms, "epidemic": epidemic}.items() if v}
    context = {
        "page": page,
        "symptoms": symptoms,
        "epidemic": epidemic,
        **page_links(request, params, page.next_after),
    }
    return render(request, "declarations/list.html", context)


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def export_view(request: HttpRequest) -> HttpResponse:
    try:
        export = declarations_export(
            user=request.user, symptoms=_flag(request, "symptoms"), epidemic=_flag(request, "epidemic")
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("declarations:list")
    return _download(export)


def _task_status(request: HttpRequest) -> str:
    status = request.GET.get("status", "open")
    return status if status in ("open", "done", "all") else "open"


@login_required
@require_GET
def task_export_view(request: HttpRequest) -> HttpResponse:
    try:
        export = tasks_export(user=request.user, status=_task_status(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("declarations:tasks")
    return _download(export)


@login_required
@require_GET
def detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    declaration = declaration_get(user=request.user, uid=uid)
    context = {
        "declaration": declaration,
        "visits": list(declaration.visits.select_related("unit")),
        "versions": declaration_versions(declaration),
        # Every follow-up task of the declarant (from any version) that the official's communes hold.
        "tasks": list(task_queryset(user=request.user, status="all").filter(person=declaration.person)[:50]),
    }
    return render(request, "declarations/detail.html", context)


@login_required
@require_GET
def task_list_view(request: HttpRequest) -> HttpResponse:
    status = _task_status(request)
    page = task_list(user=request.user, status=status, after=request.GET.get("after"))
    context = {
        "page": page,
        "status": status,
        "params": urlencode({"status": status}),
        "next_url": f"?{urlencode({'status': status, 'after': page.next_after})}" if page.next_after else "",
        "first_url": f"?{urlencode({'status': status})}" if request.GET.get("after") else "",
    }
    return render(request, "declarations/tasks.html", context)


@login_required
@require_POST
def task_done_view(request: HttpRequest, uid: str) -> HttpResponse:
    task = task_get(user=request.user, uid=uid)
    task_done(actor=request.user, task=task)  # type: ignore[arg-type]
    messages.success(request, _("Đã đánh dấu xong việc theo dõi."))
    back = str(request.POST.get("declaration", ""))
    if _is_uuid(back) and MedicalDeclaration.objects.filter(uid=back).exists():
        return redirect("declarations:detail", uid=back)
    return redirect("declarations:tasks")


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True

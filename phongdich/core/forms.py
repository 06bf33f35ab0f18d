"""Forms of the core app: a throttled login and the audit log search."""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import throttle
from .audit import audit
from .errors import ApplicationError
from .middleware import client_ip
from .models import AuditAction

THROTTLED_MESSAGE = _(
    "Đăng nhập sai quá nhiều lần từ tài khoản hoặc địa chỉ này. "
    "Vì an toàn, hệ thống tạm khóa đăng nhập; vui lòng thử lại sau %(minutes)s phút."
)


class ThrottledLoginMixin:
    """Refuses to even try the password once the username or the address is throttled.

    Failures themselves are counted by the ``user_login_failed`` signal (``core.signals``),
    so every path through ``authenticate()`` counts.
    """

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        ip = client_ip(self.request) if self.request is not None else None
        if throttle.is_blocked(username, ip):
            audit(
                actor=None,
                actor_username=username,
                action=AuditAction.LOGIN_FAILED,
                object_type="core.user",
                summary="throttled",
                detail={"reason": "throttled"},
            )
            minutes = max(1, throttle.window_seconds() // 60)
            raise ValidationError(THROTTLED_MESSAGE, code="throttled", params={"minutes": minutes})
        return super().clean()  # type: ignore[misc]


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


_IP_PREFIX = re.compile(r"^[0-9a-fA-F.:]{1,45}$")


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Tên đăng nhập"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("Hành động"), choices=[("", _("Tất cả")), *AuditAction.choices], required=False)
    object_type = forms.CharField(
        label=_("Loại đối tượng"), max_length=60, required=False, help_text=_("Ví dụ: people.person")
    )
    object_uid = forms.CharField(label=_("Mã đối tượng"), max_length=64, required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ip = forms.CharField(
        label=_("Địa chỉ IP"),
        max_length=45,
        required=False,
        help_text=_("Địa chỉ đầy đủ, hoặc phần đầu (ví dụ 10.0.)"),
    )

    def clean_ip(self) -> str:
        value = str(self.cleaned_data.get("ip") or "").strip()
        if not value:
            return ""
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            pass
        if not _IP_PREFIX.match(value):
            raise ValidationError(_("Địa chỉ IP không hợp lệ."), code="invalid")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from: date | None = data.get("date_from")
        date_to: date | None = data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def filters(self) -> dict[str, Any]:
        """The cleaned filters, without the empty ones."""
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


def add_application_error(form: forms.Form, exc: ApplicationError, *, field_map: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    name = (field_map or {}).get(exc.field or "", exc.field or "")
    form.add_error(name if name in form.fields else None, str(exc.message))

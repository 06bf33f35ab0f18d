"""Forms of the hotlines app: the public tip form (with the declaration form's CAPTCHA fields), the
operator's entry form, assign and close, the public status lookup, hotlines, teams and shifts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ApplicationError
from phongdich.core.models import User
from phongdich.declarations.forms import commune_choices
from phongdich.geo.models import Level, Unit

from .models import TipKind, TipOutcome
from .services import DESCRIPTION_MAX

REQUIRED = _("Vui lòng điền mục này.")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NO_SUCH_COMMUNE = _("Không có xã, phường này trong danh mục. Vui lòng chọn lại.")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class ServiceErrors:
    def add_service_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, str(exc.message))  # type: ignore[attr-defined]


def _messages(form: forms.Form) -> None:
    for f in form.fields.values():
        f.error_messages["required"] = REQUIRED
        if isinstance(f, forms.DateTimeField):
            f.error_messages["invalid"] = _("Thời điểm không hợp lệ (ngày/tháng/năm giờ:phút).")
        if isinstance(f, forms.ChoiceField):
            f.error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ. Vui lòng chọn lại.")
    if "commune" in form.fields:
        form.fields["commune"].error_messages["invalid_choice"] = NO_SUCH_COMMUNE


class TipForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Loại tin báo"), choices=[("", "—"), *TipKind.choices])
    description = forms.CharField(
        label=_("Nội dung sự việc"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ai, ở đâu, việc gì; không cần ghi thông tin của người báo tin."),
    )
    commune = forms.ChoiceField(label=_("Xã, phường nơi xảy ra (chọn huyện rồi xã)"))
    address = forms.CharField(label=_("Thôn, xóm, số nhà, đường"), max_length=200, required=False)
    happened_at = forms.DateTimeField(
        label=_("Thời điểm xảy ra"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    reporter_name = forms.CharField(label=_("Họ tên người báo tin (không bắt buộc)"), max_length=120, required=False)
    reporter_phone = forms.CharField(
        label=_("Số điện thoại để liên hệ lại (không bắt buộc)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = commune_choices(units)  # type: ignore[attr-defined]
        _messages(self)
        self.fields["description"].error_messages["max_length"] = _("Nội dung quá dài (tối đa 2.000 ký tự).")

    def clean_commune(self) -> Unit:
        tree = getattr(settings, "ADMIN_TREE", "2021")
        unit = Unit.objects.filter(tree=tree, level=Level.COMMUNE, code=self.cleaned_data["commune"]).first()
        if unit is None:
            raise forms.ValidationError(NO_SUCH_COMMUNE)
        return unit

    def tip_data(self) -> dict[str, Any]:
        names = ("kind", "description", "commune", "address", "happened_at", "reporter_name", "reporter_phone")
        return {name: self.cleaned_data.get(name) for name in names}


class PublicTipForm(TipForm):
    """The citizen's form: the same fields, and the CAPTCHA when the address has sent several."""

    captcha_token = forms.CharField(required=False, widget=forms.HiddenInput)
    captcha_answer = forms.CharField(label=_("Kết quả phép tính"), required=False, max_length=4)


class OperatorTipForm(TipForm):
    """The hotline operator's entry: the communes of their scope, and a hamlet."""

    hamlet = forms.ChoiceField(label=_("Thôn, xóm, tổ dân phố"), required=False)

    field_order = ["kind", "description", "commune", "hamlet", "address", "happened_at"]

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        tree = getattr(settings, "ADMIN_TREE", "2021")
        qs = (units if units is not None else Unit.objects.all()).filter(tree=tree, level=Level.HAMLET)
        groups: dict[str, list[tuple[str, str]]] = {}
        for hamlet in qs.select_related("parent").order_by("path")[:5000]:
            groups.setdefault(hamlet.parent.name if hamlet.parent else "", []).append((hamlet.code, hamlet.name))
        self.fields["hamlet"].choices = [("", "—"), *groups.items()]  # type: ignore[attr-defined]
        _messages(self)

    def clean_hamlet(self) -> Unit | None:
        code = self.cleaned_data.get("hamlet") or ""
        if not code:
            return None
        tree = getattr(settings, "ADMIN_TREE", "2021")
        return Unit.objects.filter(tree=tree, level=Level.HAMLET, code=code).first()

    def tip_data(self) -> dict[str, Any]:
        return {**super().tip_data(), "hamlet": self.cleaned_data.get("hamlet")}


class AssignForm(ServiceErrors, forms.Form):
    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("Giao cho"), queryset=User.objects.none())
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users  # type: ignore[attr-defined]
        _messages(self)


class CloseForm(ServiceErrors, forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=[("", "—"), *TipOutcome.choices])
    note = forms.CharField(label=_("Kết quả xử lý"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Mã tin báo"), max_length=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)


class ShiftForm(ServiceErrors, forms.Form):
    full_name = forms.CharField(label=_("Người trực"), max_length=120)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    start = forms.DateTimeField(label=_("Bắt đầu"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    end = forms.DateTimeField(label=_("Kết thúc"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)


def managed_units(units: Any) -> Any:
    """The province and districts among ``units`` (hotlines and teams belong to those levels)."""
    tree = getattr(settings, "ADMIN_TREE", "2021")
    return units.filter(tree=tree, level__lte=Level.DISTRICT).order_by("path")


class UnitChoiceMixin:
    def set_units(self, units: Any) -> None:
        field = self.fields["unit"]  # type: ignore[attr-defined]
        field.queryset = managed_units(units)
        field.error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ. Vui lòng chọn lại.")


class HotlineForm(ServiceErrors, UnitChoiceMixin, forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên"), max_length=200)
    number = forms.CharField(label=_("Số điện thoại"), max_length=20)
    hours = forms.CharField(label=_("Thời gian trực"), max_length=100, initial="24/7")

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(units)
        _messages(self)


class TeamForm(ServiceErrors, UnitChoiceMixin, forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên đội"), max_length=200)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(units)
        _messages(self)


class MemberForm(ServiceErrors, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    position = forms.CharField(label=_("Nhiệm vụ trong đội"), max_length=100, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)

"""Forms of the person pages: the shape of the input and the identity rules on each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ValidationFailed
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import Sex
from .validators import (
    normalise_nationality,
    normalise_passport,
    normalise_phone,
    validate_birth,
    validate_cccd,
)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.level == Level.HAMLET and obj.parent is not None:
            return f"{obj.name} — {obj.parent.name}"
        return str(obj.name)


def residence_units_for(user: Any) -> Any:
    """The communes and hamlets a user may register residents in (all of them for an organisation head)."""
    tree = getattr(settings, "ADMIN_TREE", "2021")
    units = Unit.objects.filter(tree=tree, level__gte=Level.COMMUNE).select_related("parent").order_by("path")
    scope = scope_for(user)
    if scope.everything or scope.unit_paths:
        return scope.units(units)
    if scope.org_paths:
        return units  # an organisation head registers staff wherever they live
    return units.none()


def communes_for(user: Any) -> Any:
    """Communes in the user's scope, for the list filter."""
    tree = getattr(settings, "ADMIN_TREE", "2021")
    return scope_for(user).units(Unit.objects.filter(tree=tree, level=Level.COMMUNE)).order_by("path")


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    birth_date = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    birth_year = forms.IntegerField(
        label=_("Năm sinh"), required=False, help_text=_("Chỉ nhập năm sinh khi không biết ngày sinh.")
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices)
    cccd = forms.CharField(label=_("Số CCCD"), max_length=20, required=False, help_text=_("12 chữ số"))
    passport_no = forms.CharField(label=_("Số hộ chiếu"), max_length=20, required=False)
    nationality = forms.CharField(
        label=_("Quốc tịch"), max_length=2, initial="VN", help_text=_("Mã 2 chữ cái, ví dụ VN")
    )
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    residence_unit = UnitChoiceField(label=_("Nơi cư trú"), queryset=Unit.objects.none(), to_field_name="uid")
    address = forms.CharField(label=_("Số nhà, đường phố, thôn xóm"), max_length=255, required=False)
    occupation = forms.CharField(label=_("Nghề nghiệp"), max_length=120, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, nơi làm việc"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uid",
    )
    entry_date = forms.DateField(
        label=_("Ngày nhập cảnh"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    entry_point = forms.CharField(label=_("Cửa khẩu nhập cảnh"), max_length=120, required=False)
    visa_purpose = forms.CharField(label=_("Mục đích nhập cảnh"), max_length=120, required=False)
    illegal_entry = forms.BooleanField(label=_("Nhập cảnh trái phép"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residence_unit"].queryset = residence_units_for(user)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]

    def _rule(self, field: str, check: Any) -> Any:
        try:
            return check()
        except ValidationFailed as exc:
            self.add_error(exc.field or field, str(exc.message))
            return None

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone") or ""
        if not value.strip():
            return ""
        try:
            return normalise_phone(value)
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def clean_passport_no(self) -> str:
        value = self.cleaned_data.get("passport_no") or ""
        if not value.strip():
            return ""
        try:
            return normalise_passport(value)
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def clean_nationality(self) -> str:
        try:
            return normalise_nationality(self.cleaned_data.get("nationality") or "VN")
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "birth_date" in self.errors or "birth_year" in self.errors:
            return data
        year = self._rule(
            "birth_year",
            lambda: validate_birth(birth_date=data.get("birth_date"), birth_year=data.get("birth_year")),
        )
        if year is not None:
            data["birth_year"] = year
        cccd = (data.get("cccd") or "").strip()
        if cccd and "cccd" not in self.errors:
            checked = self._rule("cccd", lambda: validate_cccd(cccd, sex=data.get("sex"), birth_year=year))
            if checked:
                data["cccd"] = checked
        return data

    def person_fields(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments of ``person_create`` / ``person_update``."""
        data = dict(self.cleaned_data)
        data["cccd"] = data.get("cccd") or None
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc Excel (.xlsx)"))
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, nơi làm việc của những người trong tệp"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uid",
        help_text=_("Để trống nếu tệp là danh sách nhân khẩu của địa bàn."),
    )
    partial = forms.BooleanField(
        label=_("Ghi các dòng hợp lệ, trả lại các dòng lỗi thành tệp riêng"),
        required=False,
        help_text=_("Mặc định: nếu có dòng lỗi thì không ghi dòng nào."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.for_user(user).filter(is_active=True).order_by("name")
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]

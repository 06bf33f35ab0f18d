"""Forms of the zones app: declare/edit/end an area, record a visit, set the look-back rule."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ApplicationError
from phongdich.geo.models import Unit
from phongdich.people.models import Person

from .countries import COUNTRIES
from .models import PlaceKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNIT_NOT_LOADED = _(
    "Chưa có đơn vị hành chính mã “%(code)s” trong hệ thống. Nếu đó là đơn vị của tỉnh khác, quản trị hệ thống "
    "nạp danh mục của tỉnh ấy bằng lệnh: python manage.py load_units --province <mã tỉnh> "
    "(mã tỉnh là hai chữ số đầu của mã đơn vị nếu là tỉnh, ví dụ Đà Nẵng là 48)."
)


def country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *sorted(COUNTRIES.items(), key=lambda kv: kv[1])]


def unit_by_code(code: str) -> Unit | None:
    return (
        Unit.objects.filter(tree=getattr(settings, "ADMIN_TREE", "2021"), code=code.strip(), level__lte=3)
        .order_by("level")
        .first()
    )


class ServiceErrorsMixin:
    """Puts an ApplicationError from a service on the field it names (or on the form)."""

    def add_service_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, str(exc.message))  # type: ignore[attr-defined]


class PlaceFieldsMixin(ServiceErrorsMixin):
    cleaned_data: dict[str, Any]

    def clean_unit_code(self) -> Unit | None:
        code = (self.cleaned_data.get("unit_code") or "").strip()
        if not code:
            return None
        unit = unit_by_code(code)
        if unit is None:
            raise ValidationError(UNIT_NOT_LOADED % {"code": code})
        return unit

    def clean_place(self) -> None:
        kind = self.cleaned_data.get("kind")
        if kind == PlaceKind.COUNTRY and not self.cleaned_data.get("country"):
            self.add_error("country", _("Chọn nước."))  # type: ignore[attr-defined]
        if kind == PlaceKind.UNIT and not self.cleaned_data.get("unit_code") and "unit_code" not in self.errors:  # type: ignore[attr-defined]
            self.add_error("unit_code", _("Nhập mã tỉnh, huyện hoặc xã."))  # type: ignore[attr-defined]


class AreaForm(PlaceFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Vùng dịch là"), choices=PlaceKind.choices)
    country = forms.ChoiceField(label=_("Nước"), choices=country_choices, required=False)
    unit_code = forms.CharField(
        label=_("Mã tỉnh, huyện hoặc xã (mã GSO)"),
        max_length=20,
        required=False,
        help_text=_("Ví dụ 48 là Thành phố Đà Nẵng; đơn vị của tỉnh khác có sau khi nạp danh mục của tỉnh đó."),
    )
    start_date = forms.DateField(label=_("Là vùng dịch từ ngày"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Là vùng dịch đến hết ngày"), widget=DATE_WIDGET, required=False)
    source_number = forms.CharField(label=_("Số văn bản"), max_length=60, required=False)
    source_date = forms.DateField(label=_("Ngày văn bản"), widget=DATE_WIDGET, required=False)
    source_issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=160, required=False)
    source_text = forms.CharField(
        label=_("Trích yếu, nội dung"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    is_complex = forms.BooleanField(label=_("Dịch diễn biến phức tạp"), required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("kind", "country", "unit_code"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kind" in self.fields:
            self.clean_place()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        if not (data.get("source_number") or data.get("source_text")):
            self.add_error("source_number", _("Nhập số văn bản hoặc nội dung căn cứ công bố."))
        return data


class AreaEndForm(ServiceErrorsMixin, forms.Form):
    end_date = forms.DateField(label=_("Là vùng dịch đến hết ngày"), widget=DATE_WIDGET)


class VisitForm(PlaceFieldsMixin, forms.Form):
    person = forms.CharField(
        label=_("Người"), max_length=40, help_text=_("Số CCCD hoặc mã định danh của người trong địa bàn")
    )
    kind = forms.ChoiceField(label=_("Nơi đến là"), choices=PlaceKind.choices)
    country = forms.ChoiceField(label=_("Nước"), choices=country_choices, required=False)
    unit_code = forms.CharField(label=_("Mã tỉnh, huyện hoặc xã (mã GSO)"), max_length=20, required=False)
    from_date = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    to_date = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, required=False)
    reported_on = forms.DateField(
        label=_("Ngày khai báo"), widget=DATE_WIDGET, required=False, help_text=_("Mặc định là hôm nay")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        ref = (self.cleaned_data.get("person") or "").strip()
        visible = Person.objects.for_user(self.user).active()
        try:
            person = visible.filter(uid=uuid.UUID(ref)).first()
        except ValueError:
            person = visible.filter(cccd=ref).first() if ref else None
        if person is None:
            raise ValidationError(_("Không tìm thấy người này trong địa bàn của bạn."))
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_place()
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


class LookBackForm(ServiceErrorsMixin, forms.Form):
    days = forms.IntegerField(label=_("Số ngày truy ngược"), min_value=1, max_value=60)
    effective_from = forms.DateField(label=_("Áp dụng từ ngày"), widget=DATE_WIDGET)
    source = forms.CharField(label=_("Căn cứ (số văn bản, ngày, cơ quan ban hành)"), max_length=255)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

"""Forms of the movements app: filters, the assisted arrival and departure forms, the door-to-door
choice of area or place, and the cross-check upload."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ApplicationError
from phongdich.geo.models import Level, Unit
from phongdich.zones.forms import UNIT_NOT_LOADED, country_choices, unit_by_code
from phongdich.zones.models import EpidemicArea, PlaceKind

from .models import DeclaredBy, Direction, LodgingKind, Transport
from .selectors import Place, scope_units

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return ("— " if obj.level == Level.HAMLET else "") + obj.name


class ServiceErrorsMixin:
    def add_service_error(self, exc: ApplicationError, *, field_map: dict[str, str] | None = None) -> None:
        name = (field_map or {}).get(exc.field or "", exc.field)
        self.add_error(name if name in self.fields else None, str(exc.message))  # type: ignore[attr-defined]


class MovementFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Chiều"), choices=[("", _("Tất cả")), *Direction.choices], required=False)
    date_from = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, required=False)
    date_to = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, required=False)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope_units(user)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PlaceFieldsMixin:
    cleaned_data: dict[str, Any]

    def clean_place_unit_code(self) -> Unit | None:
        code = (self.cleaned_data.get("place_unit_code") or "").strip()
        if not code:
            return None
        unit = unit_by_code(code)
        if unit is None:
            raise ValidationError(UNIT_NOT_LOADED % {"code": code})
        return unit


class _MovementForm(PlaceFieldsMixin, ServiceErrorsMixin, forms.Form):
    cccd = forms.CharField(label=_("Số CCCD"), max_length=20, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    unit = UnitChoiceField(label=_("Xã, phường hoặc thôn, xóm"), queryset=Unit.objects.none())
    move_date = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    move_time = forms.TimeField(label=_("Giờ"), widget=TIME_WIDGET, required=False)
    place_kind = forms.ChoiceField(label=_("Nơi đi/đến là"), choices=PlaceKind.choices)
    country = forms.ChoiceField(label=_("Nước"), choices=country_choices, required=False)
    place_unit_code = forms.CharField(
        label=_("Mã tỉnh, huyện hoặc xã (mã GSO)"),
        max_length=20,
        required=False,
        help_text=_("Ví dụ 48 là Thành phố Đà Nẵng; có thể để trống và ghi địa chỉ."),
    )
    place_note = forms.CharField(label=_("Địa chỉ cụ thể"), max_length=255, required=False)
    transport = forms.ChoiceField(label=_("Phương tiện"), choices=Transport.choices)
    vehicle_no = forms.CharField(label=_("Biển số xe, số hiệu chuyến bay/tàu"), max_length=40, required=False)
    declared_by = forms.ChoiceField(label=_("Người khai báo"), choices=DeclaredBy.choices, initial=DeclaredBy.OFFICIAL)
    declarant_name = forms.CharField(
        label=_("Họ tên người khai báo (nếu không phải người đến/đi)"), max_length=120, required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = scope_units(user)  # type: ignore[attr-defined]

    def place_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "place_kind": data.get("place_kind") or "",
            "country": data.get("country") or "",
            "place_unit": data.get("place_unit_code"),
            "place_note": data.get("place_note") or "",
        }


class ArrivalForm(_MovementForm):
    """The assisted arrival form: an existing person is found by CCCD or phone; otherwise one is registered
    (with the lodging unit as the place of residence) from the name, year of birth and sex."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    birth_year = forms.IntegerField(label=_("Năm sinh"), min_value=1900, max_value=2100, required=False)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), ("M", _("Nam")), ("F", _("Nữ"))], required=False)
    place_from = forms.DateField(label=_("Ở nơi đi từ ngày"), widget=DATE_WIDGET, required=False)
    lodging_kind = forms.ChoiceField(label=_("Loại nơi lưu trú"), choices=LodgingKind.choices)
    lodging_address = forms.CharField(label=_("Địa chỉ lưu trú"), max_length=255)
    expected_days = forms.IntegerField(label=_("Dự kiến ở (số ngày)"), min_value=0, max_value=366, required=False)
    expected_departure = forms.DateField(label=_("Hoặc dự kiến đi ngày"), widget=DATE_WIDGET, required=False)

    field_order = [
        "cccd",
        "phone",
        "full_name",
        "birth_year",
        "sex",
        "unit",
        "move_date",
        "move_time",
        "place_kind",
        "country",
        "place_unit_code",
        "place_note",
        "place_from",
        "transport",
        "vehicle_no",
        "lodging_kind",
        "lodging_address",
        "expected_days",
        "expected_departure",
        "declared_by",
        "declarant_name",
        "note",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("cccd") or data.get("phone") or data.get("full_name")):
            self.add_error("cccd", _("Nhập số CCCD, số điện thoại hoặc họ tên người đến."))
        kind = data.get("place_kind")
        if kind == PlaceKind.COUNTRY and not data.get("country"):
            self.add_error("country", _("Chọn nước."))
        if (
            kind == PlaceKind.UNIT
            and not data.get("place_unit_code")
            and not data.get("place_note")
            and "place_unit_code" not in self.errors
        ):
            self.add_error("place_unit_code", _("Nhập mã tỉnh, huyện, xã hoặc ghi địa chỉ nơi đi."))
        return data

    def person_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data.get(k) for k in ("cccd", "phone", "full_name", "birth_year", "sex")}

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = (
            "move_date",
            "move_time",
            "place_from",
            "transport",
            "vehicle_no",
            "lodging_kind",
            "lodging_address",
            "expected_days",
            "expected_departure",
            "declared_by",
            "declarant_name",
            "note",
        )
        return {"unit": data["unit"], **{k: data.get(k) for k in keys}, **self.place_values()}


class DepartureForm(_MovementForm):
    person = forms.CharField(
        label=_("Người đi"),
        max_length=40,
        required=False,
        help_text=_("Số CCCD, số điện thoại hoặc mã định danh của người trong danh sách đang có mặt"),
    )
    place_kind = forms.ChoiceField(label=_("Đi đến"), choices=[("", _("Không rõ")), *PlaceKind.choices], required=False)
    field_order = [
        "person",
        "unit",
        "move_date",
        "move_time",
        "place_kind",
        "country",
        "place_unit_code",
        "place_note",
        "transport",
        "vehicle_no",
        "declared_by",
        "declarant_name",
        "note",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["cccd"]
        del self.fields["phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person"):
            self.add_error("person", _("Nhập số CCCD, số điện thoại hoặc mã định danh người đi."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("move_date", "move_time", "transport", "vehicle_no", "declared_by", "declarant_name", "note")
        return {"unit": data["unit"], **{k: data.get(k) for k in keys}, **self.place_values()}


class DoorToDoorForm(PlaceFieldsMixin, forms.Form):
    area = forms.ModelChoiceField(
        label=_("Vùng dịch"), queryset=EpidemicArea.objects.none(), required=False, empty_label=_("— chọn nơi khác —")
    )
    place_kind = forms.ChoiceField(label=_("Hoặc nơi đến từ"), choices=[("", "—"), *PlaceKind.choices], required=False)
    country = forms.ChoiceField(label=_("Nước"), choices=country_choices, required=False)
    place_unit_code = forms.CharField(label=_("Mã tỉnh, huyện hoặc xã (mã GSO)"), max_length=20, required=False)
    since = forms.DateField(
        label=_("Đến từ ngày"), widget=DATE_WIDGET, required=False, help_text=_("Mặc định: ngày bắt đầu vùng dịch")
    )
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = EpidemicArea.objects.select_related("unit").order_by("-start_date", "-id")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = scope_units(user, levels=(Level.DISTRICT, Level.COMMUNE))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("area") is None:
            kind = data.get("place_kind")
            if not kind:
                self.add_error("area", _("Chọn vùng dịch hoặc nơi đến từ."))
            elif kind == PlaceKind.COUNTRY and not data.get("country"):
                self.add_error("country", _("Chọn nước."))
            elif kind == PlaceKind.UNIT and not data.get("place_unit_code") and "place_unit_code" not in self.errors:
                self.add_error("place_unit_code", _("Nhập mã tỉnh, huyện hoặc xã."))
        return data

    def place(self) -> Place:
        data = self.cleaned_data
        if data.get("area") is not None:
            return Place.of_area(data["area"])
        if data["place_kind"] == PlaceKind.COUNTRY:
            return Place(kind=PlaceKind.COUNTRY, country=data["country"])
        return Place(kind=PlaceKind.UNIT, unit=data["place_unit_code"])


class CrossCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        help_text=_("Các cột: Họ và tên, CCCD, Số điện thoại, Ngày sinh (không bắt buộc), Đơn vị (không bắt buộc)."),
    )


def province_units() -> Any:
    """Units of the province this system serves (``settings.PROVINCE_CODE``) in the tree in force."""
    from django.conf import settings

    tree = getattr(settings, "ADMIN_TREE", "2021")
    province = Unit.objects.filter(tree=tree, level=Level.PROVINCE, code=settings.PROVINCE_CODE).first()
    if province is None:
        return Unit.objects.none()
    return Unit.objects.filter(tree=tree, path__startswith=province.path)


def hamlet_choices(units: Any, commune_code: str) -> list[tuple[str, str]]:
    """The hamlets of one commune (by its code), for the public form's drop-down; none without a commune."""
    hamlets = units.filter(level=Level.HAMLET, parent__level=Level.COMMUNE, parent__code=commune_code or "-")
    return [("", _("— không chọn —")), *((str(u.uid), u.name) for u in hamlets.order_by("name"))]


class PublicArrivalForm(PlaceFieldsMixin, ServiceErrorsMixin, forms.Form):
    """The public arrival declaration (no login): by the person, or by the lodging owner for a guest."""

    declared_by = forms.ChoiceField(
        label=_("Ai khai báo?"),
        choices=[
            (DeclaredBy.SELF, _("Tôi tự khai cho bản thân")),
            (DeclaredBy.LODGING_OWNER, _("Tôi là chủ nơi lưu trú, khai cho khách")),
        ],
        initial=DeclaredBy.SELF,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Họ và tên người đến"), max_length=120)
    id_number = forms.CharField(
        label=_("Số CCCD hoặc hộ chiếu"),
        max_length=20,
        help_text=_("CCCD gồm 12 chữ số; người nước ngoài ghi số hộ chiếu."),
    )
    birth_year = forms.IntegerField(label=_("Năm sinh"))
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), ("M", _("Nam")), ("F", _("Nữ"))])
    nationality = forms.CharField(label=_("Quốc tịch (mã 2 chữ cái)"), max_length=2, initial="VN", required=False)
    phone = forms.CharField(
        label=_("Số điện thoại người đến"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    commune = forms.ChoiceField(label=_("Đến xã, phường (chọn huyện rồi xã)"))
    # Only the chosen commune's hamlets are listed (the page's script reloads them when the commune changes).
    hamlet = forms.CharField(label=_("Thôn, xóm, tổ dân phố (nếu biết)"), required=False, widget=forms.Select)
    place_kind = forms.ChoiceField(label=_("Đến từ"), choices=[("", "—"), *PlaceKind.choices])
    country = forms.ChoiceField(label=_("Nước"), choices=country_choices, required=False)
    place_unit_code = forms.CharField(
        label=_("Mã tỉnh, huyện hoặc xã (mã GSO)"),
        max_length=20,
        required=False,
        help_text=_("Ví dụ 48 là Thành phố Đà Nẵng; có thể để trống và ghi địa chỉ."),
    )
    place_note = forms.CharField(label=_("Địa chỉ nơi đi"), max_length=255, required=False)
    move_date = forms.DateField(label=_("Ngày đến"), widget=DATE_WIDGET)
    transport = forms.ChoiceField(label=_("Phương tiện"), choices=[("", "—"), *Transport.choices])
    vehicle_no = forms.CharField(label=_("Biển số xe, số hiệu chuyến bay/tàu"), max_length=40, required=False)
    lodging_kind = forms.ChoiceField(label=_("Loại nơi lưu trú"), choices=[("", "—"), *LodgingKind.choices])
    lodging_address = forms.CharField(label=_("Địa chỉ lưu trú"), max_length=200)
    expected_departure = forms.DateField(label=_("Dự kiến đi ngày"), widget=DATE_WIDGET, required=False)
    declarant_name = forms.CharField(label=_("Họ tên chủ nơi lưu trú"), max_length=120, required=False)
    declarant_phone = forms.CharField(
        label=_("Số điện thoại chủ nơi lưu trú"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=_("Chỉ nhập khi chủ nơi lưu trú khai cho khách."),
    )
    captcha_token = forms.CharField(required=False, widget=forms.HiddenInput)
    captcha_answer = forms.CharField(label=_("Kết quả phép tính"), required=False, max_length=4)

    FIELD_MAP = {
        "unit": "commune",
        "residence_unit": "commune",
        "address": "lodging_address",
        "place_unit": "place_unit_code",
        "person": "full_name",
        "cccd": "id_number",
        "passport_no": "id_number",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from phongdich.declarations.forms import BAD_DATE, commune_choices
        from phongdich.declarations.services import REQUIRED

        super().__init__(*args, **kwargs)
        units = province_units()
        self.fields["commune"].choices = commune_choices(units)  # type: ignore[attr-defined]
        commune_code = (self.data.get("commune") if self.is_bound else self.initial.get("commune")) or ""
        hamlet_widget = self.fields["hamlet"].widget
        hamlet_widget.choices = hamlet_choices(units, str(commune_code))
        hamlet_widget.attrs["data-hamlets-url"] = reverse("declare-movement:hamlets")
        self.fields["commune"].error_messages["invalid_choice"] = _(
            "Không có xã, phường này trong danh mục. Vui lòng chọn lại."
        )
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = BAD_DATE

    def clean_hamlet(self) -> str:
        value = self.cleaned_data.get("hamlet") or ""
        if not value:
            return ""
        try:
            uid = uuid.UUID(value)
        except ValueError:
            uid = None
        if uid is None or not province_units().filter(level=Level.HAMLET, uid=uid).exists():
            raise forms.ValidationError(_("Không có thôn, xóm này trong danh mục. Vui lòng chọn lại."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("place_kind")
        if kind == PlaceKind.COUNTRY and not data.get("country"):
            self.add_error("country", _("Chọn nước."))
        if (
            kind == PlaceKind.UNIT
            and not data.get("place_unit_code")
            and not data.get("place_note")
            and "place_unit_code" not in self.errors
        ):
            self.add_error("place_unit_code", _("Nhập mã tỉnh, huyện, xã hoặc ghi địa chỉ nơi đi."))
        units = province_units()
        commune = units.filter(level=Level.COMMUNE, code=data.get("commune") or "").first()
        hamlet = units.filter(uid=data["hamlet"]).first() if data.get("hamlet") else None
        if commune is not None and hamlet is not None and hamlet.parent_id != commune.pk:
            self.add_error("hamlet", _("Thôn, xóm này không thuộc xã, phường đã chọn."))
        data["unit"] = hamlet or commune
        return data

    def service_values(self) -> dict[str, Any]:
        """Keyword arguments of ``services.arrival_self_declare``."""
        data = self.cleaned_data
        texts = (
            "declared_by",
            "full_name",
            "id_number",
            "sex",
            "nationality",
            "phone",
            "place_kind",
            "country",
            "place_note",
            "transport",
            "vehicle_no",
            "lodging_kind",
            "lodging_address",
            "declarant_name",
            "declarant_phone",
        )
        values: dict[str, Any] = {k: data.get(k) or "" for k in texts}
        for k in ("birth_year", "move_date", "expected_departure", "unit"):
            values[k] = data.get(k)
        values["place_unit"] = data.get("place_unit_code")
        return values

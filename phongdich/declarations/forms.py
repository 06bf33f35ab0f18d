"""The declaration form (public and assisted), the code lookup form and the CAPTCHA field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ApplicationError
from phongdich.geo.models import Level, Unit
from phongdich.zones.countries import COUNTRIES
from phongdich.zones.models import EpidemicArea, PlaceKind

from .models import EXPOSURE_FIELDS, SYMPTOM_FIELDS, MedicalDeclaration, Vehicle
from .services import MAX_VISITS, REQUIRED

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BAD_DATE = _("Ngày không hợp lệ (ngày/tháng/năm).")


def commune_choices(units: Any = None) -> list[tuple[str, Any]]:
    """Communes grouped under their district (``<optgroup>``): district first, then commune."""
    tree = getattr(settings, "ADMIN_TREE", "2021")
    qs = units if units is not None else Unit.objects.all()
    communes = qs.filter(tree=tree, level=Level.COMMUNE).select_related("parent").order_by("path")
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in communes:
        groups.setdefault(unit.parent.name if unit.parent else "", []).append((unit.code, unit.name))
    return [("", "—"), *groups.items()]


def place_choices() -> list[tuple[str, Any]]:
    """Provinces and districts of the tree in force, places declared epidemic, then countries."""
    tree = getattr(settings, "ADMIN_TREE", "2021")
    area_units = EpidemicArea.objects.filter(unit__isnull=False).values("unit_id")
    units = Unit.objects.filter(Q(tree=tree, level__lte=Level.DISTRICT) | Q(pk__in=area_units)).order_by("path")
    return [
        ("", "—"),
        (str(_("Trong nước")), [(f"u:{u.uid}", u.name) for u in units]),
        (str(_("Nước ngoài")), [(f"c:{code}", name) for code, name in sorted(COUNTRIES.items(), key=lambda kv: kv[1])]),
    ]


class DeclarationForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    id_number = forms.CharField(
        label=_("Số CCCD hoặc hộ chiếu"),
        max_length=20,
        help_text=_("CCCD gồm 12 chữ số; người nước ngoài ghi số hộ chiếu."),
    )
    birth_year = forms.IntegerField(label=_("Năm sinh"))
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), ("M", _("Nam")), ("F", _("Nữ"))])
    nationality = forms.CharField(label=_("Quốc tịch (mã 2 chữ cái)"), max_length=2, initial="VN", required=False)
    residence_unit = forms.ChoiceField(label=_("Xã, phường nơi ở (chọn huyện rồi xã)"))
    address = forms.CharField(label=_("Số nhà, đường, thôn, xóm"), max_length=200)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    vehicle = forms.ChoiceField(label=_("Phương tiện"), choices=Vehicle.choices, required=False)
    vehicle_number = forms.CharField(label=_("Số hiệu phương tiện"), max_length=20, required=False)
    seat = forms.CharField(label=_("Số ghế"), max_length=10, required=False)
    departure_date = forms.DateField(label=_("Ngày khởi hành"), required=False, widget=DATE_WIDGET)
    departure_place = forms.CharField(label=_("Nơi khởi hành"), max_length=120, required=False)
    arrival_date = forms.DateField(label=_("Ngày đến"), required=False, widget=DATE_WIDGET)
    arrival_place = forms.CharField(label=_("Nơi đến"), max_length=120, required=False)
    fever = forms.BooleanField(label=_("Sốt"), required=False)
    cough = forms.BooleanField(label=_("Ho"), required=False)
    breathlessness = forms.BooleanField(label=_("Khó thở"), required=False)
    pneumonia = forms.BooleanField(label=_("Viêm phổi"), required=False)
    sore_throat = forms.BooleanField(label=_("Đau họng"), required=False)
    fatigue = forms.BooleanField(label=_("Mệt mỏi"), required=False)
    contact_case = forms.BooleanField(label=_("Tiếp xúc người bệnh hoặc nghi mắc COVID-19"), required=False)
    contact_from_epidemic_country = forms.BooleanField(
        label=_("Tiếp xúc người từ nước có dịch COVID-19"), required=False
    )
    contact_symptomatic = forms.BooleanField(label=_("Tiếp xúc người có biểu hiện sốt, ho, khó thở"), required=False)
    pledge = forms.BooleanField(
        label=_("Tôi cam kết thông tin khai trên là đúng sự thật. Tôi hiểu rằng khai báo sai là vi phạm pháp luật.")
    )
    captcha_token = forms.CharField(required=False, widget=forms.HiddenInput)
    captcha_answer = forms.CharField(label=_("Kết quả phép tính"), required=False, max_length=4)

    def __init__(self, *args: Any, units: Any = None, instance: MedicalDeclaration | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(instance)
        super().__init__(*args, **kwargs)
        self.fields["residence_unit"].choices = commune_choices(units)  # type: ignore[attr-defined]
        self.fields["residence_unit"].error_messages["invalid_choice"] = _(
            "Không có xã, phường này trong danh mục. Vui lòng chọn lại."
        )
        places = place_choices()
        for i in range(1, MAX_VISITS + 1):
            self.fields[f"visit_{i}_place"] = forms.ChoiceField(
                label=_("Nơi đã đến %(n)s") % {"n": i}, choices=places, required=False
            )
            self.fields[f"visit_{i}_place"].error_messages["invalid_choice"] = _(
                "Không có nơi này trong danh mục. Vui lòng chọn lại."
            )
            self.fields[f"visit_{i}_from"] = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
            self.fields[f"visit_{i}_to"] = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = BAD_DATE
        self.fields["pledge"].error_messages["required"] = _("Vui lòng xác nhận cam kết khai báo trung thực.")

    def add_service_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, str(exc.message))

    def visit_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"visit_{i}_place"], self[f"visit_{i}_from"], self[f"visit_{i}_to"]) for i in range(1, 6)]

    def group(self, names: tuple[str, ...]) -> list[Any]:
        return [self[name] for name in names]

    def identity_fields(self) -> list[Any]:
        return self.group(("full_name", "id_number", "birth_year", "sex", "nationality"))

    def contact_fields(self) -> list[Any]:
        return self.group(("residence_unit", "address", "phone", "email"))

    def travel_fields(self) -> list[Any]:
        return self.group(
            ("vehicle", "vehicle_number", "seat", "departure_date", "departure_place", "arrival_date", "arrival_place")
        )

    def symptom_fields(self) -> list[Any]:
        return self.group(SYMPTOM_FIELDS)

    def exposure_fields(self) -> list[Any]:
        return self.group(EXPOSURE_FIELDS)

    def declaration_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {k: v for k, v in data.items() if not k.startswith(("visit_", "captcha_", "pledge"))}

    def visits(self) -> list[dict[str, Any]]:
        """Filled rows as service input; a row with dates but no place, or a place without dates, is kept so the
        service names what is missing."""
        rows: list[dict[str, Any]] = []
        for i in range(1, MAX_VISITS + 1):
            place = self.cleaned_data.get(f"visit_{i}_place") or ""
            start: date | None = self.cleaned_data.get(f"visit_{i}_from")
            end: date | None = self.cleaned_data.get(f"visit_{i}_to")
            if not (place or start or end):
                continue
            row: dict[str, Any] = {"row": i, "from_date": start, "to_date": end, "kind": "", "unit": None}
            if place.startswith("u:"):
                row["kind"] = PlaceKind.UNIT
                row["unit"] = Unit.objects.filter(uid=place[2:]).first()
            elif place.startswith("c:"):
                row["kind"] = PlaceKind.COUNTRY
                row["country"] = place[2:]
            rows.append(row)
        return rows


def initial_from(declaration: MedicalDeclaration) -> dict[str, Any]:
    names = [
        "full_name",
        "id_number",
        "birth_year",
        "sex",
        "nationality",
        "address",
        "phone",
        "email",
        "vehicle",
        "vehicle_number",
        "seat",
        "departure_date",
        "departure_place",
        "arrival_date",
        "arrival_place",
    ]
    initial: dict[str, Any] = {name: getattr(declaration, name) for name in names}
    initial["residence_unit"] = declaration.residence_unit.code
    for name in (*SYMPTOM_FIELDS, *EXPOSURE_FIELDS):
        initial[name] = getattr(declaration, name)
    for i, visit in enumerate(declaration.visits.select_related("unit").all()[:MAX_VISITS], start=1):
        initial[f"visit_{i}_place"] = f"u:{visit.unit.uid}" if visit.unit else f"c:{visit.country}"
        initial[f"visit_{i}_from"] = visit.from_date
        initial[f"visit_{i}_to"] = visit.to_date
    return initial


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Mã khai báo"), max_length=12)
    phone = forms.CharField(
        label=_("Số điện thoại đã khai"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED

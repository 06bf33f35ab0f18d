"""Forms of the travel pages (M7, M8): input shapes only; the rules are in services and rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongdich.declarations.models import SYMPTOM_FIELDS, MedicalDeclaration
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person, StaffMembership
from phongdich.zones.countries import COUNTRIES
from phongdich.zones.models import EpidemicArea, PlaceKind

from .models import PassDirection, TripStatus

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Ngày giờ không hợp lệ."), "required": _("Vui lòng nhập mục này.")},
    )


def destination_choices() -> list[tuple[str, Any]]:
    """Provinces and districts outside the province, places declared epidemic (down to communes), then countries."""
    tree = getattr(settings, "ADMIN_TREE", "2021")
    home = Unit.objects.filter(tree=tree, code=getattr(settings, "PROVINCE_CODE", "19"), level=Level.PROVINCE).first()
    area_units = EpidemicArea.objects.filter(unit__isnull=False).values("unit_id")
    units = Unit.objects.filter(Q(tree=tree, level__lte=Level.DISTRICT) | Q(pk__in=area_units))
    if home is not None:
        units = units.exclude(tree=home.tree, path__startswith=home.path)
    return [
        ("", "—"),
        (str(_("Trong nước")), [(f"u:{u.uid}", u.name) for u in units.order_by("path")]),
        (str(_("Nước ngoài")), [(f"c:{code}", name) for code, name in sorted(COUNTRIES.items(), key=lambda kv: kv[1])]),
    ]


def parse_destination(value: str) -> tuple[str, Unit | None, str]:
    if value.startswith("u:"):
        unit = Unit.objects.filter(uid=value[2:]).first() if len(value) == 38 else None
        return PlaceKind.UNIT, unit, ""
    if value.startswith("c:"):
        return PlaceKind.COUNTRY, None, value[2:]
    return "", None, ""


class TripForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=_("Chức vụ, đơn vị"), queryset=StaffMembership.objects.none(), empty_label=None
    )
    destination = forms.ChoiceField(label=_("Nơi đến (tỉnh, huyện, xã hoặc nước ngoài)"))
    depart_at = _datetime_field(_("Thời gian đi"))
    return_at = _datetime_field(_("Thời gian về"))
    purpose = forms.CharField(label=_("Mục đích chuyến đi"), max_length=255)
    companions = forms.CharField(label=_("Người đi cùng"), max_length=255, required=False)

    def __init__(self, *args: Any, person: Person | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        memberships = StaffMembership.objects.current().filter(person=person).select_related("organisation")
        self.fields["membership"].queryset = memberships  # type: ignore[attr-defined]
        self.fields["membership"].label_from_instance = lambda m: f"{m.position} — {m.organisation.name}"  # type: ignore[attr-defined]
        self.fields["destination"].choices = destination_choices()  # type: ignore[attr-defined]
        self.fields["destination"].error_messages["invalid_choice"] = _("Chọn nơi đến trong danh sách.")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Đồng ý")), ("refuse", _("Không đồng ý"))])
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class ReturnForm(forms.Form):
    """The after-trip medical declaration: the symptoms since the trip (the rest comes from the person's record)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SYMPTOM_FIELDS:
            label = getattr(MedicalDeclaration._meta.get_field(name), "verbose_name", name)
            self.fields[name] = forms.BooleanField(label=label, required=False)

    def symptoms(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in SYMPTOM_FIELDS}


class UnapprovedForm(forms.Form):
    note = forms.CharField(label=_("Căn cứ xác định đã đi khi chưa được phép"), max_length=255)


class TripFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    approval = forms.ChoiceField(
        label=_("Cần phê duyệt"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Cần phê duyệt")), ("no", _("Không cần"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả")), *TripStatus.choices]  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Doanh nghiệp"), queryset=Organisation.objects.none()
    )
    start_date = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, required=False)
    capacity = forms.IntegerField(label=_("Số chỗ ăn, nghỉ tại chỗ"), min_value=0)
    workers_total = forms.IntegerField(label=_("Tổng số người lao động"), min_value=0)
    workers_on_site = forms.IntegerField(label=_("Số người ở lại tại chỗ"), min_value=0)
    accommodation = forms.CharField(label=_("Nơi ăn, nghỉ"), max_length=255)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PassForm(forms.Form):
    cccd = forms.CharField(label=_("Số CCCD của người lao động"), max_length=12)
    direction = forms.ChoiceField(label=_("Chiều"), choices=PassDirection.choices)
    from_date = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    to_date = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Nơi đi hoặc đến"), max_length=160)
    reason = forms.CharField(label=_("Lý do"), max_length=255)

    def clean_cccd(self) -> Person:
        value = (self.cleaned_data.get("cccd") or "").strip()
        person = Person.objects.filter(cccd=value, merged_into__isnull=True).first() if value else None
        if person is None:
            raise forms.ValidationError(_("Không có người có số CCCD này trong danh mục dân cư."))
        return person

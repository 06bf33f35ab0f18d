"""Tracing forms: a contact, the contacts and chains filters, putting F1s into quarantine."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.cases.models import Case
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, Premises
from phongdich.orgs.scope import scope_for
from phongdich.quarantine.models import VACCINATION_CHOICES, EpisodeKind, Facility
from phongdich.quarantine.selectors import visible_facilities

from .models import ExposureType
from .selectors import ChainFilters, ContactFilters, cluster_choices, cluster_id_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

LEVEL_CHOICES = [
    ("", _("Tất cả")),
    ("0", _("F0 (ca bệnh)")),
    ("1", "F1"),
    ("2", "F2"),
    ("3", _("F3 trở lên")),
    ("outside", _("Ngoài thời gian lây nhiễm")),
]


def units_for(user: Any) -> QuerySet[Unit]:
    """Districts and communes in the user's scope, for unit pickers."""
    return scope_for(user).units(Unit.objects.current_tree().filter(level__in=[Level.DISTRICT, Level.COMMUNE]))


def place_units_for(user: Any) -> QuerySet[Unit]:
    """Communes and hamlets in the user's scope (where an exposure happened)."""
    return scope_for(user).units(Unit.objects.current_tree().filter(level__in=[Level.COMMUNE, Level.HAMLET]))


class ContactForm(forms.Form):
    exposure_type = forms.ChoiceField(label=_("Hình thức tiếp xúc"), choices=ExposureType.choices)
    first_exposure = forms.DateField(label=_("Tiếp xúc từ ngày"), widget=DATE)
    last_exposure = forms.DateField(
        label=_("Tiếp xúc đến ngày"), widget=DATE, required=False, help_text=_("Để trống nếu chỉ một ngày")
    )
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, doanh nghiệp"), queryset=Organisation.objects.none(), to_field_name="uid", required=False
    )
    premises = forms.ModelChoiceField(
        label=_("Địa điểm của cơ quan"), queryset=Premises.objects.none(), to_field_name="uid", required=False
    )
    place_unit = forms.ModelChoiceField(
        label=_("Thôn, xóm / xã, phường"), queryset=Unit.objects.none(), to_field_name="uid", required=False
    )
    place_text = forms.CharField(
        label=_("Nơi tiếp xúc"), max_length=255, required=False, help_text=_("Ví dụ: nhà ăn ca 2, xe khách 29B")
    )
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = scope_for(user).organisations().order_by("name")
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["premises"].queryset = (  # type: ignore[attr-defined]
            Premises.objects.filter(organisation__in=orgs.values("pk")).select_related("organisation")
        )
        self.fields["place_unit"].queryset = place_units_for(user).order_by("path")  # type: ignore[attr-defined]
        self.fields["first_exposure"].initial = timezone.localdate()

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "exposure_type": d["exposure_type"],
            "first_exposure": d["first_exposure"],
            "last_exposure": d["last_exposure"] or None,
            "organisation": d["organisation"],
            "premises": d["premises"],
            "place_unit": d["place_unit"],
            "place_text": d["place_text"],
            "notes": d["notes"],
        }


class ContactFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Cấp"), choices=LEVEL_CHOICES, required=False)
    exposure_type = forms.ChoiceField(
        label=_("Hình thức tiếp xúc"), choices=[("", _("Tất cả")), *ExposureType.choices], required=False
    )
    index_case = forms.CharField(label=_("Ca nguồn (mã)"), max_length=20, required=False)
    unit = forms.ModelChoiceField(
        label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid", required=False, empty_label=_("Tất cả")
    )
    unquarantined = forms.BooleanField(label=_("F1 chưa cách ly"), required=False)
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units_for(user).order_by("path")  # type: ignore[attr-defined]

    def clean_index_case(self) -> Case | None:
        code = (self.cleaned_data.get("index_case") or "").strip().upper()
        if not code:
            return None
        case = Case.objects.filter(case_code=code).first()
        if case is None:
            raise forms.ValidationError(_("Không có ca bệnh mã “%(code)s”."), params={"code": code})
        return case

    def filters(self) -> ContactFilters:
        from phongdich.people.models import Person

        if not self.is_valid():
            return ContactFilters()
        d = self.cleaned_data
        person = None
        if d["person"]:
            person = Person.objects.for_user(self.user).filter(uid=d["person"]).first()
        return ContactFilters(
            level=d["level"],
            index_case=d["index_case"],
            person=person,
            unit=d["unit"],
            unquarantined=d["unquarantined"],
            exposure_type=d["exposure_type"],
        )


class ChainFilterForm(forms.Form):
    cluster = forms.ChoiceField(label=_("Ổ dịch"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid", required=False, empty_label=_("Tất cả")
    )
    min_size = forms.IntegerField(label=_("Số người tối thiểu"), min_value=1, max_value=1_000_000, required=False)
    date_from = forms.DateField(label=_("Tiếp xúc từ ngày"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DATE)
    with_case = forms.BooleanField(label=_("Chỉ chuỗi có ca bệnh"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user).order_by("path")  # type: ignore[attr-defined]
        self.fields["cluster"].choices = [("", _("Tất cả")), *cluster_choices(user)]  # type: ignore[attr-defined]

    def filters(self) -> ChainFilters:
        if not self.is_valid():
            return ChainFilters()
        d = self.cleaned_data
        return ChainFilters(
            cluster_id=cluster_id_for(d["cluster"]) if d["cluster"] else None,
            unit=d["unit"],
            min_size=d["min_size"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            with_case=d["with_case"],
        )


class F1QuarantineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[(k.value, k.label) for k in (EpisodeKind.CENTRALISED, EpisodeKind.HOME)],
        initial=EpisodeKind.HOME,
    )
    facility = forms.ModelChoiceField(
        label=_("Cơ sở cách ly"),
        queryset=Facility.objects.none(),
        to_field_name="uid",
        required=False,
        help_text=_("Bắt buộc với cách ly tập trung"),
    )
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE)
    vaccination = forms.ChoiceField(label=_("Tiêm chủng"), choices=VACCINATION_CHOICES, initial="none")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = visible_facilities(user).order_by("name")  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate()

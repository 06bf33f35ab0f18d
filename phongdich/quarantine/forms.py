"""Quarantine forms: start an episode, record a daily check, release an episode, a facility and its readiness."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import VACCINATION_CHOICES, DailyCheck, EpisodeKind, Facility, FacilityKind
from .selectors import visible_facilities

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EpisodeStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=EpisodeKind.choices)
    facility = forms.ModelChoiceField(
        label=_("Cơ sở cách ly"),
        queryset=Facility.objects.none(),
        to_field_name="uid",
        required=False,
        help_text=_("Chỉ với cách ly tập trung"),
    )
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE)
    vaccination = forms.ChoiceField(label=_("Tiêm chủng"), choices=VACCINATION_CHOICES, initial="none")
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: F1 của ca bệnh TN-2021-0001; về từ vùng dịch Bắc Giang"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = visible_facilities(user).order_by("name")  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate()


class DailyCheckForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=DATE)
    temperature = forms.DecimalField(
        label=_("Nhiệt độ (°C)"), max_digits=3, decimal_places=1, required=False, min_value=34, max_value=43
    )
    fever = forms.BooleanField(label=_("Sốt"), required=False)
    cough = forms.BooleanField(label=_("Ho"), required=False)
    short_breath = forms.BooleanField(label=_("Khó thở"), required=False)
    sore_throat = forms.BooleanField(label=_("Đau họng"), required=False)
    fatigue = forms.BooleanField(label=_("Mệt mỏi"), required=False)
    loss_of_taste = forms.BooleanField(label=_("Mất vị giác, khứu giác"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "on": d["date"],
            "temperature": d["temperature"],
            "note": d["note"],
            **{s: d[s] for s in DailyCheck.SYMPTOMS},
        }


class ReleaseForm(forms.Form):
    on = forms.DateField(label=_("Ngày kết thúc"), widget=DATE)
    next_kind = forms.ChoiceField(
        label=_("Hình thức tiếp theo"),
        choices=[("", _("Theo quy định")), *EpisodeKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


def facility_units(user: Any) -> Any:
    """Province, districts and communes of the home province that lie in the user's scope."""
    from django.conf import settings

    province = Unit.objects.filter(tree=settings.ADMIN_TREE, code=settings.PROVINCE_CODE, level=Level.PROVINCE).first()
    qs = scope_for(user).units(Unit.objects.filter(level__lte=Level.COMMUNE))
    if province is not None:
        qs = qs.filter(tree=province.tree, path__startswith=province.path)
    return qs.order_by("path")


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ sở"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại cơ sở"), choices=FacilityKind.choices)
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid")
    operator = forms.ModelChoiceField(
        label=_("Đơn vị vận hành"), queryset=Organisation.objects.none(), to_field_name="uid", required=False
    )
    capacity = forms.IntegerField(label=_("Sức chứa (người)"), min_value=1, max_value=100_000)
    ready = forms.BooleanField(label=_("Sẵn sàng tiếp nhận"), required=False, initial=True)
    readiness_note = forms.CharField(
        label=_("Ghi chú sẵn sàng"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: đang phun khử khuẩn, thiếu nhân lực y tế"),
    )

    def __init__(self, *args: Any, user: Any, facility: Facility | None = None, **kwargs: Any) -> None:
        if facility is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": facility.name,
                "kind": facility.kind,
                "unit": facility.unit,
                "operator": facility.operator,
                "capacity": facility.capacity,
                "ready": facility.ready,
                "readiness_note": facility.readiness_note,
            }
        super().__init__(*args, **kwargs)
        units = facility_units(user)
        if facility is not None:
            units = units | Unit.objects.filter(pk=facility.unit_id)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].label_from_instance = lambda u: "— " * (u.level - 1) + u.name  # type: ignore[attr-defined]
        self.fields["operator"].queryset = scope_for(user).organisations().order_by("name")  # type: ignore[attr-defined]


class ReadinessForm(forms.Form):
    ready = forms.BooleanField(label=_("Sẵn sàng tiếp nhận"), required=False)
    readiness_note = forms.CharField(label=_("Ghi chú sẵn sàng"), max_length=255, required=False)

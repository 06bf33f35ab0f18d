"""Forms of the levels pages: the weekly capacity report, the province's publication of a level."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ValidationFailed
from phongdich.geo.models import Level, Unit
from phongdich.orgs.forms import UnitChoiceField
from phongdich.orgs.scope import scope_for

from .models import EpidemicLevel
from .weeks import last_complete_week, parse_week, week_label, week_start_of


class WeekField(forms.CharField):
    """An ISO week ``2021-W46`` → its Monday."""

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_week(text)
        except ValidationFailed as exc:
            raise ValidationError(str(exc.message)) from None

    def prepare_value(self, value: Any) -> Any:
        return week_label(value) if isinstance(value, date) else value


class CapacityForm(forms.Form):
    unit = UnitChoiceField(Unit.objects.none(), label=_("Đơn vị"))
    week = WeekField(label=_("Tuần (ISO)"), help_text=_("Ví dụ 2021-W46"))
    beds = forms.IntegerField(label=_("Giường điều trị COVID-19"), min_value=0)
    free_beds = forms.IntegerField(label=_("Giường còn trống"), min_value=0)
    icu_beds = forms.IntegerField(label=_("Giường hồi sức tích cực có đủ nhân lực"), min_value=0)
    mobile_stations = forms.IntegerField(label=_("Trạm y tế lưu động"), min_value=0)
    oxygen_adequate = forms.BooleanField(label=_("Bảo đảm đủ oxy"), required=False)
    oxygen_cases = forms.IntegerField(label=_("Người bệnh cần hỗ trợ oxy trong tuần"), min_value=0)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("week", week_label(week_start_of(timezone.localdate())))
        super().__init__(*args, **kwargs)
        units = scope_for(user).units().filter(tree=settings.ADMIN_TREE, level__lte=Level.COMMUNE).order_by("path")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Cấp độ"), choices=EpidemicLevel.choices, coerce=int)
    effective_from = forms.DateTimeField(
        label=_("Áp dụng từ"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Để trống: ngay (hạ cấp) hoặc sau 48 giờ (nâng cấp)."),
    )
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi cấp độ khác cấp độ tính được."),
    )


class WeekFilterForm(forms.Form):
    week = WeekField(label=_("Tuần"), required=False)

    def week_or(self, default: date | None) -> date | None:
        if self.is_valid() and self.cleaned_data.get("week"):
            return self.cleaned_data["week"]
        return default


__all__ = ["CapacityForm", "PublishForm", "WeekFilterForm", "last_complete_week"]

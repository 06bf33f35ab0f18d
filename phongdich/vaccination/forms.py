"""Forms of the vaccination pages (V1, V2). Rules live in the services; forms only shape input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level
from phongdich.orgs.scope import scope_for

from .models import (
    AefiOutcome,
    Causality,
    PriorityGroup,
    PriorityList,
    Severity,
    VaccinationSite,
    VaccineLot,
    VaccineProduct,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DoseForm(forms.Form):
    cccd = forms.CharField(
        label=_("Số CCCD của người được tiêm"), max_length=12, required=False, help_text=_("12 chữ số")
    )
    product = forms.ModelChoiceField(label=_("Vắc xin"), queryset=VaccineProduct.objects.filter(active=True))
    lot = forms.ModelChoiceField(label=_("Lô"), queryset=VaccineLot.objects.select_related("product"), required=False)
    given_on = forms.DateField(label=_("Ngày tiêm"), widget=DATE)
    dose_number = forms.IntegerField(
        label=_("Mũi thứ"), min_value=1, max_value=9, required=False, help_text=_("Để trống: mũi tiếp theo")
    )
    site = forms.ModelChoiceField(
        label=_("Điểm tiêm"), queryset=VaccinationSite.objects.filter(active=True), required=False
    )
    exception_reason = forms.CharField(
        label=_("Lý do tiêm ngoài đối tượng"),
        max_length=255,
        required=False,
        help_text=_("Chỉ ghi khi người được tiêm chưa đủ điều kiện theo quy định đang áp dụng."),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, with_person: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_person:
            del self.fields["cccd"]

    def clean_cccd(self) -> str:
        value = "".join(ch for ch in self.cleaned_data.get("cccd", "") if not ch.isspace())
        if not value:
            raise forms.ValidationError(_("Hãy nhập số CCCD của người được tiêm."))
        if not (value.isdigit() and len(value) == 12):
            raise forms.ValidationError(_("Số CCCD gồm đúng 12 chữ số."))
        return value


class DoseDeleteForm(forms.Form):
    reason = forms.CharField(label=_("Lý do xóa"), max_length=255)


class EventForm(forms.Form):
    onset_at = forms.DateTimeField(label=_("Thời điểm khởi phát"), widget=DATETIME)
    symptoms = forms.CharField(label=_("Triệu chứng"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Mức độ"), choices=Severity.choices)
    reported_by = forms.CharField(label=_("Người báo cáo"), max_length=120)
    reported_at = forms.CharField(label=_("Nơi báo cáo"), max_length=200, required=False)
    reported_on = forms.DateField(label=_("Ngày báo cáo"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=AefiOutcome.choices, initial=AefiOutcome.UNKNOWN)


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("Ngày theo dõi"), widget=DATE)
    note = forms.CharField(label=_("Diễn biến"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=AefiOutcome.choices)


class ClassifyForm(forms.Form):
    causality = forms.ChoiceField(label=_("Phân loại nguyên nhân (WHO)"), choices=Causality.choices)
    review_body = forms.CharField(label=_("Hội đồng đánh giá"), max_length=200)
    review_note = forms.CharField(label=_("Kết luận của hội đồng"), widget=forms.Textarea(attrs={"rows": 3}))
    reviewed_on = forms.DateField(label=_("Ngày kết luận"), widget=DATE)


class PriorityForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Nhóm ưu tiên"), queryset=PriorityGroup.objects.none())
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, priority_list: PriorityList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = priority_list.groups.order_by("order")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp mũi tiêm (CSV hoặc Excel)"))


class LotForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Vắc xin"), queryset=VaccineProduct.objects.all())
    lot_number = forms.CharField(label=_("Số lô"), max_length=40)
    expiry_date = forms.DateField(label=_("Hạn sử dụng"), widget=DATE)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Tên điểm tiêm"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=VaccinationSite.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = scope_for(user).units().filter(level__lte=Level.COMMUNE).order_by("level", "name")

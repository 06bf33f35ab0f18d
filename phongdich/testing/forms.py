"""Testing forms: a mandatory-test rule, a lab, taking a sample, receiving, pooling, a result, an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level, Unit
from phongdich.orgs.scope import scope_for
from phongdich.quarantine.models import AppliesTo

from .models import CT_MAX, Lab, MandatoryTestRule, Outcome, TestKind, Trigger
from .selectors import visible_labs

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RuleForm(forms.Form):
    trigger = forms.ChoiceField(label=_("Trường hợp"), choices=Trigger.choices)
    kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=TestKind.choices)
    due_within_days = forms.IntegerField(label=_("Thực hiện trong (ngày)"), min_value=0, max_value=30, initial=1)
    schedule_days = forms.CharField(
        label=_("Ngày xét nghiệm (F1)"),
        required=False,
        help_text=_("Ngày thứ mấy kể từ ngày bắt đầu cách ly, cách nhau bởi dấu phẩy, ví dụ 1, 14, 20"),
    )
    applies_to = forms.ChoiceField(label=_("Áp dụng cho"), choices=AppliesTo.choices, initial=AppliesTo.ANY)
    effective_from = forms.DateField(label=_("Áp dụng từ"), widget=DATE)
    effective_to = forms.DateField(label=_("Áp dụng đến"), widget=DATE, required=False)
    source = forms.CharField(label=_("Văn bản"), max_length=255)
    uncertain = forms.BooleanField(label=_("Chưa chắc chắn"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=400, required=False)

    @classmethod
    def for_rule(cls, rule: MandatoryTestRule, data: Any = None) -> RuleForm:
        initial = {f: getattr(rule, f) for f in cls.base_fields}
        initial["schedule_days"] = rule.schedule_label
        return cls(data, initial=initial)


class LabForm(forms.Form):
    name = forms.CharField(label=_("Tên phòng xét nghiệm"), max_length=255)
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid")
    capacity_rapid = forms.IntegerField(label=_("Công suất test nhanh/ngày"), min_value=0, initial=0)
    capacity_pcr = forms.IntegerField(label=_("Công suất RT-PCR/ngày"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = scope_for(user).units().filter(level__lte=Level.COMMUNE).order_by("level", "name")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class SampleForm(forms.Form):
    code = forms.CharField(
        label=_("Mã mẫu"), max_length=40, required=False, help_text=_("Để trống để hệ thống tự cấp mã")
    )
    lab = forms.ModelChoiceField(
        label=_("Gửi tới phòng xét nghiệm"), queryset=Lab.objects.none(), to_field_name="uid", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lab"].queryset = Lab.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]


class ReceiveForm(forms.Form):
    code = forms.CharField(label=_("Mã mẫu"), max_length=40)


class ResultForm(forms.Form):
    code = forms.CharField(label=_("Mã mẫu hoặc mẫu gộp"), max_length=40)
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices)
    ct_value = forms.DecimalField(
        label=_("Giá trị Ct"), required=False, min_value=0, max_value=CT_MAX, max_digits=4, decimal_places=1
    )


class OrderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=TestKind.choices)
    due_on = forms.DateField(label=_("Hạn xét nghiệm"), widget=DATE)
    note = forms.CharField(label=_("Lý do chỉ định"), max_length=255)


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Lý do hủy"), max_length=255)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp kết quả (CSV hoặc Excel)"))


def lab_choices(user: Any) -> Any:
    return visible_labs(user).filter(active=True).order_by("name")

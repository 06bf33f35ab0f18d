"""Screening forms: a campaign (create/edit) and the confirmation of a draw."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for
from phongdich.testing.models import TestKind

from .models import Campaign, Period, SampleMode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def campaign_organisations(user: Any) -> Any:
    """Organisations the user may put in a campaign: active ones in scope."""
    qs: Any = scope_for(user).organisations(Organisation.objects.filter(is_active=True))
    return qs.order_by("name", "id")


class CampaignForm(forms.Form):
    name = forms.CharField(
        label=_("Tên đợt sàng lọc"),
        max_length=255,
        help_text=_("Ví dụ: Sàng lọc công nhân KCN Yên Bình quý IV/2021"),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Cơ quan, đơn vị"),
        queryset=Organisation.objects.none(),
        to_field_name="uid",
        help_text=_("Chọn một khu công nghiệp là chọn mọi doanh nghiệp trực thuộc khu."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    sample_mode = forms.ChoiceField(label=_("Cách lấy mẫu"), choices=SampleMode.choices, initial=SampleMode.FRACTION)
    sample_percent = forms.DecimalField(
        label=_("Tỷ lệ lấy mẫu (%)"), max_digits=5, decimal_places=2, required=False, min_value=0, max_value=100
    )
    sample_count = forms.IntegerField(label=_("Số người mỗi kỳ"), required=False, min_value=1, max_value=1_000_000)
    period = forms.ChoiceField(label=_("Chu kỳ"), choices=Period.choices, initial=Period.WEEKLY)
    test_kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=TestKind.choices)
    start_date = forms.DateField(label=_("Từ ngày"), widget=DATE)
    end_date = forms.DateField(label=_("Đến ngày"), widget=DATE)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": campaign.name,
                "organisations": list(campaign.organisations.values_list("uid", flat=True)),
                "sample_mode": campaign.sample_mode,
                "sample_percent": campaign.sample_percent,
                "sample_count": campaign.sample_count,
                "period": campaign.period,
                "test_kind": campaign.test_kind,
                "start_date": campaign.start_date,
                "end_date": campaign.end_date,
                "note": campaign.note,
                "is_active": campaign.is_active,
            }
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = campaign_organisations(user)  # type: ignore[attr-defined]
        if campaign is None:
            self.fields["start_date"].initial = timezone.localdate()
        else:
            self.fields["is_active"] = forms.BooleanField(label=_("Đang thực hiện"), required=False)


class DrawConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận chọn mẫu kỳ này; danh sách được chọn và phiếu xét nghiệm sẽ được tạo ngay."),
        required=True,
    )

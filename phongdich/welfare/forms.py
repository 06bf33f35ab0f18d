"""Forms of the welfare pages. Amounts are typed as whole đồng ("1.500.000" accepted); the services judge them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import Donation, DonorKind, Election, GiftKind, SpendingCategory
from .selectors import goods_donations, receivers

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, input_formats=DATE_FORMATS, **kwargs)


def _money(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=24,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Số nguyên đồng, ví dụ 1.500.000"),
    )


def scoped_units(user: Any, *, max_level: int = Level.COMMUNE) -> Any:
    return scope_for(user).units(Unit.objects.filter(level__lte=max_level)).order_by("path")


class ElectionForm(forms.Form):
    name = forms.CharField(label=_("Tên cuộc bầu cử"), max_length=255)
    polling_day = _date(_("Ngày bầu cử"))
    unit = forms.ModelChoiceField(label=_("Địa bàn tổ chức"), queryset=Unit.objects.none(), to_field_name="uid")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped_units(user)  # type: ignore[attr-defined]


class PollingAreaForm(forms.Form):
    number = forms.IntegerField(label=_("Số khu vực"), min_value=1, max_value=999)
    name = forms.CharField(label=_("Tên khu vực bỏ phiếu"), max_length=255, required=False)
    location = forms.CharField(label=_("Địa điểm bỏ phiếu"), max_length=255, required=False)
    hamlets = forms.ModelMultipleChoiceField(
        label=_("Thôn, xóm, tổ dân phố"),
        queryset=Unit.objects.none(),
        to_field_name="uid",
        help_text=_("Các thôn, xóm của cùng một xã, phường, chưa thuộc khu vực bỏ phiếu nào."),
    )

    def __init__(self, *args: Any, user: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import PollingAreaUnit

        taken = PollingAreaUnit.objects.filter(election=election).values("unit")
        self.fields["hamlets"].queryset = (  # type: ignore[attr-defined]
            scope_for(user)
            .units(
                Unit.objects.filter(
                    level=Level.HAMLET, tree=election.unit.tree, path__startswith=election.unit.path
                ).exclude(pk__in=taken)
            )
            .select_related("parent")
            .order_by("path")
        )
        self.fields["hamlets"].label_from_instance = lambda u: f"{u.name} — {u.parent.name}"  # type: ignore[attr-defined]

    def clean_hamlets(self) -> list[Unit]:
        hamlets = list(self.cleaned_data["hamlets"])
        if len({h.parent_id for h in hamlets}) > 1:
            raise forms.ValidationError(_("Chọn các thôn, xóm của cùng một xã, phường."))
        return hamlets


class EventCheckForm(forms.Form):
    event = forms.CharField(label=_("Tên kỳ thi, sự kiện"), max_length=120)
    on = _date(_("Ngày diễn ra"))
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        help_text=_(
            "Các cột: Họ và tên, CCCD, Số điện thoại, Ngày sinh hoặc Năm sinh, Đơn vị, "
            "Vai trò (thí sinh, cán bộ coi thi…)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class DonationForm(forms.Form):
    receiver = forms.ModelChoiceField(
        label=_("Đơn vị tiếp nhận"), queryset=Organisation.objects.none(), to_field_name="uid"
    )
    received_on = _date(_("Ngày tiếp nhận"))
    donor_kind = forms.ChoiceField(label=_("Loại nhà tài trợ"), choices=DonorKind.choices)
    donor_name = forms.CharField(label=_("Tên đơn vị, cá nhân ủng hộ"), max_length=255)
    donor_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    donor_phone = forms.CharField(label=_("Điện thoại"), max_length=15, required=False)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=GiftKind.choices)
    amount = _money(_("Số tiền (đồng)"), required=False)
    goods = forms.CharField(label=_("Tên hàng hóa"), max_length=255, required=False)
    quantity = forms.DecimalField(label=_("Số lượng"), max_digits=14, decimal_places=3, required=False)
    goods_unit = forms.CharField(label=_("Đơn vị tính"), max_length=30, required=False)
    estimated_value = _money(_("Giá trị ước tính (đồng)"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers(user=user)  # type: ignore[attr-defined]
        self.fields["received_on"].initial = timezone.localdate()

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount"] = data.get("amount") or 0
        data["estimated_value"] = data.get("estimated_value") or 0
        data["quantity"] = data.get("quantity") or 0
        return data


class SupportForm(forms.Form):
    giver = forms.ModelChoiceField(label=_("Đơn vị trao"), queryset=Organisation.objects.none(), to_field_name="uid")
    given_on = _date(_("Ngày trao"))
    recipient_name = forms.CharField(label=_("Người, hộ nhận hỗ trợ"), max_length=255)
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid")
    household_size = forms.IntegerField(label=_("Số nhân khẩu"), min_value=1, max_value=100, initial=1)
    reason = forms.CharField(label=_("Hoàn cảnh"), max_length=255)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=GiftKind.choices)
    amount = _money(_("Số tiền (đồng)"), required=False)
    donation = forms.ModelChoiceField(
        label=_("Từ khoản ủng hộ hiện vật"), queryset=Donation.objects.none(), to_field_name="uid", required=False
    )
    quantity = forms.DecimalField(label=_("Số lượng"), max_digits=14, decimal_places=3, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = receivers(user=user)
        self.fields["giver"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["unit"].queryset = scoped_units(user, max_level=Level.HAMLET)  # type: ignore[attr-defined]
        self.fields["given_on"].initial = timezone.localdate()
        left = {d.pk: q for body in bodies for d, q in goods_donations(giver=body)}
        self.fields["donation"].queryset = Donation.objects.filter(pk__in=list(left)).order_by("id")  # type: ignore[attr-defined]
        donation_field: Any = self.fields["donation"]

        def label(d: Donation) -> str:
            return _("%(code)s %(goods)s — còn %(left)s %(unit)s (%(receiver)s)") % {
                "code": d.receipt_code,
                "goods": d.goods,
                "left": f"{left.get(d.pk, Decimal(0)).normalize():f}",
                "unit": d.goods_unit,
                "receiver": d.receiver.name,
            }

        donation_field.label_from_instance = label

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount"] = data.get("amount") or 0
        data["quantity"] = data.get("quantity") or 0
        return data


class AllocationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid")
    year = forms.IntegerField(label=_("Năm"), min_value=2020, max_value=2100)
    allocated_on = _date(_("Ngày cấp"))
    amount = _money(_("Số tiền (đồng)"))
    decision = forms.CharField(label=_("Quyết định, nguồn"), max_length=255)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped_units(user)  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
        self.fields["allocated_on"].initial = timezone.localdate()


class SpendingForm(forms.Form):
    spent_on = _date(_("Ngày chi"))
    category = forms.ChoiceField(label=_("Nội dung chi"), choices=SpendingCategory.choices)
    description = forms.CharField(label=_("Diễn giải"), max_length=255)
    amount = _money(_("Số tiền (đồng)"))
    voucher = forms.CharField(label=_("Số chứng từ"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["spent_on"].initial = timezone.localdate()

"""Enforcement forms: a gathering and the commune's decision, an inspection plan, an inspection and its
follow-ups, a violation and its publication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person
from phongdich.travel.models import Trip

from .models import Gathering, GatheringKind, InspectionPlan, InspectionResult, OffenderKind, Sanction, ViolationKind
from .selectors import regulation_list, visible_places

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.level == Level.HAMLET and obj.parent is not None:
            return f"{obj.name} — {obj.parent.name}"
        return str(obj.name)


def _person_by_cccd(user: Any, cccd: str) -> Person | None:
    return Person.objects.for_user(user).active().filter(cccd=cccd).first()


class GatheringForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại sự kiện"), choices=GatheringKind.choices)
    title = forms.CharField(label=_("Tên sự kiện"), max_length=200)
    unit = UnitChoiceField(label=_("Xã, phường hoặc thôn, xóm"), queryset=Unit.objects.none(), to_field_name="uid")
    address = forms.CharField(label=_("Địa chỉ tổ chức"), max_length=255)
    event_date = forms.DateField(label=_("Ngày tổ chức"), widget=DATE)
    indoors = forms.BooleanField(label=_("Tổ chức trong nhà"), required=False, initial=True)
    expected_attendance = forms.IntegerField(label=_("Số người dự kiến"), min_value=1, max_value=100_000)
    organiser_name = forms.CharField(label=_("Người tổ chức"), max_length=120)
    organiser_phone = forms.RegexField(
        label=_("Điện thoại người tổ chức"),
        regex=r"^0\d{9}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0.")},
    )
    organiser_cccd = forms.RegexField(
        label=_("Số CCCD người tổ chức (nếu có trong hồ sơ)"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("Số CCCD gồm 12 chữ số.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = visible_places(user).select_related("parent")  # type: ignore[attr-defined]
        self.fields["event_date"].initial = timezone.localdate()

    def clean_organiser_cccd(self) -> Person | None:
        cccd = self.cleaned_data.get("organiser_cccd") or ""
        if not cccd:
            return None
        person = _person_by_cccd(self.user, cccd)
        if person is None:
            raise forms.ValidationError(_("Không tìm thấy người có số CCCD này trong phạm vi của bạn."))
        return person


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"), choices=[("approve", _("Phê duyệt")), ("refuse", _("Không phê duyệt"))]
    )
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )


class PlanForm(forms.Form):
    inspector_unit = UnitChoiceField(label=_("Đơn vị kiểm tra"), queryset=Unit.objects.none(), to_field_name="uid")
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=200)
    start_date = forms.DateField(label=_("Từ ngày"), widget=DATE)
    end_date = forms.DateField(label=_("Đến ngày"), widget=DATE)
    targets = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được kiểm tra"),
        queryset=Unit.objects.none(),
        to_field_name="uid",
        help_text=_("Cấp ngay dưới đơn vị kiểm tra"),
    )
    note = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, inspectors: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspector_unit"].queryset = inspectors  # type: ignore[attr-defined]
        self.fields["targets"].queryset = targets  # type: ignore[attr-defined]


class InspectionForm(forms.Form):
    inspector_unit = UnitChoiceField(label=_("Đơn vị kiểm tra"), queryset=Unit.objects.none(), to_field_name="uid")
    target_unit = UnitChoiceField(
        label=_("Đơn vị được kiểm tra"),
        queryset=Unit.objects.none(),
        to_field_name="uid",
        help_text=_("Với hộ gia đình: chọn xóm, tổ dân phố của hộ"),
    )
    household_cccd = forms.RegexField(
        label=_("Số CCCD chủ hộ (khi kiểm tra hộ gia đình)"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("Số CCCD gồm 12 chữ số.")},
    )
    household_address = forms.CharField(label=_("Địa chỉ hộ gia đình"), max_length=255, required=False)
    plan = forms.ModelChoiceField(
        label=_("Theo kế hoạch"), queryset=InspectionPlan.objects.none(), to_field_name="uid", required=False
    )
    inspected_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DATE)
    result = forms.ChoiceField(label=_("Kết quả"), choices=InspectionResult.choices)
    findings = forms.CharField(label=_("Nội dung, phát hiện"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, units: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["inspector_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["target_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["inspected_on"].initial = timezone.localdate()

    def clean_household_cccd(self) -> Person | None:
        cccd = self.cleaned_data.get("household_cccd") or ""
        if not cccd:
            return None
        person = _person_by_cccd(self.user, cccd)
        if person is None:
            raise forms.ValidationError(_("Không tìm thấy người có số CCCD này trong phạm vi của bạn."))
        return person


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("Việc phải khắc phục"), max_length=400)
    deadline = forms.DateField(label=_("Hạn"), widget=DATE)


class FollowUpCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Hoàn thành ngày"), widget=DATE)
    note = forms.CharField(label=_("Kết quả khắc phục"), max_length=1000)


class ViolationForm(forms.Form):
    offender_kind = forms.ChoiceField(label=_("Đối tượng vi phạm"), choices=OffenderKind.choices)
    offender_name = forms.CharField(
        label=_("Tên cá nhân, tổ chức"),
        max_length=255,
        required=False,
        help_text=_("Có thể bỏ trống khi chọn người theo CCCD hoặc chọn tổ chức"),
    )
    person_cccd = forms.RegexField(
        label=_("Số CCCD (nếu người vi phạm có trong hồ sơ)"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("Số CCCD gồm 12 chữ số.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Tổ chức (nếu có trong danh bạ)"),
        queryset=Organisation.objects.none(),
        to_field_name="uid",
        required=False,
    )
    unit = UnitChoiceField(
        label=_("Nơi vi phạm (xã hoặc thôn, xóm)"), queryset=Unit.objects.none(), to_field_name="uid"
    )
    kind = forms.ChoiceField(label=_("Hành vi"), choices=ViolationKind.choices)
    regulation = forms.ModelChoiceField(
        label=_("Quy định bị vi phạm"), queryset=regulation_list(), to_field_name="code", required=False
    )
    occurred_on = forms.DateField(label=_("Ngày vi phạm"), widget=DATE)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    gathering = forms.ModelChoiceField(
        label=_("Sự kiện tụ tập (khi tụ tập trái quy định)"),
        queryset=Gathering.objects.none(),
        to_field_name="uid",
        required=False,
    )
    trip = forms.UUIDField(
        label=_("Mã chuyến đi trong hệ thống (khi đi ra ngoài tỉnh không được phép)"),
        required=False,
        help_text=_("Mã định danh của chuyến đi đã đăng ký; nếu không có, ghi tham chiếu bên dưới"),
    )
    trip_reference = forms.CharField(
        label=_("Chuyến đi (khi đi ra ngoài tỉnh không được phép)"),
        max_length=120,
        required=False,
        help_text=_("Số, mã hoặc mô tả chuyến đi"),
    )
    sanction = forms.ChoiceField(label=_("Hình thức xử lý"), choices=Sanction.choices, initial=Sanction.NONE)
    fine_amount = forms.IntegerField(label=_("Số tiền phạt (đồng)"), min_value=1, required=False)
    head_disciplined = forms.CharField(label=_("Người đứng đầu bị kỷ luật, hình thức"), max_length=200, required=False)
    decision_number = forms.CharField(label=_("Số quyết định xử lý"), max_length=60, required=False)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: Any, gatherings: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = visible_places(user).select_related("parent")  # type: ignore[attr-defined]
        self.fields["gathering"].queryset = gatherings  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_trip(self) -> Trip | None:
        uid = self.cleaned_data.get("trip")
        if not uid:
            return None
        trip = Trip.objects.filter(uid=uid, traveller__in=Person.objects.for_user(self.user).values("pk")).first()
        if trip is None:
            raise forms.ValidationError(_("Không tìm thấy chuyến đi này trong phạm vi của bạn."))
        return trip

    def clean_person_cccd(self) -> Person | None:
        cccd = self.cleaned_data.get("person_cccd") or ""
        if not cccd:
            return None
        person = _person_by_cccd(self.user, cccd)
        if person is None:
            raise forms.ValidationError(_("Không tìm thấy người có số CCCD này trong phạm vi của bạn."))
        return person


class PublishForm(forms.Form):
    publish = forms.ChoiceField(label=_("Công khai"), choices=[("yes", _("Công khai")), ("no", _("Thôi công khai"))])
    name_published = forms.BooleanField(label=_("Quyết định xử lý cho phép công khai tên cá nhân"), required=False)

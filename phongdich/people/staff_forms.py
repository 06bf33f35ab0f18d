"""Forms of the staff pages: the shape of the input; the rules of the chain are the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.orgs.models import Organisation

from .models import Person, StaffCategory, StaffMembership
from .staff_selectors import manager_choices


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.person.full_name} — {obj.position}"
        return f"{label} ({obj.organisation.name})"


class _MembershipFields(forms.Form):
    position = forms.CharField(label=_("Chức vụ"), max_length=120)
    category = forms.ChoiceField(label=_("Loại"), choices=StaffCategory.choices, initial=StaffCategory.WORKER)
    is_party_member = forms.BooleanField(label=_("Đảng viên"), required=False)
    is_head = forms.BooleanField(label=_("Thủ trưởng cơ quan, đơn vị"), required=False)
    replace_head = forms.BooleanField(
        label=_("Thay thủ trưởng hiện tại"),
        required=False,
        help_text=_("Nếu cơ quan đã có thủ trưởng: người đó thôi chức thủ trưởng (vẫn là cán bộ của cơ quan)."),
    )
    manager = ManagerChoiceField(
        label=_("Lãnh đạo trực tiếp"),
        queryset=StaffMembership.objects.none(),
        required=False,
        to_field_name="uid",
        empty_label=_("— không có (thủ trưởng các cấp phê duyệt) —"),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, membership: StaffMembership | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = manager_choices(  # type: ignore[attr-defined]
            organisation=organisation, exclude=membership
        )


class StaffCreateForm(_MembershipFields):
    person = forms.UUIDField(
        label=_("Người"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Hãy tìm và chọn một người trong sổ nhân khẩu.")},
    )
    start_date = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    field_order = ["person", "position", "category", "is_party_member", "is_head", "replace_head", "manager"]

    def __init__(self, *args: Any, user: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("start_date", timezone.localdate())
        super().__init__(*args, organisation=organisation, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        uid = self.cleaned_data["person"]
        person = Person.objects.for_user(self.user).active().filter(uid=uid).first()
        if person is None:
            raise forms.ValidationError(_("Không tìm thấy người này trong phạm vi bạn quản lý."))
        return person


class StaffEditForm(_MembershipFields):
    pass


class StaffEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("Ngày kết thúc công tác"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Ngày làm việc cuối cùng ở vị trí này."),
    )


class StaffImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc Excel (.xlsx)"))
    partial = forms.BooleanField(
        label=_("Ghi các dòng hợp lệ, trả lại các dòng lỗi thành tệp riêng"),
        required=False,
        help_text=_("Mặc định: nếu có dòng lỗi thì không ghi dòng nào."),
    )

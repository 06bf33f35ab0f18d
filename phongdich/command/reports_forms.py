"""Forms of the reports (R1, R2): a report's values (built from the report form's fields), the reason of a
correction and attachments; a one-off report request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level
from phongdich.orgs.models import Organisation, OrganisationKind

from .forms import DATE_FORMATS, DATE_WIDGET, CommandForm
from .models import FieldKind, ReportField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ReportValuesForm(CommandForm):
    """One input per field of the report form; numbers are checked again by the service."""

    def __init__(
        self, *args: Any, fields: list[ReportField], correcting: bool, attachments: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for f in fields:
            if f.kind == FieldKind.NUMBER:
                self.fields[f.key] = forms.IntegerField(
                    label=f.label,
                    min_value=0,
                    required=f.required,
                    help_text=_("Số liệu của hệ thống đã được điền sẵn; sửa nếu cần.") if f.source else "",
                )
                self.fields[f.key].error_messages["invalid"] = _("Vui lòng nhập số nguyên.")
                self.fields[f.key].error_messages["min_value"] = _("Số không được âm.")
            else:
                self.fields[f.key] = forms.CharField(
                    label=f.label, required=f.required, widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
                )
            self.fields[f.key].error_messages["required"] = _("Vui lòng điền mục này.")
        if correcting:
            self.fields["note"] = forms.CharField(
                label=_("Lý do điều chỉnh"), max_length=500, error_messages={"required": _("Vui lòng điền mục này.")}
            )
        if attachments:
            self.fields["attachments"] = MultipleFileField(
                label=_("Tệp đính kèm"),
                required=False,
                help_text=_("PDF, Excel (.xlsx), Word (.docx) hoặc ảnh; mỗi tệp tối đa 10 MB."),
            )


UNIT_LEVEL_CHOICES = [
    ("", _("Không")),
    (str(Level.DISTRICT), _("Các huyện, thành phố, thị xã")),
    (str(Level.COMMUNE), _("Các xã, phường, thị trấn")),
]


class OneOffForm(CommandForm):
    name = forms.CharField(label=_("Tên báo cáo"), max_length=255)
    due_day = forms.DateField(label=_("Hạn nộp: ngày"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    due_time = forms.TimeField(label=_("Hạn nộp: giờ"), widget=forms.TimeInput(attrs={"type": "time"}))
    recipient = forms.ModelChoiceField(
        label=_("Cơ quan nhận báo cáo"), queryset=Organisation.objects.none(), required=False
    )
    unit_level = forms.ChoiceField(label=_("Đơn vị hành chính phải nộp"), choices=UNIT_LEVEL_CHOICES, required=False)
    org_kinds = forms.MultipleChoiceField(
        label=_("Cơ quan cấp tỉnh phải nộp (loại)"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instructions = forms.CharField(label=_("Yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    number_fields = forms.CharField(
        label=_("Các chỉ tiêu bằng số (mỗi dòng một chỉ tiêu)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    text_fields = forms.CharField(
        label=_("Các nội dung bằng lời (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allow_attachments = forms.BooleanField(label=_("Cho phép đính kèm tệp (danh sách)"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ModelChoiceField)
        recipient.queryset = Organisation.objects.filter(unit__level=Level.PROVINCE, is_active=True).order_by("name")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        due_at = timezone.make_aware(datetime.combine(data["due_day"], data["due_time"]))
        lines = [(line.strip(), FieldKind.NUMBER) for line in (data.get("number_fields") or "").splitlines()]
        lines += [(line.strip(), FieldKind.TEXT) for line in (data.get("text_fields") or "").splitlines()]
        level = data.get("unit_level")
        return {
            "name": data["name"],
            "due_at": due_at,
            "recipient": data.get("recipient"),
            "unit_level": int(level) if level else None,
            "org_kinds": data.get("org_kinds") or [],
            "org_unit_level": Level.PROVINCE if data.get("org_kinds") else None,
            "instructions": data.get("instructions") or "",
            "fields": [(label, kind) for label, kind in lines if label],
            "allow_attachments": bool(data.get("allow_attachments")),
        }

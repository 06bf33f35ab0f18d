"""Forms of the geo pages: add or edit a hamlet, upload an import file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import HAMLET_TYPES, Unit, UnitType

HAMLET_TYPE_CHOICES = [(t.value, t.label) for t in (UnitType(x) for x in HAMLET_TYPES)]


class HamletForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=120, help_text=_("Ví dụ: Xóm Đồng Tâm, Tổ dân phố 5"))
    unit_type = forms.ChoiceField(label=_("Loại"), choices=HAMLET_TYPE_CHOICES, initial=UnitType.XOM)
    code = forms.CharField(
        label=_("Mã"),
        max_length=20,
        required=False,
        help_text=_("Bỏ trống để hệ thống tự đặt (mã xã-số thứ tự)."),
    )
    population = forms.IntegerField(label=_("Dân số"), min_value=0, max_value=50_000_000, required=False)


class HamletEditForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=120)
    unit_type = forms.ChoiceField(label=_("Loại"), choices=HAMLET_TYPE_CHOICES)
    population = forms.IntegerField(label=_("Dân số"), min_value=0, max_value=50_000_000, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV (UTF-8) hoặc Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "empty": _("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu."),
            "required": _("Hãy chọn một tệp CSV hoặc Excel."),
        },
    )
    partial = forms.BooleanField(
        label=_("Ghi các dòng hợp lệ, trả lại các dòng lỗi thành tệp riêng"),
        required=False,
        help_text=_("Không chọn: chỉ cần một dòng lỗi là không ghi dòng nào."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class PopulationImportForm(ImportForm):
    tree = forms.ChoiceField(label=_("Bộ đơn vị"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trees = sorted(set(Unit.objects.values_list("tree", flat=True).distinct()) | {settings.ADMIN_TREE})
        field = self.fields["tree"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t, t) for t in trees]
        field.initial = settings.ADMIN_TREE

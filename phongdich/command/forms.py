"""Forms of the command app: a response plan, a directive, a task with its assignees, a progress report,
and the filters of the missing-plans list."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.errors import ApplicationError
from phongdich.orgs.models import Organisation

from .models import DeadlineKind, DirectiveKind, PlanLevel, ProgressStatus

REQUIRED = _("Vui lòng điền mục này.")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
PDF_ONLY = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})


class CommandForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.error_messages["required"] = REQUIRED
            if isinstance(f, forms.DateField):
                f.error_messages["invalid"] = _("Ngày không hợp lệ (ngày/tháng/năm).")
            if isinstance(f, forms.TimeField):
                f.error_messages["invalid"] = _("Giờ không hợp lệ (giờ:phút).")
            if isinstance(f, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                f.error_messages["invalid_choice"] = _("Lựa chọn không hợp lệ. Vui lòng chọn lại.")
                f.error_messages["invalid_pk_value"] = _("Lựa chọn không hợp lệ. Vui lòng chọn lại.")

    def add_service_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, str(exc.message))


class PlanForm(CommandForm):
    title = forms.CharField(label=_("Tên phương án"), max_length=255)
    content = forms.CharField(
        label=_("Nội dung phương án"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Nhập nội dung hoặc đính kèm tệp PDF (hoặc cả hai)."),
    )
    attachment = forms.FileField(
        label=_("Tệp PDF đã phê duyệt"),
        required=False,
        widget=PDF_ONLY,
        help_text=_("Chỉ nhận PDF. Để trống thì giữ tệp của phiên bản trước."),
    )
    approved_on = forms.DateField(label=_("Ngày phê duyệt"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    approved_by = forms.CharField(label=_("Người phê duyệt (họ tên, chức vụ)"), max_length=200)


class DirectiveForm(CommandForm):
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=40,
        required=False,
        help_text=_("Ví dụ: 600-CV/TU, 23/CT-UBND. Để trống nếu văn bản không có số (thông báo kết luận)."),
    )
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=[("", "—"), *DirectiveKind.choices])
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("Tệp PDF văn bản"), required=False, widget=PDF_ONLY)


class TaskForm(CommandForm):
    number = forms.CharField(label=_("Số mục"), max_length=20, help_text=_("Ví dụ: 2.15"))
    title = forms.CharField(label=_("Nội dung tóm tắt"), max_length=300)
    text = forms.CharField(label=_("Nội dung chi tiết"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    assignees = forms.ModelMultipleChoiceField(
        label=_("Cơ quan thực hiện"),
        queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều cơ quan."),
    )
    lead = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Organisation.objects.none(), required=False)
    deadline_kind = forms.ChoiceField(label=_("Loại thời hạn"), choices=DeadlineKind.choices, initial=DeadlineKind.ONCE)
    due_on = forms.DateField(
        label=_("Hạn hoàn thành (ngày)"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    due_time = forms.TimeField(
        label=_("Hạn hoàn thành (giờ)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Để trống: hết ngày (23:59)."),
    )
    daily_time = forms.TimeField(
        label=_("Giờ báo cáo hằng ngày"),
        required=False,
        initial=time(16, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = organisations.filter(is_active=True).order_by("name")
        self.fields["assignees"].queryset = qs  # type: ignore[attr-defined]
        self.fields["lead"].queryset = qs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("deadline_kind")
        if kind == DeadlineKind.ONCE and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Vui lòng nhập hạn hoàn thành."))
        if kind == DeadlineKind.DAILY and not data.get("daily_time") and "daily_time" not in self.errors:
            self.add_error("daily_time", _("Vui lòng nhập giờ báo cáo hằng ngày."))
        return data

    def task_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        due_at: datetime | None = None
        if data["deadline_kind"] == DeadlineKind.ONCE and data.get("due_on"):
            moment = datetime.combine(data["due_on"], data.get("due_time") or time(23, 59))
            due_at = timezone.make_aware(moment)
        return {
            "number": data["number"],
            "title": data["title"],
            "text": data.get("text", ""),
            "assignees": list(data["assignees"]),
            "lead": data.get("lead"),
            "deadline_kind": data["deadline_kind"],
            "due_at": due_at,
            "daily_time": data.get("daily_time") if data["deadline_kind"] == DeadlineKind.DAILY else None,
        }


class ProgressForm(CommandForm):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ProgressStatus.choices)
    report = forms.CharField(
        label=_("Nội dung báo cáo"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Đã làm gì, kết quả, khó khăn vướng mắc, kiến nghị."),
    )
    evidence = forms.FileField(
        label=_("Tệp minh chứng (PDF hoặc ảnh)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf,image/jpeg,image/png"}),
    )


LEVEL_CHOICES = [("", _("Mọi cấp độ")), *[(str(v), label) for v, label in PlanLevel.choices]]

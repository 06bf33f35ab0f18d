"""Case forms: list filters, registration, a status change, the statistics period."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation, OrganisationKind, Premises
from phongdich.orgs.scope import scope_for

from .models import CaseStatus, Cluster, ClusterStatus, DetectedIn, ReportedBy
from .selectors import CaseFilters, ClusterFilters, active_clusters
from .services import REGISTER_STATUSES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for(user: Any) -> QuerySet[Unit]:
    """Districts and communes in the user's scope, for unit pickers."""
    return scope_for(user).units(Unit.objects.current_tree().filter(level__in=[Level.DISTRICT, Level.COMMUNE]))


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Tất cả")), *choices]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Phân loại"), choices=_blank(CaseStatus.choices), required=False)
    detected_in = forms.ChoiceField(label=_("Nơi phát hiện"), choices=_blank(DetectedIn.choices), required=False)
    reported_by = forms.ChoiceField(label=_("Đơn vị báo cáo"), choices=_blank(ReportedBy.choices), required=False)
    unit = forms.ModelChoiceField(
        label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid", required=False, empty_label=_("Tất cả")
    )
    date_from = forms.DateField(label=_("Đăng ký từ ngày"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user).order_by("path")  # type: ignore[attr-defined]

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters()
        d = self.cleaned_data
        return CaseFilters(
            status=d["status"],
            detected_in=d["detected_in"],
            reported_by=d["reported_by"],
            unit=d["unit"],
            date_from=d["date_from"],
            date_to=d["date_to"],
        )


class CaseRegisterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Phân loại"), choices=[(s.value, s.label) for s in REGISTER_STATUSES], initial=CaseStatus.SUSPECTED
    )
    detected_in = forms.ChoiceField(label=_("Nơi phát hiện"), choices=DetectedIn.choices)
    reported_by = forms.ChoiceField(label=_("Đơn vị báo cáo"), choices=ReportedBy.choices)
    onset_date = forms.DateField(label=_("Ngày khởi phát"), required=False, widget=DATE)
    sampling_date = forms.DateField(label=_("Ngày lấy mẫu"), required=False, widget=DATE)
    confirmation_date = forms.DateField(label=_("Ngày xác định"), required=False, widget=DATE)
    confirmation_time = forms.TimeField(
        label=_("Giờ xác định"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    isolated_on = forms.DateField(
        label=_("Ngày cách ly"),
        required=False,
        widget=DATE,
        help_text=_("Ngày người bệnh được cách ly; các tiếp xúc đến ngày này là F1"),
    )
    facility = forms.ModelChoiceField(
        label=_("Cơ sở y tế"), queryset=Organisation.objects.none(), to_field_name="uid", required=False
    )
    acquired_in_facility = forms.BooleanField(label=_("Lây nhiễm trong cơ sở y tế"), required=False)
    source_known = forms.BooleanField(label=_("Rõ nguồn lây"), required=False)
    source_note = forms.CharField(label=_("Nguồn lây"), max_length=255, required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=[OrganisationKind.HOSPITAL, OrganisationKind.HEALTH_AGENCY]
        ).order_by("name")

    def service_fields(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        moment = d.pop("confirmation_time")
        if d["confirmation_date"] and moment:
            d["confirmed_at"] = timezone.make_aware(datetime.combine(d["confirmation_date"], moment))
        return d


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Chuyển sang"), choices=CaseStatus.choices)
    on_date = forms.DateField(label=_("Ngày"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class StatsForm(forms.Form):
    start = forms.DateField(label=_("Từ ngày"), widget=DATE)
    end = forms.DateField(label=_("Đến ngày"), widget=DATE)
    end_time = forms.TimeField(label=_("đến giờ"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    unit = forms.ModelChoiceField(
        label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid", required=False, empty_label=_("Tất cả")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user).order_by("path")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def period(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        start = timezone.make_aware(datetime.combine(d["start"], time.min))
        if d.get("end_time"):
            end = timezone.make_aware(datetime.combine(d["end"], d["end_time"]))
        else:
            end = timezone.make_aware(datetime.combine(d["end"], time.max))
        return start, end


def default_period(today: date) -> dict[str, str]:
    return {"start": (today - timedelta(days=13)).isoformat(), "end": today.isoformat()}


# --- Outbreak clusters (C3) ------------------------------------------------------------------


class ClusterFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên ổ dịch"), max_length=120, required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=_blank(ClusterStatus.choices), required=False)
    unit = forms.ModelChoiceField(
        label=_("Địa bàn"), queryset=Unit.objects.none(), to_field_name="uid", required=False, empty_label=_("Tất cả")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user).order_by("path")  # type: ignore[attr-defined]

    def filters(self) -> ClusterFilters:
        if not self.is_valid():
            return ClusterFilters()
        d = self.cleaned_data
        return ClusterFilters(status=d["status"], unit=d["unit"], q=d["q"])


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Tên ổ dịch"), max_length=255)
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, doanh nghiệp"),
        queryset=Organisation.objects.none(),
        to_field_name="uid",
        required=False,
        help_text=_("Ví dụ: công ty nơi có ổ dịch"),
    )
    premises = forms.ModelChoiceField(
        label=_("Địa điểm (xưởng, nhà ăn …)"), queryset=Premises.objects.none(), to_field_name="uid", required=False
    )
    place_unit = forms.ModelChoiceField(
        label=_("Hoặc thôn, xóm, xã"),
        queryset=Unit.objects.none(),
        to_field_name="uid",
        required=False,
        help_text=_("Khi ổ dịch là một khu dân cư"),
    )
    start_date = forms.DateField(
        label=_("Ngày bắt đầu"), widget=DATE, help_text=_("Ngày của ca đầu tiên hoặc ngày công bố")
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ClusterStatus.choices, initial=ClusterStatus.ACTIVE)
    closed_on = forms.DateField(label=_("Ngày kết thúc"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.for_user(user).filter(is_active=True)
        self.fields["organisation"].queryset = organisations.order_by("name")  # type: ignore[attr-defined]
        self.fields["premises"].queryset = (  # type: ignore[attr-defined]
            Premises.objects.filter(organisation__in=organisations.values("pk"), is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        places = Unit.objects.current_tree().filter(level__in=[Level.COMMUNE, Level.HAMLET])
        self.fields["place_unit"].queryset = (  # type: ignore[attr-defined]
            scope_for(user).units(places).order_by("path")
        )
        if not editing:
            del self.fields["status"]
            del self.fields["closed_on"]

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ClusterAssignForm(forms.Form):
    codes = forms.CharField(
        label=_("Mã ca bệnh"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "TN-2021-0001"}),
        help_text=_("Mỗi dòng một mã, hoặc cách nhau bằng dấu phẩy"),
        max_length=20_000,
    )

    def codes_list(self) -> list[str]:
        raw = self.cleaned_data["codes"].replace(",", "\n").replace(";", "\n")
        seen: dict[str, None] = {}
        for line in raw.splitlines():
            code = line.strip().upper()
            if code:
                seen.setdefault(code, None)
        return list(seen)


class CaseClusterForm(forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("Ổ dịch"), queryset=Cluster.objects.none(), to_field_name="uid", required=False, empty_label="—"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = active_clusters(user=user)  # type: ignore[attr-defined]


class IsolationForm(forms.Form):
    isolated_on = forms.DateField(label=_("Ngày cách ly"), required=False, widget=DATE)


class OutlookForm(forms.Form):
    as_of = forms.DateField(label=_("Tính đến ngày"), required=False, widget=DATE)

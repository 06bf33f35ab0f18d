"""Forms of the organisation pages. Choices are limited to what the user may see or manage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import User
from phongdich.geo.models import Level, Unit

from . import permissions, selectors
from .models import Organisation, OrganisationKind, Premises, Role, Sector
from .scope import scope_for


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    """Units by their public id, shown indented by level with their code."""

    def __init__(self, queryset: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(queryset=queryset, to_field_name="uid", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        indent = "\u2003" * max(0, int(obj.level) - 1)
        return f"{indent}{obj.name} ({obj.code})"


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def __init__(self, queryset: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(queryset=queryset, to_field_name="uid", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.unit.name}" if obj.unit_id else str(obj.name)


def _tree_units(qs: QuerySet[Unit], max_level: int = Level.COMMUNE) -> QuerySet[Unit]:
    return qs.filter(tree=settings.ADMIN_TREE, level__lte=max_level).order_by("path")


def unit_filter_choices(user: Any) -> QuerySet[Unit]:
    """Units a list may be filtered by: the user's, down to communes (hamlets for commune officers)."""
    scope = scope_for(user)
    roots = selectors.scope_units(scope)
    deepest = max((u.level for u in roots), default=Level.PROVINCE)
    return _tree_units(scope.units(), max_level=min(Level.HAMLET, max(Level.COMMUNE, deepest + 1)))


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên cơ quan"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Loại hình"), required=False, choices=[("", _("Tất cả"))])
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False, choices=[("", _("Tất cả"))])
    unit = UnitChoiceField(Unit.objects.none(), label=_("Địa bàn"), required=False, empty_label=_("Tất cả"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tất cả")), *OrganisationKind.choices]  # type: ignore[attr-defined]
        self.fields["sector"].choices = [("", _("Tất cả")), *Sector.choices]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = unit_filter_choices(user)  # type: ignore[attr-defined]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ quan, đơn vị"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=OrganisationKind.choices)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False, choices=[("", "—"), *Sector.choices])
    unit = UnitChoiceField(Unit.objects.none(), label=_("Địa bàn (nơi đặt trụ sở)"))
    parent = OrganisationChoiceField(
        Organisation.objects.none(), label=_("Cơ quan cấp trên"), required=False, empty_label="—"
    )
    address = forms.CharField(label=_("Địa chỉ trụ sở"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, instance: Organisation | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(instance, f) for f in ("name", "short_name", "kind", "sector", "address")},
                **{f: getattr(instance, f) for f in ("phone", "email", "tax_code", "is_active")},
                "unit": instance.unit.uid,
                "parent": instance.parent.uid if instance.parent else None,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        units = _tree_units(permissions.manageable_units(user))
        if instance is not None:
            units = units | Unit.objects.filter(pk=instance.unit_id)
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        parents = selectors.organisations_for(user).filter(is_active=True).select_related("unit")
        if instance is not None:
            parents = parents.exclude(path__startswith=instance.path)
        self.fields["parent"].queryset = parents.order_by("name_folded")  # type: ignore[attr-defined]
        if instance is None:
            del self.fields["is_active"]

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PremisesForm(forms.Form):
    name = forms.CharField(label=_("Tên địa điểm"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=Premises.Kind.choices)
    unit = UnitChoiceField(Unit.objects.none(), label=_("Địa bàn"))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    is_active = forms.BooleanField(label=_("Đang sử dụng"), required=False, initial=True)

    def __init__(self, *args: Any, organisation: Organisation, instance: Premises | None = None, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            if instance is not None:
                kwargs["initial"] = {
                    "name": instance.name,
                    "kind": instance.kind,
                    "unit": instance.unit.uid,
                    "address": instance.address,
                    "is_active": instance.is_active,
                }
            else:
                kwargs["initial"] = {"unit": organisation.unit.uid, "address": organisation.address}
        super().__init__(*args, **kwargs)
        home = organisation.unit
        # Premises lie in the organisation's area: down to hamlets for a commune-level organisation.
        deepest = Level.HAMLET if home.level >= Level.COMMUNE else Level.COMMUNE
        units = Unit.objects.subtree(home).filter(level__lte=deepest)
        if instance is not None:
            units = units | Unit.objects.filter(pk=instance.unit_id)
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        if instance is None:
            del self.fields["is_active"]


def _unit_by_code(code: str) -> Unit:
    code = code.strip()
    try:
        return Unit.objects.get(tree=settings.ADMIN_TREE, code=code)
    except Unit.DoesNotExist:
        raise ValidationError(_("Không có đơn vị hành chính mã %(code)s."), params={"code": code}) from None


class RoleAssignForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    unit_code = forms.CharField(
        label=_("Mã địa bàn"),
        max_length=20,
        required=False,
        help_text=_("Mã GSO của tỉnh, huyện, xã, hoặc mã xóm (ví dụ 05431). Bỏ trống nếu gắn với cơ quan."),
    )
    organisation = OrganisationChoiceField(
        Organisation.objects.none(), label=_("Cơ quan, đơn vị"), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = selectors.organisations_for(user).filter(is_active=True).select_related("unit").order_by("name_folded")
        self.fields["organisation"].queryset = qs  # type: ignore[attr-defined]

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        try:
            return User.objects.get(username__iexact=username, is_active=True)
        except User.DoesNotExist:
            raise ValidationError(
                _("Không có tài khoản đang hoạt động tên %(name)s."), params={"name": username}
            ) from None

    def clean_unit_code(self) -> Unit | None:
        code = self.cleaned_data.get("unit_code") or ""
        return _unit_by_code(code) if code.strip() else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and bool(data.get("unit_code")) == bool(data.get("organisation")):
            raise ValidationError(_("Hãy nhập đúng một trong hai: mã địa bàn hoặc cơ quan, đơn vị."))
        return data


class RoleFilterForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), required=False, choices=[("", _("Tất cả")), *Role.choices])


class FollowAssignForm(forms.Form):
    user = forms.ModelChoiceField(User.objects.none(), label=_("Ủy viên"), to_field_name="uid", empty_label="—")
    unit_code = forms.CharField(label=_("Mã địa bàn theo dõi"), max_length=20, required=False)
    sector = forms.ChoiceField(label=_("Lĩnh vực theo dõi"), required=False, choices=[("", "—"), *Sector.choices])
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.users_with_follower_roles()  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"  # type: ignore[attr-defined]

    def clean_unit_code(self) -> Unit | None:
        code = self.cleaned_data.get("unit_code") or ""
        return _unit_by_code(code) if code.strip() else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("unit_code") and not data.get("sector"):
            raise ValidationError(_("Hãy chọn một địa bàn hoặc một lĩnh vực để theo dõi."))
        return data

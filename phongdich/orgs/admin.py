"""Django admin for superusers. Saves go through the services, so paths and audit lines stay right."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction, User

from . import services
from .models import FollowAssignment, Organisation, Premises, RoleAssignment
from .scope import forget_scope

ORG_EDITABLE = services.ORGANISATION_FIELDS


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "sector", "unit", "parent", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["name", "short_name", "name_folded", "tax_code"]
    raw_id_fields = ["unit", "parent"]
    readonly_fields = ["uid", "path", "created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        data = {f: getattr(obj, f) for f in ORG_EDITABLE}
        if change:
            services.organisation_update(organisation=obj, actor=_actor(request), **data)
            obj.refresh_from_db()
        else:
            data.pop("is_active")
            created = services.organisation_create(actor=_actor(request), **data)
            obj.pk, obj.uid, obj.path = created.pk, created.uid, created.path


@admin.register(Premises)
class PremisesAdmin(admin.ModelAdmin[Premises]):
    list_display = ["name", "organisation", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "organisation__name", "address"]
    raw_id_fields = ["organisation", "unit"]
    readonly_fields = ["uid"]

    def save_model(self, request: HttpRequest, obj: Premises, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = AuditAction.UPDATE if change else AuditAction.CREATE
            audit(actor=_actor(request), action=action, obj=obj, summary=str(obj))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "unit", "organisation", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name", "organisation__name"]
    raw_id_fields = ["user", "unit", "organisation"]
    readonly_fields = ["uid"]

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool) -> None:
        if change:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                audit(actor=_actor(request), action=AuditAction.UPDATE, obj=obj, summary=str(obj))
            forget_scope(obj.user)
            return
        dates = {k: getattr(obj, k) for k in ("valid_from", "valid_to") if getattr(obj, k)}
        created = services.role_assign(
            user=obj.user, role=obj.role, unit=obj.unit, organisation=obj.organisation, actor=_actor(request), **dates
        )
        obj.pk, obj.uid = created.pk, created.uid

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        services.role_revoke(assignment=obj, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for ra in queryset:
            services.role_revoke(assignment=ra, actor=_actor(request))


@admin.register(FollowAssignment)
class FollowAssignmentAdmin(admin.ModelAdmin[FollowAssignment]):
    list_display = ["user", "unit", "sector", "note"]
    list_filter = ["sector"]
    search_fields = ["user__username", "unit__name", "note"]
    raw_id_fields = ["user", "unit"]
    readonly_fields = ["uid"]

    def save_model(self, request: HttpRequest, obj: FollowAssignment, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = AuditAction.UPDATE if change else AuditAction.CREATE
            audit(actor=_actor(request), action=action, obj=obj, summary=str(obj))

    def delete_model(self, request: HttpRequest, obj: FollowAssignment) -> None:
        services.follow_revoke(assignment=obj, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for fa in queryset:
            services.follow_revoke(assignment=fa, actor=_actor(request))

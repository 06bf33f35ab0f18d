"""REST API of organisations, premises, roles and follow assignments (thin: selectors and services)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.access import can_read_audit
from phongdich.core.models import User
from phongdich.geo.models import Unit

from . import permissions, selectors, services
from .models import FollowAssignment, Organisation, OrganisationKind, Premises, Role, RoleAssignment, Sector
from .scope import scope_for

# --- Serializers ----------------------------------------------------------------------------------


class UnitRefSerializer(serializers.ModelSerializer[Unit]):
    class Meta:
        model = Unit
        fields = ["uid", "code", "name", "level", "tree"]


class OrganisationRefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["uid", "name"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    unit = UnitRefSerializer(read_only=True)
    parent = OrganisationRefSerializer(read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "uid",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "sector",
            "unit",
            "parent",
            "address",
            "phone",
            "email",
            "tax_code",
            "is_active",
        ]


class HeadSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    position = serializers.CharField()


class ComplianceSerializer(serializers.Serializer[Any]):
    head = HeadSerializer(allow_null=True)
    premises_count = serializers.IntegerField()
    staff_count = serializers.IntegerField()
    children_count = serializers.IntegerField()
    children_without_head = OrganisationRefSerializer(many=True)
    score = serializers.IntegerField(help_text="Phần trăm các mục đã khai báo đủ (0–100).")


class OrganisationDetailSerializer(OrganisationSerializer):
    compliance = serializers.SerializerMethodField()

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "compliance"]

    @extend_schema_field(ComplianceSerializer)
    def get_compliance(self, org: Organisation) -> dict[str, Any]:
        c = selectors.organisation_compliance(org)
        return {
            "head": {"name": c.head.name, "position": c.head.position} if c.head else None,
            "premises_count": c.premises_count,
            "staff_count": c.staff_count,
            "children_count": c.children_count,
            "children_without_head": OrganisationRefSerializer(c.children_without_head, many=True).data,
            "score": c.score,
        }


class PremisesSerializer(serializers.ModelSerializer[Premises]):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Premises
        fields = ["uid", "name", "kind", "unit", "address", "is_active"]


def _scoped_org_field(**kwargs: Any) -> serializers.SlugRelatedField[Organisation]:
    return serializers.SlugRelatedField(slug_field="uid", queryset=Organisation.objects.none(), **kwargs)


class _ScopedInput(serializers.Serializer[Any]):
    """Organisation choices are limited to the requesting user's scope."""

    scoped_org_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        visible = selectors.organisations_for(request.user if request else None)
        for name in self.scoped_org_fields:
            self.fields[name].queryset = visible  # type: ignore[attr-defined]


class OrganisationInputSerializer(_ScopedInput):
    scoped_org_fields = ("parent",)

    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    unit = serializers.SlugRelatedField(slug_field="uid", queryset=Unit.objects.all())
    parent = _scoped_org_field(required=False, allow_null=True)  # type: ignore[assignment]  # DRF pops declared fields
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    tax_code = serializers.CharField(max_length=20, required=False, allow_blank=True)


class OrganisationUpdateSerializer(OrganisationInputSerializer):
    is_active = serializers.BooleanField(required=False)


class PremisesInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=Premises.Kind.choices, required=False)
    unit = serializers.SlugRelatedField(slug_field="uid", queryset=Unit.objects.all(), required=False)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="username", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RoleAssignment
        fields = ["uid", "user", "role", "role_display", "unit", "organisation", "valid_from", "valid_to"]


class RoleAssignmentInputSerializer(_ScopedInput):
    scoped_org_fields = ("organisation",)

    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    role = serializers.ChoiceField(choices=Role.choices)
    unit = serializers.SlugRelatedField(slug_field="uid", queryset=Unit.objects.all(), required=False, allow_null=True)
    organisation = _scoped_org_field(required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class FollowAssignmentSerializer(serializers.ModelSerializer[FollowAssignment]):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="username", read_only=True)
    unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FollowAssignment
        fields = ["uid", "user", "unit", "sector", "note"]


class FollowAssignmentInputSerializer(serializers.Serializer[Any]):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    unit = serializers.SlugRelatedField(slug_field="uid", queryset=Unit.objects.all(), required=False, allow_null=True)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ScopeSerializer(serializers.Serializer[Any]):
    everything = serializers.BooleanField()
    units = UnitRefSerializer(many=True)
    organisations = OrganisationRefSerializer(many=True)


class MeSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    is_superuser = serializers.BooleanField()
    roles = RoleAssignmentSerializer(many=True)
    scope = ScopeSerializer()
    follows = FollowAssignmentSerializer(many=True)
    can_read_audit = serializers.BooleanField()
    can_manage_roles = serializers.BooleanField()


# --- Views ------------------------------------------------------------------------------------------


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class IsRoleAdmin(BasePermission):
    """Province administrators and superusers."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return permissions.can_manage_roles(request.user)


class OrganisationFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    unit = serializers.UUIDField(required=False, help_text="uid của đơn vị hành chính: cả cây đơn vị bên dưới")
    q = serializers.CharField(max_length=100, required=False, help_text="Tên (không phân biệt dấu, hoa thường)")


ORG_FILTER_PARAMETERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=OrganisationKind.values),
    OpenApiParameter("sector", OpenApiTypes.STR, enum=Sector.values),
    OpenApiParameter("unit", OpenApiTypes.UUID, description="uid của đơn vị hành chính (cả cây bên dưới)"),
    OpenApiParameter("q", OpenApiTypes.STR, description="Tìm theo tên, không phân biệt dấu"),
]


class OrganisationListApi(generics.ListAPIView[Organisation]):
    """Organisations in the caller's scope; province administrators and district officers may add one."""

    serializer_class = OrganisationSerializer

    def get_queryset(self) -> Any:
        params = OrganisationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        if "unit" in filters:
            filters["unit"] = Unit.objects.filter(uid=filters["unit"]).first()
            if filters["unit"] is None:
                return Organisation.objects.none()
        return selectors.organisation_list(user=self.request.user, **filters)

    @extend_schema(parameters=ORG_FILTER_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=OrganisationInputSerializer, responses={201: OrganisationDetailSerializer})
    def post(self, request: Request) -> Response:
        if not permissions.can_create_organisations(request.user):
            raise PermissionDenied
        data = OrganisationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        org = services.organisation_create(actor=_user(request), **data.validated_data)
        return Response(OrganisationDetailSerializer(org).data, status=status.HTTP_201_CREATED)


class OrganisationDetailApi(APIView):
    """One organisation in scope (404 outside it), with its compliance at a glance (D5)."""

    @extend_schema(responses=OrganisationDetailSerializer)
    def get(self, request: Request, uid: str) -> Response:
        org = selectors.organisation_get(user=request.user, uid=uid)
        return Response(OrganisationDetailSerializer(org).data)

    @extend_schema(request=OrganisationUpdateSerializer, responses=OrganisationDetailSerializer)
    def patch(self, request: Request, uid: str) -> Response:
        org = selectors.organisation_get(user=request.user, uid=uid)
        if not permissions.can_edit_organisation(request.user, org):
            raise PermissionDenied
        data = OrganisationUpdateSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        org = services.organisation_update(organisation=org, actor=_user(request), **data.validated_data)
        return Response(OrganisationDetailSerializer(org).data)


class PremisesListApi(generics.ListAPIView[Premises]):
    """The premises of one organisation in scope; its head and its managers may add one."""

    serializer_class = PremisesSerializer

    def get_queryset(self) -> Any:
        org = selectors.organisation_get(user=self.request.user, uid=self.kwargs["uid"])
        return org.premises.select_related("unit")

    @extend_schema(request=PremisesInputSerializer, responses={201: PremisesSerializer})
    def post(self, request: Request, uid: str) -> Response:
        org = selectors.organisation_get(user=request.user, uid=uid)
        if not permissions.can_manage_premises(request.user, org):
            raise PermissionDenied
        data = PremisesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        premises = services.premises_create(organisation=org, actor=_user(request), **data.validated_data)
        return Response(PremisesSerializer(premises).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    """The caller: roles, scope (root units and organisations) and follow assignments."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = _user(request)
        scope = scope_for(user)
        org_roots = Organisation.objects.filter(path__in=scope.org_paths)
        data = {
            "uid": user.uid,
            "username": user.username,
            "full_name": user.get_full_name(),
            "is_superuser": user.is_superuser,
            "roles": selectors.roles_of(user),
            "scope": {
                "everything": scope.everything,
                "units": selectors.scope_units(scope),
                "organisations": org_roots,
            },
            "follows": selectors.follow_assignment_list(user=user),
            "can_read_audit": can_read_audit(user),
            "can_manage_roles": permissions.can_manage_roles(user),
        }
        return Response(MeSerializer(data).data)


ROLE_FILTER_PARAMETERS = [
    OpenApiParameter("username", OpenApiTypes.STR),
    OpenApiParameter("role", OpenApiTypes.STR, enum=Role.values),
]


class RoleAssignmentListApi(generics.ListAPIView[RoleAssignment]):
    """Every role assignment (province administrators); POST assigns a role."""

    serializer_class = RoleAssignmentSerializer
    permission_classes = [IsAuthenticated, IsRoleAdmin]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        role = params.get("role", "")
        if role and role not in Role.values:
            raise serializers.ValidationError({"role": [_("Vai trò không hợp lệ.")]})
        return selectors.role_assignment_list(username=params.get("username", ""), role=role)

    @extend_schema(parameters=ROLE_FILTER_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=RoleAssignmentInputSerializer, responses={201: RoleAssignmentSerializer})
    def post(self, request: Request) -> Response:
        data = RoleAssignmentInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        dates = {k: values.pop(k) for k in ("valid_from", "valid_to") if values.get(k)}
        ra = services.role_assign(actor=_user(request), **values, **dates)
        return Response(RoleAssignmentSerializer(ra).data, status=status.HTTP_201_CREATED)


class RoleAssignmentDetailApi(APIView):
    """One role assignment; DELETE revokes it (audited)."""

    permission_classes = [IsAuthenticated, IsRoleAdmin]

    def _get(self, uid: str) -> RoleAssignment:
        return get_object_or_404(RoleAssignment.objects.select_related("user", "unit", "organisation"), uid=uid)

    @extend_schema(responses=RoleAssignmentSerializer)
    def get(self, request: Request, uid: str) -> Response:
        return Response(RoleAssignmentSerializer(self._get(uid)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, uid: str) -> Response:
        services.role_revoke(assignment=self._get(uid), actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowAssignmentListApi(generics.ListAPIView[FollowAssignment]):
    """Follow assignments (D5): the caller's own; all of them for province administrators."""

    serializer_class = FollowAssignmentSerializer

    def get_queryset(self) -> Any:
        user = _user(self.request)
        if permissions.can_manage_roles(user):
            return selectors.follow_assignment_list()
        return selectors.follow_assignment_list(user=user)

    @extend_schema(request=FollowAssignmentInputSerializer, responses={201: FollowAssignmentSerializer})
    def post(self, request: Request) -> Response:
        if not permissions.can_manage_roles(request.user):
            raise PermissionDenied
        data = FollowAssignmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fa = services.follow_assign(actor=_user(request), **data.validated_data)
        return Response(FollowAssignmentSerializer(fa).data, status=status.HTTP_201_CREATED)

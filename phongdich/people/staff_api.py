"""Staff API (thin): list and add memberships, read / change / end one, its approvers, exports (D2–D3)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import next_page_url, query_limit
from phongdich.orgs.api import OrganisationRefSerializer
from phongdich.orgs.models import Organisation
from phongdich.orgs.selectors import organisation_get, organisations_for

from .models import Person, StaffCategory, StaffMembership
from .selectors import person_get
from .staff_exports import staff_export
from .staff_selectors import (
    MAX_PAGE_SIZE,
    Approver,
    Relation,
    approver_chain,
    membership_get,
    membership_get_for_write,
    person_approvers,
    staff_list,
)
from .staff_services import membership_create, membership_end, membership_update

# --- Serializers -------------------------------------------------------------------------------


class StaffPersonSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()


class StaffManagerSerializer(serializers.Serializer):
    uid = serializers.UUIDField(help_text=_("uid của công tác (membership) của lãnh đạo trực tiếp"))
    person = StaffPersonSerializer()
    position = serializers.CharField()
    organisation = OrganisationRefSerializer()


class StaffMembershipSerializer(serializers.ModelSerializer):
    person = StaffPersonSerializer()
    organisation = OrganisationRefSerializer()
    category_display = serializers.CharField(source="get_category_display")
    manager = StaffManagerSerializer(allow_null=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = StaffMembership
        fields = [
            "uid",
            "person",
            "organisation",
            "position",
            "category",
            "category_display",
            "is_party_member",
            "is_head",
            "manager",
            "start_date",
            "end_date",
            "is_current",
        ]
        read_only_fields = fields

    def get_is_current(self, membership: StaffMembership) -> bool:
        from django.utils import timezone

        today = timezone.localdate()
        return membership.start_date <= today and (membership.end_date is None or membership.end_date >= today)


class ApproverSerializer(serializers.Serializer):
    membership = serializers.UUIDField(source="membership.uid", help_text=_("uid của công tác của người phê duyệt"))
    person = StaffPersonSerializer(source="membership.person")
    position = serializers.CharField(source="membership.position")
    organisation = OrganisationRefSerializer(source="membership.organisation")
    relation = serializers.ChoiceField(
        choices=[(r.value, r.value) for r in Relation],
        help_text=_(
            "direct_head: lãnh đạo trực tiếp; higher_leader: lãnh đạo cấp trên theo chuỗi quản lý; "
            "organisation_head: thủ trưởng của cơ quan hoặc của cơ quan cấp trên"
        ),
    )


class PersonPostApproversSerializer(serializers.Serializer):
    membership = StaffMembershipSerializer()
    approvers = ApproverSerializer(many=True)


class _StaffInput(serializers.Serializer):
    position = serializers.CharField(max_length=120)
    category = serializers.ChoiceField(choices=StaffCategory.choices)
    is_party_member = serializers.BooleanField(required=False, default=False)
    is_head = serializers.BooleanField(required=False, default=False)
    manager = serializers.SlugRelatedField(
        slug_field="uid",
        queryset=StaffMembership.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("uid của công tác của lãnh đạo trực tiếp (cùng cơ quan hoặc cơ quan cấp trên)"),
    )
    replace_head = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Khi is_head=true mà cơ quan đã có thủ trưởng: người đó thôi chức thủ trưởng"),
    )


class StaffCreateSerializer(_StaffInput):
    person = serializers.SlugRelatedField(
        slug_field="uid", queryset=Person.objects.none(), help_text=_("uid của người trong sổ nhân khẩu")
    )
    organisation = serializers.SlugRelatedField(slug_field="uid", queryset=Organisation.objects.none())
    start_date = serializers.DateField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request is not None else None
        self.fields["person"].queryset = Person.objects.for_user(user).active()  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations_for(user)  # type: ignore[attr-defined]


class StaffUpdateSerializer(_StaffInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False


class StaffEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(help_text=_("Ngày làm việc cuối cùng ở vị trí này"))


StaffPageSerializer = inline_serializer(
    name="StaffPage",
    fields={"next": serializers.URLField(allow_null=True), "results": StaffMembershipSerializer(many=True)},
)

ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation", OpenApiTypes.UUID, description=_("uid của cơ quan, đơn vị: chỉ cán bộ của cơ quan này")
)
FLAG_PARAMETERS = [
    OpenApiParameter("include_sub", bool, description=_("Gồm cả cán bộ của các đơn vị trực thuộc")),
    OpenApiParameter("include_ended", bool, description=_("Gồm cả người đã thôi công tác")),
]
LIST_PARAMETERS = [
    ORGANISATION_PARAMETER,
    *FLAG_PARAMETERS,
    OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
    OpenApiParameter("limit", int, description=_("Số người mỗi trang (tối đa 200)")),
]


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true", "yes"}


def _organisation_param(request: Request, *, required: bool) -> Organisation | None:
    ref = request.query_params.get("organisation", "").strip()
    if not ref:
        if required:
            raise serializers.ValidationError({"organisation": [_("Vui lòng chọn cơ quan, đơn vị.")]})
        return None
    try:
        uuid.UUID(ref)
    except ValueError:
        raise serializers.ValidationError({"organisation": [_("Mã cơ quan, đơn vị không hợp lệ.")]}) from None
    return organisation_get(user=request.user, uid=ref)


def _approvers_data(approvers: list[Approver]) -> Any:
    return ApproverSerializer(approvers, many=True).data


# --- Views -----------------------------------------------------------------------------------------


class StaffListCreateApi(APIView):
    @extend_schema(
        operation_id="staff_list",
        parameters=LIST_PARAMETERS,
        responses=StaffPageSerializer,
        summary=_("Danh sách cán bộ, nhân viên (của một cơ quan, hoặc mọi cơ quan trong phạm vi), thủ trưởng trước"),
    )
    def get(self, request: Request) -> Response:
        limit = query_limit(request)
        page = staff_list(
            user=request.user,
            organisation=_organisation_param(request, required=False),
            include_sub=_flag(request, "include_sub"),
            include_ended=_flag(request, "include_ended"),
            after=request.query_params.get("after") or None,
            limit=min(limit, MAX_PAGE_SIZE),
        )
        next_url = next_page_url(request, page.next_after)
        return Response({"next": next_url, "results": StaffMembershipSerializer(page.items, many=True).data})

    @extend_schema(
        operation_id="staff_create",
        request=StaffCreateSerializer,
        responses={201: StaffMembershipSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Thêm cán bộ, nhân viên vào một cơ quan (ghi nhật ký)"),
    )
    def post(self, request: Request) -> Response:
        serializer = StaffCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        membership = membership_create(actor=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(StaffMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class StaffDetailApi(APIView):
    @extend_schema(
        operation_id="staff_retrieve", responses=StaffMembershipSerializer, summary=_("Xem một công tác (ghi nhật ký)")
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(StaffMembershipSerializer(membership_get(user=request.user, uid=uid)).data)

    @extend_schema(
        operation_id="staff_partial_update",
        request=StaffUpdateSerializer,
        responses={200: StaffMembershipSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Sửa chức vụ, loại, đảng viên, thủ trưởng, lãnh đạo trực tiếp"),
    )
    def patch(self, request: Request, uid: uuid.UUID) -> Response:
        membership = membership_get_for_write(user=request.user, uid=uid)
        serializer = StaffUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = membership_update(actor=request.user, membership=membership, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(StaffMembershipSerializer(membership_get_for_write(user=request.user, uid=updated.uid)).data)


class StaffEndApi(APIView):
    @extend_schema(
        operation_id="staff_end",
        request=StaffEndSerializer,
        responses={200: StaffMembershipSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Kết thúc công tác"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        membership = membership_get_for_write(user=request.user, uid=uid)
        serializer = StaffEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership_end(actor=request.user, membership=membership, end_date=serializer.validated_data["end_date"])  # type: ignore[arg-type]
        return Response(StaffMembershipSerializer(membership_get_for_write(user=request.user, uid=uid)).data)


class StaffApproversApi(APIView):
    @extend_schema(
        operation_id="staff_approvers",
        responses=ApproverSerializer(many=True),
        summary=_("Người có thẩm quyền phê duyệt cho một công tác: lãnh đạo trực tiếp trước, rồi lãnh đạo cấp trên"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        membership = membership_get(user=request.user, uid=uid)
        return Response(_approvers_data(approver_chain(membership=membership)))


class PersonApproversApi(APIView):
    @extend_schema(
        operation_id="people_approvers",
        responses=PersonPostApproversSerializer(many=True),
        summary=_("Ai phê duyệt cho người này: với mỗi công tác hiện tại, lãnh đạo trực tiếp rồi lãnh đạo cấp trên"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        person = person_get(user=request.user, uid=uid)
        posts = person_approvers(person=person, current_only=True)
        return Response(
            [
                {
                    "membership": StaffMembershipSerializer(post.membership).data,
                    "approvers": _approvers_data(post.approvers),
                }
                for post in posts
            ]
        )


class StaffExportApi(APIView):
    @extend_schema(
        operation_id="staff_export",
        parameters=[ORGANISATION_PARAMETER, *FLAG_PARAMETERS],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
        },
        summary=_("Xuất danh sách cán bộ, nhân viên của một cơ quan (CSV hoặc Excel), ghi nhật ký"),
    )
    def get(self, request: Request, fmt: str) -> HttpResponse:
        organisation = _organisation_param(request, required=True)
        assert organisation is not None
        export = staff_export(
            user=request.user,
            organisation=organisation,
            fmt=fmt,
            include_sub=_flag(request, "include_sub"),
            include_ended=_flag(request, "include_ended"),
        )
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response

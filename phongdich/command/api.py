"""Command API (thin): response plans (scoped list, record a version) and the agencies lacking one (R6);
directives (scoped list, record), a directive with its tasks and assignments, an agency's tasks and the
progress report with evidence (R3, R4). Status and level values are plain strings and integers."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import next_page_url, query_limit
from phongdich.geo.models import Level
from phongdich.orgs.api import OrganisationRefSerializer
from phongdich.orgs.models import Organisation, OrganisationKind
from phongdich.orgs.scope import scope_for

from . import selectors
from .models import Directive, DirectiveTask, ResponsePlan
from .permissions import is_command
from .services import directive_create, plan_record, progress_report, task_add

LEVEL_HELP = _("Cấp độ dịch 1–4 (xanh, vàng, cam, đỏ)")


def _uploads(request: Request) -> Any:
    return getattr(request, "FILES", {})


class ResponsePlanSerializer(serializers.ModelSerializer[ResponsePlan]):
    organisation = OrganisationRefSerializer()
    level = serializers.IntegerField(help_text=LEVEL_HELP)
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = ResponsePlan
        fields = ["uid", "organisation", "level", "title", "approved_on", "approved_by", "version", "has_attachment"]

    def get_has_attachment(self, obj: ResponsePlan) -> bool:
        return bool(obj.attachment)


class PlanInputSerializer(serializers.Serializer[Any]):
    organisation = serializers.UUIDField()
    level = serializers.IntegerField(min_value=1, max_value=4, help_text=LEVEL_HELP)
    title = serializers.CharField(max_length=255)
    content = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    approved_on = serializers.DateField()
    approved_by = serializers.CharField(max_length=200)
    attachment = serializers.FileField(required=False, help_text=_("Tệp PDF"))


class PlanListApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="command_plans_list",
        parameters=[
            OpenApiParameter("after", str, description=_("Con trỏ trang sau")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=ResponsePlanSerializer(many=True),
        summary=_("Phương án ứng phó của các cơ quan trong phạm vi"),
    )
    def get(self, request: Request) -> Response:
        orgs = Organisation.objects.for_user(request.user).values("pk")
        qs = ResponsePlan.objects.filter(organisation__in=orgs).select_related("organisation").order_by("id")
        after = request.query_params.get("after")
        if after:
            try:
                qs = qs.filter(id__gt=int(after))
            except ValueError:
                raise serializers.ValidationError({"after": [_("Giá trị không hợp lệ.")]}) from None
        limit = max(1, min(query_limit(request), 200))
        rows = list(qs[: limit + 1])
        next_after = rows[limit - 1].pk if len(rows) > limit else None
        return Response(
            {
                "next": next_page_url(request, next_after),
                "results": ResponsePlanSerializer(rows[:limit], many=True).data,
            }
        )

    @extend_schema(
        operation_id="command_plans_record",
        request={"multipart/form-data": PlanInputSerializer},
        responses={201: ResponsePlanSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Ghi phương án của một cơ quan cho một cấp độ (phiên bản mới, giữ phiên bản cũ)"),
    )
    def post(self, request: Request) -> Response:
        serializer = PlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org = Organisation.objects.for_user(request.user).filter(uid=data.pop("organisation")).first()
        if org is None:
            raise serializers.ValidationError({"organisation": [_("Không có cơ quan này trong phạm vi của bạn.")]})
        plan = plan_record(actor=request.user, organisation=org, **data)  # type: ignore[arg-type]
        return Response(ResponsePlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class MissingPlanRowSerializer(serializers.Serializer[Any]):
    organisation = OrganisationRefSerializer()
    missing = serializers.ListField(child=serializers.IntegerField(), help_text=_("Các cấp độ còn thiếu phương án"))


class MissingPlanPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    results = MissingPlanRowSerializer(many=True)


class MissingPlanListApi(APIView):
    @extend_schema(
        operation_id="command_plans_missing",
        parameters=[
            OpenApiParameter("level", int, description=LEVEL_HELP),
            OpenApiParameter("district", str, description=_("Mã huyện")),
            OpenApiParameter("kind", str, enum=OrganisationKind.values, description=_("Loại hình cơ quan")),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=MissingPlanPageSerializer,
        summary=_("Cơ quan còn thiếu phương án theo cấp độ, kèm số lượng"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        level = params.get("level", "").strip()
        if level and level not in {"1", "2", "3", "4"}:
            raise serializers.ValidationError({"level": [_("Cấp độ phải từ 1 đến 4.")]})
        kind = params.get("kind", "").strip()
        if kind and kind not in OrganisationKind.values:
            raise serializers.ValidationError({"kind": [_("Giá trị không hợp lệ.")]})
        district = None
        code = params.get("district", "").strip()
        if code:
            district = scope_for(request.user).units().filter(level=Level.DISTRICT, code=code).first()
            if district is None:
                raise serializers.ValidationError({"district": [_("Không có huyện này trong phạm vi của bạn.")]})
        filters: dict[str, Any] = {"district": district, "kind": kind}
        page = selectors.missing_plans_page(
            user=request.user,
            level=int(level) if level else None,
            after=params.get("after"),
            limit=query_limit(request),
            **filters,
        )
        return Response(
            {
                "next": next_page_url(request, page.next_after),
                "counts": selectors.missing_counts(user=request.user, **filters),
                "results": MissingPlanRowSerializer(page.items, many=True).data,
            }
        )


class DirectiveSerializer(serializers.ModelSerializer[Directive]):
    kind = serializers.CharField(help_text=_("Loại văn bản"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = Directive
        fields = ["uid", "number", "issued_on", "issuing_body", "kind", "kind_display", "title", "has_attachment"]

    def get_has_attachment(self, obj: Directive) -> bool:
        return bool(obj.attachment)


class DirectiveRowSerializer(serializers.Serializer[Any]):
    directive = DirectiveSerializer()
    assigned = serializers.IntegerField(source="tally.total")
    done = serializers.IntegerField(source="tally.done")
    overdue = serializers.IntegerField(source="tally.overdue")
    percent = serializers.IntegerField(source="tally.percent", allow_null=True)


class DirectiveInputSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    issued_on = serializers.DateField()
    issuing_body = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=20, help_text=_("official_letter, directive, conclusion, plan…"))
    title = serializers.CharField(max_length=500)
    text = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    attachment = serializers.FileField(required=False, help_text=_("Tệp PDF"))


class DirectiveListApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="command_directives_list",
        parameters=[
            OpenApiParameter("q", str, description=_("Tìm theo số, trích yếu, cơ quan ban hành")),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=DirectiveRowSerializer(many=True),
        summary=_("Văn bản chỉ đạo trong phạm vi, kèm tỷ lệ hoàn thành và số nhiệm vụ quá hạn"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        page = selectors.directive_page(
            user=request.user, q=params.get("q", "")[:100], after=params.get("after"), limit=query_limit(request)
        )
        return Response(
            {
                "next": next_page_url(request, page.next_after),
                "results": DirectiveRowSerializer(page.items, many=True).data,
            }
        )

    @extend_schema(
        operation_id="command_directives_create",
        request={"multipart/form-data": DirectiveInputSerializer, "application/json": DirectiveInputSerializer},
        responses={201: DirectiveSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Nhập một văn bản chỉ đạo"),
    )
    def post(self, request: Request) -> Response:
        serializer = DirectiveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        directive = directive_create(actor=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(DirectiveSerializer(directive).data, status=status.HTTP_201_CREATED)


class TaskAssignmentSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField(source="assignment.uid")
    directive = serializers.UUIDField(source="assignment.task.directive.uid")
    task_number = serializers.CharField(source="assignment.task.number")
    task_title = serializers.CharField(source="assignment.task.title")
    deadline_kind = serializers.CharField(source="assignment.task.deadline_kind")
    due_at = serializers.DateTimeField(source="assignment.task.due_at", allow_null=True)
    daily_time = serializers.TimeField(source="assignment.task.daily_time", allow_null=True)
    organisation = OrganisationRefSerializer(source="assignment.organisation")
    status = serializers.CharField(source="assignment.status", help_text=_("not_started, in_progress, done, blocked"))
    done_at = serializers.DateTimeField(source="assignment.done_at", allow_null=True)
    last_reported_at = serializers.DateTimeField(source="assignment.last_reported_at", allow_null=True)
    overdue = serializers.BooleanField()
    late = serializers.BooleanField()


class DirectiveTaskSerializer(serializers.ModelSerializer[DirectiveTask]):
    lead = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = DirectiveTask
        fields = ["uid", "number", "title", "deadline_kind", "due_at", "daily_time", "lead"]


class DirectiveDetailSerializer(serializers.Serializer[Any]):
    directive = DirectiveSerializer()
    tasks = DirectiveTaskSerializer(many=True)
    assignments = TaskAssignmentSerializer(many=True)
    percent = serializers.IntegerField(allow_null=True)
    overdue = serializers.IntegerField()


class TaskInputSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(max_length=20, help_text=_("Ví dụ: 2.15"))
    title = serializers.CharField(max_length=300)
    text = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    assignees = serializers.ListField(child=serializers.UUIDField(), allow_empty=False, max_length=500)
    lead = serializers.UUIDField(required=False, allow_null=True)
    deadline_kind = serializers.CharField(max_length=10, help_text=_("once, daily, ongoing"))
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    daily_time = serializers.TimeField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        orgs = Organisation.objects.for_user(self.context["user"])
        wanted = set(attrs["assignees"])
        found = list(orgs.filter(uid__in=wanted))
        if len(found) != len(wanted):
            raise serializers.ValidationError({"assignees": [_("Có cơ quan không thuộc phạm vi của bạn.")]})
        attrs["assignees"] = found
        if attrs.get("lead"):
            lead = orgs.filter(uid=attrs["lead"]).first()
            if lead is None:
                raise serializers.ValidationError({"lead": [_("Không có cơ quan này trong phạm vi của bạn.")]})
            attrs["lead"] = lead
        return attrs


class DirectiveTaskCreateApi(APIView):
    @extend_schema(
        operation_id="command_directive_tasks_create",
        request=TaskInputSerializer,
        responses={201: DirectiveTaskSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Giao một nhiệm vụ của văn bản cho các cơ quan thực hiện"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        directive = selectors.directive_get(user=request.user, uid=uid)
        if not is_command(request.user):
            raise PermissionDenied
        serializer = TaskInputSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        task = task_add(actor=request.user, directive=directive, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(DirectiveTaskSerializer(task).data, status=status.HTTP_201_CREATED)


class DirectiveDetailApi(APIView):
    @extend_schema(
        operation_id="command_directives_retrieve",
        responses=DirectiveDetailSerializer,
        summary=_("Một văn bản với các nhiệm vụ và tình hình thực hiện của từng cơ quan"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        directive = selectors.directive_get(user=request.user, uid=uid)
        matrix = selectors.directive_matrix(user=request.user, directive=directive)
        cells = [
            selectors.AssignmentRow(c.assignment, c.overdue, c.late) for row in matrix.rows for c in row.cells if c
        ]
        data = {
            "directive": directive,
            "tasks": [row.task for row in matrix.rows],
            "assignments": cells,
            "percent": matrix.tally.percent,
            "overdue": matrix.tally.overdue,
        }
        return Response(DirectiveDetailSerializer(data).data)


class AssignmentListApi(APIView):
    @extend_schema(
        operation_id="command_tasks_list",
        parameters=[
            OpenApiParameter(
                "status", str, enum=list(selectors.TASK_STATUS_FILTERS), description=_("open, overdue, done…")
            ),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=TaskAssignmentSerializer(many=True),
        summary=_("Nhiệm vụ được giao cho các cơ quan trong phạm vi"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        status_filter = params.get("status", "").strip()
        if status_filter and status_filter not in selectors.TASK_STATUS_FILTERS:
            raise serializers.ValidationError({"status": [_("Giá trị không hợp lệ.")]})
        page = selectors.assignment_page(
            user=request.user, status=status_filter, after=params.get("after"), limit=query_limit(request)
        )
        return Response(
            {
                "next": next_page_url(request, page.next_after),
                "results": TaskAssignmentSerializer(page.items, many=True).data,
            }
        )


class ProgressInputSerializer(serializers.Serializer[Any]):
    status = serializers.CharField(max_length=12, help_text=_("not_started, in_progress, done, blocked"))
    report = serializers.CharField(max_length=5000)
    evidence = serializers.FileField(required=False, help_text=_("PDF hoặc ảnh JPEG, PNG"))


class ProgressApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="command_tasks_progress",
        request={"multipart/form-data": ProgressInputSerializer, "application/json": ProgressInputSerializer},
        responses={201: TaskAssignmentSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Cơ quan báo cáo tiến độ một nhiệm vụ (kèm minh chứng)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        assignment = selectors.assignment_get(user=request.user, uid=uid)
        serializer = ProgressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        progress_report(actor=request.user, assignment=assignment, **serializer.validated_data)  # type: ignore[arg-type]
        assignment.refresh_from_db()
        row = selectors.assignment_rows([assignment], timezone.now())[0]
        return Response(TaskAssignmentSerializer(row).data, status=status.HTTP_201_CREATED)

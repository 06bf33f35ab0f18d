"""Notifications API (thin): the user's own notifications, mark one or all read."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import next_page_url, query_limit

from .models import Notification
from .selectors import notification_get, notification_page, unread_count
from .services import notification_mark_read, notifications_mark_all_read


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["uid", "title", "body", "link", "kind", "created_at", "read_at"]


class NotificationPageSerializer(serializers.Serializer[object]):
    next = serializers.URLField(allow_null=True)
    unread = serializers.IntegerField()
    results = NotificationSerializer(many=True)


class NotificationListApi(APIView):
    @extend_schema(
        operation_id="notifications_list",
        parameters=[
            OpenApiParameter("unread", bool, description=_("Chỉ thông báo chưa đọc")),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=NotificationPageSerializer,
        summary=_("Thông báo của tôi, mới nhất trước (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        only_unread = request.query_params.get("unread") in ("1", "true")
        page = notification_page(
            request.user, after=request.query_params.get("after"), limit=query_limit(request), unread=only_unread
        )
        return Response(
            {
                "next": next_page_url(request, page.next_after),
                "unread": unread_count(request.user),
                "results": NotificationSerializer(page.items, many=True).data,
            }
        )


class NotificationReadApi(APIView):
    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses=NotificationSerializer,
        summary=_("Đánh dấu một thông báo đã đọc"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        notification = notification_get(user=request.user, uid=uid)
        notification_mark_read(user=request.user, notification=notification)  # type: ignore[arg-type]
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses=inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField()}),
        summary=_("Đánh dấu tất cả thông báo đã đọc"),
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": notifications_mark_all_read(user=request.user)})  # type: ignore[arg-type]

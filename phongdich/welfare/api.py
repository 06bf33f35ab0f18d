"""Welfare API (thin): elections and their mobile-ballot lists (E1), donations, support and the funds' books
(E4), budgets and spending lines (E5). Amounts are integers in đồng."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.core.pagination import next_page_url, query_limit
from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Unit

from .models import Donation, DonorKind, Election, GiftKind, SpendingCategory
from .selectors import (
    budget_rows,
    donation_page,
    election_get,
    election_list,
    fund_balances,
    mobile_ballot_lists,
    receivers,
)
from .services import budget_spend, donation_record, support_give


def _bad(field: str, message: Any) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


class ElectionSerializer(serializers.ModelSerializer[Election]):
    unit = UnitBriefSerializer()

    class Meta:
        model = Election
        fields = ["uid", "name", "polling_day", "unit"]
        read_only_fields = fields


class VoterSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField(source="person.uid")
    full_name = serializers.CharField(source="person.full_name")
    birth_year = serializers.IntegerField(source="person.birth_year")
    residence_unit = serializers.CharField(source="person.residence_unit.name")
    reasons = serializers.ListField(child=serializers.CharField())


class BallotListSerializer(serializers.Serializer[Any]):
    polling_area = serializers.SerializerMethodField()
    commune = serializers.SerializerMethodField()
    voters = VoterSerializer(many=True)

    def get_polling_area(self, obj: Any) -> str | None:
        return obj.area.name if obj.area else None

    def get_commune(self, obj: Any) -> str | None:
        return obj.area.commune.name if obj.area else None


class ElectionListApi(APIView):
    @extend_schema(
        operation_id="welfare_elections_list",
        responses=ElectionSerializer(many=True),
        summary=_("Các cuộc bầu cử trong địa bàn"),
    )
    def get(self, request: Request) -> Response:
        return Response(ElectionSerializer(list(election_list(user=request.user)[:200]), many=True).data)


class VotersApi(APIView):
    @extend_schema(
        operation_id="welfare_election_voters",
        responses=BallotListSerializer(many=True),
        summary=_("Danh sách cử tri bỏ phiếu bằng hòm phiếu phụ theo khu vực bỏ phiếu"),
    )
    def get(self, request: Request, uid: str) -> Response:
        election = election_get(user=request.user, uid=uid)
        lists = mobile_ballot_lists(user=request.user, election=election)
        audit(
            actor=request.user,
            action=AuditAction.READ,
            obj=election,
            summary=_("Xem danh sách cử tri bỏ phiếu bằng hòm phiếu phụ “%(name)s”") % {"name": election.name},
            detail={"voters": sum(len(b.voters) for b in lists), "api": True},
        )
        return Response(BallotListSerializer(lists, many=True).data)


class DonationSerializer(serializers.ModelSerializer[Donation]):
    receiver = serializers.CharField(source="receiver.name")
    receipt = serializers.CharField(source="receipt_code")

    class Meta:
        model = Donation
        fields = [
            "uid",
            "receipt",
            "receiver",
            "received_on",
            "donor_kind",
            "donor_name",
            "kind",
            "amount",
            "goods",
            "quantity",
            "goods_unit",
            "estimated_value",
        ]
        read_only_fields = fields


class DonationCreateSerializer(serializers.Serializer[Any]):
    receiver = serializers.UUIDField()
    received_on = serializers.DateField()
    donor_kind = serializers.ChoiceField(choices=DonorKind.choices)
    donor_name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=GiftKind.choices)
    amount = serializers.IntegerField(min_value=0, required=False, default=0)
    goods = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, default=Decimal(0))
    goods_unit = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    estimated_value = serializers.IntegerField(min_value=0, required=False, default=0)
    note = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class DonationListCreateApi(APIView):
    @extend_schema(
        operation_id="welfare_donations_list",
        parameters=[
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=inline_serializer(
            "WelfareDonationPage",
            {"next": serializers.URLField(allow_null=True), "results": DonationSerializer(many=True)},
        ),
        summary=_("Các khoản ủng hộ trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        limit = min(max(query_limit(request), 1), 200)
        rows, after = donation_page(user=request.user, after=request.query_params.get("after"), limit=limit)
        return Response({"next": next_page_url(request, after), "results": DonationSerializer(rows, many=True).data})

    @extend_schema(
        operation_id="welfare_donations_create",
        request=DonationCreateSerializer,
        responses={201: DonationSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Tiếp nhận một khoản ủng hộ (cấp số biên nhận)"),
    )
    def post(self, request: Request) -> Response:
        serializer = DonationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        receiver = receivers(user=request.user).filter(uid=fields.pop("receiver")).first()
        if receiver is None:
            raise _bad("receiver", _("Không tìm thấy đơn vị tiếp nhận trong địa bàn."))
        donation = donation_record(actor=request.user, receiver=receiver, **fields)
        return Response(DonationSerializer(donation).data, status=status.HTTP_201_CREATED)


class SupportCreateSerializer(serializers.Serializer[Any]):
    giver = serializers.UUIDField()
    given_on = serializers.DateField()
    recipient_name = serializers.CharField(max_length=255)
    unit = serializers.UUIDField()
    household_size = serializers.IntegerField(min_value=1, max_value=100, default=1)
    reason = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=GiftKind.choices)
    amount = serializers.IntegerField(min_value=0, required=False, default=0)
    donation = serializers.UUIDField(required=False, allow_null=True, default=None)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, default=Decimal(0))


class SupportCreateApi(APIView):
    @extend_schema(
        operation_id="welfare_support_create",
        request=SupportCreateSerializer,
        responses={
            201: inline_serializer("WelfareSupportCreated", {"uid": serializers.UUIDField()}),
            400: OpenApiResponse(description=_("Lỗi theo từng trường, kể cả khi quỹ không đủ")),
        },
        summary=_("Trao hỗ trợ cho người, hộ bị ảnh hưởng"),
    )
    def post(self, request: Request) -> Response:
        serializer = SupportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        giver = receivers(user=request.user).filter(uid=fields.pop("giver")).first()
        if giver is None:
            raise _bad("giver", _("Không tìm thấy đơn vị trao trong địa bàn."))
        unit = Unit.objects.filter(uid=fields.pop("unit")).first()
        if unit is None:
            raise _bad("unit", _("Không tìm thấy địa bàn."))
        donation_uid = fields.pop("donation")
        donation = None
        if donation_uid is not None:
            donation = Donation.objects.filter(uid=donation_uid, receiver=giver).first()
            if donation is None:
                raise _bad("donation", _("Không tìm thấy khoản ủng hộ hiện vật của đơn vị trao."))
        support = support_give(actor=request.user, giver=giver, unit=unit, donation=donation, **fields)
        return Response({"uid": str(support.uid)}, status=status.HTTP_201_CREATED)


class FundSerializer(serializers.Serializer[Any]):
    receiver = serializers.CharField(source="receiver.name")
    receiver_uid = serializers.UUIDField(source="receiver.uid")
    received = serializers.IntegerField()
    given = serializers.IntegerField()
    on_hand = serializers.IntegerField()
    goods_value = serializers.IntegerField()


class FundsApi(APIView):
    @extend_schema(
        operation_id="welfare_funds",
        responses=FundSerializer(many=True),
        summary=_("Sổ quỹ ủng hộ: đã nhận, đã hỗ trợ, còn lại (đồng) theo đơn vị tiếp nhận"),
    )
    def get(self, request: Request) -> Response:
        return Response(FundSerializer(fund_balances(user=request.user), many=True).data)


class BudgetSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField(source="budget.uid")
    unit = UnitBriefSerializer(source="budget.unit")
    year = serializers.IntegerField(source="budget.year")
    allocated = serializers.IntegerField()
    spent = serializers.IntegerField()
    remaining = serializers.IntegerField()


class BudgetListApi(APIView):
    @extend_schema(
        operation_id="welfare_budgets",
        parameters=[OpenApiParameter("year", int, description=_("Năm"))],
        responses=BudgetSerializer(many=True),
        summary=_("Kinh phí phòng, chống dịch theo địa bàn: được cấp, đã chi, còn lại (đồng)"),
    )
    def get(self, request: Request) -> Response:
        year = request.query_params.get("year", "")
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise _bad("year", _("Năm không hợp lệ."))
        rows = budget_rows(user=request.user, year=int(year) if year else None)
        return Response(BudgetSerializer(rows, many=True).data)


class SpendingCreateSerializer(serializers.Serializer[Any]):
    unit = serializers.UUIDField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    spent_on = serializers.DateField()
    category = serializers.ChoiceField(choices=SpendingCategory.choices)
    description = serializers.CharField(max_length=255)
    amount = serializers.IntegerField(min_value=1)
    voucher = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)


class SpendingCreateApi(APIView):
    @extend_schema(
        operation_id="welfare_spending_create",
        request=SpendingCreateSerializer,
        responses={
            201: BudgetSerializer,
            400: OpenApiResponse(description=_("Lỗi theo từng trường, kể cả khi vượt kinh phí còn lại")),
        },
        summary=_("Ghi một khoản chi phòng, chống dịch"),
    )
    def post(self, request: Request) -> Response:
        serializer = SpendingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        unit = Unit.objects.filter(uid=fields.pop("unit")).first()
        if unit is None:
            raise _bad("unit", _("Không tìm thấy địa bàn."))
        line = budget_spend(actor=request.user, unit=unit, **fields)
        row = next(r for r in budget_rows(user=request.user, year=line.budget.year) if r.budget.pk == line.budget_id)
        return Response(BudgetSerializer(row).data, status=status.HTTP_201_CREATED)

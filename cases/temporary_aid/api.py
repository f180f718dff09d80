"""API for 临时救助 and the township reserve funds (/api/v1/temporary-aid/, /api/v1/reserve-funds/). Same scope
and services as the pages."""
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.scope import Action, can, get_in_scope_or_404, require_api
from cases.households.models import Household
from cases.temporary_aid import ledger
from cases.temporary_aid import selectors as temporary_aid
from cases.temporary_aid import services as temporary_aid_services
from cases.temporary_aid.models import ReserveFund, ReserveFundEntry, TemporaryAid
from core.api import raise_api_error
from core.apifields import PositiveYuanField
from core.models import Region


class AidSerializer(serializers.ModelSerializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())
    paperwork_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = TemporaryAid
        fields = ["id", "household", "person", "aid_type", "track", "cause", "handling_township", "emergency_place",
                  "amount", "status", "granted_on", "paperwork_due", "paperwork_submitted_on", "paperwork",
                  "paperwork_overdue", "linked_application"]
        read_only_fields = ["track", "handling_township", "status", "granted_on", "paperwork_due",
                            "paperwork_submitted_on", "paperwork"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["household"].queryset = Household.objects.all()


class PaperworkSerializer(serializers.Serializer):
    paperwork = serializers.CharField()


class TemporaryAidViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """临时救助. POST creates a 小金额先行救助 (township leader); `POST {id}/paperwork/` completes it."""

    serializer_class = AidSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TemporaryAid.objects.none()
        require_api(self.request, Action.CASE_VIEW)
        return temporary_aid.aid_list(user=self.request.user, flt=self.request.query_params.get("f", ""))

    def get_object(self):
        return get_in_scope_or_404(TemporaryAid.objects.all(), self.request.user, Action.CASE_VIEW,
                                   pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        pk = request.data.get("household")
        if isinstance(pk, (int, str)) and pk != "":  # absent or not an id: the serializer says what is wrong
            if not can(request.user, Action.CASE_DECIDE):
                # a reader who can see the household is refused (403); anyone else learns nothing (404)
                get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW, pk=pk)
                self.permission_denied(request, message="先行救助须由乡镇审批人签批")
            # out of reach answers 404 like an absent household, and before the body is validated
            temporary_aid.household_for_grant(user=request.user, pk=pk)
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        household = data.pop("household")
        try:
            aid = temporary_aid_services.fast_grant(actor=request.user, household=household, **data)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(AidSerializer(aid, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=PaperworkSerializer)
    def paperwork(self, request, pk=None):
        aid = self.get_object()
        require_api(request, Action.CASE_PROCESS, Action.CASE_DECIDE, refuse="您的角色无权进行此操作")
        ser = PaperworkSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            temporary_aid_services.paperwork_submit(actor=request.user, aid=aid, paperwork=ser.validated_data["paperwork"])
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(AidSerializer(aid, context=self.get_serializer_context()).data)


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReserveFundEntry
        fields = ["kind", "amount", "balance_after", "aid", "note", "created_at"]


class ReserveFundSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = ReserveFund
        fields = ["township", "township_name", "county", "balance", "updated_at"]


class TopUpSerializer(serializers.Serializer):
    amount = PositiveYuanField()
    note = serializers.CharField(max_length=200)


class ReserveFundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Township reserve funds in scope; `GET {township}/entries/`, `POST {township}/top-up/` (county officer)."""

    serializer_class = ReserveFundSerializer
    lookup_field = "township_id"
    lookup_url_kwarg = "township"
    lookup_value_regex = r"\d{9}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReserveFund.objects.none()
        return ledger.funds(self.request.user)  # village staff: no balances; finance: its county's totals

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW, Action.PAYMENT_VIEW)  # like the other lists: no files, none shown
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=EntrySerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=EntrySerializer, pagination_class=None)
    def entries(self, request, township=None):
        fund = self.get_object()
        require_api(request, Action.CASE_VIEW, refuse=ledger.FINANCE_REFUSAL)
        return Response(EntrySerializer(ledger.entries(request.user, fund)[:200], many=True).data)

    @extend_schema(request=TopUpSerializer, responses=ReserveFundSerializer)
    @action(detail=True, methods=["post"], url_path="top-up", serializer_class=TopUpSerializer)
    def top_up(self, request, township=None):
        fund = self.get_object()
        require_api(request, Action.PAYMENT_PREPARE, refuse="只有县级民政部门可以拨付备用金")
        ser = TopUpSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            temporary_aid_services.reserve_fund_top_up(actor=request.user, township=Region.objects.get(code=fund.township_id),
                                              **ser.validated_data)
        except ValidationError as exc:
            raise_api_error(exc)
        fund.refresh_from_db()
        return Response(ReserveFundSerializer(fund).data)

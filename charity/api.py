"""API under /api/v1/: charity-funds (with donations and grants), mutual-aid-societies, pairings,
service-contracts, service-records, referrals. Lists and objects through the same restricted selectors as the
pages; writes through the services (refusals are 400 in Chinese); out of reach is 404."""
from django.core.exceptions import ValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.scope import Action, can, get_in_scope_or_404, require_api
from cases.households.models import Household
from charity import selectors
from charity.models import (
    CharityFund,
    CharityGrant,
    Contact,
    Donation,
    MutualAidSociety,
    Pairing,
    Referral,
    ServiceContract,
    ServiceOrder,
    ServiceRecord,
    SocietyGrant,
)
from charity.scope import own_role
from charity.services import funds, mutual_aid, pairing, purchased, referrals
from core.api import raise_api_error
from core.masking import mask_name


class Guarded:
    """Roles that may not read this kind of row get 404 from every route of the viewset."""

    read_actions: tuple = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_api(request, *self.read_actions)


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except ValidationError as exc:
        raise_api_error(exc)


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = CharityFund
        fields = ["id", "county", "name", "organisation", "balance", "updated_at"]


class DonationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donation
        fields = ["id", "donor", "amount", "received_on", "restricted_use", "note", "created_at"]
        read_only_fields = ["id", "created_at"]


class GrantSerializer(serializers.ModelSerializer):
    household_name = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CharityGrant
        fields = ["id", "fund", "household", "household_name", "township", "village", "reason", "detail", "amount",
                  "status", "status_label", "referral", "proposed_by", "proposed_at", "decided_by", "decided_at",
                  "decision_note", "paid_on", "payment_reference"]
        read_only_fields = [f for f in fields if f not in ("household", "reason", "detail", "amount", "referral")]

    def get_household_name(self, obj) -> str:
        user = self.context["request"].user
        return f"{mask_name(obj.household.head_name)}户" if own_role(user) else str(obj.household)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class PaySerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=60)


class CharityFundViewSet(Guarded, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The county's special fund; `donations` and `grants` below it; grants are decided and paid by id."""

    read_actions = (Action.CHARITY_VIEW,)
    serializer_class = FundSerializer

    def get_queryset(self):
        return selectors.funds(user=self.request.user)

    def _grant(self, grant_pk):
        fund = self.get_object()
        return get_in_scope_or_404(CharityGrant.objects.filter(fund=fund), self.request.user, Action.CHARITY_VIEW,
                                   pk=grant_pk)

    @action(detail=True, methods=["get", "post"], serializer_class=DonationSerializer)
    def donations(self, request, pk=None):
        fund = self.get_object()
        if request.method == "GET":
            return Response(DonationSerializer(fund.donations.all()[:500], many=True).data)
        require_api(request, Action.CHARITY_APPROVE, refuse="只有县级民政部门或慈善组织可以登记捐赠")
        ser = DonationSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        donation = _call(funds.donation_record, actor=request.user, fund=fund, donor=d["donor"], amount=d["amount"],
                         received_on=d["received_on"], restricted_use=d.get("restricted_use", ""),
                         note=d.get("note", ""))
        return Response(DonationSerializer(donation).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"], serializer_class=GrantSerializer)
    def grants(self, request, pk=None):
        if request.method == "POST" and can(request.user, Action.CHARITY_PROPOSE):
            # the township proposes for a household of its own; the county's fund is not otherwise its to read
            fund = get_object_or_404(CharityFund.objects.all(), pk=pk)
        else:
            fund = self.get_object()
        if request.method == "GET":
            qs = selectors.grants(user=request.user).filter(fund=fund)[:500]
            return Response(GrantSerializer(qs, many=True, context={"request": request}).data)
        if not can(request.user, Action.CHARITY_PROPOSE):
            raise PermissionDenied("慈善资助须由乡镇提出")
        ser = GrantSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CHARITY_PROPOSE,
                                        pk=d["household"].pk)
        if household.county_id != fund.county_id:
            raise serializers.ValidationError({"household": "该家庭不属于本基金所在县"})
        referral = d.get("referral")
        grant = _call(funds.grant_propose, actor=request.user, household=household, reason=d["reason"],
                      detail=d["detail"], amount=d["amount"], referral=referral)
        return Response(GrantSerializer(grant, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path=r"grants/(?P<grant_pk>[0-9]+)/decide",
            serializer_class=DecideSerializer)
    def grant_decide(self, request, pk=None, grant_pk=None):
        grant = self._grant(grant_pk)
        require_api(request, Action.CHARITY_APPROVE, refuse="慈善资助须由县级民政部门或慈善组织审批")
        ser = DecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        grant = _call(funds.grant_decide, actor=request.user, grant=grant, **ser.validated_data)
        return Response(GrantSerializer(grant, context={"request": request}).data)

    @action(detail=True, methods=["post"], url_path=r"grants/(?P<grant_pk>[0-9]+)/pay", serializer_class=PaySerializer)
    def grant_pay(self, request, pk=None, grant_pk=None):
        grant = self._grant(grant_pk)
        require_api(request, Action.CHARITY_APPROVE, refuse="付款须由县级民政部门或慈善组织登记")
        ser = PaySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        grant = _call(funds.grant_pay, actor=request.user, grant=grant, **ser.validated_data)
        return Response(GrantSerializer(grant, context={"request": request}).data)


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "household", "source", "source_ref", "target", "fund", "society", "need", "amount_asked",
                  "due_on", "status", "outcome", "outcome_on", "created_at"]
        read_only_fields = ["id", "fund", "society", "due_on", "status", "outcome", "outcome_on", "created_at"]


class ReferralViewSet(Guarded, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    read_actions = (Action.CHARITY_VIEW,)
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return selectors.referrals(user=self.request.user, status=self.request.query_params.get("status", ""))

    def create(self, request, *args, **kwargs):
        require_api(request, Action.CHARITY_PROPOSE, refuse="转介须由乡镇经办人办理")
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CHARITY_PROPOSE,
                                        pk=d["household"].pk)
        referral = _call(referrals.referral_create, actor=request.user, household=household, source=d["source"],
                         target=d["target"], need=d["need"], amount_asked=d["amount_asked"],
                         source_ref=d.get("source_ref", ""))
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)


class SocietySerializer(serializers.ModelSerializer):
    class Meta:
        model = MutualAidSociety
        fields = ["id", "village", "township", "county", "name", "founded_on", "max_grant", "deciders", "rules",
                  "balance"]


class SocietyGrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocietyGrant
        fields = ["id", "household", "amount", "reason", "decided_on", "decision", "referral", "balance_after"]
        read_only_fields = ["id", "balance_after"]


class MutualAidSocietyViewSet(Guarded, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_actions = (Action.CHARITY_VIEW,)
    serializer_class = SocietySerializer

    def get_queryset(self):
        return selectors.societies(user=self.request.user)

    @action(detail=True, methods=["get", "post"], serializer_class=SocietyGrantSerializer)
    def grants(self, request, pk=None):
        society = self.get_object()
        if request.method == "GET":
            return Response(SocietyGrantSerializer(society.grants.all()[:500], many=True).data)
        require_api(request, Action.MUTUAL_AID_CHANGE, refuse="互助金由村（社区）或乡镇登记发放")
        ser = SocietyGrantSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.MUTUAL_AID_CHANGE,
                                        pk=d["household"].pk)
        grant = _call(mutual_aid.society_grant, actor=request.user, society=society, household=household,
                      amount=d["amount"], reason=d["reason"], decided_on=d["decided_on"], decision=d["decision"],
                      referral=d.get("referral"))
        return Response(SocietyGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def account(self, request, pk=None):
        """The public yearly account (masked names, no ID numbers); ?year=2026."""
        society = self.get_object()
        try:
            year = int(request.query_params.get("year", ""))
        except ValueError:
            year = society.updated_at.year
        a = selectors.society_public_account(society, year)
        return Response({
            "year": year, "opening": str(a.opening), "money_in": str(a.money_in), "in_kind": str(a.in_kind),
            "money_out": str(a.money_out), "closing": str(a.closing),
            "contributions": [{"contributor": n, "kind": k, "amount": str(v), "goods": g, "date": d}
                              for n, k, v, g, d in a.contributions],
            "grants": [{"household": f"{n}户", "amount": str(v), "reason": r, "date": d}
                       for n, v, r, d in a.grants]})


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "on", "way", "help_given", "value", "created_at"]
        read_only_fields = ["id", "created_at"]


class PairingSerializer(serializers.ModelSerializer):
    household_name = serializers.SerializerMethodField()
    helper_name = serializers.CharField(source="helper.name", read_only=True)

    class Meta:
        model = Pairing
        fields = ["id", "helper", "helper_name", "household", "household_name", "village", "start", "end", "goal"]
        read_only_fields = ["id", "village"]

    def get_household_name(self, obj) -> str:
        user = self.context["request"].user
        return f"{mask_name(obj.household.head_name)}户" if own_role(user) else str(obj.household)

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if own_role(self.context["request"].user):
            data.pop("household")  # helpers get masked names, never the household's id in the registry
        return data


class PairingViewSet(Guarded, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    read_actions = (Action.PAIRING_VIEW,)
    serializer_class = PairingSerializer

    def get_queryset(self):
        return selectors.pairings(user=self.request.user)

    def create(self, request, *args, **kwargs):
        require_api(request, Action.PAIRING_CHANGE, refuse="结对帮扶由乡镇安排")
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.PAIRING_CHANGE,
                                        pk=d["household"].pk)
        p = _call(pairing.pairing_create, actor=request.user, helper=d["helper"], household=household,
                  start=d["start"], end=d.get("end"), goal=d.get("goal", ""))
        return Response(self.get_serializer(p).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"], serializer_class=ContactSerializer)
    def contacts(self, request, pk=None):
        p = self.get_object()
        if request.method == "GET":
            return Response(ContactSerializer(selectors.contacts(user=request.user, pairing=p), many=True).data)
        require_api(request, Action.PAIRING_CONTACT, refuse="您无权登记联系记录")
        ser = ContactSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        c = _call(pairing.contact_log, actor=request.user, pairing=p, **ser.validated_data)
        return Response(ContactSerializer(c).data, status=status.HTTP_201_CREATED)


class ContractSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    prices = serializers.SerializerMethodField()
    budget_state = serializers.SerializerMethodField()

    class Meta:
        model = ServiceContract
        fields = ["id", "county", "provider", "provider_name", "number", "start", "end", "budget", "spent",
                  "budget_state", "prices"]

    def get_prices(self, obj) -> list[dict]:
        return [{"kind": p.kind, "unit": p.unit, "price": str(p.price)} for p in obj.prices.all()]

    def get_budget_state(self, obj) -> str:
        return selectors.budget_state(obj)


class ServiceContractViewSet(Guarded, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    read_actions = (Action.SERVICE_VIEW,)
    serializer_class = ContractSerializer

    def get_queryset(self):
        return selectors.contracts(user=self.request.user).prefetch_related("prices")


class ServiceRecordSerializer(serializers.ModelSerializer):
    order = serializers.PrimaryKeyRelatedField(queryset=ServiceOrder.objects.all())
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRecord
        fields = ["id", "order", "person_name", "on", "hours", "content", "staff_name", "confirmed_by",
                  "confirmer_name", "cost", "created_at"]
        read_only_fields = ["id", "cost", "created_at"]

    def get_person_name(self, obj) -> str:
        name = obj.order.person.name
        return mask_name(name) if own_role(self.context["request"].user) else name


class ServiceRecordViewSet(Guarded, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           viewsets.GenericViewSet):
    read_actions = (Action.SERVICE_VIEW,)
    serializer_class = ServiceRecordSerializer

    def get_queryset(self):
        return selectors.records(user=self.request.user)

    def create(self, request, *args, **kwargs):
        require_api(request, Action.SERVICE_RECORD, refuse="服务记录由服务机构或乡镇经办人登记")
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        order = get_in_scope_or_404(ServiceOrder.objects.all(), request.user, Action.SERVICE_RECORD,
                                    pk=d.pop("order").pk)
        record = _call(purchased.record_add, actor=request.user, order=order, **d)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)



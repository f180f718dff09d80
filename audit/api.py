"""Supervision API: spot-checks (create = open and sample, findings), the relative registry, complaints."""
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.scope import Action, can, get_in_scope_or_404, require_api
from audit import selectors, services, spotchecks
from audit.models import Complaint, SpotCheck, SpotCheckItem, StaffMember, StaffRelative
from cases.models import Household
from core.api import raise_api_error
from core.models import Region


class SpotCheckItemSerializer(serializers.ModelSerializer):
    application_number = serializers.CharField(source="application.number", read_only=True)

    class Meta:
        model = SpotCheckItem
        fields = ["id", "application", "application_number", "township", "stratum", "decision", "finding",
                  "finding_reason", "home_visit", "answer_due", "township_answer"]


class SpotCheckSerializer(serializers.ModelSerializer):
    month = serializers.DateField(help_text="该月任一日期，如 2026-10-01")
    items = SpotCheckItemSerializer(many=True, read_only=True)
    ratios = serializers.SerializerMethodField()

    class Meta:
        model = SpotCheck
        fields = ["id", "county", "month", "seed", "ratio", "relative_ratio", "population", "status", "items",
                  "ratios"]
        read_only_fields = ["county", "seed", "ratio", "relative_ratio", "population", "status"]

    def get_ratios(self, obj) -> list[dict]:
        return spotchecks.ratios(obj)


class SpotCheckFindingSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    finding = serializers.ChoiceField(choices=["correct", "wrong", "reinvestigate"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    home_visit = serializers.CharField(required=False, allow_blank=True, default="")


class SpotCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """County spot-checks. POST opens one for the reviewer's county and month and draws the sample;
    `POST {id}/findings/` records a finding for one sampled case."""

    serializer_class = SpotCheckSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SpotCheck.objects.none()
        user = self.request.user
        require_api(self.request, Action.SPOTCHECK_REVIEW, Action.SUPERVISION_VIEW)
        action_ = Action.SPOTCHECK_REVIEW if can(user, Action.SPOTCHECK_REVIEW) else Action.SUPERVISION_VIEW
        return SpotCheck.objects.restrict(user, action_).prefetch_related("items__application")

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        require_api(request, Action.SPOTCHECK_REVIEW)
        try:
            sc = spotchecks.spotcheck_open(actor=request.user, county=request.user.region,
                                           month=ser.validated_data["month"])
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(SpotCheckSerializer(sc).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SpotCheckFindingSerializer, responses=SpotCheckItemSerializer)
    @action(detail=True, methods=["post"], serializer_class=SpotCheckFindingSerializer)
    def findings(self, request, pk=None):
        sc = self.get_object()
        require_api(request, Action.SPOTCHECK_REVIEW, refuse="只有县级抽查员可以记录检查结论")
        ser = SpotCheckFindingSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        item = sc.items.filter(pk=ser.validated_data["item"]).first()
        if item is None:
            raise Http404
        try:
            spotchecks.finding_record(actor=request.user, item=item, finding=ser.validated_data["finding"],
                                      reason=ser.validated_data["reason"], home_visit=ser.validated_data["home_visit"])
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(SpotCheckItemSerializer(item).data)


class RelativeSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(write_only=True)

    class Meta:
        model = StaffRelative
        fields = ["id", "name", "relation", "id_number", "id_masked"]
        read_only_fields = ["id_masked"]


class StaffSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(write_only=True)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), write_only=True)
    relatives = RelativeSerializer(many=True, read_only=True)

    class Meta:
        model = StaffMember
        fields = ["id", "name", "id_number", "id_masked", "kind", "workplace", "position", "region", "county",
                  "township", "village", "active", "last_verified_at", "relatives"]
        read_only_fields = ["id_masked", "county", "township", "village", "active", "last_verified_at"]


class RelativeRegistryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                              viewsets.GenericViewSet):
    """近亲属备案: staff members and village cadres with their close relatives. `POST {id}/relatives/` adds one."""

    serializer_class = StaffSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StaffMember.objects.none()
        require_api(self.request, Action.SUPERVISION_VIEW)
        return selectors.staff_list(user=self.request.user).prefetch_related("relatives")

    def create(self, request, *args, **kwargs):
        if not can(request.user, Action.SUPERVISION_CHANGE):
            if can(request.user, Action.SUPERVISION_VIEW):
                self.permission_denied(request, message="您的角色只能查看近亲属备案，不能登记")
            raise Http404
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.staff_register(actor=self.request.user, **data)
        except ValidationError as exc:
            raise_api_error(exc)

    @extend_schema(request=RelativeSerializer, responses={201: RelativeSerializer})
    @action(detail=True, methods=["post"], serializer_class=RelativeSerializer)
    def relatives(self, request, pk=None):
        staff = self.get_object()
        require_api(request, Action.SUPERVISION_CHANGE, refuse="您的角色只能查看近亲属备案，不能登记")
        ser = RelativeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            rel = services.relative_add(actor=request.user, staff=staff, **ser.validated_data)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(RelativeSerializer(rel).data, status=status.HTTP_201_CREATED)


class ComplaintSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), write_only=True)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all(), required=False, allow_null=True)
    received_on = serializers.DateField(required=False)

    class Meta:
        model = Complaint
        fields = ["id", "number", "source", "received_on", "complainant_name", "phone", "phone_masked", "id_number",
                  "household", "category", "summary", "content", "region", "county", "township", "due_on", "status",
                  "result", "satisfied", "is_repeat", "counselling_referral", "transferred_to", "closed_on"]
        read_only_fields = ["number", "phone_masked", "county", "township", "due_on", "status", "result", "satisfied",
                            "is_repeat", "transferred_to", "closed_on"]


class CloseSerializer(serializers.Serializer):
    result = serializers.CharField()
    satisfied = serializers.BooleanField(allow_null=True, required=False, default=None)


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """信访/投诉举报 ledger in scope; `?status=open&overdue=1&repeat=1`; `POST {id}/close/`."""

    serializer_class = ComplaintSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        require_api(self.request, Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW)
        p = self.request.query_params
        return selectors.complaint_list(user=self.request.user, status=p.get("status", ""),
                                        only_overdue=p.get("overdue") == "1", only_repeat=p.get("repeat") == "1")

    def get_object(self):
        return selectors.complaint_detail(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not can(request.user, Action.COMPLAINT_HANDLE):
            if can(request.user, Action.SUPERVISION_VIEW):
                self.permission_denied(request, message="您的角色只能查看信访事项，不能登记")
            raise Http404
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        household = data.pop("household", None)
        if household is not None:
            household = get_in_scope_or_404(Household.objects.all(), self.request.user, Action.CASE_VIEW,
                                            pk=household.pk)
        try:
            serializer.instance = services.complaint_register(actor=self.request.user, household=household, **data)
        except ValidationError as exc:
            raise_api_error(exc)

    @extend_schema(request=CloseSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request, pk=None):
        c = self.get_object()
        require_api(request, Action.COMPLAINT_HANDLE, refuse="您的角色只能查看信访事项，不能办结")
        ser = CloseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            services.complaint_close(actor=request.user, complaint=c, **ser.validated_data)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(ComplaintSerializer(c).data)

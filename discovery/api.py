"""API of active discovery. Regions travel as codes ("village": "410823101200"); a village sees its own.

GET/POST /api/v1/grids/                 POST {"village", "name", "worker"?: user id, "worker_name"?, "worker_phone"?}
GET      /api/v1/grids/{id}/            with the worker history ("terms") and current households
POST     /api/v1/grids/{id}/assign/     {"household": id}  (moving a household keeps its history)
GET/POST /api/v1/visits/                POST {"household", "visited_on", "seen", "situations": [...], "note",
                                        "follow_up"}: a situation ticked opens a ledger record
GET/POST /api/v1/discovery/             ledger records; POST {"source", "need", "household"? | "village" +
                                        "subject_name", "found_on"?, "assistance"?, "due_date"?}
POST     /api/v1/discovery/{id}/close/  {"outcome", "note"}
POST     /api/v1/discovery/{id}/screening/ {"reason", "chosen": ["dibao", ...]} opens the applications (整件事)
Filters: ?village=<code>&status=open&overdue=1&source=visit
"""
from django.core.exceptions import ValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from accounts.scope import Action, get_in_scope_or_404, region_q, require_api
from cases.households.models import Household
from core.api import raise_api_error
from core.models import Region
from discovery import screening, selectors, services
from discovery.models import Grid, LedgerRecord, Situation, Visit


class _Place(serializers.ModelSerializer):
    county = serializers.CharField(source="county_id", read_only=True)
    township = serializers.CharField(source="township_id", read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)


class GridSerializer(_Place):
    households = serializers.SerializerMethodField()

    class Meta:
        model = Grid
        fields = ["id", "name", "county", "township", "village", "worker", "worker_name", "worker_phone", "note",
                  "households"]
        read_only_fields = fields

    def get_households(self, obj) -> int:
        return obj.memberships.filter(ended_on__isnull=True).count()


class GridDetailSerializer(GridSerializer):
    terms = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta(GridSerializer.Meta):
        fields = GridSerializer.Meta.fields + ["terms", "members"]
        read_only_fields = fields

    def get_terms(self, obj) -> list[dict]:
        return [{"worker": t.worker_id, "worker_name": t.worker_name, "started_on": t.started_on,
                 "ended_on": t.ended_on, "reason": t.reason} for t in obj.terms.all()]

    def get_members(self, obj) -> list[dict]:
        return [{"household": m.household_id, "started_on": m.started_on, "ended_on": m.ended_on}
                for m in obj.memberships.all()]


class GridCreateSerializer(serializers.Serializer):
    village = serializers.CharField()
    name = serializers.CharField(max_length=50)
    worker = serializers.IntegerField(required=False, allow_null=True)
    worker_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    worker_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AssignSerializer(serializers.Serializer):
    household = serializers.IntegerField()


def _village(user, code: str) -> Region:
    village = Region.objects.filter(region_q(user), code=code, level=Region.Level.VILLAGE).first()
    if village is None:
        raise ValidationError({"village": "村（社区）代码不存在或不在您的管辖范围内"})
    return village


class GridViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    def get_serializer_class(self):
        if self.action == "create":
            return GridCreateSerializer
        if self.action == "assign":
            return AssignSerializer
        return GridDetailSerializer if self.action == "retrieve" else GridSerializer

    def get_queryset(self):
        qs = Grid.objects.restrict(self.request.user, Action.CASE_VIEW).order_by("village_id", "name")
        if village := self.request.query_params.get("village", ""):
            qs = qs.filter(village_id=village)
        return qs

    def get_object(self):
        return get_in_scope_or_404(Grid.objects.all(), self.request.user, Action.CASE_VIEW, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        require_api(request, Action.DISCOVERY_LEDGER, refuse="只有村（社区）专干和乡镇经办人可以设立网格")
        data = GridCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            worker = User.objects.filter(pk=d["worker"]).first() if d.get("worker") else None
            grid = services.grid_create(actor=request.user, village=_village(request.user, d["village"]),
                                        name=d["name"], worker=worker, worker_name=d["worker_name"],
                                        worker_phone=d["worker_phone"], note=d["note"])
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(GridDetailSerializer(grid).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        grid = self.get_object()
        require_api(request, Action.DISCOVERY_LEDGER, refuse="只有村（社区）专干和乡镇经办人可以划分网格")
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW,
                                        pk=data.validated_data["household"])
        try:
            services.household_assign(actor=request.user, household=household, grid=grid)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(GridDetailSerializer(grid).data)


class DiscoveryVisitSerializer(_Place):
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    visitor_name = serializers.CharField(source="visitor.__str__", read_only=True)
    records = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "household", "head_name", "grid", "county", "township", "village", "visited_on", "visitor",
                  "visitor_name", "seen", "situations", "note", "records", "created_at"]
        read_only_fields = fields

    def get_records(self, obj) -> list[int]:
        return [r.pk for r in obj.records.all()]


class VisitCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    visited_on = serializers.DateField()
    seen = serializers.CharField(max_length=100)
    situations = serializers.ListField(child=serializers.ChoiceField(choices=Situation.choices), required=False,
                                       default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    follow_up = serializers.BooleanField(required=False, default=False)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    def get_serializer_class(self):
        return VisitCreateSerializer if self.action == "create" else DiscoveryVisitSerializer

    def get_queryset(self):
        p = self.request.query_params
        household = p.get("household", "")
        return selectors.visit_list(user=self.request.user, village=p.get("village", ""),
                                    household=int(household) if household.isdecimal() else None
                                    ).prefetch_related("records")

    def get_object(self):
        return get_in_scope_or_404(Visit.objects.select_related("household", "visitor"), self.request.user,
                                   Action.CASE_VIEW, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW, pk=d["household"])
        require_api(request, Action.DISCOVERY_VISIT, refuse="您的角色不能登记巡查走访")
        try:
            visit = services.visit_record(actor=request.user, household=household, visited_on=d["visited_on"],
                                          seen=d["seen"], situations=d["situations"], note=d["note"],
                                          follow_up=d["follow_up"])
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(DiscoveryVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class LedgerRecordSerializer(_Place):
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = LedgerRecord
        fields = ["id", "household", "subject_name", "county", "township", "village", "source", "source_label",
                  "source_ref", "visit", "found_on", "need", "assistance", "follow_up_by", "due_date", "overdue",
                  "status", "status_label", "outcome", "outcome_label", "outcome_note", "application", "closed_at"]
        read_only_fields = fields


class RecordCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=LedgerRecord.Source.choices)
    need = serializers.CharField(max_length=2000)
    household = serializers.IntegerField(required=False, allow_null=True)
    village = serializers.CharField(required=False, allow_blank=True, default="")
    subject_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    found_on = serializers.DateField(required=False)
    assistance = serializers.ListField(child=serializers.ChoiceField(choices=screening.CHECK_CHOICES),
                                       required=False, default=list)
    due_date = serializers.DateField(required=False)


class LedgerCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in LedgerRecord.Outcome.values if c])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ScreeningSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    chosen = serializers.ListField(child=serializers.ChoiceField(choices=screening.CHECK_CHOICES))
    household = serializers.IntegerField(required=False, help_text="未登记对象的记录：先登记家庭，再指定家庭ID")


class DiscoveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """The discovery ledger (工作台账) of the caller's reach."""

    def get_serializer_class(self):
        return {"create": RecordCreateSerializer, "close": LedgerCloseSerializer,
                "screening": ScreeningSerializer}.get(self.action, LedgerRecordSerializer)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.ledger_list(user=self.request.user, status=p.get("status", ""), source=p.get("source", ""),
                                     village=p.get("village", ""), overdue=p.get("overdue") == "1")

    def get_object(self):
        return get_in_scope_or_404(LedgerRecord.objects.select_related("visit", "household"), self.request.user,
                                   Action.CASE_VIEW, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        return super().list(request, *args, **kwargs)

    def _worker(self, request):
        require_api(request, Action.DISCOVERY_LEDGER, refuse="只有村（社区）专干和乡镇经办人可以办理工作台账")

    def create(self, request, *args, **kwargs):
        require_api(request, Action.CASE_VIEW)
        data = RecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW,
                                        pk=d["household"]) if d.get("household") else None
        self._worker(request)
        try:
            village = _village(request.user, d["village"]) if household is None else None
            record = services.record_create(actor=request.user, source=d["source"], need=d["need"],
                                            household=household, village=village, subject_name=d["subject_name"],
                                            found_on=d.get("found_on"), assistance=d["assistance"],
                                            due_date=d.get("due_date"))
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(LedgerRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        record = self.get_object()
        self._worker(request)
        data = LedgerCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.record_close(actor=request.user, record=record, **data.validated_data)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(LedgerRecordSerializer(record).data)

    @action(detail=True, methods=["post"])
    def screening(self, request, pk=None):
        record = self.get_object()
        self._worker(request)
        data = ScreeningSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        hid = record.household_id or d.get("household")
        household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW, pk=hid or 0)
        try:
            s = screening.screening_open(actor=request.user, household=household, reason=d["reason"],
                                         chosen=d["chosen"], record=record)
        except ValidationError as exc:
            raise_api_error(exc)
        record.refresh_from_db()
        return Response({"record": LedgerRecordSerializer(record).data, "opened": s.opened, "referrals": s.referrals,
                         "results": s.results})

"""/api/v1/comparison-runs/ (multipart upload; status and counts) and /api/v1/clues/ (with a finding action)."""
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.scope import Action, can, require_api
from core.api import raise_api_error
from monitoring import reader, selectors, services
from monitoring.models import Clue, ComparisonRun
from monitoring.sources import SOURCE_CHOICES


class RunSerializer(serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    county = serializers.CharField(source="county_id", read_only=True)
    stale = serializers.SerializerMethodField()

    class Meta:
        model = ComparisonRun
        fields = ["id", "county", "source", "source_label", "period", "file_name", "file_size", "status",
                  "status_label", "progress", "stage", "rows_read", "rows_valid", "rows_invalid", "rows_duplicate",
                  "rows_upgraded", "rows_matched", "rows_unregistered", "clues_created", "holds_placed", "attempts",
                  "error", "stale", "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def get_stale(self, run) -> bool:
        return services.run_is_stale(run)


class RunUploadSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=SOURCE_CHOICES)
    file = serializers.FileField()
    period = serializers.DateField(required=False, help_text="比对月份（任一日期，取当月）")


class ComparisonRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Comparison runs of the caller's county. POST multipart (source, file[, period]) queues a run;
    GET shows status, progress and counts; POST {id}/retry/ reruns (never duplicates clues)."""

    serializer_class = RunSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ComparisonRun.objects.none()
        require_api(self.request, Action.SUPERVISION_VIEW)
        return selectors.run_list(user=self.request.user, source=self.request.query_params.get("source", ""))

    def get_object(self):
        return selectors.run_detail(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": RunUploadSerializer}, responses={202: RunSerializer})
    def create(self, request, *args, **kwargs):
        if not can(request.user, Action.SUPERVISION_CHANGE):
            if can(request.user, Action.SUPERVISION_VIEW):
                self.permission_denied(request, message="您的角色只能查看比对结果，不能上传")
            raise Http404
        upload = RunUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        f = upload.validated_data["file"]
        try:
            run = services.run_create(actor=request.user, source=upload.validated_data["source"], file_name=f.name,
                                      data=reader.read_upload(f), period=upload.validated_data.get("period"))
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: RunSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        run = self.get_object()
        require_api(request, Action.SUPERVISION_CHANGE, refuse="您的角色不能重新执行比对")
        try:
            run = services.run_retry(actor=request.user, run=run)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class ClueSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="display_name", read_only=True,
                                        help_text="在册人员的姓名；未登记人员为部门数据中的姓名")
    id_masked = serializers.CharField(source="display_id_masked", read_only=True)
    unregistered = serializers.BooleanField(read_only=True, help_text="此人尚未在本系统登记（person、household 为空）")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    township = serializers.CharField(source="township_id", read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Clue
        fields = ["id", "run", "source", "kind", "kind_label", "person", "person_name", "id_masked", "unregistered",
                  "household", "township", "village", "summary", "event_date", "amount", "status", "status_label",
                  "due_date", "overdue", "hold", "followup", "finding", "deceased_on", "closed_at", "created_at"]
        read_only_fields = fields


class FindingSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField(help_text="true=属实, false=不属实")
    finding = serializers.CharField(help_text="核查情况；不属实须写明理由")
    deceased_on = serializers.DateField(required=False, allow_null=True, help_text="确认死亡时必填")


class ClueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Clues in the caller's scope (?status=open|confirmed|unfounded, ?kind=, ?overdue=1). POST {id}/finding/."""

    serializer_class = ClueSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clue.objects.none()
        p = self.request.query_params
        return selectors.clue_list(user=self.request.user, status=p.get("status", ""), kind=p.get("kind", ""),
                                   township=p.get("township", ""), overdue=p.get("overdue") == "1")

    def get_object(self):
        return selectors.clue_detail(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=FindingSerializer, responses=ClueSerializer)
    @action(detail=True, methods=["post"], serializer_class=FindingSerializer)
    def finding(self, request, pk=None):
        clue = self.get_object()
        require_api(request, Action.CASE_PROCESS, refuse="只有乡镇经办人可以填写核查结论")
        data = FindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            clue = services.clue_record_finding(actor=request.user, clue=clue, **data.validated_data)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(ClueSerializer(clue).data)

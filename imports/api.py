"""/api/v1/household-imports/: POST a file (multipart `file`, `dry_run`, optional `mode`) → 202 with the job;
GET the job: status, row counts, errors (sheet, row, column, masked value, reason) and the error-report link."""
from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.scope import Action, require_api
from core import uploads
from imports import services
from imports.models import HouseholdImport


class ImportErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()


class HouseholdImportSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    errors = serializers.SerializerMethodField()
    error_report = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdImport
        fields = ["id", "status", "status_label", "progress", "stage", "dry_run", "mode", "file_name", "file_size",
                  "rows_total", "rows_valid", "rows_done", "households_created", "households_updated",
                  "households_skipped", "persons_created", "error_count", "error", "errors", "error_report",
                  "created_ids", "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def get_errors(self, obj) -> list[dict]:
        return [{"sheet": s, "row": r, "column": c, "value": v, "reason": why} for s, r, c, v, why in obj.errors]

    def get_error_report(self, obj) -> str | None:
        if not obj.error_count:
            return None
        url = reverse("imports:error_report", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class HouseholdImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Household imports in the user's reach (the importer's township; the county sees its whole county)."""

    serializer_class = HouseholdImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    queryset = HouseholdImport.objects.none()  # for the schema; requests go through get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HouseholdImport.objects.none()
        require_api(self.request, Action.HOUSEHOLD_IMPORT)
        return HouseholdImport.objects.restrict(self.request.user, Action.HOUSEHOLD_IMPORT).defer("file_cipher")

    @extend_schema(request={"multipart/form-data": inline_serializer("HouseholdImportUpload", {
        "file": serializers.FileField(), "dry_run": serializers.BooleanField(required=False, default=False),
        "mode": serializers.ChoiceField(choices=HouseholdImport.Mode.choices, required=False)})},
        responses={202: HouseholdImportSerializer})
    def create(self, request, *args, **kwargs):
        require_api(request, Action.HOUSEHOLD_IMPORT)
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiValidationError({"file": ["请上传家庭成员文件"]})
        dry_run = str(request.data.get("dry_run", "false")).strip().lower() in ("1", "true", "yes", "on")
        mode = request.data.get("mode") or HouseholdImport.Mode.CREATE
        try:
            data = uploads.read_upload(upload, services.limits())
            job = services.import_request(actor=request.user, name=upload.name, data=data, dry_run=dry_run,
                                          mode=mode)
        except ValidationError as exc:
            raise ApiValidationError({"file": exc.messages}) from None
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=202)

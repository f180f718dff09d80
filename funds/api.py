"""API under /api/v1/: payment batches (list, detail, lines, transitions, export, bank results), price index."""
import datetime as dt
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.scope import Action, require_api
from core import uploads
from core.api import raise_api_error
from core.apifields import BodyRequiredSchema
from core.models import Region
from funds import bankjobs, bankresults, deadlines, exports, one_off, pricing, selectors, services
from funds.bankapi import BankResultJobSerializer
from funds.models import PaymentBatch, PaymentLine, PriceIndex


class BatchSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    number = serializers.CharField(read_only=True)

    class Meta:
        model = PaymentBatch
        fields = ["id", "number", "county", "county_name", "month", "kind", "sequence", "parent", "status",
                  "status_label", "price_rate", "line_count", "excluded_count", "total_amount", "drafted_at",
                  "finalised_at", "funds_requested_at", "transferred_at", "transfer_reference", "sent_at",
                  "result_imported_at", "closed_at"]


class BatchDetailSerializer(BatchSerializer):
    totals = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    class Meta(BatchSerializer.Meta):
        fields = BatchSerializer.Meta.fields + ["totals", "deadlines"]

    def get_totals(self, obj) -> list[dict]:
        return [{"category": t["category"], "label": t["label"], "households": t["households"],
                 "persons": t["persons"], "amount": str(t["amount"])} for t in selectors.category_totals(obj)]

    def get_deadlines(self, obj) -> list[dict]:
        return [{"step": s.step.key, "label": s.step.label, "due": s.due, "done_on": s.done_on, "state": s.state}
                for s in deadlines.states(obj, timezone.localdate())]


class LineSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = PaymentLine
        fields = ["id", "line_no", "household", "head_name", "township", "township_name", "village", "village_name",
                  "card_masked", "bank_name", "category", "basis", "persons_covered", "amount", "previous_amount",
                  "change", "excluded", "exclusion_reason", "bank_status", "bank_reason"]


class BatchTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=PaymentBatch.Status.choices)
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BatchCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["regular", "one_off"], default="regular",
                                   help_text="regular 月度批次（须 month）；one_off 临时救助一次性发放批次")
    month = serializers.DateField(required=False, help_text="月度批次的发放月份（该月1日）")

    def validate_month(self, value):
        if not dt.date(2000, 1, 1) <= value <= dt.date(2099, 12, 31):
            raise serializers.ValidationError("发放月份须在2000年至2099年之间")
        return value


@extend_schema_field({"type": "string", "pattern": r"^20\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])$",
                      "example": "2026-12-01"})
class BatchMonthField(serializers.DateField):
    """A date 2000-01-01 … 2099-12-28 as YYYY-MM-DD (any day of the month; the batch is the month's)."""


# Documentation only: the monthly batch needs its month (the view refuses a regular batch without one) ...
class RegularBatch(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["regular"], required=False, default="regular")
    month = BatchMonthField(help_text="发放月份，YYYY-MM-DD（按该日期所在月份生成，通常填该月1日）")


# ... and the county's one-off 临时救助 batch has none.
class OneOffBatch(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["one_off"], help_text="临时救助一次性发放批次")


# What create() accepts: exactly one of the two shapes (BatchCreateSerializer validates both).
BATCH_CREATE_REQUEST = PolymorphicProxySerializer(
    component_name="BatchCreate", serializers=[RegularBatch, OneOffBatch],
    resource_type_field_name=None)


class PaymentBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payment batches in the caller's county (the city sees all). Out of reach is 404.
    POST {"kind": "one_off"} drafts the county's one-off 临时救助 batch; {"kind": "regular", "month": ...} the
    monthly batch."""

    schema = BodyRequiredSchema()  # create() needs a body (no body: no month)

    def get_serializer_class(self):
        if self.action == "create":
            return BatchCreateSerializer
        return BatchDetailSerializer if self.action == "retrieve" else BatchSerializer

    @extend_schema(request=BATCH_CREATE_REQUEST, responses={201: BatchSerializer})
    def create(self, request, *args, **kwargs):
        require_api(request, Action.PAYMENT_PREPARE, refuse="只有县级民政部门可以生成发放批次")
        data = BatchCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        county = Region.objects.filter(code=request.user.county_code, level=Region.Level.COUNTY).first()
        try:
            if county is None:
                raise ValidationError("发放批次按县（市、区）生成")
            if d["kind"] == "one_off":
                batch = one_off.one_off_draft(actor=request.user, county=county)
            elif "month" not in d:
                raise ValidationError({"month": "请填写发放月份"})
            else:
                batch = services.batch_draft(actor=request.user, county=county, month=d["month"])
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(BatchSerializer(batch).data, status=201)

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.batch_list(user=self.request.user, status=p.get("status", ""))
        if p.get("month"):
            qs = qs.filter(month__startswith=p["month"][:7])
        return qs

    def get_object(self):
        return selectors.batch_detail(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require_api(request, Action.PAYMENT_VIEW)
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=LineSerializer(many=True))
    @action(detail=True)
    def lines(self, request, pk=None):
        batch = self.get_object()
        qs = selectors.batch_lines(user=request.user, batch=batch, view=request.query_params.get("view", "included"))
        page = self.paginate_queryset(qs.select_related("township", "village"))
        return self.get_paginated_response(LineSerializer(page, many=True).data)

    @extend_schema(request=BatchTransitionSerializer, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        batch = self.get_object()
        require_api(request, Action.PAYMENT_PREPARE, Action.PAYMENT_APPROVE, refuse="您的角色只能查看发放批次，不能变更其状态")
        data = BatchTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            batch = services.batch_transition(actor=request.user, batch=batch, **data.validated_data)
        except ValidationError as exc:
            raise_api_error(exc)
        return Response(BatchSerializer(batch).data)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    @action(detail=True)
    def export(self, request, pk=None):
        """The 一卡通 xlsx, written synchronously (pages use the background job for large counties)."""
        batch = self.get_object()
        require_api(request, Action.PAYMENT_PREPARE, Action.PAYMENT_APPROVE)
        if batch.status in (PaymentBatch.Status.DRAFT, PaymentBatch.Status.CANCELLED):
            raise ApiValidationError({"detail": ["草稿或已作废的批次不能导出发放文件，请先定稿"]})
        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
        tmp.close()
        rows = exports.write_payment_file(batch, tmp.name)
        services.export_downloaded(actor=request.user, batch=batch, rows=rows)
        handle = open(tmp.name, "rb")
        Path(tmp.name).unlink()  # the open handle keeps the data until the response is sent
        return FileResponse(handle, as_attachment=True, filename=f"payment-{batch.number}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @extend_schema(request={"multipart/form-data": inline_serializer("BankResultUpload", {"file": serializers.FileField()})},
                   responses={202: BankResultJobSerializer})
    @action(detail=True, methods=["post"], url_path="bank-result", parser_classes=[MultiPartParser, FormParser])
    def bank_result(self, request, pk=None):
        """Upload the bank's result file: size, type and header are checked at once (400 with `problems`);
        the file is then read and applied by a background job (202 with the job, see bank-result-jobs)."""
        batch = self.get_object()
        require_api(request, Action.PAYMENT_PREPARE, refuse="只有县级民政部门可以导入银行发放结果")
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiValidationError({"file": ["请上传银行返回的结果文件"]})
        try:
            data = uploads.read_upload(upload, bankresults.limits())
            job = bankjobs.bank_result_request(actor=request.user, batch=batch, name=upload.name, data=data)
        except ValidationError as exc:
            raise ApiValidationError({"problems": exc.messages}) from None
        job.refresh_from_db()
        return Response(BankResultJobSerializer(job).data, status=202)


class PriceIndexSerializer(serializers.ModelSerializer):
    linkage_rate = serializers.SerializerMethodField()

    class Meta:
        model = PriceIndex
        fields = ["id", "month", "cpi_yoy", "food_cpi_yoy", "linkage_rate", "entered_at"]
        read_only_fields = ["entered_at"]
        extra_kwargs = {"month": {"validators": []}}

    def get_linkage_rate(self, obj) -> str | None:
        rate = pricing.triggering_rate(obj.cpi_yoy, obj.food_cpi_yoy, obj.month)
        return str(rate) if rate is not None else None


class PriceIndexViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The city's monthly CPI and food CPI (year on year, %). Readable by payment roles; the city enters them."""

    serializer_class = PriceIndexSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PriceIndex.objects.none()
        require_api(self.request, Action.PAYMENT_VIEW, Action.PRICE_INDEX_CHANGE)
        return selectors.price_indices()

    def perform_create(self, serializer):
        d = serializer.validated_data
        try:
            serializer.instance = services.price_index_set(actor=self.request.user, month=d["month"],
                                                           cpi_yoy=d["cpi_yoy"], food_cpi_yoy=d["food_cpi_yoy"])
        except ValidationError as exc:
            raise_api_error(exc)

    def create(self, request, *args, **kwargs):
        require_api(request, Action.PAYMENT_VIEW, Action.PRICE_INDEX_CHANGE)
        require_api(request, Action.PRICE_INDEX_CHANGE, refuse="只有市级管理员可以录入价格指数")
        return super().create(request, *args, **kwargs)

"""Pages and API of the exchange with the provincial system: the monthly change file and the roster upload."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.scope import Action, can, require_api, require_page
from core.api import raise_api_error
from core.models import Region
from core.months import first_of_month
from monitoring import province, selectors, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw[:7]}-01") if raw else first_of_month(timezone.localdate())
    except ValueError:
        raise ValidationError({"month": "月份格式应为 YYYY-MM"}) from None


def _county(user, raw: str = "") -> Region:
    code = raw or user.region_id[:6]
    county = Region.objects.filter(code=code, level=Region.Level.COUNTY).first()
    if county is None and not raw and user.region.level == Region.Level.CITY:  # the city: its first county
        county = Region.objects.filter(level=Region.Level.COUNTY).order_by("code").first()
    if county is None or not (county.code.startswith(user.region_id) or user.region.level == Region.Level.CITY):
        raise ValidationError({"county": "请选择本辖区的县（市、区）"})
    return county


def _download(actor, county, month) -> HttpResponse:
    data, _ = province.change_file(actor=actor, county=county, month=month)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="province-changes-{county.code}-{month:%Y%m}.xlsx"'
    return response


@login_required
def exchange(request):
    """报省数据交换: the month's change file (download) and the province roster reconciliation runs."""
    require_page(request, Action.SUPERVISION_VIEW)
    error = ""
    try:
        month = _month(request.GET.get("month", ""))
        county = _county(request.user, request.GET.get("county", "")) if request.user.region.level != "city" \
            or request.GET.get("county") else None
    except ValidationError as exc:
        month, county, error = first_of_month(timezone.localdate()), None, "；".join(exc.messages)
    if county is not None and request.GET.get("download") and can(request.user, Action.SUPERVISION_CHANGE):
        return _download(request.user, county, month)
    counts = {}
    if county is not None:
        for kind, _ in province.changes_in(county.code, month):
            counts[kind] = counts.get(kind, 0) + 1
    runs = selectors.run_list(user=request.user, source="province")[:12]
    return render(request, "monitoring/province.html", {
        "month": month, "county": county, "counts": counts, "runs": runs, "layout": province.LAYOUT,
        "error": error, "can_download": can(request.user, Action.SUPERVISION_CHANGE),
        "counties": Region.objects.filter(level=Region.Level.COUNTY, code__startswith=request.user.region_id[:6])
        if request.user.region.level == "city" else [],
    })


class RosterSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="省社会救助管理系统在册名单（xlsx/csv）：户主身份证号码、救助类别、月救助金额")
    period = serializers.DateField(required=False)


# one summary object, not a list (the viewset's `list` is the county's summary of the month)
_CHANGES = extend_schema_serializer(many=False)(type(inline_serializer("ProvinceChanges", {
    "county": serializers.CharField(), "month": serializers.CharField(),
    "households": serializers.DictField(child=serializers.IntegerField()),
    "layout": serializers.ListField(child=serializers.DictField())})))


class ProvinceExchangeViewSet(viewsets.ViewSet):
    """/api/v1/province-exchange/?month=YYYY-MM&county=410823 — the month's change counts and file layout;
    `change-file/` the xlsx; `roster/` (POST multipart) uploads the province's roster for reconciliation
    (a comparison run of source `province`; its clues go to the townships)."""

    serializer_class = RosterSerializer

    @extend_schema(responses=_CHANGES)
    def list(self, request):
        require_api(request, Action.SUPERVISION_VIEW)
        try:
            month = _month(request.query_params.get("month", ""))
            county = _county(request.user, request.query_params.get("county", ""))
        except ValidationError as exc:
            raise_api_error(exc)
        counts = {"新增": 0, "变更": 0, "终止": 0}
        for kind, _ in province.changes_in(county.code, month):
            counts[kind] += 1
        return Response({"county": county.code, "month": f"{month:%Y-%m}", "households": counts,
                         "layout": [{"column": h, "content": d} for h, d in province.LAYOUT]})

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=False, url_path="change-file")
    def change_file(self, request):
        require_api(request, Action.SUPERVISION_CHANGE, refuse="只有县级民政部门可以下载报省变动名单")
        try:
            return _download(request.user, _county(request.user, request.query_params.get("county", "")),
                             _month(request.query_params.get("month", "")))
        except ValidationError as exc:
            raise_api_error(exc)

    @extend_schema(request={"multipart/form-data": RosterSerializer}, responses=inline_serializer(
        "RosterRun", {"run": serializers.IntegerField(), "status": serializers.CharField()}))
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def roster(self, request):
        require_api(request, Action.SUPERVISION_CHANGE, refuse="只有县级民政部门可以导入省名单")
        data = RosterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            run = services.run_create(actor=request.user, source="province", file_name=upload.name,
                                      data=upload.read(), period=data.validated_data.get("period"))
        except ValidationError as exc:
            raise_api_error(exc)
        return Response({"run": run.pk, "status": run.status}, status=status.HTTP_201_CREATED)

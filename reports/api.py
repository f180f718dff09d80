"""API under /api/v1/reports/: the aims (`aims/`) and the monthly statistics (`monthly/`) for `?region=CODE&month=
YYYY-MM`; `?format=xlsx` downloads the same as a spreadsheet (core.xlsx: streamed, scoped, audited)."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.scope import require_api
from core.replica import reporting
from core.xlsx import CONTENT_TYPE
from reports import monthly as monthly_report
from reports import selectors, views

PARAMS = [OpenApiParameter("region", OpenApiTypes.STR, description="区划代码（默认本人所属区划）"),
          OpenApiParameter("month", OpenApiTypes.STR, description="月份 YYYY-MM（默认本月）"),
          OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "xlsx"], description="xlsx：下载 Excel")]


class XlsxRenderer(BaseRenderer):
    """Lets `?format=xlsx` through content negotiation; the view answers with the file itself."""
    media_type = CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


RENDERERS = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]


# JSON, or the same report as a workbook with ?format=xlsx
RESPONSES = {(200, "application/json"): OpenApiTypes.OBJECT,
             (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY}

@extend_schema(parameters=PARAMS, responses=RESPONSES, summary="三个兜底指标")
@api_view(["GET"])
@renderer_classes(RENDERERS)
@reporting()  # reads may go to the read replica (core.replica)
def aims(request):
    require_api(request, *views.READERS)
    if request.accepted_renderer.format == "xlsx":
        return views.aims(_as_xlsx(request))
    region, month = views._context(request)
    data, computed_at = selectors.dashboard_cached(user=request.user, region=region, month=month)
    return Response({
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "month": f"{month:%Y-%m}", "computed_at": computed_at.isoformat(),
        "aims": [{"code": a["code"], "label": a["label"], "meaning": a["meaning"],
                  "indicators": [c.as_json() for c in a["cells"]]} for a in data],
    })


@extend_schema(parameters=PARAMS, responses=RESPONSES, summary="社会救助统计月报")
@api_view(["GET"])
@renderer_classes(RENDERERS)
@reporting()  # reads may go to the read replica (core.replica)
def monthly(request):
    require_api(request, *views.STATS_READERS)
    if request.accepted_renderer.format == "xlsx":
        return views.monthly(_as_xlsx(request))
    region, month = views._context(request)
    data = monthly_report.report(user=request.user, region=region, month=month)

    def money(v):
        return None if v is None else str(v)

    def figures(r):
        return {"households": r["households"], "persons": r["persons"], "amount": money(r["amount"]),
                "average": money(r["average"]), "new": r["new"], "exited": r["exited"],
                "amount_ytd": money(r["amount_ytd"]), "new_ytd": r["new_ytd"], "exited_ytd": r["exited_ytd"]}

    return Response({
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "month": f"{month:%Y-%m}",
        "rows": [{"region": r["place"].code, "region_name": r["place"].name, "category": r["category"],
                  "category_label": r["label"], **figures(r)} for r in data["rows"]],
        "totals": [{"category": t["category"], "category_label": t["label"], **figures(t)} for t in data["totals"]],
        "standards": [{"county": s["county"].code, "county_name": s["county"].name,
                       "urban": money(s["urban"].dibao_monthly) if s["urban"] else None,
                       "rural": money(s["rural"].dibao_monthly) if s["rural"] else None} for s in data["standards"]],
    })


def _as_xlsx(request):
    """The Django request behind the DRF one, with `format=xlsx` kept, for the page view's download."""
    django_request = request._request
    django_request.user = request.user
    return django_request

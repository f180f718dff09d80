"""The search page (`/search/?q=`) and its API twin (`/api/v1/search/?q=`)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from accounts.scope import Action, can, require_api, require_page
from jiuzhu import search as engine

READERS = (Action.CASE_VIEW, Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW, Action.PAYMENT_VIEW)


def may_search(user) -> bool:
    return any(can(user, a) for a in READERS)


@login_required
def search_page(request):
    require_page(request, *READERS)
    q = request.GET.get("q", "")
    groups = engine.search(request.user, q) if q.strip() else []
    return render(request, "search.html", {"q": q, "groups": groups, "searched": bool(q.strip()),
                                           "too_short": 0 < len(engine.normalize(q)) < 2})


_HIT = inline_serializer("SearchHit", {"title": serializers.CharField(), "detail": serializers.CharField(),
                                      "url": serializers.CharField()})
_GROUP = inline_serializer("SearchGroup", {"group": serializers.CharField(), "label": serializers.CharField(),
                                          "more": serializers.BooleanField(), "results": _HIT.__class__(many=True)})


@extend_schema(parameters=[OpenApiParameter("q", str, description="申请编号、身份证号码、姓名等")],
               responses=inline_serializer("SearchResult", {"q": serializers.CharField(),
                                                            "groups": _GROUP.__class__(many=True)}))
@api_view(["GET"])
def search_api(request):
    """Grouped results: [{group, label, more, results: [{title, detail, url}]}]; `q` as in the search box."""
    require_api(request, *READERS)
    return Response({"q": request.query_params.get("q", ""),
                     "groups": engine.as_json(engine.search(request.user, request.query_params.get("q", "")))})

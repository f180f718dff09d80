"""The search page (`/search/?q=`) and its API twin (`/api/v1/search/?q=`).

The search box posts: an ID number typed there must never land in a URL, the browser's history or the server's
access log (as on the household list). A GET with something that looks like an ID number is refused with a
message; a POST answers with the number masked in the box and `Cache-Control: no-store`."""
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from accounts.scope import Action, can, require_api, require_page
from core import idnumbers
from jiuzhu import search as engine

READERS = (Action.CASE_VIEW, Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW, Action.PAYMENT_VIEW)


def may_search(user) -> bool:
    return any(can(user, a) for a in READERS)


@login_required
def search_page(request):
    require_page(request, *READERS)
    posted = request.method == "POST"
    q = (request.POST if posted else request.GET).get("q", "")
    shown_q = q
    if looks_like_id_number(q):
        if not posted:
            messages.error(request, "身份证号码不能放在网址中查询。请在上方搜索框中输入后点击“搜索”（加密查询，不留痕于网址）。")
            q = shown_q = ""
        else:
            shown_q = idnumbers.mask(re.sub(r"[\s-]+", "", q).upper())
    groups = engine.search(request.user, q) if q.strip() else []
    response = render(request, "search.html", {"q": shown_q, "groups": groups, "searched": bool(q.strip()),
                                               "too_short": 0 < len(engine.normalize(q)) < 2})
    if posted:
        response["Cache-Control"] = "no-store"
    return response


def looks_like_id_number(q: str) -> bool:
    """Anything that may be (part of) a resident ID number: 15 or more digits/X after removing spaces."""
    return bool(re.search(r"\d{14}[\dXx]", re.sub(r"[\s-]+", "", q or "")))


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

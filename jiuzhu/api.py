"""API under /api/v1/. Each app registers its viewsets in `<app>/api_urls.py: register(router)` and may
add plain paths in `urlpatterns` there."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from core.registry import collect
from jiuzhu import search_views

router = DefaultRouter()
for register in collect("api_urls", "register"):
    register(router)

urlpatterns = [
    path("auth/token/", accounts_api.obtain_token, name="api_token"),
    path("me/", accounts_api.me, name="api_me"),
    path("search/", search_views.search_api, name="api_search"),
]
for extra in collect("api_urls", "urlpatterns"):
    urlpatterns += extra

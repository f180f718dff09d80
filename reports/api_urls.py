from django.urls import path

from reports import api


def register(router):
    pass


urlpatterns = [
    path("reports/aims/", api.aims, name="api_reports_aims"),
    path("reports/monthly/", api.monthly, name="api_reports_monthly"),
]

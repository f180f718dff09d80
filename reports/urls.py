from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("aims/", views.aims, name="aims"),
    path("aims/<slug:code>/", views.indicator, name="indicator"),
    path("monthly/", views.monthly, name="monthly"),
    path("charts/", views.charts, name="charts"),
    path("export/<slug:key>/", views.list_export, name="list_export"),
]

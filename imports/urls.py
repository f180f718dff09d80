from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("template/", views.template_download, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/cancel/", views.import_cancel, name="cancel"),
    path("<int:pk>/errors.xlsx", views.error_report, name="error_report"),
]

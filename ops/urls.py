from django.urls import path

from ops import views

app_name = "ops"
urlpatterns = [
    path("status/", views.system_status, name="status"),
]

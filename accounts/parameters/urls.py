"""The parameter and calendar pages. jiuzhu/urls.py includes them under the namespace "core" (their names,
core:param_list and so on, predate the move and stay)."""
from django.urls import path

from accounts.parameters import views

urlpatterns = [
    path("params/", views.param_list, name="param_list"),
    path("params/<str:key>/", views.param_edit, name="param_edit"),
    path("params/<str:key>/cancel/", views.param_cancel, name="param_cancel"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:day>/delete/", views.calendar_delete, name="calendar_delete"),
]

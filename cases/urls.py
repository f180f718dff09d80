from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/members/new/", views.person_add, name="person_add"),
    path("households/<int:pk>/<str:kind>/new/", views.item_add, name="item_add"),
    path("households/<int:pk>/<str:kind>/<int:item_id>/delete/", views.item_remove, name="item_remove"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/remove/", views.person_remove, name="person_remove"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
]

from cases.urls_support import urlpatterns as _support  # noqa: E402

urlpatterns += _support

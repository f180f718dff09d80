from django.urls import path

from cases import views, views_standards

app_name = "cases"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/phone/reveal/", views.household_reveal_phone, name="household_reveal_phone"),
    path("households/<int:pk>/members/new/", views.person_add, name="person_add"),
    path("households/<int:pk>/<str:kind>/new/", views.item_add, name="item_add"),
    path("households/<int:pk>/<str:kind>/<int:item_id>/delete/", views.item_remove, name="item_remove"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/remove/", views.person_remove, name="person_remove"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("standards/", views_standards.standard_list, name="standard_list"),
    path("standards/new/", views_standards.standard_add, name="standard_add"),
    path("standards/care/new/", views_standards.care_standard_add, name="care_standard_add"),
]

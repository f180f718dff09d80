from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("relatives/", views.relatives, name="relatives"),
    path("relatives/matches/", views.relative_matches, name="relative_matches"),
    path("relatives/new/", views.staff_create, name="staff_create"),
    path("relatives/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("relatives/<int:pk>/verify/", views.staff_verify, name="staff_verify"),
    path("relatives/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("relatives/relative/<int:pk>/remove/", views.relative_remove, name="relative_remove"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("spot-checks/", views.spotcheck_list, name="spotcheck_list"),
    path("spot-checks/answers/", views.spotcheck_answers, name="spotcheck_answers"),
    path("spot-checks/items/<int:pk>/", views.spotcheck_item, name="spotcheck_item"),
    path("spot-checks/<int:pk>/", views.spotcheck_detail, name="spotcheck_detail"),
]

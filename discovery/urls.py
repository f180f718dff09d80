from django.urls import path

from discovery import views

app_name = "discovery"
urlpatterns = [
    path("grids/", views.board, name="board"),
    path("grids/new/", views.grid_create, name="grid_create"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("assign/", views.assign, name="assign"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("ledger/", views.ledger_list, name="ledger_list"),
    path("ledger/new/", views.record_create, name="record_create"),
    path("ledger/<int:pk>/", views.record_detail, name="record_detail"),
    path("screening/<int:household_pk>/", views.screening_page, name="screening"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("intake-refusals/", views.refusal_list, name="refusal_list"),
    path("intake-refusals/new/<int:household_pk>/", views.refusal_create, name="refusal_create"),
]

from django.urls import path

from monitoring import province_views, views

app_name = "monitoring"
urlpatterns = [
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/status.json", views.run_status, name="run_status"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("clues/", views.clue_list, name="clue_list"),
    path("clues/summary/", views.clue_summary, name="clue_summary"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("population/", views.population, name="population"),
    path("province/", province_views.exchange, name="province"),
]

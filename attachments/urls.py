from django.urls import path

from attachments import views

app_name = "attachments"
urlpatterns = [
    path("", views.recent, name="list"),
    path("file/<int:pk>/", views.open_file, name="open"),
    path("file/<int:pk>/remove/", views.remove, name="remove"),
    path("<str:label>/<int:pk>/", views.owner_files, name="owner"),
    path("<str:label>/<int:pk>/received/", views.received, name="received"),
]

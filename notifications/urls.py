from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("templates/", views.templates, name="templates"),
    path("applications/<int:pk>/documents/", views.request_documents, name="request_documents"),
]

"""The public notice board, without login (/public/)."""
from django.urls import path

from cases.publicity import views as views_public

app_name = "public"


urlpatterns = [
    path("", views_public.public_index, name="index"),
    path("<str:code>/", views_public.public_village_page, name="village"),
]

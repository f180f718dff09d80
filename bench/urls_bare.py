"""Only the bare view (bench/wsgi_bare.py)."""
from django.urls import path

from bench import views

urlpatterns = [path("__bench/bare/", views.bare, name="bench_bare")]

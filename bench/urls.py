"""The project's URLs plus one bare view, used only while the benchmark runs (ROOT_URLCONF = bench.urls)."""
from django.urls import path

from bench import views
from jiuzhu.urls import handler403, handler404, handler500  # noqa: F401
from jiuzhu.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("__bench/bare/", views.bare, name="bench_bare"), *project_urlpatterns]

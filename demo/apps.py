from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and synthetic data (`seed_demo`, `seed_city`): stands above every product app; none imports it."""

    name = "demo"
    verbose_name = "演示数据"

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计分析"

    def ready(self):
        from core.indicators import register_targets
        from reports.registry import indicators

        register_targets(indicators())

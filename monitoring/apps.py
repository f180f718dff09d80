from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "低收入人口监测"

    def ready(self):
        from core import jobs
        from monitoring.models import ComparisonRun

        jobs.register(ComparisonRun)  # swept when its worker dies, counted by the health check

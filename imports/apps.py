from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "批量导入"

    def ready(self):
        from core import jobs
        from imports.models import HouseholdImport

        jobs.register(HouseholdImport)

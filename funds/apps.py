from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = "资金发放"

    def ready(self):
        from core import jobs
        from funds.models import BankResultJob, ExportJob

        jobs.register(ExportJob)  # swept when its worker dies, counted by the health check
        jobs.register(BankResultJob)

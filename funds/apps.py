from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = "资金发放"

    def ready(self):
        from core import jobs
        from funds.models import BankResultJob

        jobs.register(BankResultJob)

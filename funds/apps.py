from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = "资金发放"

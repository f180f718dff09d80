from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "系统运行"

    def ready(self):
        from ops import signals  # noqa: F401  (records the result of every task beat sent)

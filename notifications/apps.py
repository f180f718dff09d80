from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "短信通知"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The case timeline tells when an applicant is to hear something (decision, publicity start).
        from notifications import triggers

        triggers.connect()

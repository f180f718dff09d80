from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = "材料附件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The checklist and size parameters join the one parameter registry (city-editable, dated).
        from attachments import checklist

        checklist.register_params()

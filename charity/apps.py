from django.apps import AppConfig


class CharityConfig(AppConfig):
    name = "charity"
    verbose_name = "社会力量参与（慈善、互助、结对、购买服务）"

    def ready(self):
        # The household page (cases, a floor below) shows charity grants, society grants and the pairing beside
        # government aid through its panel hook.
        from charity import panels

        panels.register()

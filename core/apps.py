from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础"

    def ready(self):
        from core import checks, crypto  # noqa: F401  (registers the key check)

        # Known-answer tests of SM4 and SM3 before any personal data is touched (GB/T 39786).
        crypto.self_test()
        from django.conf import settings

        if settings.JIUZHU_REQUIRE_KEYS:
            from core import keys

            keys.get_keyring()  # raises ImproperlyConfigured when keys are missing or malformed

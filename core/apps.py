from django.apps import AppConfig
from django.conf import settings

from core import crypto, keys


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础"

    def ready(self):
        # checks: registers the key check (it reads core.models); workdays: a write of a calendar override sets
        # a new calendar version (signals)
        from core import checks, workdays  # noqa: F401

        # Known-answer tests of SM4 and SM3 before any personal data is touched (GB/T 39786).
        crypto.self_test()
        if settings.JIUZHU_REQUIRE_KEYS:
            keys.get_keyring()  # raises ImproperlyConfigured when keys are missing or malformed

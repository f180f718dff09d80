"""Production: everything secret from the environment; refuses to start without keys."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS, env_bool, env_int, env_str

DEBUG = False
# No demo data in production: without the demo app there is no `seed_demo` (demo users with a known password)
# and no `seed_city`. Nothing in the product imports it, so the site runs the same without it. A trial system
# that wants the demo data sets JIUZHU_DEMO=true for the one command that loads it.
if not env_bool("JIUZHU_DEMO", False):
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "demo"]
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("local-only"):
    raise ImproperlyConfigured("生产环境必须通过 DJANGO_SECRET_KEY 提供密钥")
JIUZHU_REQUIRE_KEYS = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # container and load-balancer health checks speak plain HTTP
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")
application = get_wsgi_application()

# Refuse to serve with keys that do not fit the database (wrong or replaced key: core.keycheck).
from core import keycheck  # noqa: E402

keycheck.verify()

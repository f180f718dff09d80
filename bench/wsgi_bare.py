"""The bare app for `python -m bench serve`: the same Django, database and table, one view (bench.views.bare),
no middleware, no session, no authentication — served by the same gunicorn as the real site."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
settings.MIDDLEWARE = []
settings.ROOT_URLCONF = "bench.urls_bare"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

"""Local development and `make run`: SQLite and the filesystem broker unless the environment says otherwise.

DEBUG only when DJANGO_DEBUG=1 is set explicitly: `make run` serves the Chinese 403/404/500 pages (never
Django's debug page with the URL map and stack traces); static files come from WhiteNoise after
`collectstatic`, as in production.
"""
from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)

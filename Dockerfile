# jiuzhu application image: one image for the web (gunicorn), worker and beat services of docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=jiuzhu.settings.production

WORKDIR /app
# pg_dump / pg_restore (PostgreSQL 15, as the db service) for `manage.py backup` and `restore`
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected into the image (served by WhiteNoise). Production settings refuse to load
# without a secret and keys, so this build step gets throwaway ones that are not kept in the image.
RUN DJANGO_SECRET_KEY=build-only-collectstatic \
    JIUZHU_KEYS="$(python -c 'import json, secrets; print(json.dumps({"enc": {"1": secrets.token_hex(16)}, "current": 1, "index": secrets.token_hex(32)}))')" \
    python manage.py collectstatic --noinput -v 0 \
 && useradd --system --home /app jiuzhu \
 && mkdir -p /app/media /app/backups && chown jiuzhu /app/media /app/backups

USER jiuzhu
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn jiuzhu.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 60 --access-logfile -"]

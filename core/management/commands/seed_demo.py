"""Load demo data for every role. Idempotent: each app's `demo.seed()` skips what already exists.

Apps contribute by defining `<app>/demo.py` with `seed(stdout) -> None`; they run in INSTALLED_APPS order,
so lower floors (regions, users, households) exist before higher ones (payments, supervision).
"""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo users (password jiuzhu-demo-2026) and synthetic households; safe to run again."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            name = f"{config.name}.demo"
            if find_spec(config.name) and find_spec(name) is not None:
                import_module(name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

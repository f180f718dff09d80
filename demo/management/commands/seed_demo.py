"""Load demo data for every role. Idempotent: each part's `seed(stdout)` skips what already exists.

The parts run from the ground floor up, so regions' users and households exist before payments,
comparisons and supervision.
"""
from django.core.management.base import BaseCommand

from demo import (
    aims,
    attachments,
    charity,
    comparisons,
    households,
    imports,
    lowincome,
    notifications,
    payments,
    supervision,
    users,
)
from demo import discovery as discovery_demo

PARTS = (users, households, payments, comparisons, supervision, lowincome, imports, attachments, notifications,
         discovery_demo, charity, aims)


class Command(BaseCommand):
    help = "Create the demo users (password jiuzhu-demo-2026) and synthetic households; safe to run again."

    def handle(self, *args, **options):
        for part in PARTS:
            part.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

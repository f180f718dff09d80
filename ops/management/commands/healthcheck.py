import json

from django.core.management.base import BaseCommand, CommandError

from ops import health


class Command(BaseCommand):
    help = "健康检查（与 /healthz/ 相同），用于容器健康检查：--part 只检查指定部件；异常时退出码非零。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--part", action="append", choices=health.PARTS, help="只检查这些部件（可重复）")

    def handle(self, *args, **options):
        result = health.check()
        parts = options.get("part") or list(health.PARTS)
        failing = [p for p in parts if not result[p]["ok"]]
        self.stdout.write(json.dumps({p: result[p] for p in parts}, ensure_ascii=False, default=str))
        if failing:
            raise CommandError("异常：" + ", ".join(failing))

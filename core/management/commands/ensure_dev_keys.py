from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core import keys


class Command(BaseCommand):
    help = "Create a local development key file (git-ignored) if none exists. Never used in production."
    # The key check (jiuzhu.E001) refuses to start without a key file: this command is what creates it.
    requires_system_checks = []

    def handle(self, *args, **options):
        if settings.JIUZHU_KEYS_JSON:
            self.stdout.write("密钥由环境变量 JIUZHU_KEYS 提供，无需生成。")
            return
        path = Path(settings.JIUZHU_KEY_FILE)
        if path.exists():
            self.stdout.write(f"已存在开发密钥 {path}")
            return
        keys.write_keyfile(path, keys.new_keyfile_content())
        self.stdout.write(self.style.SUCCESS(f"已生成开发密钥 {path}（请勿提交到代码库）"))

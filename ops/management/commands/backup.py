from django.core.management.base import BaseCommand, CommandError

from ops import backup


class Command(BaseCommand):
    help = ("一个加密备份文件：数据库一致性转储（PostgreSQL pg_dump -Fc / SQLite 在线备份）、密钥文件、"
            "含行数和校验和的清单。默认写入 JIUZHU_BACKUP_DIR（backups/）。")

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件路径（默认 backups/jiuzhu-backup-<时间>.jzbk）")
        parser.add_argument("--prune", action="store_true", help="同时删除超过保留天数（参数 ops.backup_retention_days）的备份")

    def handle(self, *args, **options):
        try:
            result = backup.create(options.get("output"))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        self.stdout.write(f"已写入备份 {result.path}（{result.path.stat().st_size // 1024} KB）："
                          f"{m['engine']}，{len(m['tables'])} 张表，共 {m['rows']} 行")
        if options["prune"]:
            removed = backup.prune()
            self.stdout.write(f"已删除 {len(removed)} 个过期备份")

from django.core.management.base import BaseCommand, CommandError

from ops import backup


class Command(BaseCommand):
    help = ("把备份文件恢复到 DATABASE_URL 指向的空数据库（不是空的则拒绝），恢复密钥文件，"
            "然后核对每张表的行数，并检查每个加密字段能否解密。")
    # The target is empty: the startup checks (key check values, enrolled into the database) must not touch it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（.jzbk）")
        parser.add_argument("--keys-to", help="把备份中的密钥写到此文件（默认 JIUZHU_KEY_FILE；已存在且不同则拒绝）")

    def handle(self, *args, **options):
        try:
            result = backup.restore(options["file"], keys_to=options.get("keys_to"))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        for note in result.notes:
            self.stdout.write(note)
        if result.problems:
            raise CommandError("恢复后核对不一致：\n" + "\n".join(result.problems))
        self.stdout.write(f"已恢复 {m['created_at']} 的备份：{len(m['tables'])} 张表共 {m['rows']} 行，行数一致；"
                          f"{m.get('sealed_checked', 0)} 个加密字段均可解密")

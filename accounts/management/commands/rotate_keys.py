"""Rotate the personal-data keys and re-encrypt in batches. The security administrator's action, audited.

    manage.py rotate_keys --actor shi_anquan --new-key          # new SM4 version, then re-encrypt
    manage.py rotate_keys --actor shi_anquan --new-index-key    # new blind-index key, then re-index
    manage.py rotate_keys --actor shi_anquan                    # resume / finish an interrupted run
    manage.py rotate_keys --status                              # rows per key version, nothing changed

Safe to interrupt (Ctrl-C) and run again: rows already on the current versions are skipped.
With JIUZHU_KEYS (environment) the new key version is added in the key store first; this command
then re-encrypts to whatever version is current.
"""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.scope import Action, can
from core import audit, keycheck, keys, rotation


class Command(BaseCommand):
    help = "轮换个人信息加密密钥/盲索引密钥，并分批重新加密（可中断、可重跑）。须由安全管理员执行。"

    def add_arguments(self, parser):
        parser.add_argument("--actor", help="执行轮换的安全管理员用户名（记入审计日志）")
        parser.add_argument("--new-key", action="store_true", help="生成新版本 SM4 数据加密密钥并设为当前版本")
        parser.add_argument("--new-index-key", action="store_true", help="生成新版本盲索引密钥并设为当前版本")
        parser.add_argument("--batch", type=int, default=500, help="每批行数（默认500）")
        parser.add_argument("--status", action="store_true", help="只显示各版本行数，不做修改")

    def handle(self, *args, **opts):
        if opts["status"]:
            self._print_status()
            return
        actor = self._actor(opts["actor"])
        try:
            if opts["new_key"]:
                version = keys.add_enc_version()
                audit.record(actor=actor, action="keys.add_version", category=audit.Category.SECURITY,
                             object_type="core.keycheck", object_repr=f"SM4 数据加密密钥 第{version}版",
                             after={"kind": "enc", "version": version}, region=("", "", ""))
                self.stdout.write(f"已生成第 {version} 版数据加密密钥并设为当前版本。")
            if opts["new_index_key"]:
                version = keys.add_index_version()
                audit.record(actor=actor, action="keys.add_version", category=audit.Category.SECURITY,
                             object_type="core.keycheck", object_repr=f"盲索引密钥 第{version}版",
                             after={"kind": "index", "version": version}, region=("", "", ""))
                self.stdout.write(f"已生成第 {version} 版盲索引密钥并设为当前版本。")
            keycheck.verify()  # enrols new versions; refuses keys that do not fit the database
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        ring = keys.get_keyring()
        audit.record(actor=actor, action="keys.rotation_start", category=audit.Category.SECURITY,
                     object_type="core.keycheck", object_repr="重新加密",
                     after={"enc_version": ring.current, "index_version": ring.index_current}, region=("", "", ""))
        self.stdout.write(f"重新加密到数据密钥第 {ring.current} 版、盲索引密钥第 {ring.index_current} 版……")
        results = rotation.rotate_all(batch=max(1, opts["batch"]), out=self.stdout.write)
        summary = {p.model: {"done": p.done, "locked": p.skipped_locked, "errors": len(p.errors)} for p in results}
        errors = [e for p in results for e in p.errors]
        audit.record(actor=actor, action="keys.rotation_done" if not errors else "keys.rotation_errors",
                     category=audit.Category.SECURITY, object_type="core.keycheck", object_repr="重新加密",
                     after=summary, region=("", "", ""))
        for p in results:
            self.stdout.write(f"{p.model}: 重新加密 {p.done} 行" + (
                f"，{p.skipped_locked} 行正被修改已跳过（稍后重跑本命令即可）" if p.skipped_locked else ""))
        if errors:
            for e in errors[:50]:
                self.stderr.write(e)
            raise CommandError(f"{len(errors)} 行无法解密（数据损坏或密钥缺失），其余已完成；请核查后重跑")
        self.stdout.write(self.style.SUCCESS("完成。"))

    def _actor(self, username):
        if not username:
            raise CommandError("请用 --actor 指定执行轮换的安全管理员用户名")
        user = User.objects.filter(username=username).first()
        if user is None or not can(user, Action.SECURITY_MANAGE):
            raise CommandError("密钥轮换只能由在职的安全管理员执行")
        return user

    def _print_status(self):
        ring = keys.get_keyring()
        self.stdout.write(f"当前数据加密密钥第 {ring.current} 版，盲索引密钥第 {ring.index_current} 版")
        for row in rotation.status():
            versions = "，".join(f"第{v}版 {n} 行" for v, n in row["by_version"].items()) or "无数据"
            self.stdout.write(f"{row['name']}（{row['label']}）：{versions}；待处理 {row['pending']} 行")
            for column, counts in row["indexes"].items():
                self.stdout.write(f"  {column}：" + "，".join(f"第{v}版 {n} 行" for v, n in counts.items()))

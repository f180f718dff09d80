"""Provision one of the three administrators (三权分立) on the server; never through the web pages.

    manage.py create_admin_account --role audit_admin --username shenji_li --full-name "审计管理员 李某"

Prints a one-time password that must be changed at first login. Audited (actor: the server).
"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import ADMIN_ROLES
from core.models import Region


class Command(BaseCommand):
    help = "在服务器上创建系统/安全/审计管理员账号（一次性密码，首次登录须修改）"

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=sorted(r.value for r in ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")

    def handle(self, *args, **opts):
        city = Region.objects.filter(level=Region.Level.CITY).first()
        temp = services.temp_password()
        try:
            user = services.user_create(actor=None, username=opts["username"], password=temp,
                                        role=opts["role"], region=city, full_name=opts["full_name"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已创建 {user.username}（{user.role_label}），一次性密码：{temp}（首次登录须修改）")

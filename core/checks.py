"""System checks (`manage.py check`, runserver, migrate): the loaded keys must fit the database."""
from django.apps import apps
from django.conf import settings
from django.core import checks

from core import keycheck


@checks.register(checks.Tags.security)
def keys_match_database(app_configs=None, databases=None, **kwargs):
    return [checks.Error(text, id="jiuzhu.E001", hint="检查 JIUZHU_KEY_FILE / JIUZHU_KEYS 是否为本系统的密钥；"
                         "开发环境若重新生成了密钥，请 make clean-run 重建演示数据库")
            for text in keycheck.problems()]


@checks.register(checks.Tags.security, deploy=True)
def no_demo_data_in_production(app_configs=None, **kwargs):
    """`check --deploy`: the demo app (JIUZHU_DEMO=true) belongs on a trial system only."""
    if apps.is_installed("demo") and not settings.DEBUG:
        return [checks.Warning("已安装演示数据应用（demo）：seed_demo 会创建使用公开密码的演示账号",
                               id="jiuzhu.W010", hint="仅试用系统设置 JIUZHU_DEMO=true；正式系统不要设置")]
    return []

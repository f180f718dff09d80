"""System checks (`manage.py check`, runserver, migrate): the loaded keys must fit the database."""
from django.core import checks

from core import keycheck


@checks.register(checks.Tags.security)
def keys_match_database(app_configs=None, databases=None, **kwargs):
    return [checks.Error(text, id="jiuzhu.E001", hint="检查 JIUZHU_KEY_FILE / JIUZHU_KEYS 是否为本系统的密钥；"
                         "开发环境若重新生成了密钥，请 make clean-run 重建演示数据库")
            for text in keycheck.problems()]

"""Demo users, one per role, in real Jiaozuo divisions. Password: jiuzhu-demo-2026."""
from django.utils import timezone

from accounts.models import Role, User
from core.models import Region

DEMO_PASSWORD = "jiuzhu-demo-2026"

DEMO_USERS = [
    ("shi_admin", Role.CITY_ADMIN, "410800", "市级管理员 周明"),
    ("wuzhi_minzheng", Role.COUNTY_OFFICER, "410823", "武陟县民政局 王建国"),
    ("wuzhi_choucha", Role.COUNTY_REVIEWER, "410823", "武陟县抽查员 李红"),
    ("wuzhi_caizheng", Role.FINANCE_OFFICER, "410823", "武陟县财政局 赵敏"),
    ("zhandian_jingban", Role.TOWNSHIP_CASEWORKER, "410823101", "詹店镇经办 刘洋"),
    ("zhandian_shenpi", Role.TOWNSHIP_LEADER, "410823101", "詹店镇审批 陈刚"),
    ("heying_cun", Role.VILLAGE_STAFF, "410823101200", "何营东村专干 杨丽"),
    ("heying_wangge", Role.GRID_WORKER, "410823101200", "何营东村网格员 马强"),
    ("xitao_jingban", Role.TOWNSHIP_CASEWORKER, "410823102", "西陶镇经办 张伟"),
    ("wenxian_minzheng", Role.COUNTY_OFFICER, "410825", "温县民政局 孙磊"),
    ("xiangyun_jingban", Role.TOWNSHIP_CASEWORKER, "410825101", "祥云镇经办 吴静"),
    ("shi_xitong", Role.SYSTEM_ADMIN, "410800", "系统管理员"),
    ("shi_anquan", Role.SECURITY_ADMIN, "410800", "安全管理员"),
    ("shi_shenji", Role.AUDIT_ADMIN, "410800", "审计管理员"),
    # social forces (§8, §10): each sees only their own fund, orders or pairings (linked by demo/charity.py)
    ("wuzhi_cishan", Role.CHARITY_STAFF, "410823", "武陟县慈善总会 郭芳"),
    ("wuzhi_fuwu", Role.PROVIDER_STAFF, "410823", "武陟县康养服务中心 马丽"),
    ("zhandian_bangfu", Role.HELPER, "410823101", "詹店镇帮扶干部 秦勇"),
]


def seed(stdout) -> None:
    created = 0
    for username, role, code, full_name in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, role=role, region=Region.objects.get(code=code), full_name=full_name,
                    password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        created += 1
    stdout.write(f"演示用户：新建 {created} 个，共 {len(DEMO_USERS)} 个，密码 {DEMO_PASSWORD}")

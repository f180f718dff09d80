"""Demo comparisons for 武陟县: a 公安 death file, a 车管 vehicle file and a 残联 certificate file with real-sheet
quirks, run at once, one clue already closed, and twelve months of population counts. Idempotent."""
import csv
import io
import random

from django.utils import timezone

from accounts.models import User
from cases.models import Person
from core.idnumbers import check_digit
from core.months import add_months
from monitoring import services
from monitoring.models import Clue, ComparisonRun


def _ids_of(persons):
    return [(p.name, p.reveal_id_number()) for p in persons]


def seed(stdout) -> None:
    officer = User.objects.filter(username="wuzhi_minzheng").first()
    caseworker = User.objects.filter(username="zhandian_jingban").first()
    if officer is None or ComparisonRun.objects.exists():
        stdout.write("数据比对演示数据已存在或缺少演示用户，跳过。")
        return
    rng = random.Random(7)
    paid = list(Person.objects.filter(
        county_id="410823", household__entitlements__category__in=["dibao", "tekun_dispersed", "tekun_central"],
        household__entitlements__status="active").order_by("id")[:400])
    if len(paid) < 40:
        stdout.write("演示家庭不足，跳过数据比对演示。")
        return
    dead = rng.sample(paid, 6)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["武陟县公安局户籍死亡注销人员名单（2026年10月）"])
    w.writerow(["序号", "姓名", "公民身份号码", "死亡日期", "注销原因"])
    for i, (name, idn) in enumerate(_ids_of(dead), start=1):
        w.writerow([i, name, (idn[:-1] + idn[-1].lower()) if i % 2 else f" {idn} ", f"2026-10-{i + 2:02d}", "死亡"])
    w.writerow([7, "王某", "41082319650301", "2026-10-09", "死亡"])
    w.writerow([8, dead[0].name, dead[0].reveal_id_number(), "2026-10-03", "死亡"])
    run = services.run_create(actor=officer, source="death_police", file_name="武陟县10月死亡注销名单.csv",
                              data=buf.getvalue().encode("gb18030"), enqueue=False,
                              period=timezone.localdate())
    services.run_execute(run.pk)

    owners = rng.sample([p for p in paid if p not in dead], 8)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["所有人", "所有人身份证号码", "号牌号码", "车辆类型", "初次登记日期"])
    for i, (name, idn) in enumerate(_ids_of(owners)):
        w.writerow([name, idn, f"豫H{rng.randrange(10000, 99999)}", "小型轿车" if i % 4 else "残疾人专用小型自动挡载客汽车",
                    f"2026-0{i % 9 + 1}-15"])
    run = services.run_create(actor=officer, source="vehicle", file_name="车管所机动车登记比对.csv",
                              data=buf.getvalue().encode("utf-8-sig"), enqueue=False, period=timezone.localdate())
    services.run_execute(run.pk)

    # 残联: severe certificates of registered people outside 低保/特困 (主动发现 clues) and of two people the
    # system has never seen — one in a village the file names (a 主动发现 clue for 詹店镇), one with an address
    # the county must resolve (listed on the run as 未登记) — plus a mild grade (nothing)
    outside = list(Person.objects.filter(county_id="410823", township_id="410823101", deceased_on__isnull=True)
                   .exclude(household__entitlements__status="active").order_by("id")[:2])
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["武陟县残联残疾人证核发名单（2026年10月）"])
    w.writerow(["持证人姓名", "持证人身份证号码", "残疾类别", "残疾等级", "残疾人证号", "发证日期", "乡镇", "村"])
    for i, (name, idn) in enumerate(_ids_of(outside)):
        w.writerow([name, idn, "肢体" if i else "精神", "二级" if i else "一级", f"41082319{i:02d}", "2026-10-12",
                    "詹店镇", ""])
    places = [("詹店镇", "何营东村"), ("", "城关"), ("詹店镇", "何营东村")]
    for i, name in enumerate(["韩某英", "曹某林", "蒋某"]):
        first17 = f"410823{1950 + 9 * i}{3 + i:02d}{11 + i:02d}{rng.randrange(100, 999)}"
        w.writerow([name, first17 + check_digit(first17), ["视力", "智力", "听力"][i], ["一级", "二级", "四级"][i],
                    f"4108232{i:02d}", "2026-10-20", *places[i]])
    run = services.run_create(actor=officer, source="disability", file_name="残联10月新办残疾人证.csv",
                              data=buf.getvalue().encode("utf-8-sig"), enqueue=False, period=timezone.localdate())
    services.run_execute(run.pk)

    first = Clue.objects.filter(kind="property", township_id="410823101").order_by("id").first()
    if first and caseworker:
        services.clue_record_finding(actor=caseworker, clue=first, confirmed=False,
                                     finding="入户核实：车辆已于2026年8月过户给他人，提供了过户登记证明")
    today = timezone.localdate().replace(day=1)
    months = 0
    for back in range(11, -1, -1):
        month = add_months(today, -back)
        services.snapshot_build(month=month)
        months += 1
    stdout.write(f"数据比对演示：3 次比对，{Clue.objects.count()} 条线索，{months} 个月的低收入人口统计。")

"""Demo household imports for 詹店镇 (by its caseworker): one that went in (20 new households of synthetic
people with 低保 for some), one refused with its errors listed, one dry run. Idempotent."""
import datetime as dt
import io
import random

from accounts.models import User
from cases.models import Person
from core.idnumbers import check_digit
from core.models import Region
from demo import synthetic
from imports import columns, services
from imports.models import HouseholdImport


def _xlsx(rows) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet("家庭成员")
    for r, values in enumerate([[c.label for c in columns.COLUMNS], *rows]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, str(value))
    book.close()
    return buf.getvalue()


def _rows(rng, ids, villages, count, prefix):
    today = dt.date.today()
    rows = []
    for n in range(count):
        village = villages[n % len(villages)]
        size = rng.choice((1, 2, 3, 3, 4))
        hukou = rng.choice(("城市", "农村"))
        entitled = rng.random() < 0.5
        for i in range(size):
            age = rng.randint(30, 80) if i == 0 else rng.randint(2, 60)
            sex = rng.choice("MF")
            ident = ids.make("410823", dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)), sex)
            first = i == 0 and entitled
            rows.append([f"{prefix}{n + 1:03d}", "詹店镇", village.short_name, f"{village.short_name}{n % 6 + 1}组",
                         hukou, synthetic.name(rng), ident, "户主" if i == 0 else ("配偶" if i == 1 else "子女"),
                         "", "", "", "", rng.choice(("有劳动能力", "部分丧失劳动能力", "无劳动能力")), "",
                         "低保" if first else "", f"{rng.randint(300, 1200)}.00" if first else "",
                         "2025-07" if first else "", str(size) if first else ""])
    return rows


def seed(stdout) -> None:
    caseworker = User.objects.filter(username="zhandian_jingban").first()
    if caseworker is None or HouseholdImport.objects.exists():
        stdout.write("批量导入演示数据已存在或缺少演示用户，跳过。")
        return
    rng = random.Random(19)
    ids = synthetic.IdFactory(rng)
    ids.used.update(p.reveal_id_number() for p in Person.objects.filter(county_id="410823")[:2000])
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="410823101")[:4])
    good = _rows(rng, ids, villages, 20, "ZD")
    job = services.import_request(actor=caseworker, name="詹店镇在册低保户.xlsx", data=_xlsx(good), dry_run=False,
                                  enqueue=False)
    services.import_run(job.pk)
    bad = _rows(rng, ids, villages, 6, "XC")
    bad[1][6] = bad[1][6][:17] + ("0" if bad[1][6][17] != "0" else "1")  # wrong check digit
    bad[2][6] = "4.10823E+17"  # what Excel does to an ID typed as a number
    bad[3][7] = "户主"  # a second head
    first17 = "41082319800101001"
    bad[4][6] = first17 + check_digit(first17)
    bad[4][8] = "女" if int(first17[16]) % 2 else "男"  # sex against the ID
    bad[5][2] = "修武县某村"  # outside 詹店镇
    job = services.import_request(actor=caseworker, name="新增户（待核对）.xlsx", data=_xlsx(bad), dry_run=False,
                                  enqueue=False)
    services.import_run(job.pk)
    job = services.import_request(actor=caseworker, name="詹店镇在册低保户.xlsx", data=_xlsx(good), dry_run=True,
                                  enqueue=False)
    services.import_run(job.pk)
    stdout.write("批量导入演示：詹店镇导入 20 户，1 个文件校验未通过，1 次试导入。")

"""Benchmark of the three aims (issue #20 item 6): the dashboard for the whole city at ~1,000,000 persons answers
within 2 s, and so do the API, the monthly statistics and a drill-down.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench python -m bench.aims [--requests 5]

Needs the city-scale data (`manage.py seed_city --persons 1000000`, see bench/README.md) and the demo users
(`seed_demo`). Inside one transaction that is rolled back it drafts every county's batch for the month
(set-based, as the 1st of the month does), finalises it, marks 1 % of the lines returned by the bank, then asks
the real pages through Django's full request handling as the city administrator (the whole city) and a county
officer. The database is left as it was.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

TARGET_S = 2.0


class _Rollback(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5, help="requests per page (after one warm-up)")
    parser.add_argument("--month", default="2026-11", help="month looked at, YYYY-MM (its batches are rolled back)")
    parser.add_argument("--min-persons", type=int, default=900_000, help="refuse to run below this many persons")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from accounts.models import User
    from cases.models import Entitlement
    from core.models import Region
    from core.months import add_months
    from demo import payments as demo_payments
    from funds import services
    from funds.models import PayeeAccount, PaymentBatch, PaymentLine
    from reports import services as reports_services

    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：DATABASE_URL=postgres://postgres@127.0.0.1:5432/<库名> python -m bench.aims")
        return 2
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["cases_person"])
        persons = cur.fetchone()[0]
    if persons < args.min_persons:
        print(f"只有约 {persons:,} 人。请先生成全市规模数据：python manage.py seed_city --persons 1000000"
              "（小规模试跑：--min-persons 0）")
        return 1
    if not User.objects.filter(username="shi_admin").exists():
        call_command("seed_demo")
    month = dt.date.fromisoformat(args.month + "-01")
    counties = list(Region.objects.filter(code__in=Entitlement.objects.active_in(month).values("county_id"))
                    .order_by("code"))
    results = []
    try:
        with transaction.atomic():
            # counties that already have the month's batch (demo data) keep it; the others get one now
            have = set(PaymentBatch.objects.live().filter(month=month, kind="regular").values_list("county_id",
                                                                                                 flat=True))
            t = time.perf_counter()
            if PayeeAccount.objects.filter(active=True).count() < persons * 0.1:
                demo_payments.seed_payees(random.Random(1), missing_ratio=0.01)  # cards, as a real city has
            batches = [services.batch_draft(actor=None, county=c, month=month) for c in counties if c.code not in have]
            PaymentBatch.objects.filter(pk__in=[b.pk for b in batches]).update(status=PaymentBatch.Status.FINALISED)
            with connection.cursor() as cur:  # 1 % of the lines come back from the bank as failed
                cur.execute("UPDATE funds_paymentline SET bank_status = 'failed', bank_reason = '账户异常' "
                            "WHERE month = %s AND excluded = FALSE AND id %% 100 = 0", [month])
                cur.execute("ANALYZE funds_paymentline, funds_paymentbatch")
            prepared = time.perf_counter() - t
            t = time.perf_counter()  # last night's summary of the month before (reports.tasks, 02:40)
            summary_rows = reports_services.snapshot_build(month=add_months(month, -1))
            summary = time.perf_counter() - t
            lines = PaymentLine.objects.filter(month=month, excluded=False).count()
            city, county = Client(), Client()
            city.force_login(User.objects.get(username="shi_admin"))
            county.force_login(User.objects.get(username="wuzhi_minzheng"))
            m = f"{month:%Y-%m}"
            pages = [
                ("三个兜底指标·全市（页面）", city, f"/reports/aims/?month={m}"),
                ("三个兜底指标·全市（API）", city, f"/api/v1/reports/aims/?month={m}"),
                ("三个兜底指标·武陟县（页面）", county, f"/reports/aims/?month={m}"),
                ("统计月报·全市", city, f"/reports/monthly/?month={m}"),
                ("漏发明细·全市（第1页）", city, f"/reports/aims/missed/?month={m}"),
                ("银行退回未补发·全市（第1页）", city, f"/reports/aims/bank_failed/?month={m}"),
            ]
            for label, client, url in pages:
                response = client.get(url)  # warm-up
                assert response.status_code == 200, (url, response.status_code)
                times, count = [], [0]

                def counter(execute, sql, params, many, context, count=count):
                    count[0] += 1
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(counter):
                    client.get(url)
                for _ in range(args.requests):
                    t = time.perf_counter()
                    client.get(url)
                    times.append(time.perf_counter() - t)
                results.append((label, statistics.median(times), max(times), count[0]))
            raise _Rollback
    except _Rollback:
        pass
    print(f"数据：约 {persons:,} 人；{len(counties)} 个县（市、区）{month:%Y年%m月}批次 {lines:,} 户"
          f"（生成并定稿 {prepared:.1f} 秒，已回滚）；负载 {os.getloadavg()[0]:.1f}，{os.cpu_count()} 核")
    print(f"前一月份的夜间汇总：{summary_rows} 个数值，{summary:.1f} 秒（夜间任务，不计入页面时间）")
    print(f"{'页面':<24}{'中位数 s':>10}{'最大 s':>10}{'查询数':>8}")
    ok = True
    for label, median, worst, queries in results:
        pad = 30 - sum(2 if ord(c) > 0x2E80 else 1 for c in label)
        good = median <= TARGET_S
        ok = ok and good
        print(f"{label}{' ' * max(1, pad)}{median:>8.2f}{worst:>10.2f}{queries:>8}  {'✓' if good else '✗'}")
    print(f"目标：每页中位数 ≤ {TARGET_S} 秒 —— {'达到' if ok else '未达到'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

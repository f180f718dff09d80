"""`python -m bench` (`make bench`): city-scale benchmark on PostgreSQL. See bench/README.md."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

# Goals (issue [10/10]): CPU per request against the bare view of the same rows, measured in the same run.
TARGET_RATIO = 0.60  # household list pages
TARGET_HOME_RATIO = 0.50  # home pages
TARGET_P99_MS = 20.0  # household list pages, quiet machine

# sub-commands, each one job against the floor measured in the same run (see bench/README.md)
SUBCOMMANDS = {"household-import": "household_import",  # the bulk household import
               "comparison": "comparison",  # the monthly department data comparison
               "funds-batch": "funds_batch",  # drafting a month and the 一卡通 export
               "province": "province",  # 1M against 10M persons, per-row costs
               "walk": "walk",  # every main page of every demo role under 300 ms
               "serve": "serve",  # gunicorn under concurrent clients vs a bare app
               "report": "report"}  # the README's figures from the output files


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        return importlib.import_module(f"bench.{SUBCOMMANDS[argv[0]]}").main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description="jiuzhu 城市规模性能基准")
    parser.add_argument("--persons", type=int, default=1_000_000, help="城市规模数据的人数（缺失时生成）")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="每轮每个场景的请求数")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--crypto-sample", type=int, default=20_000, help="加密成本对照的人数")
    parser.add_argument("--explain", action="store_true", help="打印户列表查询的 EXPLAIN ANALYZE")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "out" / "latest.json"))
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory and is not how production runs
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("基准测试需要 PostgreSQL：请设置 DATABASE_URL=postgres://用户@主机:端口/库名 后再运行 make bench"
              "（当前未设置或不是 PostgreSQL）。", file=sys.stderr)
        return 2

    if not os.environ.get("REDIS_URL"):
        print("提示：未设置 REDIS_URL，会话存数据库、缓存为进程内存；生产环境用 Redis，"
              "建议 REDIS_URL=redis://127.0.0.1:6379/<n> 以得到可比的数字。", file=sys.stderr)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ROOT_URLCONF = "bench.urls"
    from accounts.models import User
    from bench import crypto_cost, pages
    from cases.models import Household, Person
    from demo import citysim

    connection.ensure_connection()
    if connection.vendor != "postgresql":
        print("基准测试需要 PostgreSQL。", file=sys.stderr)
        return 2
    call_command("ensure_dev_keys", verbosity=0)  # no-op where a key file or JIUZHU_KEYS exists
    call_command("migrate", verbosity=0)  # a no-op on a migrated database; a fresh one gets its tables
    if not User.objects.filter(username="shi_admin").exists():
        call_command("seed_demo")
    seed_seconds = None
    if not Household.objects.filter(note=citysim.MARKER).exists():
        print(f"未找到城市规模数据，正在生成 {args.persons} 人……")
        t0 = time.perf_counter()
        call_command("seed_city", persons=args.persons)
        seed_seconds = time.perf_counter() - t0

    from bench import pages as page_bench

    page_bench.ensure_statistics()
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["cases_household"])
        n_households = cur.fetchone()[0]
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["cases_person"])
        n_persons = cur.fetchone()[0]
    print(f"数据规模（估计）：{n_households:,} 户，{n_persons:,} 人；PostgreSQL {connection.pg_version}；"
          f"CPU {os.cpu_count()} 核；负载 {os.getloadavg()[0]:.1f}")

    # --- the pages -------------------------------------------------------------------------------------
    township, city = pages.logged_in("zhandian_jingban"), pages.logged_in("shi_admin")
    bare = pages.bare_client()
    probe = (Person.objects.filter(township_id="410823101", household__note=citysim.MARKER)
             .select_related("household").order_by("-id").only("uid", "id_cipher", "name", "household__head_name")
             .first())
    full_id = probe.reveal_id_number()
    name = probe.household.head_name
    member = f"{probe.name}{full_id[-4:]}"
    found = f'href="/households/{probe.household_id}/"'  # the searched household's row, not just the echo
    S = pages.Scenario
    scenarios = [
        S("bare", "基准：裸 Django 视图（同表50行）", bare, "/__bench/bare/", marker="<tr>"),
        S("list_township", "户列表·乡镇经办（詹店镇）", township, "/households/", marker="<th>户主</th>"),
        S("list_city", "户列表·市级管理员（全市）", city, "/households/", marker="<th>户主</th>"),
        S("list_city_p5", "户列表·市级管理员 第5页", city, "/households/?page=5", marker="<th>户主</th>"),
        # an ID number is posted from the search box, never put in a URL (the GET form is refused)
        S("search_id_township", "按完整身份证号查找·乡镇", township, "/households/", marker=found,
          data={"q": full_id}),
        S("search_id_city", "按完整身份证号查找·市级", city, "/households/", marker=found, data={"q": full_id}),
        S("search_name_township", "按户主姓名查找·乡镇", township, f"/households/?q={name}", marker=found),
        S("search_name_city", "按户主姓名查找·市级", city, f"/households/?q={name}", marker=found),
        # a member's name with the last four digits of the ID number ("张三1234"), as caseworkers type it
        S("search_last4_township", "按姓名+身份证后四位查找·乡镇", township, f"/households/?q={member}", marker=found),
        S("search_last4_city", "按姓名+身份证后四位查找·市级", city, f"/households/?q={member}", marker=found),
        S("home_township", "首页·乡镇经办", township, "/", marker="退出"),
        S("home_city", "首页·市级管理员", city, "/", marker="退出"),
    ]
    t0 = time.perf_counter()
    pages.run(scenarios, rounds=args.rounds, requests=args.requests, warmup=args.warmup)
    page_seconds = time.perf_counter() - t0
    results = {s.key: s.summary() for s in scenarios}
    base_rps = results["bare"]["rps"]
    for r in results.values():
        r["ratio_to_bare"] = r["rps"] / base_rps if base_rps else 0.0
        r["cpu_ratio_to_bare"] = results["bare"]["cpu_ms"] / r["cpu_ms"] if r["cpu_ms"] else 0.0

    # --- encryption cost --------------------------------------------------------------------------------
    seeding = crypto_cost.seeding(args.crypto_sample)
    lookups = crypto_cost.lookups()
    real = crypto_cost.real_lookup(_sample_ids(Person, 300))
    display = crypto_cost.display()

    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "loadavg_1m": os.getloadavg()[0], "python": platform.python_version(),
                    "postgres": connection.pg_version},
        "data": {"households": n_households, "persons": n_persons, "seed_seconds": seed_seconds},
        "settings": {"rounds": args.rounds, "requests": args.requests, "warmup": args.warmup,
                     "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]},
        "targets": {"cpu_ratio_to_bare": TARGET_RATIO, "home_cpu_ratio_to_bare": TARGET_HOME_RATIO,
                    "p99_ms": TARGET_P99_MS},
        "pages": results,
        "page_seconds": page_seconds,
        "encryption": {"seeding": seeding, "lookup": lookups, "real_lookup": real, "display": display},
    }
    _print(report, scenarios)
    if args.explain:
        _explain(scenarios)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"\n结果已写入 {out}")
    list_keys, home_keys = ("list_township", "list_city"), ("home_township", "home_city")
    ok = all(results[k]["cpu_ratio_to_bare"] >= TARGET_RATIO and results[k]["p99_ms"] <= TARGET_P99_MS
             and not results[k]["whole_table_count"] for k in list_keys)
    print(f"户列表目标（CPU 比 ≥{TARGET_RATIO:.0%}，p99 ≤ {TARGET_P99_MS:.0f} ms，无整表 COUNT）："
          + ("达到" if ok else "未达到"))
    home_ok = all(results[k]["cpu_ratio_to_bare"] >= TARGET_HOME_RATIO for k in home_keys)
    print(f"首页目标（CPU 比 ≥{TARGET_HOME_RATIO:.0%}）：" + ("达到" if home_ok else "未达到"))
    return 0


def _sample_ids(Person, n: int) -> list[str]:
    from demo import citysim

    people = (Person.objects.filter(household__note=citysim.MARKER).order_by("?").only("uid", "id_cipher")[:n])
    return [p.reveal_id_number() for p in people]


def _print(report: dict, scenarios) -> None:
    pages_ = report["pages"]
    print()
    print(f"{'场景':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'对裸视图':>9}{'CPU ms':>8}{'CPU比':>7}"
          f"{'查询数':>7}  整表COUNT")
    print("-" * 100)
    for s in scenarios:
        r = pages_[s.key]
        label = s.label
        pad = 30 - sum(2 if ord(c) > 0x2E80 else 1 for c in label)
        print(f"{label}{' ' * max(1, pad)}{r['rps']:>9.1f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}"
              f"{r['ratio_to_bare'] * 100:>8.0f}%{r['cpu_ms']:>8.2f}{r['cpu_ratio_to_bare'] * 100:>6.0f}%"
              f"{r['queries']:>7}  {'有！' if r['whole_table_count'] else '无'}")
    enc = report["encryption"]
    seed, look, real, disp = enc["seeding"], enc["lookup"], enc["real_lookup"], enc["display"]
    print()
    print("加密成本（同一次运行中与明文路径对照）")
    print("-" * 100)
    print(f"生成入库（{seed['sealed']['persons']:,} 人，折算每10万人）：明文 {seed['plain']['per_100k_s']:.1f} 秒，"
          f"加密+盲索引 {seed['sealed']['per_100k_s']:.1f} 秒，比值 {seed['ratio']:.2f}×；"
          f"纯加密+盲索引 {seed['seal_us_per_person']:.0f} µs/人")
    print(f"按身份证号查找（对照表，各 {look['plain']['n']} 次，中位数）：明文列 {look['plain']['p50_us']:.0f} µs，"
          f"盲索引 {look['sealed']['p50_us']:.0f} µs（其中 HMAC-SM3 {look['hmac_us']:.0f} µs），比值 {look['ratio']:.2f}×")
    print(f"按身份证号查找（城市规模表，含校验、ORM）：中位数 {real['p50_us']:.0f} µs，p99 {real['p99_us']:.0f} µs")
    print(f"解密一页50个身份证号：{disp['decrypt_50_us']:.0f} µs（每个 {disp['per_id_us']:.1f} µs）；"
          f"明文读取 {disp['plain_50_us']:.0f} µs")


def _explain(scenarios) -> None:
    from django.db import connection

    print("\nEXPLAIN ANALYZE（每个场景一次请求中的全部 SQL）")
    for s in scenarios:
        print(f"\n## {s.label}  ({s.queries} 条查询)")
        for sql in s.sql:
            print("  " + sql[:300])
            if sql.lstrip().upper().startswith("SELECT") and "cases_" in sql:
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    for (line,) in cur.fetchall():
                        print("      " + line)


if __name__ == "__main__":
    sys.exit(main())

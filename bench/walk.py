"""`python -m bench walk`: every main page of every demo role at city scale, each under 300 ms (issue #21 item 8).

For each demo role it signs in (real login, real middleware, real templates), opens every entry of the role's
menu (jiuzhu.navigation: the pages the role reaches), the first detail page linked from each list (a household,
an application, a payment batch, a comparison run …), and posts the search box with a name and with a full ID
number. Every page is fetched once to warm up, then `--requests` times; it must answer 200 (a redirect or an
error fails the walk). Printed per page: the server time p50 / p99 (in-process, WSGI handler to response) and
the query count; pages at or over 300 ms are flagged. The aims dashboard for the whole city is also held to
its own goal of 2 s (bench/aims.py measures it with a drafted month).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench python -m bench walk [--requests 5] [--roles …]

GET pages change nothing except the audit trail (opening a household file is audited, as it must be).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

TARGET_MS = 300.0
TARGET_AIMS_MS = 2000.0
ROLES = ["shi_admin", "wuzhi_minzheng", "wuzhi_caizheng", "wuzhi_choucha", "zhandian_jingban", "zhandian_shenpi",
         "heying_cun"]
# the first link of this shape on a list page is its detail page
_DETAIL = re.compile(r'href="(/(?:[a-z-]+/){1,2}\d+/)"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench walk", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5, help="每页请求次数（另有一次预热）")
    parser.add_argument("--roles", nargs="*", default=ROLES, help="演示用户名")
    parser.add_argument("--only", default="", help="只走路径匹配此正则的页面（如 ^/reports/）")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "out" / "walk.json"))
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("需要 PostgreSQL 和城市规模数据（先运行 python -m bench）：DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ROOT_URLCONF = "bench.urls"
    from accounts.models import User
    from bench import pages
    from cases.models import Person
    from demo import citysim
    from jiuzhu.navigation import menu_for
    from jiuzhu.search_views import may_search

    pages.ensure_statistics()
    only = re.compile(args.only) if args.only else None
    probe = None if only and not only.search("/search/") else (Person.objects.filter(township_id="410823101", household__note=citysim.MARKER).order_by("-id")
             .only("uid", "id_cipher", "name").first())
    searches = {"名字": probe.name, "身份证号": probe.reveal_id_number()} if probe else {}

    results, failures = [], []
    for username in args.roles:
        user = User.objects.select_related("region").get(username=username)
        client = pages.logged_in(username)
        todo = [(item["label"], item["url"], None) for item in menu_for(user, "/")]
        if may_search(user):
            todo += [(f"搜索（{kind}）", "/search/", {"q": q}) for kind, q in searches.items()]
        seen = set()
        while todo:
            label, url, data = todo.pop(0)
            if (url, label if data is not None else "") in seen:  # each posted search counts; a page once
                continue
            seen.add((url, label if data is not None else ""))
            if only and not only.search(url):
                continue

            def fetch(url=url, data=data, client=client):
                return client.post(url, data) if data is not None else client.get(url)

            response = fetch()
            if response.status_code != 200:
                failures.append(f"{username} {label} {url}: {response.status_code}")
                continue
            if data is None and "/" not in label:  # a menu page: also walk its first detail page
                if m := _DETAIL.search(response.content.decode(errors="replace")):
                    todo.insert(0, (f"{label}/详情", m[1], None))
            count = [0]

            def counter(execute, sql, params, many, context, count=count):
                count[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counter):
                fetch()
            times = []
            for _ in range(args.requests):
                t = time.perf_counter()
                fetch()
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p50, p99 = statistics.median(times), times[max(0, round(0.99 * len(times) + 0.5) - 1)]
            limit = TARGET_AIMS_MS if url.startswith("/reports/aims/") and user.region_id == "410800" else TARGET_MS
            results.append({"user": username, "role": user.get_role_display(), "page": label, "url": url,
                            "method": "POST" if data is not None else "GET", "p50_ms": p50, "p99_ms": p99,
                            "queries": count[0], "limit_ms": limit, "slow": p99 >= limit})
            r = results[-1]
            pad = 36 - sum(2 if ord(c) > 0x2E80 else 1 for c in label)
            print(f"{username:<18}{label}{' ' * max(1, pad)}{url[:34]:<36}{p50:>9.1f}{p99:>9.1f}{r['queries']:>6}"
                  f"  {f'≥ {limit:.0f} ms！' if r['slow'] else ''}", flush=True)

    slow = [r for r in results if r["slow"]]
    print(f"\n{len(results)} 个页面，负载 {os.getloadavg()[0]:.1f}，{os.cpu_count()} 核；"
          f"超过 {TARGET_MS:.0f} ms（全市三个兜底指标 {TARGET_AIMS_MS:.0f} ms）的页面：{len(slow)}")
    for r in slow:
        print(f"  {r['user']} {r['page']} {r['url']}: p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms")
    for f in failures:
        print(f"  打不开：{f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "loadavg_1m": os.getloadavg()[0], "requests": args.requests,
                               "aims_cache_seconds": settings.REPORTS_AIMS_CACHE_SECONDS, "pages": results,
                               "failures": failures}, ensure_ascii=False, indent=2))
    print(f"结果已写入 {out}")
    return 0 if not slow and not failures else 1

